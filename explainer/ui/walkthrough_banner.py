"""What every tab's guided walkthrough shows and hears: the caption banner and the clicker keys."""
from __future__ import annotations

import html

from PySide6 import QtCore, QtGui, QtWidgets

from .style import color

KEYS_HINT = "→ next, ← back, Esc ends"


class WalkthroughBanner(QtWidgets.QLabel):
    """The lesson's title, "step k of n", the keys, and the step's caption, in the accent colour."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent, wordWrap=True, objectName="walkthrough")
        self.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.setStyleSheet(f"background: {color('agent')}; color: white; padding: 8px;"
                           "border-radius: 6px; font-weight: bold;")
        self.hide()

    def show_step(self, title: str, index: int, count: int, caption: str, working: str = "") -> None:
        """Step `index` (0-based) of `count`; `working` says what the step is still computing."""
        text = (f"{html.escape(title, quote=False)} — step {index + 1} of {count} ({KEYS_HINT})"
                f"<br><span style='font-weight:normal'>{html.escape(caption, quote=False)}</span>")
        if working:
            text += f"<br><span style='font-style:italic'>{html.escape(working, quote=False)}</span>"
        self.setText(text)
        self.show()


def clicker_shortcuts(widget: QtWidgets.QWidget, slots: dict) -> list[QtGui.QShortcut]:
    """Shortcuts on `widget` and its children, key → slot. Presentation clickers send PageDown /
    PageUp; keyboards use the arrows and Space."""
    shortcuts = []
    for key, slot in slots.items():
        shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), widget)
        shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        shortcuts.append(shortcut)
    return shortcuts
