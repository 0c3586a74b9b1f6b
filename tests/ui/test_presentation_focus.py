"""Presenting, the stage holds one panel at a time (the picture, the equations, the phase's plot):
first the one the phase is about, F for the next, each in type the back row reads: no text under
the presenting type scale's least size at 1280×720."""
from PySide6 import QtCore

from explainer.ui.widgets.type_scale import SMALLEST_PX


def _present(qtbot, window, tab, size=(1280, 720)):
    window.showFullScreen = lambda: window.resize(*size)   # the projector's screen
    window.tabs.setCurrentWidget(tab)
    window.enter_presentation()
    qtbot.waitUntil(lambda: tab.presenting)


def _painted(qtbot, view) -> float:
    view.grab()                                            # a paint measures its smallest text
    return view.smallest_text_px()


def _f(qtbot, tab) -> None:
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)
    qtbot.wait(50)


def test_f_cycles_the_policy_lessons_stage_through_one_panel_at_a_time(qtbot, fresh_window):
    window, tab = fresh_window, fresh_window.policy_tab
    window.tabs.setCurrentWidget(tab)
    for _ in range(2):
        tab.next()                                         # the worked example's Derivative
    tab.animation.stop()
    qtbot.wait(50)
    beside_equations = _painted(qtbot, tab.network)        # the window, not presenting
    _present(qtbot, window, tab)
    qtbot.wait(50)
    # the Derivative is the chain rule: the equations have the stage first
    assert tab.focus == "equations" and tab.equations.isVisible()
    assert not tab.network.isVisible() and not tab.plot_row.isVisible()
    assert not tab.choice_line.isVisible()                 # the draw is the Guess's
    _f(qtbot, tab)                                         # the phase's plot alone
    assert tab.loss_plot.isVisible() and not tab.history_plot.isVisible()
    assert not tab.network.isVisible() and not tab.equations.isVisible()
    assert tab.loss_plot.height() > 0.6 * tab.height()     # it has the stage, not a strip of it
    _f(qtbot, tab)                                         # the picture alone
    assert tab.focus == "picture" and tab.network.isVisible()
    alone = _painted(qtbot, tab.network)
    assert alone >= SMALLEST_PX and alone > 1.5 * beside_equations
    _f(qtbot, tab)                                         # round to the equations again
    assert tab.focus == "equations"
    tab.next()                                             # the Reward brings the picture
    tab.animation.stop()
    assert tab.run.current.phase == "reward"
    assert tab.focus == "picture" and tab.network.isVisible() and not tab.equations.isVisible()
    _f(qtbot, tab)                                         # F's choice holds within the phase
    tab.controller.set_param(learning_rate=0.5)
    assert tab.focus == "equations" and tab.equations.isVisible()

    window.leave_presentation()                            # leaving shows everything
    assert tab.focus == "all" and tab.history_plot.isVisible() and tab.equations.isVisible()
    assert tab.choice_line.isVisible()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)               # not presenting: F does nothing
    assert tab.focus == "all"


def test_the_draw_goes_with_the_guess_equations_that_compare_u_and_p(qtbot, fresh_window):
    window, tab = fresh_window, fresh_window.policy_tab
    _present(qtbot, window, tab)
    tab.next()                                             # Guess
    tab.animation.stop()
    assert tab.run.current.phase == "guess"
    assert tab.network.isVisible() and not tab.choice_line.isVisible()
    _f(qtbot, tab)
    assert tab.equations.isVisible() and tab.choice_line.isVisible()
    assert tab.choice_line.smallest_text_px() >= SMALLEST_PX
    window.leave_presentation()   # the application's font back to its size for the next tests


def test_f_on_the_essentials_lesson_gives_each_panel_the_stage(qtbot, fresh_window):
    window, tab = fresh_window, fresh_window.essentials_tab
    _present(qtbot, window, tab)
    tab.next()
    tab.animation.stop()
    qtbot.wait(50)
    assert not tab.equations.isVisible() and not tab.history.isVisible()
    assert _painted(qtbot, tab.picture) >= SMALLEST_PX
    _f(qtbot, tab)
    assert tab.equations.isVisible() and not tab.picture.isVisible()
    _f(qtbot, tab)
    assert tab.history.isVisible() and not tab.top.isVisible()
    assert tab.history.height() > 0.6 * tab.height()
    assert tab.history.smallest_text_px() >= SMALLEST_PX
    window.leave_presentation()


def test_presenting_text_is_large_enough_whatever_the_lecturers_text_size(qtbot, fresh_window):
    window, tab = fresh_window, fresh_window.policy_tab
    window.tabs.setCurrentWidget(tab)
    window.zoom_out()
    window.zoom_out()                                      # the lecturer works at 0.8
    assert window.zoom == 0.8
    tab.next()                                             # Guess: the picture on the stage
    tab.animation.stop()
    _present(qtbot, window, tab)
    qtbot.wait(50)
    assert window.zoom >= 1.15 and tab.network.isVisible()
    assert _painted(qtbot, tab.network) >= SMALLEST_PX
    window.leave_presentation()
    assert window.zoom == 0.8                              # the lecturer's own size back
