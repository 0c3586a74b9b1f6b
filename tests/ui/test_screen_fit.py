"""The lecture hall's screens: at every projector and desktop size, presenting or not, the window
fits the screen, the lessons fit the window without scrolling, and no label, button, tab or
equation has its text cut off; presenting, no text on the stage is under the presenting type
scale's least size and the body is at its body size. Every other text size: test_zoom_fit.py."""
import pytest
from PySide6 import QtWidgets

from explainer.gallery_shots import TITLE_BAR
from explainer.ui.stepped.lesson_tab import STAGE
from explainer.ui.widgets.type_scale import BODY_PX, SMALLEST_PX, font_px, pt_to_px
from tests.ui.fit_support import cut_off_texts, small_texts

SCREENS = ((1024, 768), (1280, 720), (1280, 800), (1600, 950), (1920, 1080))
PROJECTORS = ((1024, 768), (1280, 720), (1280, 800), (1920, 1080))
STEPPED = ("essentials_tab", "policy_tab")
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
    if window.fit_area.needs_scrolling():   # the window fits, but the lesson would scroll in it
        found.append(f"the lessons need {window.tabs.minimumSizeHint().toTuple()} on a {size} screen")
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


def _stage(tab):
    """A stepped lesson at each phase of its first episode, each panel on the stage in turn."""
    yield "not started"
    for step in range(len(tab.run.phases) + 1):
        if step:
            tab.controller.next()
            tab.finish_animation()
        for _ in STAGE:   # the picture, the equations, the plot, each alone
            yield f"{tab.run.current.phase if tab.run.current else 'not started'}, {tab.focus}"
            tab.cycle_focus()


def _body_too_small(tab) -> list[str]:
    found = []
    if tab.caption.isVisible() and font_px(tab.caption.font()) < BODY_PX:
        found.append(f"caption at {font_px(tab.caption.font()):.1f} px")
    body = pt_to_px(tab.equations.view.point_size())
    if tab.equations.isVisible() and body < BODY_PX:
        found.append(f"equations at {body:.1f} px")
    return found


def _too_small(qtbot, window, names) -> list[str]:
    found = []
    for name in names:
        tab = getattr(window, name)
        window.tabs.setCurrentWidget(tab)
        views = _stage(tab) if name in STEPPED else ["shown"]
        for view in views:
            _settle(qtbot, window)
            found += [f"{name} {view}: {p}" for p in small_texts(tab, SMALLEST_PX)]
            if name in STEPPED:
                found += [f"{name} {view}: {p}" for p in cut_off_texts(tab) + _body_too_small(tab)]
    return found


TAB_SETS = [pytest.param(STEPPED, size, id=f"tabs-1-2-{size[0]}x{size[1]}") for size in PROJECTORS]
TAB_SETS += [pytest.param(("reward_tab",), (1280, 720), id="reward_tab-1280x720"),
             pytest.param(("rlhf_tab",), (1280, 720), id="rlhf_tab-1280x720")]


@pytest.mark.parametrize("tabs, size", TAB_SETS)
def test_presenting_no_text_is_under_the_least_size(qtbot, fresh_window, tabs, size):
    """Every phase and every panel of the stage, at a projector's size: text at 20 px or more,
    captions and equations at 24 or more, nothing cut off."""
    window = fresh_window
    window.showFullScreen = lambda: window.resize(*size)
    window.enter_presentation()
    assert _too_small(qtbot, window, tabs) == []
    window.leave_presentation()
    window.close()
