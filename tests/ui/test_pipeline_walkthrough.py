"""The guided walkthroughs of tabs 3 and 4 driven as a lecturer would: the button, the clicker's
PageDown / PageUp, the captions with their live values, Back showing the earlier step, and End.
How long Back takes is measured in benchmarks/bench_walkthroughs.py; here, what it sends."""
from statistics import mean

import pytest
from PySide6 import QtCore, QtWidgets

from explainer.core.language import rankings
from explainer.core.rlhf.settings import DEFAULTS
from explainer.ui.widgets.format import num
from explainer.ui.reward_tab.controller import RewardController
from explainer.ui.reward_tab.tab import RewardTab
from explainer.ui.training.process import TrainingProcess
from tests.ui.tab_support import shown_rlhf_tab

pytestmark = pytest.mark.slow   # the tabs' training processes build and train the models

Key = QtCore.Qt.Key
READY_MS = 120_000   # the first step builds the models in the training process
WORK_MS = 90_000


def banner(tab) -> str:
    return tab.walk_bar.banner.text()


def settle(qtbot, tab, index, timeout=WORK_MS):
    qtbot.waitUntil(lambda: tab.walk is not None and not tab.player.busy
                    and tab.walk_index == index, timeout=timeout)
    assert f"step {index + 1} of {len(tab.walk.steps)}" in banner(tab)


def to_front(qtbot, tab) -> None:
    """The clicker's keys reach the active window only: another test's window may have been it."""
    tab.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is tab.window(), timeout=5000)


def press(qtbot, tab, key, index, timeout=WORK_MS) -> None:
    """Press a clicker key and wait until the step is shown."""
    qtbot.keyClick(tab, key)
    settle(qtbot, tab, index, timeout)


@pytest.fixture
def sent(monkeypatch):
    """Every command sent to a training process, as (name, args), in order."""
    commands = []
    call = TrainingProcess.call

    def spy(self, name, *args):
        commands.append((name, args))
        call(self, name, *args)
    monkeypatch.setattr(TrainingProcess, "call", spy)
    return commands


def pressed(qtbot, tab, sent, key, index) -> list:
    """Press a clicker key; the commands it sent until the step was shown."""
    sent.clear()
    press(qtbot, tab, key, index)
    return list(sent)


# Commands that compute in an RLHF training process: a Back that sends none of them shows a
# step from a checkpoint instead of replaying the lesson.
RLHF_WORK = {"warm_up", "reset", "start_lesson", "run_sft", "sample", "step", "train", "preset",
             "fix_hacking", "base_report", "candidates"}


def restored_from_a_checkpoint(commands) -> bool:
    names = [name for name, _ in commands]
    return "restore" in names and not RLHF_WORK & set(names)


# --- tab 3: the Reward model ---------------------------------------------------------------------
@pytest.fixture
def reward_tab(qtbot, tmp_path):
    controller = RewardController(autosave_path=tmp_path / "autosave.json")
    widget = RewardTab(controller)
    qtbot.addWidget(widget)
    widget.resize(1600, 950)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def walk_button(tab):
    return next(b for b in tab.findChildren(type(tab.controls.train_button))
                if b.text() == "Guided walkthrough")


def test_reward_walkthrough_trains_shows_held_out_accuracy_and_steps_back(qtbot, reward_tab, sent):
    tab, c = reward_tab, reward_tab.controller
    c.apply("set_held_out", "p01", True)   # the lecturer's own rankings, one Undo away later
    history_before = c.rankings_history()
    qtbot.mouseClick(walk_button(tab), QtCore.Qt.MouseButton.LeftButton)
    settle(qtbot, tab, 0, READY_MS)
    assert tab.walk.lesson == "reward" and tab.walk_bar.isVisible()
    assert c.feedback.to_dict() == rankings.default_feedback().to_dict()
    assert c.snapshot.step == 0 and c.selected_prompt_id == "p01"
    assert "Human feedback" in banner(tab)

    press(qtbot, tab, Key.Key_PageDown, 1)
    row = c.snapshot.row("p01", "p01-c", "p01-b")
    assert c.selected_pair == ("p01", "p01-c", "p01-b")
    assert f"R_better = {num(row.r_better, 3, signed=True)}" in banner(tab)
    press(qtbot, tab, Key.Key_Right, 2)                     # the arrows step it too
    assert f"Loss = {num(row.loss, 3)}" in banner(tab)
    press(qtbot, tab, Key.Key_PageDown, 3)
    assert c.snapshot.step == 1
    after_one = c.snapshot.row("p01", "p01-c", "p01-b")
    assert after_one.loss < row.loss                        # one batch lowered this pair's loss
    assert f"the Loss {num(after_one.loss, 3)}" in banner(tab)

    press(qtbot, tab, Key.Key_PageDown, 4)
    assert c.snapshot.step == 25
    accuracy = c.snapshot.accuracy(False)
    # 25 batches order all but a pair or two of the 390 (Adam's last steps still wobble)
    assert accuracy > 0.98 and f"{100 * accuracy:.1f} % of the training pairs" in banner(tab)
    rewards_at_5 = dict(c.snapshot.rewards)

    press(qtbot, tab, Key.Key_PageDown, 5)
    held = c.snapshot.accuracy(True)
    assert held is not None and f"right {100 * held:.1f} % of the time" in banner(tab)
    # the same number the accuracy plot's held-out curve ends on
    assert tab.plots.held_curve.yData[-1] == pytest.approx(held)
    assert c.selected_prompt_id == "p07"

    # Back rebuilds step 5 from the start: the same seeded Reward model, retrained for the
    # lesson's 25 batches and no more, in the process already running (no model built again).
    commands = pressed(qtbot, tab, sent, Key.Key_PageUp, 4)
    names = [name for name, _ in commands]
    assert "reset" in names and "warm_up" not in names
    last_reset = max(i for i, name in enumerate(names) if name == "reset")
    assert sum(args[0] for name, args in commands[last_reset:] if name == "train") == 25
    assert c.snapshot.step == 25 and dict(c.snapshot.rewards) == pytest.approx(rewards_at_5)
    assert "24 more batches (25 in all)" in banner(tab)
    press(qtbot, tab, Key.Key_Left, 3)
    assert c.snapshot.step == 1 and "One batch of training" in banner(tab)

    # The banner's overview jumps: forward through each step between, back as Back rebuilds.
    entries = tab.walk_bar.steps_menu.actions()
    assert len(entries) == len(tab.walk.steps) and entries[3].isChecked()
    entries[5].trigger()
    settle(qtbot, tab, 5)
    assert c.snapshot.step == 25 and dict(c.snapshot.rewards) == pytest.approx(rewards_at_5)
    assert entries[5].isChecked()
    entries[3].trigger()
    settle(qtbot, tab, 3)
    assert c.snapshot.step == 1

    # A second Next while a step is computing is ignored, never queued.
    qtbot.keyClick(tab, Key.Key_PageDown)
    qtbot.keyClick(tab, Key.Key_PageDown)
    assert not tab.walk_bar.next_button.isEnabled()
    settle(qtbot, tab, 4)
    assert tab.walk_bar.next_button.isEnabled()

    tab.end_walkthrough()
    assert tab.walk is None and not tab.walk_bar.isVisible()
    # End gives back what the tab held: the lecturer's rankings and their untrained model
    assert c.prompt("p01").held_out and "before the walkthrough" in tab.banner.label.text()
    # ... and its undo steps: giving the rankings back is none (Undo brought the shipped ones)
    assert c.rankings_history() == history_before
    qtbot.waitUntil(lambda: c.snapshot.step == 0 and c.settled(), timeout=WORK_MS)
    qtbot.keyClick(tab, Key.Key_PageDown)                   # the clicker trains one batch again
    qtbot.waitUntil(lambda: c.snapshot.step == 1 and c.settled(), timeout=WORK_MS)


def test_ending_the_reward_walkthrough_gives_back_the_trained_model(qtbot, reward_tab):
    """Starting the walkthrough once threw away a 300-step Reward model and the judged pairs."""
    tab, c = reward_tab, reward_tab.controller
    tab.start()
    c.apply("set_held_out", "p02", True)
    c.train(40)
    qtbot.waitUntil(lambda: c.snapshot.step == 40 and c.settled(), timeout=READY_MS)
    trained = dict(c.snapshot.rewards)
    tab.start_walkthrough()
    settle(qtbot, tab, 0, READY_MS)
    assert c.snapshot.step == 0 and not c.prompt("p02").held_out   # the lesson's own state
    saved = tab.session_state()                 # a save meanwhile keeps the lecturer's work
    assert saved["steps"] == 40 and saved["feedback"]["prompts"] != \
        rankings.default_feedback().to_dict()["prompts"]
    tab.end_walkthrough()
    assert c.prompt("p02").held_out
    qtbot.waitUntil(lambda: c.snapshot.step == 40 and c.settled(), timeout=WORK_MS)
    assert dict(c.snapshot.rewards) == pytest.approx(trained)     # the same model, not retrained


def test_a_lecturers_lesson_file_is_checked_before_it_runs(qtbot, reward_tab, tmp_path):
    import json
    other = tmp_path / "rlhf.json"
    other.write_text(json.dumps({"format": "explainer-lesson", "version": 1, "lesson": "rlhf",
                                 "title": "t", "steps": [{"caption": "c", "do": []}]}))
    reward_tab.start_walkthrough(str(other))
    assert reward_tab.walk is None and "for the rlhf tab" in reward_tab.banner.label.text()
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    reward_tab.start_walkthrough(str(broken))
    assert reward_tab.walk is None and "not valid JSON" in reward_tab.banner.label.text()
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps({"format": "explainer-lesson", "version": 1, "lesson": "reward",
                                "title": "Mine", "steps": [
                                    {"caption": "Pair loss {pair_loss}", "do": [
                                        {"op": "select_pair", "args": {
                                            "prompt": "p02", "better": "p02-e", "worse": "p02-b"}}]}]}))
    reward_tab.start_walkthrough(str(mine))
    settle(qtbot, reward_tab, 0, READY_MS)
    row = reward_tab.controller.snapshot.row("p02", "p02-e", "p02-b")
    assert f"Pair loss {num(row.loss, 3)}" in banner(reward_tab)


# --- tab 4: RLHF -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rlhf_tab(qapp):
    with shown_rlhf_tab(1600, 950) as widget:
        yield widget


def test_rlhf_walkthrough_runs_the_pipeline_and_back_restores_each_step(qtbot, rlhf_tab, sent):
    tab, c = rlhf_tab, rlhf_tab.controller
    rankings_at_start = c.link.feedback()       # tab 3's, which the lesson's fix step adds to
    qtbot.mouseClick(tab.policy.controls.walkthrough, QtCore.Qt.MouseButton.LeftButton)
    settle(qtbot, tab, 0, READY_MS)
    assert tab.stages.currentWidget() is tab.stage0 and "Stage 0, pre-training" in banner(tab)
    press(qtbot, tab, Key.Key_PageDown, 1)
    assert tab.stages.currentWidget() is tab.sft
    assert c.sft is not None and f"The loss falls to {num(c.sft.losses[-1], 3)}" in banner(tab)

    press(qtbot, tab, Key.Key_PageDown, 2)
    assert tab.sft.answers and all(a.prompt == "which city is the capital of italy ?" for a in tab.sft.answers)
    answers = tab.sft.answers
    press(qtbot, tab, Key.Key_PageDown, 3)
    assert tab.stages.currentWidget() is tab.policy and c.record is None

    phases = []
    for index in (4, 5, 6, 7):                                # Guess, Derivative, Reward, Update
        press(qtbot, tab, Key.Key_PageDown, index)
        phases.append(tab.policy.phase_strip.current_text())
        if index == 6:
            scored = c.record
    assert phases == ["1. Guess", "2. Derivative", "3. Reward", "4. Update"]
    update = c.record
    assert f"After update 1: mean Reward {num(c.series.reward[-1], 3)}" in banner(tab)

    commands = pressed(qtbot, tab, sent, Key.Key_PageUp, 6)   # back: the Reward phase again
    assert restored_from_a_checkpoint(commands), commands
    assert c.record.phase == "reward" and tab.policy.phase_strip.current_text() == "3. Reward"
    assert f"scores the first answer {num(c.record.rm_scores[0], 3)}" in banner(tab)
    press(qtbot, tab, Key.Key_PageDown, 7)                    # and forward: the same update
    assert c.record.phase == "update" and c.record.mean_reward == pytest.approx(update.mean_reward)

    press(qtbot, tab, Key.Key_PageDown, 8)
    assert c.series.update[-1] == 31
    trained = c.series
    assert tab.stages.currentWidget() is tab.results          # many updates: watched on plots
    qtbot.waitUntil(lambda: tab.results.plots.point_counts()["reward"] == 31, timeout=WORK_MS)
    press(qtbot, tab, Key.Key_PageDown, 9)                    # reward hacking: β = 0
    hacked = c.series
    assert c.settings["beta"] == 0.0 and hacked.update[-1] == 200
    first, last = slice(0, 10), slice(-10, None)              # per-update values are noisy
    assert mean(hacked.reward[last]) > mean(hacked.reward[first])          # learned: up
    assert mean(hacked.true_score[last]) < mean(hacked.true_score[first])  # true: down
    assert mean(hacked.kl[last]) > mean(trained.kl[-10:])
    assert "Reward hacking (β = 0)" in tab.policy.preset_caption.text()
    rankings_before_fix = c.link.feedback()
    press(qtbot, tab, Key.Key_PageDown, 10)                    # the fix: worse pairs, new RM
    assert c.link.feedback() is not rankings_before_fix
    assert len(c.link.feedback().comparisons) > len(rankings_before_fix.comparisons)
    press(qtbot, tab, Key.Key_PageDown, 11)
    assert c.settings["beta"] == pytest.approx(DEFAULTS["beta"]) and "β = 0.30" in banner(tab)

    commands = pressed(qtbot, tab, sent, Key.Key_PageUp, 10)
    assert restored_from_a_checkpoint(commands), commands
    assert c.settings["beta"] == 0.0
    commands = pressed(qtbot, tab, sent, Key.Key_PageUp, 9)   # before the fix: its rankings too
    assert restored_from_a_checkpoint(commands), commands
    assert c.link.feedback() is rankings_before_fix
    assert c.series.update[-1] == 200 and "Reward hacking" in tab.policy.preset_caption.text()
    commands = pressed(qtbot, tab, sent, Key.Key_PageUp, 8)
    assert restored_from_a_checkpoint(commands), commands
    assert c.series == trained and not tab.policy.preset_caption.isVisible()
    assert tab.sft.answers == answers

    # Started again after the fix, the lesson scores with the Reward model it started with.
    qtbot.mouseClick(tab.policy.controls.walkthrough, QtCore.Qt.MouseButton.LeftButton)
    settle(qtbot, tab, 0)
    for index in range(1, 7):
        press(qtbot, tab, Key.Key_PageDown, index)
    assert c.record.phase == "reward" and c.record.rm_scores == scored.rm_scores

    press(qtbot, tab, Key.Key_PageDown, 7)
    for index in (8, 9, 10):                                  # the fix again, then End
        press(qtbot, tab, Key.Key_PageDown, index)
    assert c.link.feedback() is not rankings_at_start
    tab.end_walkthrough()
    assert tab.walk is None and not tab.walk_bar.isVisible()
    # End gives back what the tabs held: tab 3's rankings, and tab 4's run (a fresh one here)
    assert c.link.feedback() is rankings_at_start
    assert "before the walkthrough" in tab.banner.label.text()
    qtbot.waitUntil(lambda: c.record is None and (c.series is None or not len(c.series.update))
                    and c.settled(), timeout=WORK_MS)
    qtbot.keyClick(tab, Key.Key_Right)                        # the keys step stage 3 again
    qtbot.waitUntil(lambda: c.record is not None and c.record.phase == "guess", timeout=WORK_MS)


def test_esc_in_the_main_window_leaves_the_reward_walkthrough(qtbot, fresh_window):
    window = fresh_window
    tab = window.reward_tab
    window.tabs.setCurrentWidget(tab)
    tab.start_walkthrough()
    settle(qtbot, tab, 0, READY_MS)
    press(qtbot, tab, Key.Key_PageDown, 1)
    qtbot.keyClick(tab, Key.Key_Escape)
    assert tab.walk is None and not tab.walk_bar.isVisible()
    assert not window.presenting
    tab.shutdown()


def test_a_lesson_starts_from_the_first_reward_model_even_after_a_fix():
    """The training process's side, without a window: start_lesson undoes a fix's Reward model
    and settings; checkpoints come back exactly."""
    from explainer.core.rlhf.settings import DEFAULTS
    from explainer.core.rlhf.training import training_triples
    from explainer.training.rlhf_service import RLHFService
    sent = []
    service = RLHFService(lambda kind, payload=None: sent.append((kind, payload)), 0)
    service.warm_up()
    first = service.session.pipeline
    service.checkpoint(0)
    feedback = rankings.default_feedback()
    service.session.ensure_pipeline(training_triples(feedback)[:20])   # what a fix does
    service.preset("hacking")
    assert service.session.pipeline is not first and service.session.settings["beta"] == 0.0
    service.start_lesson(0)
    assert service.session.pipeline is first and service.session.run.pipeline is first
    assert service.session.settings == DEFAULTS
    assert sent[-4:][0] == ("settings", DEFAULTS)                  # the controls follow
    service.step()
    service.step()
    service.checkpoint(1)                                            # between two phases
    derivative = service.session.run.current
    service.session.run.update()
    service.restore(1)
    assert service.session.run.current.cross_entropy == derivative.cross_entropy
    assert sent[-3][0] == "record" and sent[-3][1].phase == "derivative"
    service.sync(7)
    assert sent[-1] == ("synced", 7)


# --- what a walkthrough holds: its steps drive what is shown ----------------------------------------
def test_rlhf_walkthrough_routes_stage3_previous_next_and_holds_what_would_drift(qtbot, rlhf_tab):
    from explainer.ui.widgets.walkthrough_banner import WALK_NOTE
    tab, c = rlhf_tab, rlhf_tab.controller
    k, s = tab.policy.controls, tab.policy.controls.stepper
    held = k.walking_held() + [tab.sft.train_button, tab.sft.sample_button,
                               tab.sft.generate_button]
    to_front(qtbot, tab)
    tab.start_walkthrough()
    settle(qtbot, tab, 0, READY_MS)
    assert not k.walk_note.isHidden()
    for widget in held:
        assert not widget.isEnabled() and WALK_NOTE in widget.toolTip(), widget
    assert s.next.isEnabled() and "walkthrough's next step" in s.next.toolTip()
    assert tab.stages.currentWidget() is tab.stage0                # stage 0 first

    qtbot.mouseClick(s.next, QtCore.Qt.MouseButton.LeftButton)     # stage 3's Next steps it
    settle(qtbot, tab, 1)
    # The SFT step shows the loss curve and no answers (none are sampled behind its back).
    assert len(tab.sft.loss_curve.yData) == len(c.sft.losses) and tab.sft.answers == ()
    qtbot.mouseClick(s.next, QtCore.Qt.MouseButton.LeftButton)
    settle(qtbot, tab, 2)
    assert tab.sft.answers and tab.sft.answer_list.count() == 4
    for index in (3, 4):
        qtbot.mouseClick(s.next, QtCore.Qt.MouseButton.LeftButton)
        settle(qtbot, tab, index)
    assert c.record.phase == "guess" and tab.walk_index == 4
    qtbot.mouseClick(s.previous, QtCore.Qt.MouseButton.LeftButton)  # and Previous goes back
    settle(qtbot, tab, 3)
    assert c.record is None and tab.policy.phase_strip.episode_label.text() == "Not started"
    qtbot.mouseClick(s.play, QtCore.Qt.MouseButton.LeftButton)      # disabled: nothing happens
    assert not c.playing

    press(qtbot, tab, Key.Key_PageUp, 2)
    press(qtbot, tab, Key.Key_PageUp, 1)                           # back: the answers go
    assert tab.sft.answers == () and tab.sft.answer_list.count() == 0
    assert tab.stages.currentWidget() is tab.sft
    assert f"The loss falls to {num(c.sft.losses[-1], 3)}" in banner(tab)

    tab.end_walkthrough()
    assert k.walk_note.isHidden()
    for widget in held:
        if widget is not k.clip:                                   # ε: for PPO only
            assert widget.isEnabled() and WALK_NOTE not in widget.toolTip(), widget
    assert "Advance one phase" in s.next.toolTip()
    # End gave back the run the tab held (an earlier test may have left it mid-update)
    qtbot.waitUntil(c.settled, timeout=WORK_MS)
    qtbot.mouseClick(s.next, QtCore.Qt.MouseButton.LeftButton)     # Next steps stage 3 again
    qtbot.waitUntil(lambda: c.record is not None, timeout=WORK_MS)


def test_ending_the_rlhf_walkthrough_shows_the_run_it_gives_back_mid_update(qtbot, rlhf_tab):
    """End on stage 1 gave back a run stepped into its Derivative phase, but stage 3, hidden, said
    "Not started" until the lecturer stepped again. End now returns to the page the lecturer left
    and draws the run given back as it arrives."""
    tab, c = rlhf_tab, rlhf_tab.controller
    qtbot.waitUntil(lambda: c.is_ready and c.settled(), timeout=READY_MS)
    c.reset(0)
    tab.stages.setCurrentWidget(tab.policy)
    for phase in ("guess", "derivative"):
        c.next()
        qtbot.waitUntil(lambda: c.record is not None and c.record.phase == phase and c.settled(),
                        timeout=WORK_MS)
    to_front(qtbot, tab)
    tab.start_walkthrough()
    settle(qtbot, tab, 0, READY_MS)
    press(qtbot, tab, Key.Key_PageDown, 1)                          # the SFT step, on stage 1
    assert tab.stages.currentWidget() is tab.sft
    tab.end_walkthrough()
    assert tab.stages.currentWidget() is tab.policy
    strip = tab.policy.phase_strip
    qtbot.waitUntil(lambda: c.settled() and c.record is not None
                    and c.record.phase == "derivative", timeout=WORK_MS)
    qtbot.waitUntil(lambda: strip.current_text() == "2. Derivative", timeout=5000)
    assert strip.episode_label.text() == f"Update {c.record.update + 1}"


def test_rlhf_back_to_a_step_before_sft_shows_no_fine_tuning(qtbot, rlhf_tab, tmp_path):
    """A lecturer's lesson that fine-tunes later: Back to the step before SFT shows stage 1 as it
    was then (no loss curve, no report, no answers), not what later steps drew."""
    import json
    lesson = tmp_path / "later-sft.json"
    lesson.write_text(json.dumps({
        "format": "explainer-lesson", "version": 1, "lesson": "rlhf", "title": "SFT later",
        "steps": [{"caption": "Stage 1 before fine-tuning", "do": [
                      {"op": "stage", "args": {"stage": "sft"}}]},
                  {"caption": "SFT: loss {sft_loss}", "do": [{"op": "run_sft"}]},
                  {"caption": "Answers", "do": [{"op": "sample", "args": {
                      "prompt": "how long do i boil rice ?", "temperature": 0.7, "seed": 3}}]}]}))
    tab, c, sft = rlhf_tab, rlhf_tab.controller, rlhf_tab.sft
    to_front(qtbot, tab)
    tab.start_walkthrough(str(lesson))
    settle(qtbot, tab, 0, READY_MS)
    assert c.sft is None and not len(sft.loss_curve.yData or ()) and sft.answers == ()
    first_report = sft.report.value("seen")
    press(qtbot, tab, Key.Key_PageDown, 1)
    assert len(sft.loss_curve.yData) == len(c.sft.losses) > 0
    assert sft.report.value("seen") != first_report and "SFT: loss" in banner(tab)
    press(qtbot, tab, Key.Key_PageDown, 2)
    assert len(sft.answers) == 4 and sft.temperature.value() == pytest.approx(0.7)
    shown = sft.answers
    press(qtbot, tab, Key.Key_PageUp, 1)
    assert sft.answers == () and len(sft.loss_curve.yData) == len(c.sft.losses)
    assert sft.temperature.value() == pytest.approx(1.0)
    press(qtbot, tab, Key.Key_PageUp, 0)
    assert c.sft is None and c.sft_losses == [] and not len(sft.loss_curve.yData or ())
    assert sft.report.value("seen") == first_report == "—" and sft.answer_list.count() == 0
    assert sft.status.text() == ""
    press(qtbot, tab, Key.Key_PageDown, 1)
    press(qtbot, tab, Key.Key_PageDown, 2)
    assert sft.answers == shown                                     # the same answers again
    tab.end_walkthrough()


def test_reward_walkthrough_holds_training_and_the_rankings(qtbot, reward_tab):
    from explainer.ui.widgets.walkthrough_banner import WALK_NOTE
    tab, c, k = reward_tab, reward_tab.controller, reward_tab.controls
    to_front(qtbot, tab)
    tab.start_walkthrough()
    settle(qtbot, tab, 0, READY_MS)
    held = (k.train_button, k.pause_button, k.step_button, k.reset_button, k.lr_slider,
            k.optimizer, *tab._walk_held)
    for widget in held:
        assert not widget.isEnabled() and WALK_NOTE in widget.toolTip(), widget
    before = c.feedback
    assert not c.apply("set_held_out", "p01", True)                # an edit is refused, said so
    assert c.feedback is before and "end it (Esc or ✕ End)" in tab.banner.label.text()
    c.judge("first")
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert c.feedback is before
    shown_order = tab.order.current_order()                        # a drag is undone on screen
    tab.order.list.model().moveRow(QtCore.QModelIndex(), 0, QtCore.QModelIndex(), 3)
    tab.order._on_rows_moved()
    assert c.feedback is before and tab.order.current_order() == shown_order
    press(qtbot, tab, Key.Key_PageDown, 1)                        # the lesson's own steps work
    assert c.selected_pair == ("p01", "p01-c", "p01-b")
    tab.end_walkthrough()
    for widget in held:
        if widget is not k.pause_button:                          # Pause: only while training
            assert widget.isEnabled() and WALK_NOTE not in widget.toolTip(), widget
    assert c.apply("set_held_out", "p01", True) and c.prompt("p01").held_out
