"""The window's lessons in a viewport that scrolls only when they need more room than the screen has.

Every panel keeps the least size it is readable at, and that least size grows with the text:
at 1.5× on a 720-px projector the lessons need ~880 px. Without a viewport the window itself
grew past the screen's edge, and whatever was below it could not be reached at all. Here the
window keeps the screen's size and the lesson scrolls; while it fits (the usual text sizes on
every projector, `tests/ui/test_zoom_fit.py`) no scroll bar shows and nothing changes.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class ScreenFitArea(QtWidgets.QScrollArea):
    def __init__(self, content: QtWidgets.QWidget) -> None:
        super().__init__()
        self.setWidget(content)
        self.setWidgetResizable(True)   # the lessons fill the window whenever it is large enough
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        # Never focused: the clicker's PageDown and the arrows stay with the lesson, not the scroll.
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)

    def needs_scrolling(self, room: QtCore.QSize | None = None) -> bool:
        """Whether the lessons need more room than the window gives them (or than `room`)."""
        least = self.widget().minimumSizeHint().expandedTo(self.widget().minimumSize())
        room = self.maximumViewportSize() if room is None else room
        return least.width() > room.width() or least.height() > room.height()
