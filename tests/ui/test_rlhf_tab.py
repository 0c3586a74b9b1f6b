"""Lesson 4 driven through its widgets: SFT, one policy update phase by phase, training in the
worker, presets, the reward-hacking fix and candidates for the rankings."""
import pytest
from PySide6 import QtCore

from explainer.ui.format import latex_num
from explainer.ui.rlhf_tab.equations import focus
from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
from explainer.ui.rlhf_tab.tab import RLHFTab

Key = QtCore.Qt.Key
READY_MS = 90_000   # the first use builds the fine-tuned model and the Reward model
WORK_MS = 60_000


@pytest.fixture(scope="module")
def tab(qapp):
    widget = RLHFTab(FeedbackLink())
    widget.resize(1600, 950)
    widget.show()
    yield widget
    widget.shutdown()
    widget.deleteLater()


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


def test_torch_waits_for_the_tab_to_be_shown():
    import subprocess
    import sys
    code = ("import sys; from PySide6 import QtWidgets; app = QtWidgets.QApplication([]);"
            "from explainer.ui.rlhf_tab.tab import RLHFTab; t = RLHFTab(); "
            "print('torch' in sys.modules); t.shutdown()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_sft_loss_falls_and_answers_show_token_probabilities(qtbot, ready):
    sft = ready.sft
    ready.stages.setCurrentWidget(sft)
    sft.train_button.click()
    qtbot.waitUntil(lambda: ready.controller.sft is not None, timeout=WORK_MS)
    losses = ready.controller.sft.losses
    assert losses[-1] < 0.1 * losses[0]
    assert list(sft.loss_curve.yData) == pytest.approx(losses)
    assert sft.report.value("seen") != "—" and sft.report.value("unseen") != "—"
    qtbot.waitUntil(lambda: bool(sft.answers), timeout=WORK_MS)
    assert sft.tokens.tokens == sft.answers[0].tokens
    assert sft.tokens.probs == sft.answers[0].probs


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


def test_updates_run_in_the_worker_and_the_plots_grow(qtbot, ready):
    c, plots = ready.controller, ready.policy.plots
    c.reset()
    qtbot.waitUntil(lambda: c.series is not None and not c.series.update, timeout=WORK_MS)
    with qtbot.waitSignal(c.running_changed, timeout=WORK_MS):
        c.train(4)
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    assert set(plots.point_counts().values()) == {4}
    assert c.record.phase == "update" and c.record.update == 3
    assert all(cell for cell in ready.policy.compare.texts()[0])


def test_pause_stops_a_long_run(qtbot, ready):
    c = ready.controller
    c.train(150)
    qtbot.waitUntil(lambda: c.running, timeout=WORK_MS)
    qtbot.waitUntil(lambda: c.series is not None and len(c.series.update) > 0, timeout=WORK_MS)
    c.stop()
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    assert len(c.series.update) < 150


def test_play_key_toggles_play(qtbot, ready):
    c = ready.controller
    qtbot.keyClick(ready, Key.Key_P)
    assert c.playing
    qtbot.keyClick(ready, Key.Key_P)
    assert not c.playing


def test_presets_change_beta_and_say_what_to_watch(qtbot, ready):
    controls = ready.policy.controls
    controls.preset_buttons["hacking"].click()
    qtbot.waitUntil(lambda: ready.controller.settings.get("beta") == 0.0, timeout=WORK_MS)
    assert controls.beta.value() == 0.0
    assert "β = 0" in ready.policy.preset_caption.text()
    controls.preset_buttons["kl_penalty"].click()
    qtbot.waitUntil(lambda: ready.controller.settings.get("beta", 0) > 0, timeout=WORK_MS)
    assert controls.beta.value() == pytest.approx(ready.controller.settings["beta"])


def test_the_hacking_fix_adds_worse_pairs_and_runs_again(qtbot, ready):
    c, link = ready.controller, ready.controller.link
    c.apply_preset("hacking")
    qtbot.waitUntil(lambda: c.series is not None and not c.series.update, timeout=WORK_MS)
    c.train(6)
    qtbot.waitUntil(lambda: c.series is not None and len(c.series.update) == 6, timeout=WORK_MS)
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    before = len(link.feedback().pairs())
    with qtbot.waitSignal(c.worker.fixed, timeout=WORK_MS) as fixed:
        ready.policy.controls.fix.click()
    added = fixed.args[1]
    assert added > 0
    assert len(link.feedback().pairs()) == before + added
    qtbot.waitUntil(lambda: c.running or len(c.series.update) > 0, timeout=WORK_MS)
    c.stop()
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)


def test_generated_candidates_join_the_shared_rankings(qtbot, ready):
    link, sft = ready.controller.link, ready.sft
    sft._fill_rank_prompts()
    prompt_id = sft.rank_prompt.currentData()
    count = len(link.feedback().prompt(prompt_id).responses)
    with qtbot.waitSignal(link.changed, timeout=WORK_MS):
        sft.generate_button.click()
    assert len(link.feedback().prompt(prompt_id).responses) > count


def test_a_crashed_training_process_is_reported_and_restarted(qtbot, ready):
    """Last in this module: it kills the training process; the tab says so and builds anew."""
    import os
    import signal
    c = ready.controller
    messages = []
    c.message.connect(lambda text, level: messages.append((text, level)))
    old = c.worker.process._process
    os.kill(old.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: any(level == "error" for _, level in messages), timeout=WORK_MS)
    assert "stopped unexpectedly" in messages[-1][0]
    qtbot.waitUntil(lambda: c.is_ready, timeout=READY_MS)
    new = c.worker.process._process
    assert new is not None and new.pid != old.pid
    press(qtbot, ready, Key.Key_Right, "guess")
    ready.shutdown()
    assert not new.is_alive() and c.worker.process._process is None
