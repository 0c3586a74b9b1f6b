""""Which is better?" — one pair at a time, answered by mouse or keys, as labellers do.

Keys: 1 or ← first is better, 2 or → second is better, T tie, S skip, U or Ctrl+Z undo.
"""
from __future__ import annotations

import html

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.language.reward_training import unjudged_pairs
from ..theme import style
from .controller import RewardController
from .order_view import letters_of

Key = QtCore.Qt.Key
VERDICT_KEYS = {Key.Key_1: "first", Key.Key_Left: "first", Key.Key_2: "second",
                Key.Key_Right: "second", Key.Key_T: "tie", Key.Key_S: "skip"}


class CompareView(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.prompt_label = QtWidgets.QLabel()
        self.prompt_label.setWordWrap(True)
        self.first, self.second = self._card(), self._card()
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.first)
        layout.addWidget(self.second)
        layout.addLayout(self._buttons())
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.apply_theme()
        controller.feedback_changed.connect(self._refresh)
        controller.selection_changed.connect(self._refresh)
        self._refresh()

    def _card(self) -> QtWidgets.QLabel:
        card = QtWidgets.QLabel()
        card.setWordWrap(True)
        card.setMinimumHeight(40)
        return card

    def apply_theme(self) -> None:
        """The theme's colours now: a style sheet keeps the colour it was given, so the cards
        stayed light-grey boxes in the dark theme."""
        for card in (self.first, self.second):
            card.setStyleSheet(f"background: {style.color('panel')}; border-radius: 6px; "
                               "padding: 8px;")
        self.status.setStyleSheet(f"color: {style.color('muted')};")

    def _buttons(self) -> QtWidgets.QGridLayout:
        grid = QtWidgets.QGridLayout()
        # short: under the "Which is better?" tab they still read as the answer, and fit 1024 px
        specs = (("1 · first", "First response is better (key 1 or ←)", "first", 0, 0),
                 ("2 · second", "Second response is better (key 2 or →)", "second", 0, 1),
                 ("T · tie", "Equally good: recorded, not trained on (key T)", "tie", 1, 0),
                 ("S · skip", "Cannot say: skip this pair (key S)", "skip", 1, 1))
        self.buttons = {}
        for text, tip, verdict, row, column in specs:
            button = QtWidgets.QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, v=verdict: self.controller.judge(v))
            grid.addWidget(button, row, column)
            self.buttons[verdict] = button
        undo = QtWidgets.QPushButton("U · undo")
        undo.setToolTip("Undo the last answer or change (U or Ctrl+Z)")
        undo.clicked.connect(self.controller.undo)
        grid.addWidget(undo, 2, 0, 1, 2)
        return grid

    def keyPressEvent(self, event) -> None:
        verdict = VERDICT_KEYS.get(event.key())
        undo = event.key() == Key.Key_U or event.matches(QtGui.QKeySequence.StandardKey.Undo)
        if verdict:
            self.controller.judge(verdict)
        elif undo:
            self.controller.undo()
        else:
            super().keyPressEvent(event)

    def _refresh(self, *_args) -> None:
        pair = self.controller.next_comparison()
        for button in self.buttons.values():
            button.setEnabled(pair is not None)
        if pair is None:
            self._show_done()
            return
        prompt_id, first_id, second_id = pair
        prompt = self.controller.prompt(prompt_id)
        names, texts = letters_of(prompt), {r.id: r.text for r in prompt.responses}
        # prompts and responses are typed or come from files: escaped, shown as the text they are
        self.prompt_label.setText(f"<b>Prompt:</b> {_escape(prompt.text)}<br>Which response is "
                                  "better?")
        self.first.setText(f"<b>1 ({names[first_id]})</b>  {_escape(texts[first_id])}")
        self.second.setText(f"<b>2 ({names[second_id]})</b>  {_escape(texts[second_id])}")
        left = len(unjudged_pairs(self.controller.feedback, self.controller.skipped))
        self.status.setText(f"{left} pair{'s' if left != 1 else ''} not judged yet")

    def _show_done(self) -> None:
        self.prompt_label.setText("Every pair has been judged (or skipped).")
        self.first.setText("")
        self.second.setText("")
        self.status.setText("Add a response or a prompt to judge more, or U to undo.")


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
