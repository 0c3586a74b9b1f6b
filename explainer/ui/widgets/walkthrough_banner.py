"""What every tab's guided walkthrough shows and hears: the caption banner and the clicker keys."""
from __future__ import annotations

import html

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme.style import color

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


class WalkthroughBar(QtWidgets.QWidget):
    """The shared caption banner, with Back / Next / End buttons (Next waits while a step works)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None,
                 end_tip: str = "Leave the walkthrough (Esc); the tab stays as it is") -> None:
        super().__init__(parent)
        self.banner = WalkthroughBanner()
        self.back_button = _button("◀ Back", "The walkthrough's previous step (PageUp, ←)")
        self.next_button = _button("Next ▶", "The walkthrough's next step (PageDown, →); waits "
                                   "while a step is still computing")
        self.end_button = _button("✕ End", end_tip)
        buttons = QtWidgets.QVBoxLayout()
        for button in (self.next_button, self.back_button, self.end_button):
            buttons.addWidget(button)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner, 1)
        layout.addLayout(buttons)
        self.hide()

    def show_step(self, *args, **kwargs) -> None:
        self.banner.show_step(*args, **kwargs)
        self.show()

    def text(self) -> str:
        return self.banner.text()

    def set_busy(self, busy: bool) -> None:
        self.next_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)


def _button(text: str, tip: str) -> QtWidgets.QPushButton:
    button = QtWidgets.QPushButton(text)
    button.setToolTip(tip)
    button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)   # the clicker keys stay with the tab
    return button


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


WALKTHROUGH = "walkthrough"
WALK_NOTE = ("Not during a guided walkthrough: its steps drive what is shown here. End it (Esc or "
             "✕ End) to use this.")


def hold(widget: QtWidgets.QWidget, reason: str, on: bool) -> None:
    """Disable `widget` while any reason holds it (training, a busy process, a walkthrough); a
    walkthrough also says so in its tooltip. Each reason is set and cleared on its own, so one
    ending never re-enables a widget another still holds."""
    reasons = set(widget.property("held_by") or ())
    if widget.property("own_tip") is None:
        widget.setProperty("own_tip", widget.toolTip())
    reasons = reasons | {reason} if on else reasons - {reason}
    widget.setProperty("held_by", sorted(reasons))
    widget.setEnabled(not reasons)
    own = widget.property("own_tip")
    widget.setToolTip(f"{own}\n{WALK_NOTE}" if WALKTHROUGH in reasons and own else
                      WALK_NOTE if WALKTHROUGH in reasons else own)
