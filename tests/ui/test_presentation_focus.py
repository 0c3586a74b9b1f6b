"""Presenting, F puts one panel on the stage at a time (picture, equations, the phase's plot), and
alone a panel's type grows with the room it gets; F again brings all three back."""
from PySide6 import QtCore


def _present(qtbot, window, tab, size=(1280, 720)):
    window.showFullScreen = lambda: window.resize(*size)   # the projector's screen
    window.tabs.setCurrentWidget(tab)
    window.enter_presentation()
    qtbot.waitUntil(lambda: tab.presenting)


def _painted(qtbot, view) -> float:
    view.grab()                                            # a paint measures its smallest text
    return view.smallest_text_px()


def test_f_cycles_the_policy_lessons_stage_through_one_panel_at_a_time(qtbot, fresh_window):
    window, tab = fresh_window, fresh_window.policy_tab
    _present(qtbot, window, tab)
    for _ in range(2):
        tab.next()                                         # the worked example's Derivative
    tab.animation.stop()
    qtbot.wait(50)
    together = _painted(qtbot, tab.network)
    assert tab.network.isVisible() and tab.equations.isVisible() and tab.loss_plot.isVisible()

    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)               # the picture alone
    qtbot.wait(50)
    assert tab.focus == "picture" and tab.network.isVisible()
    assert not tab.equations.isVisible() and not tab.loss_plot.isVisible()
    alone = _painted(qtbot, tab.network)
    assert alone > 1.5 * together                           # its labels grow with the stage

    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)               # the equations alone
    assert tab.equations.isVisible() and not tab.network.isVisible()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)               # the phase's plot alone
    assert tab.loss_plot.isVisible() and not tab.history_plot.isVisible()
    assert not tab.network.isVisible() and not tab.equations.isVisible()
    tab.next()                                             # a new phase keeps the focus
    assert tab.focus == "plot" and not tab.network.isVisible()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)               # all three again
    assert tab.focus == "all" and tab.network.isVisible() and tab.equations.isVisible()

    window.leave_presentation()                            # leaving shows everything
    assert tab.focus == "all" and tab.history_plot.isVisible()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)               # not presenting: F does nothing
    assert tab.focus == "all"


def test_f_on_the_essentials_lesson_puts_the_picture_alone(qtbot, fresh_window):
    window, tab = fresh_window, fresh_window.essentials_tab
    _present(qtbot, window, tab)
    tab.next()
    tab.animation.stop()
    qtbot.wait(50)
    together = _painted(qtbot, tab.picture)
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)
    qtbot.wait(50)
    assert not tab.equations.isVisible() and not tab.history.isVisible()
    assert _painted(qtbot, tab.picture) > 1.3 * together
