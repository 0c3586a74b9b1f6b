"""Lesson 2 driven through its real widgets (offscreen)."""
import math

import pytest
from PySide6 import QtCore

from explainer.ui.widgets.format import num
from explainer.ui.policy_tab.tab import PolicyTab


@pytest.fixture
def tab(show):
    return show(PolicyTab())


def shown_math(tab) -> str:
    return " ".join(line for line, _ in tab.equations.lines())


def press(qtbot, tab, key):
    qtbot.keyClick(tab, key)


def test_a_fresh_tab_opens_on_the_videos_worked_example_where_the_derivative_is_large(tab):
    assert tab.run.current is None and tab.run.episodes_done == 2
    assert "worked example" in tab.message.text()
    for _ in range(2):
        tab.next()
    derivative = tab.run.current
    assert derivative.phase == "derivative" and derivative.x == 0.0
    assert derivative.p_a == 0.5                 # σ(20 × 0 + 0): the steepest point of the sigmoid


def test_four_next_presses_walk_the_four_phases_with_the_records_numbers(qtbot, tab):
    tab.worked_example()
    expected = ["1. Guess", "2. Derivative", "3. Reward", "4. Update"]
    for label in expected:
        qtbot.mouseClick(tab.controls.stepper.next, QtCore.Qt.MouseButton.LeftButton)
        assert tab.phase_strip.current_text() == label
    record = tab.run.current
    assert record.phase == "update" and record.bias_after == pytest.approx(-0.5)
    text = shown_math(tab)
    assert "-0.500" in text and "0.500" in text          # new bias and step size
    assert num(record.bias_after) in tab.caption.text()
    assert tab.network.record is record
    assert tab.history_plot.bias.getData()[1][-1] == pytest.approx(-0.5)


def test_derivative_phase_shows_the_chain_rule_terms(qtbot, tab):
    tab.worked_example()
    tab.next()
    tab.next()
    text = shown_math(tab)
    assert r"\dfrac{\partial" in text                     # typeset fractions, not ASCII
    for value in ("2.000", "0.250", "0.500", "0.693"):
        assert value in text, value
    xs, ys = tab.loss_plot.tangent.getData()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(0.5)


def test_negative_reward_flip_is_shown(qtbot, tab):
    tab.worked_example()
    for _ in range(7):
        tab.next()
    record = tab.run.current
    assert record.phase == "reward" and record.reward == -1.0
    assert "flips" in tab.caption.text()
    assert "flips the sign" in shown_math(tab)
    assert num(record.updated_dloss_db) in shown_math(tab)


def test_keys_step_forward_and_back_and_back_restores(qtbot, tab):
    tab.setFocus()
    for key in (QtCore.Qt.Key.Key_Right, QtCore.Qt.Key.Key_Space, QtCore.Qt.Key.Key_PageDown):
        press(qtbot, tab, key)
    assert tab.run.current.phase == "reward"
    third = tab.run.current
    press(qtbot, tab, QtCore.Qt.Key.Key_Left)
    assert tab.run.current.phase == "derivative"
    press(qtbot, tab, QtCore.Qt.Key.Key_PageUp)
    assert tab.run.current.phase == "guess"
    assert tab.phase_strip.current_text() == "1. Guess"
    press(qtbot, tab, QtCore.Qt.Key.Key_Right)
    press(qtbot, tab, QtCore.Qt.Key.Key_Right)
    assert tab.run.current is third
    press(qtbot, tab, QtCore.Qt.Key.Key_R)
    assert tab.run.current is None


def test_play_key_toggles_playing(qtbot, tab):
    tab.setFocus()
    press(qtbot, tab, QtCore.Qt.Key.Key_P)
    assert tab.controller.playing
    tab.controller.set_speed(50)
    qtbot.waitUntil(lambda: tab.run.episodes_done >= 2, timeout=5000)
    press(qtbot, tab, QtCore.Qt.Key.Key_P)
    assert not tab.controller.playing


def test_sliders_change_the_shown_numbers_live(qtbot, tab):
    tab.worked_example()
    for _ in range(4):
        tab.next()
    tab.controls.sliders["learning_rate"].slider.setValue(0.5)
    record = tab.run.current
    assert record.learning_rate == 0.5 and record.step_size == pytest.approx(0.25)
    assert "0.250" in shown_math(tab) and "0.50" in shown_math(tab)
    tab.controls.sliders["bias"].slider.setValue(-2.0)
    record = tab.run.current
    assert record.bias_before == -2.0
    assert tab.network.record is record
    assert tab.policy_plot.marker.getData()[0][0] == record.x
    tab.controls.sliders["hunger"].slider.setValue(0.9)
    assert tab.run.current.x == pytest.approx(0.9) and tab.run.hunger == pytest.approx(0.9)
    assert not tab.controls.random_hunger.isChecked()


def test_extreme_sliders_never_show_nan_or_inf(qtbot, tab):
    tab.next()
    tab.next()
    for key, value in (("bias", 20.0), ("weight", 40.0), ("hunger", 1.0), ("learning_rate", 5.0),
                       ("bias", -20.0), ("weight", -40.0), ("reward_misfit", -5.0)):
        tab.controls.sliders[key].slider.setValue(value)
        tab.next()
        text = shown_math(tab) + tab.caption.text()
        assert "nan" not in text.lower() and "inf" not in text.lower()
    tab.controller.run_episodes(2000)
    qtbot.waitUntil(lambda: not tab.controller.busy, timeout=10000)
    assert all(math.isfinite(b) for b in tab.run.trace.array("bias"))


def test_run_episodes_in_the_background_with_progress(qtbot, tab):
    before = tab.run.episodes_done     # the worked example's two episodes a fresh tab holds
    with qtbot.waitSignal(tab.controller.busy_changed, timeout=2000) as started:
        tab.controls.stepper.episodes.setCurrentIndex(4)  # 100,000
        qtbot.mouseClick(tab.controls.stepper.run, QtCore.Qt.MouseButton.LeftButton)
    assert started.args == [True]
    assert not tab.controls.stepper.next.isEnabled()      # no stepping while the worker runs
    tab.next()                                             # a click now changes nothing
    qtbot.waitUntil(lambda: not tab.controller.busy, timeout=20000)
    assert tab.run.episodes_done == before + 100_000
    assert len(tab.history_plot.bias.xData) == before + 100_000
    assert tab.controls.stepper.next.isEnabled()
    # the panels show the newest episode, where the history plot ends, not the one before the run
    shown = tab.network.record
    assert shown is tab.run.current and shown.episode == before + 99_999
    assert shown.phase == "update"
    assert shown.bias_after == tab.history_plot.bias.yData[-1]


def test_presenting_while_a_batch_runs_leaves_the_history_to_the_batchs_end(qtbot, tab):
    """The worker thread writes the trace: re-rendering mid-batch (F5, a theme change) must not
    read it half-written, whose columns then disagree in length (a crash the monkey test found)."""
    read = []
    tab._on_trace_changed, real = (lambda: read.append(tab.run.episodes_done)), tab._on_trace_changed
    try:
        with qtbot.waitSignal(tab.controller.busy_changed, timeout=2000):
            tab.controller.run_episodes(200_000)
        tab.set_presentation(True)
        tab.set_presentation(False)
        assert read == []                               # nothing read while the batch writes
        qtbot.waitUntil(lambda: not tab.controller.busy, timeout=30000)
        assert read and read[-1] == tab.run.episodes_done   # the batch's end shows it whole
    finally:
        tab._on_trace_changed = real
    tab._show_trace()
    assert len(tab.history_plot.bias.xData) == tab.run.completed_at_cursor


def test_bad_value_is_explained_and_changes_nothing(qtbot, tab):
    tab.next()
    before = tab.run.current
    assert not tab.controller.set_param(learning_rate=float("nan"))
    assert "learning rate" in tab.message.text()
    assert tab.run.current is before


def test_scenario_from_resources_applies(qtbot, tab):
    tab.controls.scenario.setCurrentIndex(1)
    tab.controls.scenario.activated.emit(1)
    env = tab.run.environment
    scenario = tab.scenarios[1]
    assert env == scenario.environment
    assert tab.message.text() == scenario.description


def test_next_during_animation_finishes_it_and_advances(qtbot, tab):
    tab.next()
    assert tab.animation.state() == tab.animation.State.Running
    tab.next()
    assert tab.run.current.phase == "derivative"


def test_guided_walkthrough_steps_captions_forward_and_back(qtbot, tab):
    tab.run.episode(x=0.3)                      # the lecturer's own work, before the walkthrough
    mine = tab.run
    kept = (mine.episodes_done, mine.cursor, mine.bias)
    qtbot.mouseClick(tab.controls.walkthrough, QtCore.Qt.MouseButton.LeftButton)
    assert tab.walk is not None and "step 1 of" in tab.walk_banner.text()
    for _ in range(4):
        qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageDown)
    assert "step 5 of" in tab.walk_banner.text()
    assert tab.run.current.phase == "update" and tab.run.current.bias_after == pytest.approx(-0.5)
    assert "-0.500" in shown_math(tab)
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageUp)
    assert tab.run.current.phase == "reward" and "step 4 of" in tab.walk_banner.text()
    qtbot.mouseClick(tab.walk_banner.next_button, QtCore.Qt.MouseButton.LeftButton)
    assert "step 5 of" in tab.walk_banner.text()               # the banner's own buttons
    qtbot.mouseClick(tab.walk_banner.back_button, QtCore.Qt.MouseButton.LeftButton)
    assert "step 4 of" in tab.walk_banner.text()
    assert tab.session_state()["log"] == mine.log               # a save keeps the lecturer's run
    qtbot.mouseClick(tab.walk_banner.end_button, QtCore.Qt.MouseButton.LeftButton)
    assert tab.walk is None and not tab.walk_banner.isVisible()
    # End gives the tab back the run it held, untouched, and shows it
    assert tab.run is mine and (mine.episodes_done, mine.cursor, mine.bias) == kept
    assert tab.network.record is mine.current
    tab.next()
    assert tab.run is mine and tab.run.current.episode == kept[0]   # plain stepping, on it


def test_the_walkthrough_overview_lists_every_step_and_jumps_to_any(qtbot, tab):
    tab.start_walkthrough()
    menu = tab.walk_banner.steps_menu
    entries = menu.actions()
    assert len(entries) == len(tab.walk.steps)
    assert entries[0].text().startswith("1. ") and entries[0].isChecked()
    entries[4].trigger()                     # the Update of the first episode, from step 1
    assert tab.walk_index == 4 and "step 5 of" in tab.walk_banner.text()
    assert tab.run.current.phase == "update" and tab.run.current.bias_after == pytest.approx(-0.5)
    assert entries[4].isChecked() and not entries[0].isChecked()
    entries[1].trigger()                     # and back
    assert tab.walk_index == 1 and "step 2 of" in tab.walk_banner.text()
    assert tab.run.current.phase == "guess"
    tab.end_walkthrough()


def test_a_bad_lesson_file_is_explained(qtbot, tab, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    tab.start_walkthrough(str(bad))
    assert tab.walk is None and "not valid JSON" in tab.message.text()


def test_history_follows_a_bias_slider_move_on_the_update_phase(qtbot, tab):
    """The history plot redraws only when its numbers change; moving the bias on the shown
    Update changes that episode's new bias, so the history must follow."""
    tab.worked_example()
    for _ in range(4):
        tab.next()
    assert tab.history_plot.bias.getData()[1][-1] == pytest.approx(-0.5)
    tab.controls.sliders["bias"].slider.setValue(1.0)
    record = tab.run.current
    assert record.phase == "update" and record.bias_before == pytest.approx(1.0)
    assert tab.history_plot.bias.getData()[1][-1] == pytest.approx(record.bias_after)
    assert record.bias_after != pytest.approx(-0.5)


def test_loss_axis_grows_during_a_drag_and_fits_again_on_the_next_phase(qtbot, tab):
    tab.worked_example()
    tab.next()
    tab.next()
    tab.controls.random_hunger.setChecked(False)   # hunger is then the slider's
    axis = lambda: tab.loss_plot.viewRange()[1][1]  # noqa: E731
    fitted = axis()
    curve_top = lambda: max(tab.loss_plot.curve.getData()[1])  # noqa: E731
    assert curve_top() <= fitted
    tops = []
    for hunger in (0.9, 0.1, 0.9, 0.5):
        tab.controls.sliders["hunger"].slider.setValue(hunger)
        assert curve_top() <= axis()
        tops.append(axis())
    assert tops == sorted(tops)                     # never shrinks while the record is dragged
    tab.next()                                       # the Reward phase: fitted to its own curve
    assert curve_top() <= axis() <= max(2.5 * curve_top(), 1.0)


def test_what_would_change_the_run_waits_while_a_batch_writes_it(qtbot, tab):
    """The worked example, a scenario or a walkthrough changed the run from the window while the
    worker thread fast-forwarded it: a race that left the history half-written (BufferError)."""
    tab.controller.run_episodes(100_000)
    assert tab.controller.busy
    run = tab.run
    tab.worked_example()
    assert "waits until they end" in tab.message.text()
    tab.start_walkthrough()
    assert tab.walk is None
    tab._on_scenario_chosen(0)
    qtbot.waitUntil(lambda: not tab.controller.busy, timeout=20000)
    assert tab.run is run and run.episodes_done == 2 + 100_000     # only the batch wrote it
    assert len(run.trace.array("bias")) == len(run.trace.running_mean_reward()) == run.episodes_done
    tab.worked_example()                                             # and afterwards it works
    assert tab.run.episodes_done == 2 and "worked example" in tab.message.text()
