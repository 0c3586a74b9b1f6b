"""The pieces that keep text whole when the screen is short of room: page tabs that take short
titles instead of scroll arrows, equations that hold their least width, and a window whose
messages float over the lesson instead of pushing it down."""
from PySide6 import QtCore, QtWidgets

from explainer.ui.widgets.fitted_math import FittedMath
from explainer.ui.widgets.fitting_tab_bar import FittingTabBar
from explainer.ui.widgets.math_view import MathView
from tests.ui.fit_support import cut_off_texts

FULL = ("Stage 0 · Pre-training", "Stage 1 · SFT", "Stage 3 · Policy optimisation", "Results")
SHORT = ("0 · Pre-training", "1 · SFT", "3 · Policy", "Results")


def _tabs(qtbot, width):
    tabs = QtWidgets.QTabWidget()
    tabs.setTabBar(FittingTabBar())
    for title in FULL:
        tabs.addTab(QtWidgets.QLabel("page"), title)
    tabs.tabBar().set_short_titles(SHORT, tabs)
    qtbot.addWidget(tabs)
    tabs.resize(width, 200)
    tabs.show()
    qtbot.waitExposed(tabs)
    return tabs


def _titles(tabs):
    return tuple(tabs.tabText(i) for i in range(tabs.count()))


def test_page_tabs_take_short_titles_when_the_full_ones_do_not_fit_and_never_scroll(qtbot):
    wide = _tabs(qtbot, 1600)
    full_width = sum(wide.tabBar().tabSizeHint(i).width() for i in range(wide.count()))
    assert _titles(wide) == FULL and not wide.tabBar().compact
    narrow = _tabs(qtbot, full_width - 40)
    assert _titles(narrow) == SHORT and narrow.tabBar().compact
    assert narrow.tabBar().tabToolTip(2) == FULL[2]   # the full title, a hover away
    assert cut_off_texts(narrow) == []   # every tab whole: no scroll arrows over the last
    narrow.resize(full_width + 10, 200)   # room again: the full titles come back
    qtbot.waitUntil(lambda: _titles(narrow) == FULL)


def test_short_of_even_the_short_titles_the_row_holds_its_parent_wide(qtbot):
    tabs = _tabs(qtbot, 100)
    bar = tabs.tabBar()
    least = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
    assert _titles(tabs) == SHORT and bar.minimumSizeHint().width() == least
    assert tabs.minimumSizeHint().width() >= least   # a window's viewport scrolls to it


def test_a_larger_font_switches_to_short_titles_without_a_resize(qtbot):
    tabs = _tabs(qtbot, 1600)
    full_width = sum(tabs.tabBar().tabSizeHint(i).width() for i in range(tabs.count()))
    tabs.resize(full_width + 20, 200)
    qtbot.waitUntil(lambda: _titles(tabs) == FULL)
    font = tabs.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)   # Ctrl+= twice
    tabs.setFont(font)
    qtbot.waitUntil(lambda: _titles(tabs) == SHORT)


def test_an_equation_is_never_laid_out_narrower_than_its_lines_at_the_least_type_size(qtbot):
    holder = QtWidgets.QWidget()
    row = QtWidgets.QHBoxLayout(holder)
    filler = QtWidgets.QLabel("the rest of the tab")
    filler.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Preferred)
    math = FittedMath()
    row.addWidget(filler, 3)
    row.addWidget(math, 1)
    math.set_lines([(r"\text{Loss} = -1 \times \log\left(\sigma\left(1.234 - \left(-0.456\right)"
                     r"\right)\right) = 0.170", False)])
    qtbot.addWidget(holder)
    holder.resize(300, 200)   # far too narrow: the row holds its least width instead
    holder.show()
    qtbot.waitExposed(holder)
    qtbot.waitUntil(lambda: math.width() >= math.minimumSizeHint().width())
    view = math.findChild(MathView)
    # at (or a half point over, the least width's 5 % slack) the least type size, and whole
    assert math._floor(view.point_size()) <= view.point_size() <= math._floor(view.point_size()) + 0.5
    assert view.sizeHint().width() + 8 <= math.width()
    assert cut_off_texts(holder) == []


def test_a_message_floats_over_the_lesson_and_takes_no_room(qtbot, fresh_window):
    window = fresh_window
    window.resize(1280, 688)
    qtbot.wait(30)
    before = window.tabs.geometry()
    window.show_message("Saved the session to lecture-3.explainer.json.")
    qtbot.wait(30)
    assert window.banner.isVisible() and window.tabs.geometry() == before
    banner = window.banner.geometry()
    assert banner.bottom() == window.centralWidget().geometry().bottom()   # along the bottom edge
    assert banner.height() >= window.banner.heightForWidth(banner.width())   # the whole text
    window.resize(1024, 736)   # it follows the window
    qtbot.waitUntil(lambda: window.banner.geometry().width() == window.centralWidget().width())
    window.close()
