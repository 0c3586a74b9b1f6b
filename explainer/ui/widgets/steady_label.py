"""A label as wide as a template text in its current font, or its own text if that is wider: a
count or a number that changes while training then never re-lays out (or widens) the window."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class SteadyLabel(QtWidgets.QLabel):
    def __init__(self, text: str, template: str) -> None:
        super().__init__(text)
        self.template = template

    def _width(self, width: int) -> int:
        margins = self.contentsMargins()
        room = self.fontMetrics().horizontalAdvance(self.template) + margins.left() + margins.right()
        return max(width, room)

    def sizeHint(self) -> QtCore.QSize:
        hint = super().sizeHint()
        return QtCore.QSize(self._width(hint.width()), hint.height())

    def minimumSizeHint(self) -> QtCore.QSize:
        hint = super().minimumSizeHint()
        return QtCore.QSize(self._width(hint.width()), hint.height())
