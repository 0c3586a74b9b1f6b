"""A theme change restyles the window and the tab shown at once and each other tab when it is
next shown (restyling every tab at once stalled the window): every tab shows the theme in force."""
import pytest
from PySide6 import QtGui, QtWidgets

from explainer.ui.theme import style

ROLE = QtGui.QPalette.ColorRole


def text_colours(page) -> set[str]:
    """The text colour of the page's labels that take it from the palette (no sheet of their own)."""
    return {label.palette().color(ROLE.WindowText).name()
            for label in page.findChildren(QtWidgets.QLabel) if not label.styleSheet()}


@pytest.mark.slow   # tabs 3 and 4 start their processes
def test_every_tab_shows_the_theme_in_force(qtbot, fresh_window):
    window = fresh_window
    window._build_every_tab()
    pages = [window.tabs.widget(i) for i in range(window.tabs.count())]
    for page in pages:   # each shown once, so each is polished
        window.tabs.setCurrentWidget(page)
        qtbot.wait(30)
    window.tabs.setCurrentWidget(pages[1])
    try:
        for theme in ("dark", "high contrast", "light"):
            window.set_theme(theme)
            assert text_colours(pages[1]) == {style.COLORS["text"]}
            assert window.menuBar().palette().color(ROLE.Window).name() == style.COLORS["panel"]
            for page in pages:
                window.tabs.setCurrentWidget(page)
                assert text_colours(page) == {style.COLORS["text"]}, (theme, page)
            window.tabs.setCurrentWidget(pages[1])
    finally:
        for tab in window._built.values():
            tab.shutdown()
        window.close()
