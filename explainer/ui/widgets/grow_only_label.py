"""A word-wrapped label that grows to fit longer text but does not shrink back (until the font
changes): text that changes while work runs does not move every panel below it."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class GrowOnlyLabel(QtWidgets.QLabel):
    """A word-wrapped caption that grows to fit longer text but does not shrink back (until the
    font changes): the next phase's shorter sentence does not move every panel below it up."""

    def __init__(self) -> None:
        super().__init__(wordWrap=True)
        self._reserve()

    def setText(self, text: str) -> None:
        super().setText(text)
        needed = self.heightForWidth(self.width()) if self.width() > 0 else 0
        if needed > self.minimumHeight():
            self.setMinimumHeight(needed)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._reserve()

    def _reserve(self) -> None:
        """Two lines (and the padding) from the start."""
        self.setMinimumHeight(2 * self.fontMetrics().lineSpacing() + 12)
