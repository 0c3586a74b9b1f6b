"""The lecture hall's screens: at every projector and desktop size, presenting or not, the window
fits the screen and no label, button, tab or equation has its text cut off."""
import pytest
from PySide6 import QtWidgets

from explainer.gallery_shots import TITLE_BAR
from tests.ui.fit_support import cut_off_texts

SCREENS = ((1024, 768), (1280, 720), (1280, 800), (1600, 950), (1920, 1080))
pytestmark = pytest.mark.slow


def _settle(qtbot, window):
    for _ in range(3):
        QtWidgets.QApplication.processEvents()
    qtbot.wait(30)


def _stepped_tabs(window):
    """Tabs 1 and 2 at each phase of their first episode, the worked example's numbers on screen."""
    for tab in (window.essentials_tab, window.policy_tab):
        window.tabs.setCurrentWidget(tab)
        yield tab, "not started"
        for _ in range(len(tab.run.phases)):
            tab.controller.next()
            tab.animation.stop()
            tab._set_progress(1.0)
            yield tab, tab.run.current.phase


def _problems(qtbot, window, size):
    found = []
    width, height = size
    for tab, phase in _stepped_tabs(window):
        _settle(qtbot, window)
        found += [f"{tab.lesson} {phase}: {p}" for p in cut_off_texts(tab)]
    for tab in (window.reward_tab, window.rlhf_tab):
        window.tabs.setCurrentWidget(tab)
        _settle(qtbot, window)
        found += [f"{type(tab).__name__}: {p}" for p in cut_off_texts(tab)]
    hint = window.minimumSizeHint().expandedTo(window.minimumSize())
    if hint.width() > width or hint.height() > height - TITLE_BAR:
        found.append(f"window needs {hint.toTuple()} on a {size} screen")
    return found


@pytest.mark.parametrize("size", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_every_tab_fits_the_screen_and_shows_its_text_whole(qtbot, fresh_window, size):
    window = fresh_window
    window.resize(size[0], size[1] - TITLE_BAR)
    assert _problems(qtbot, window, size) == []
    window.close()


@pytest.mark.parametrize("size", SCREENS[:3], ids=[f"{w}x{h}" for w, h in SCREENS[:3]])
def test_presenting_on_a_projector_fits_and_shows_its_text_whole(qtbot, fresh_window, size):
    window = fresh_window
    # full screen on the projector (the test platform's own screen has another size)
    window.showFullScreen = lambda: window.resize(*size)
    window.enter_presentation()
    assert _problems(qtbot, window, (size[0], size[1] + TITLE_BAR)) == []
    window.leave_presentation()
    window.close()
