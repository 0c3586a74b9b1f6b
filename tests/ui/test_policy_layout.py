"""Lesson 2 in the main window at lecture size: the equations stay at body size or larger (the
size the app sets for reading from the back row), whole, in every phase."""
import pytest
from PySide6 import QtWidgets

from explainer.ui.theme.style import BASE_POINT_SIZE


@pytest.fixture
def tab(qtbot, fresh_window):
    """The policy tab in a main window of 1600 × 950 at the normal text size."""
    window = fresh_window
    window.showNormal()
    window.resize(1600, 950)
    window.findChild(QtWidgets.QTabWidget).setCurrentIndex(1)
    tab = window.policy_tab
    qtbot.waitUntil(lambda: tab.equations.width() > 0 and window.width() == 1600)
    return tab


def test_equations_read_at_body_size_in_every_phase_at_1600_by_950(qtbot, tab):
    seen = []
    for start in (tab.worked_example, lambda: None):   # the video's episodes, then random ones
        start()
        for _ in range(8):
            tab.next()
            qtbot.wait(1)
            view = tab.equations.view
            seen.append(tab.run.current.phase)
            assert view.point_size() >= BASE_POINT_SIZE, (tab.run.current.phase, view.point_size())
            assert view.width() <= tab.equations.width() and view.height() <= tab.equations.height()
    assert set(seen) == {"guess", "derivative", "reward", "update"}


def test_a_drag_never_grows_the_equations_type_and_the_next_phase_fits_afresh(tab):
    tab.next()
    tab.next()                                          # the Derivative phase: the chain rule
    view, sizes = tab.equations.view, []
    for bias in (-1.5, 0.5, 2.0, -7.25, 0.001, 3.0, -1.5, 0.5):
        tab.controls.sliders["bias"].slider.setValue(bias)
        sizes.append(view.point_size())
        assert view.width() <= tab.equations.width()    # whole, even when a number widens a line
    assert sizes == sorted(sizes, reverse=True)         # shrinks if it must, never regrows mid-drag
    tab.next()
    assert view.point_size() >= BASE_POINT_SIZE


def test_the_three_plots_share_the_row_evenly_in_every_theme(qtbot, tab):
    window = tab.window()
    try:
        for theme in ("dark", "high contrast", "light"):
            window.set_theme(theme)
            qtbot.wait(20)
            widths = [plot.width() for plot in tab.plots.values()]
            assert max(widths) - min(widths) <= 4, (theme, widths)
    finally:
        window.set_theme("light")
