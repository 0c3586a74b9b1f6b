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


STEP_TITLE_CHARS = 70   # a step's entry in the overview: its caption's first sentence, cut here


def step_title(index: int, caption: str) -> str:
    """"3. Train the Reward model…": the overview's name for a step (as a menu's plain text)."""
    first = caption.strip().split(". ")[0].split("\n")[0]
    if len(first) > STEP_TITLE_CHARS:
        first = first[:STEP_TITLE_CHARS - 1].rstrip() + "…"
    return f"{index + 1}. {first}".replace("&", "&&")   # "&" is a menu's mnemonic otherwise


class WalkthroughBar(QtWidgets.QWidget):
    """The shared caption banner, with Next / Back / Steps / End buttons (Next waits while a step
    works; Steps lists every step to jump to)."""
    step_chosen = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None,
                 end_tip: str = "Leave the walkthrough (Esc); the tab stays as it is") -> None:
        super().__init__(parent)
        self.banner = WalkthroughBanner()
        self.back_button = _button("◀ Back", "The walkthrough's previous step (PageUp, ←)")
        self.next_button = _button("Next ▶", "The walkthrough's next step (PageDown, →); waits "
                                   "while a step is still computing")
        self.end_button = _button("✕ End", end_tip)
        self.steps_button = _button("Steps ▾", "Every step of the walkthrough: go to any of them")
        self.steps_menu = QtWidgets.QMenu(self.steps_button)
        self.steps_button.setMenu(self.steps_menu)
        self._step_actions: list[QtGui.QAction] = []
        buttons = QtWidgets.QGridLayout()   # two rows: the banner keeps its height
        for i, button in enumerate((self.next_button, self.back_button, self.steps_button,
                                    self.end_button)):
            buttons.addWidget(button, i // 2, i % 2)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner, 1)
        layout.addLayout(buttons)
        self.hide()

    def set_steps(self, captions) -> None:
        """The overview's entries, one per step, in order."""
        self.steps_menu.clear()
        self._step_actions = []
        for index, caption in enumerate(captions):
            action = self.steps_menu.addAction(step_title(index, caption))
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, i=index: self.step_chosen.emit(i))
            self._step_actions.append(action)

    def show_step(self, title: str, index: int, *args, **kwargs) -> None:
        self.banner.show_step(title, index, *args, **kwargs)
        for i, action in enumerate(self._step_actions):
            action.setChecked(i == index)   # the overview marks where the walkthrough is
        self.show()

    def text(self) -> str:
        return self.banner.text()

    def set_busy(self, busy: bool) -> None:
        for button in (self.next_button, self.back_button, self.steps_button):
            button.setEnabled(not busy)


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
