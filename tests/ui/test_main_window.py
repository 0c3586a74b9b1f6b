"""The window as a lecturer meets it: tabs, the keys that work everywhere, zoom."""
import pytest
from PySide6 import QtCore, QtWidgets

from explainer.ui.theme.style import BASE_POINT_SIZE


@pytest.fixture
def window(fresh_window):
    """A first start: no tab restored from an earlier test's settings (tab 3 or 4 would start
    its training process)."""
    yield fresh_window
    fresh_window.zoom_reset()


def test_lessons_are_tabs_named_for_the_notes(window):
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names[:2] == ["1 · RL essentials", "2 · Policy gradients"]


def test_zoom_keys_scale_the_text(qtbot, window):
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Equal, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.zoom > 1.0
    assert QtWidgets.QApplication.font().pointSizeF() == pytest.approx(BASE_POINT_SIZE * window.zoom)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Minus, QtCore.Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Minus, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.zoom < 1.0


def test_f11_toggles_full_screen(qtbot, window):
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_ctrl_and_a_digit_go_to_that_tab_and_the_clicker_then_drives_it(qtbot, window):
    ctrl = QtCore.Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window, QtCore.Qt.Key.Key_2, ctrl)
    assert window.tabs.currentIndex() == 1
    tab = window.tabs.currentWidget()
    assert tab is window.policy_tab and tab.hasFocus()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageDown)
    assert tab.run.current.phase == "guess"
    qtbot.keyClick(window, QtCore.Qt.Key.Key_1, ctrl)
    assert window.tabs.currentIndex() == 0


def test_clicker_keys_reach_the_shown_lesson(qtbot, window):
    window.tabs.setCurrentIndex(1)
    tab = window.tabs.currentWidget()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageDown)
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageDown)
    assert tab.run.current.phase == "derivative"
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageUp)
    assert tab.run.current.phase == "guess"


def test_sidebar_controls_are_never_clipped_even_zoomed_in(qtbot, window):
    """The sidebar's width follows its controls: at a larger text size its labels and check boxes
    still show their whole text."""
    for _ in range(2):
        qtbot.keyClick(window, QtCore.Qt.Key.Key_Equal, QtCore.Qt.KeyboardModifier.ControlModifier)
    for index in (0, 1):
        window.tabs.setCurrentIndex(index)
        tab = window.tabs.currentWidget()
        if tab.drawer.mode == "closed":   # a narrow window: the controls are a drawer, opened
            tab.drawer.toggle()
        qtbot.waitUntil(lambda: tab.sidebar.widget().width() >= tab.sidebar.widget().minimumSizeHint().width())
        for box in tab.sidebar.findChildren(QtWidgets.QCheckBox):
            assert box.width() >= box.sizeHint().width(), box.text()
