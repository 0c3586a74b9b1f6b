"""Lesson 4 driven through its widgets: SFT, one policy update phase by phase, training in the
training process, presets, the reward-hacking fix and candidates for the rankings."""
import pytest
from PySide6 import QtCore

from explainer.ui.widgets.format import latex_num
from explainer.ui.rlhf_tab.equations import focus
from tests.ui.tab_support import shown_rlhf_tab

Key = QtCore.Qt.Key
READY_MS = 90_000   # the first use builds the fine-tuned model and the Reward model
WORK_MS = 60_000


@pytest.fixture(scope="module")
def tab(qapp):
    from PySide6 import QtGui

    from explainer.ui.theme.style import BASE_POINT_SIZE

    # Built at lecture size: the window's text size at zoom 1, whatever earlier tests left.
    before = QtGui.QFont(qapp.font())
    font = QtGui.QFont(before)
    font.setPointSizeF(BASE_POINT_SIZE)
    qapp.setFont(font)
    with shown_rlhf_tab(1600, 950) as widget:
        yield widget
    qapp.setFont(before)


@pytest.fixture
def ready(qtbot, tab):
    c = tab.controller
    qtbot.waitUntil(lambda: c.is_ready, timeout=READY_MS)
    if c.running:
        c.stop()
        qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    return tab


def press(qtbot, tab, key, phase=None):
    qtbot.keyClick(tab, key)
    if phase is not None:
        qtbot.waitUntil(lambda: tab.controller.record is not None
                        and tab.controller.record.phase == phase, timeout=WORK_MS)
    return tab.controller.record


def shown_math(tab) -> str:
    return " ".join(latex for latex, _ in tab.policy.equations.lines())


@pytest.mark.slow
def test_torch_waits_for_the_tab_to_be_shown():
    import subprocess
    import sys
    code = ("import sys; from PySide6 import QtWidgets; app = QtWidgets.QApplication([]);"
            "from explainer.ui.rlhf_tab.tab import RLHFTab; t = RLHFTab(); "
            "print('torch' in sys.modules); t.shutdown()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.slow
def test_sft_loss_falls_and_answers_show_token_probabilities(qtbot, ready):
    sft = ready.sft
    ready.stages.setCurrentWidget(sft)
    sft.train_button.click()
    qtbot.waitUntil(lambda: ready.controller.sft is not None, timeout=WORK_MS)
    losses = ready.controller.sft.losses
    # from the pre-trained base the loss starts low already; every epoch lowers it, by half in all
    assert all(b < a for a, b in zip(losses, losses[1:])) and losses[-1] < 0.6 * losses[0]
    assert list(sft.loss_curve.yData) == pytest.approx(losses)
    assert sft.report.value("seen") != "—" and sft.report.value("unseen") != "—"
    qtbot.waitUntil(lambda: bool(sft.answers), timeout=WORK_MS)
    assert sft.tokens.tokens == sft.answers[0].tokens
    assert sft.tokens.probs == sft.answers[0].probs
    assert sft.answer_list.item(0).toolTip() == "\n".join(sft.answers[0].reasons)   # why: hover
    assert sft.answers[0].reasons[-1] == f"score: {sft.answers[0].true_score:.3f}"


@pytest.mark.slow
def test_one_update_phase_by_phase_shows_the_core_record(qtbot, ready):
    c = ready.controller
    c.reset()
    qtbot.waitUntil(lambda: c.record is None, timeout=WORK_MS)
    guess = press(qtbot, ready, Key.Key_Right, "guess")
    assert ready.policy.tokens.tokens == guess.responses[0].tokens
    assert ready.policy.phase_strip.current_text() == "1. Guess"
    assert "Agent" in shown_math(ready) and "Policy" in shown_math(ready)
    deriv = press(qtbot, ready, Key.Key_Space, "derivative")
    assert latex_num(deriv.cross_entropy[0]) in shown_math(ready)
    assert ready.policy.gradient.gradient == deriv.token_gradients[focus(deriv)]
    reward = press(qtbot, ready, Key.Key_PageDown, "reward")
    for value in (reward.rm_scores[0], reward.kl[0], reward.updated_cross_entropy[0]):
        assert latex_num(value) in shown_math(ready)
    assert latex_num(reward.shaped_rewards[0], signed=True) in shown_math(ready)
    assert "Environment" in shown_math(ready) and "Reward" in shown_math(ready)
    update = press(qtbot, ready, Key.Key_Right, "update")
    assert latex_num(update.step_norm, 4) in shown_math(ready)
    assert "Learning rate" in shown_math(ready)
    assert update.updated_cross_entropy == reward.updated_cross_entropy
    back = press(qtbot, ready, Key.Key_Left, "reward")
    assert back == reward   # stepping back shows the kept record
    qtbot.waitUntil(lambda: len(c.series.update) == 1, timeout=WORK_MS)


@pytest.mark.slow
def test_the_seed_box_shows_the_runs_seed_the_default_where_the_lesson_was_measured(qtbot, ready):
    from explainer.core.rlhf.settings import DEFAULT_SEED
    c, box = ready.controller, ready.policy.controls.stepper.seed
    assert c.seed == DEFAULT_SEED and box.value() == DEFAULT_SEED
    c.reset(3)   # as opening a session saved with seed 3 does
    assert box.value() == 3 and c.seed == 3
    box.setValue(DEFAULT_SEED)   # the box itself reseeds the run
    assert c.seed == DEFAULT_SEED
    qtbot.waitUntil(lambda: c.record is None, timeout=WORK_MS)


@pytest.mark.slow
def test_updates_run_in_the_training_process_and_the_plots_grow(qtbot, ready):
    c, plots = ready.controller, ready.results.plots
    c.reset()
    qtbot.waitUntil(lambda: c.series is not None and not c.series.update, timeout=WORK_MS)
    with qtbot.waitSignal(c.running_changed, timeout=WORK_MS):
        c.train(4)
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    ready.stages.setCurrentWidget(ready.results)   # drawn when its page is shown
    assert set(plots.point_counts().values()) == {4}
    ready.stages.setCurrentWidget(ready.policy)
    assert c.record.phase == "update" and c.record.update == 3
    assert all(cell for cell in ready.policy.compare.texts()[0])


@pytest.mark.slow
def test_pause_stops_a_long_run(qtbot, ready):
    c = ready.controller
    c.train(150)
    qtbot.waitUntil(lambda: c.running, timeout=WORK_MS)
    qtbot.waitUntil(lambda: c.series is not None and len(c.series.update) > 0, timeout=WORK_MS)
    c.stop()
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    assert len(c.series.update) < 150


@pytest.mark.slow
def test_play_key_toggles_play(qtbot, ready):
    c = ready.controller
    qtbot.keyClick(ready, Key.Key_P)
    assert c.playing
    qtbot.keyClick(ready, Key.Key_P)
    assert not c.playing


@pytest.mark.slow
def test_presets_change_beta_and_say_what_to_watch(qtbot, ready):
    controls = ready.policy.controls
    controls.preset_buttons["hacking"].click()
    qtbot.waitUntil(lambda: ready.controller.settings.get("beta") == 0.0, timeout=WORK_MS)
    assert controls.beta.value() == 0.0
    assert "β = 0" in ready.policy.preset_caption.text()
    controls.preset_buttons["kl_penalty"].click()
    qtbot.waitUntil(lambda: ready.controller.settings.get("beta", 0) > 0, timeout=WORK_MS)
    assert controls.beta.value() == pytest.approx(ready.controller.settings["beta"])


@pytest.mark.slow
def test_the_hacking_fix_adds_worse_pairs_and_runs_again(qtbot, ready):
    c, link = ready.controller, ready.controller.link
    c.apply_preset("hacking")
    qtbot.waitUntil(lambda: c.series is not None and not c.series.update, timeout=WORK_MS)
    c.train(6)
    qtbot.waitUntil(lambda: c.series is not None and len(c.series.update) == 6, timeout=WORK_MS)
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    before = len(link.feedback().pairs())
    with qtbot.waitSignal(c.process.received, timeout=WORK_MS,
                          check_params_cb=lambda kind, _: kind == "fixed") as fixed:
        ready.policy.controls.fix.click()
    added = fixed.args[1][1]   # ("fixed", (feedback, added))
    assert added > 0
    assert len(link.feedback().pairs()) == before + added
    qtbot.waitUntil(lambda: c.running or len(c.series.update) > 0, timeout=WORK_MS)
    c.stop()
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)


@pytest.mark.slow
def test_generated_candidates_join_the_shared_rankings(qtbot, ready):
    link, sft = ready.controller.link, ready.sft
    sft._fill_rank_prompts()
    prompt_id = sft.rank_prompt.currentData()
    count = len(link.feedback().prompt(prompt_id).responses)
    with qtbot.waitSignal(link.changed, timeout=WORK_MS):
        sft.generate_button.click()
    assert len(link.feedback().prompt(prompt_id).responses) > count


@pytest.mark.slow
def test_a_crashed_training_process_is_reported_and_restarted(qtbot, ready):
    """Last in this module: it kills the training process; the tab says so and builds anew."""
    import os
    import signal
    c = ready.controller
    messages = []
    c.message.connect(lambda text, level: messages.append((text, level)))
    old = c.process._process
    os.kill(old.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: any(level == "error" for _, level in messages), timeout=WORK_MS)
    assert "stopped unexpectedly" in messages[-1][0]
    qtbot.waitUntil(lambda: c.is_ready, timeout=READY_MS)
    new = c.process._process
    assert new is not None and new.pid != old.pid
    press(qtbot, ready, Key.Key_Right, "guess")
    ready.shutdown()
    assert not new.is_alive() and c.process._process is None


def test_plot_ranges_grow_in_round_steps_not_with_every_update():
    from explainer.ui.rlhf_tab.plots import stepped_range
    # First points: the data ± 20 % of max(spread, 10 % of its size), rounded out to a step of
    # 1, 2 or 5 × 10ⁿ ≥ a quarter of the height: 10.2 ± 0.204 → step 0.2 → (9.8, 10.6).
    assert stepped_range(None, 10.2, 10.2) == pytest.approx((9.8, 10.6))
    assert stepped_range((9.8, 10.6), 10.0, 10.5) == (9.8, 10.6)          # fits: kept
    # Leaving by the top: at least twice the height (2 × 1.07), upwards from 9.8; step 1.
    assert stepped_range((9.8, 10.6), 9.9, 10.7) == pytest.approx((9.0, 12.0))
    # By the bottom: height 2 × 2 = 4 downwards from 2; step 1.
    assert stepped_range((0.0, 2.0), -0.5, 1.0) == pytest.approx((-2.0, 2.0))
    # Both ways: 2 × 3 = 6 around the data, step 2.
    assert stepped_range((0.0, 2.0), -0.5, 2.5) == pytest.approx((-2.0, 4.0))


def test_a_growing_series_changes_the_plot_ranges_only_a_few_times(qapp):
    from explainer.core.rlhf.training import Series
    from explainer.ui.rlhf_tab.plots import UpdatePlots
    plots = UpdatePlots()
    plots.expect(0, 60)
    shown = []
    for n in range(1, 61):   # a reward that climbs steadily from 10 to 15.9, KL from 0 to 2.95
        u = tuple(range(n))
        plots.show_series(Series(u, tuple(10 + 0.1 * k for k in u), (0.5,) * n,
                                 tuple(0.05 * k for k in u), tuple(-20 + 0.1 * k for k in u),
                                 tuple(-30 - 0.1 * k for k in u)))
        shown.append(plots.shown_ranges())
    assert set(plots.point_counts().values()) == {60}
    x_ranges = {r["reward"][0] for r in shown} | {r["true"][0] for r in shown}
    assert x_ranges == {(0.0, 100.0)}          # room for the whole run from its first point
    assert {r["true"][1] for r in shown} == {(0.0, 1.0)}   # the true score's scale never moves
    for name in ("reward", "kl", "gap"):
        y_ranges = [r[name][1] for r in shown]
        changes = sum(a != b for a, b in zip(y_ranges, y_ranges[1:]))
        assert changes <= 4, (name, changes)   # 60 updates, at most 4 redraws of the axis
    assert shown[-1]["reward"][1][1] >= 15.9 and shown[-1]["kl"][1][1] >= 2.95
    assert plots.gap.yData[-1] == pytest.approx((-20 + 5.9) - (-30 - 5.9))   # polite − rude


def test_curves_are_named_in_coloured_titles_not_legends_over_them(qapp):
    from explainer.ui.theme import style
    from explainer.ui.rlhf_tab.plots import UpdatePlots
    plots = UpdatePlots()
    for plot, curves in ((plots.reward_plot, (plots.reward,)), (plots.true_plot, (plots.true,)),
                         (plots.kl_plot, (plots.kl,)), (plots.gap_plot, (plots.gap,))):
        item = plot.getPlotItem()
        assert item.legend is None
        for curve in curves:
            colour = curve.opts["pen"].color().name().lower()
            assert f"color:{colour}" in item.titleLabel.text.lower()
    assert plots.reward.opts["pen"].color().name().lower() == style.color("reward").lower()


def test_records_arriving_while_training_are_drawn_at_most_once_a_second(qtbot):
    from explainer.ui.rlhf_tab.controller import RLHFController
    c = RLHFController()
    drawn, series = [], []
    c.record_changed.connect(drawn.append)
    c.series_changed.connect(series.append)
    c.process.received.emit("running", True)
    for k in range(30):   # 30 updates in ~0.6 s, as fast as the training process sends them
        c.process.received.emit("record", ("record", k))
        c.process.received.emit("series", ("series", k))
        qtbot.wait(20)
    while_running = len(drawn)
    with qtbot.waitSignal(c.running_changed, timeout=5000):
        c.process.received.emit("running", False)
    assert 1 <= while_running <= 2           # not 30: the newest waits for the next second
    assert 2 <= len(series) <= 8             # the plots at most five times a second
    assert drawn[-1] == ("record", 29) == c.record   # stopped: the last update is shown
    assert series[-1] == ("series", 29) == c.series
    c.shutdown()


@pytest.mark.slow
def test_a_theme_change_keeps_the_update_count_and_colours_the_before_after_heads(qtbot, ready):
    from explainer.ui.theme import themes
    from explainer.ui.rlhf_tab.compare_view import HEADS
    c, strip, compare = ready.controller, ready.policy.phase_strip, ready.policy.compare
    if c.record is None:
        press(qtbot, ready, Key.Key_Right, "guess")
    shown = strip.episode_label.text()
    assert shown == f"Update {c.record.update + 1}"
    try:
        themes.apply_theme("dark", QtCore.QCoreApplication.instance())
        assert strip.episode_label.text() == shown   # not "Episode …": this tab counts updates
        dark = themes.THEMES["dark"]
        assert f"color: {dark['muted']}" in compare.heads[0].styleSheet()
        assert f"color: {dark['muted']}" in compare.cells[0][0].styleSheet()
        assert f"color: {dark['text']}" in compare.cells[0][1].styleSheet()
        assert HEADS[2][1] == "policy" and "#CC79A7" in compare.heads[2].styleSheet()
    finally:
        themes.apply_theme("light", QtCore.QCoreApplication.instance())
    assert f"color: {themes.THEMES['light']['text']}" in compare.cells[0][1].styleSheet()


def test_stage_1s_status_says_what_is_being_done_only_while_it_is(qtbot):
    """"Sampling the pre-trained base model…" stayed on after the sample had arrived."""
    from explainer.ui.rlhf_tab.controller import RLHFController
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    from explainer.ui.rlhf_tab.sft_panel import START_HINT, SFTPanel
    controller = RLHFController(FeedbackLink())
    panel = SFTPanel(controller)
    qtbot.addWidget(panel)
    controller.busy_changed.emit("Sampling the pre-trained base model…")
    assert panel.status.text() == "Sampling the pre-trained base model…"
    assert not panel.sample_button.isEnabled()
    controller.busy_changed.emit("")
    # before any fine-tuning here, the empty page says what to press
    assert panel.status.text() == START_HINT and panel.sample_button.isEnabled()
    controller.sft = object()   # fine-tuned: nothing more to say once the work is done
    panel.status.setText("4 candidates added to the rankings")   # a result stays when work ends
    controller.busy_changed.emit("Generating candidates…")
    controller.busy_changed.emit("")
    assert panel.status.text() == ""
    panel.status.setText("4 candidates added to the rankings")
    controller.busy_changed.emit("")
    assert panel.status.text() == "4 candidates added to the rankings"


def test_giving_tab_3s_rankings_back_after_a_walkthrough_is_no_undo_step(qtbot, tmp_path):
    """After tab 4's walkthrough had added degenerate answers to tab 3's rankings (its fix step),
    End gave the rankings back, but as an undo step: one Undo in tab 3 brought the walkthrough's
    rankings back."""
    from explainer.ui.reward_tab.controller import RewardController
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    reward = RewardController(autosave_path=tmp_path / "autosave.json")
    link = FeedbackLink(lambda: reward)
    reward.apply("set_held_out", "p01", True)       # the lecturer's own change: one undo step
    kept = link.keep()
    fixed = reward.feedback.set_held_out("p02", True)   # what a walkthrough step changed
    link.set_feedback(fixed)
    assert reward.feedback is fixed
    link.give_back(kept)                            # End
    assert reward.feedback is kept.feedback and reward.rankings_history() == kept
    reward.undo()                                   # the lecturer's change, not the walkthrough's
    assert not reward.prompt("p01").held_out and not reward.prompt("p02").held_out
