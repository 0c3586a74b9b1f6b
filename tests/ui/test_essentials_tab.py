"""Lesson 1 driven through its real widgets."""
import pytest
from PySide6 import QtCore

from explainer.ui.essentials_tab.tab import EssentialsTab


@pytest.fixture
def tab(show):
    return show(EssentialsTab())


def test_worked_example_reaches_the_videos_055_and_045(qtbot, tab):
    qtbot.mouseClick(tab.worked, QtCore.Qt.MouseButton.LeftButton)
    for label in ("1. Guess", "2. Reward", "3. Update"):
        qtbot.keyClick(tab, QtCore.Qt.Key.Key_Right)
        assert tab.phase_strip.current_text() == label
    record = tab.run.current
    assert record.action == "norm" and record.outcome == "large"
    assert record.p_squatch_after == pytest.approx(0.45)
    text = " ".join(line for line, _ in tab.equations.lines())
    assert "0.450" in text and "0.550" in text and "0.10" in text
    assert "0.450" in tab.caption.text()
    assert tab.p_curve.yData[-1] == pytest.approx(0.45)


def test_learning_rate_slider_recomputes_the_shown_update(qtbot, tab):
    tab.worked_example()
    for _ in range(3):
        tab.next()
    tab.sliders["learning_rate"].slider.setValue(1.0)
    assert tab.run.current.p_squatch_after == 0.0      # 1 swings the policy all the way
    tab.sliders["learning_rate"].slider.setValue(0.0)
    assert tab.run.current.p_squatch_after == 0.5      # 0 changes nothing
    assert "0.500" in " ".join(line for line, _ in tab.equations.lines())


def test_back_restores_and_history_never_shows_the_future(qtbot, tab):
    for _ in range(6):
        tab.next()
    assert len(tab.p_curve.xData) == 2
    tab.previous()
    assert tab.run.current.phase == "reward" and len(tab.p_curve.xData) == 1


def test_the_picture_labels_every_part_of_the_story(qtbot, tab):
    """Agent, Policy, Environment, Reward and Learning rate are drawn as labelled frames."""
    from PySide6 import QtGui
    drawn = []
    real = tab.picture._frame
    tab.picture._frame = lambda p, rect, title, *a, **k: (drawn.append(title), real(p, rect, title, *a, **k))
    tab.picture._static = None
    tab.picture.grab()
    titles = " ".join(drawn)
    for word in ("Agent", "Policy", "Environment", "Reward", "Learning rate"):
        assert word in titles, word


def test_the_walkthrough_draws_the_history_its_captions_speak_of(qtbot, tab):
    tab.start_walkthrough()
    steps = tab.walk.steps
    settles = next(i for i, s in enumerate(steps) if s.caption.startswith("1,000 more visits"))
    for _ in range(settles):
        tab.next()
    assert tab.walk_index == settles
    done = tab.run.completed_at_cursor
    assert done >= 1000 and len(tab.p_curve.yData) == done          # every visit, drawn
    assert tab.p_curve.yData[-1] == pytest.approx(tab.run.p_history[done - 1])
    # the picture shows the newest visit, where the plot ends (not the first visit's 0.5 → 0.45)
    shown = tab.picture.record
    assert shown is tab.run.current and shown.episode == done - 1
    assert shown.p_squatch_after == tab.p_curve.yData[-1]
    tab.previous()                                                  # and back: the plot follows
    assert len(tab.p_curve.yData) == tab.run.completed_at_cursor < done
