"""The pairs the selected prompt's feedback implies ("A ≻ C"), with ties and contradictions marked.

Click a pair to show its numbers in the loss panel. The summary line counts every pair in the data.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme import style
from .controller import RewardController
from .order_view import letters_of

KEY_ROLE = QtCore.Qt.ItemDataRole.UserRole
SOURCE_NAMES = {"ordering": "from the order", "comparison": "compared"}


def tie_ids(tie) -> tuple[str, str, str]:
    """(prompt_id, first_id, second_id) of a tie (a Comparison with tie=True)."""
    return tie.prompt_id, tie.better, tie.worse


class PairList(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.badge = QtWidgets.QLabel()
        self.badge.setWordWrap(True)
        self.badge.setStyleSheet(f"color: {style.color('bad')}; font-weight: bold;")
        self.list = QtWidgets.QListWidget()
        self.list.setToolTip("The pairs this prompt's feedback implies: better ≻ worse.\n"
                             "Click one to see its Reward difference and loss.")
        self.list.currentItemChanged.connect(self._on_current_changed)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.badge)
        controller.feedback_changed.connect(self._refresh)
        controller.selection_changed.connect(self._refresh)
        self._refresh()

    def _refresh(self, *_args) -> None:
        feedback, prompt = self.controller.feedback, self.controller.prompt(
            self.controller.selected_prompt_id)
        self.summary.setText(_summary(feedback))
        with QtCore.QSignalBlocker(self.list):
            self.list.clear()
            if prompt is not None:
                self._fill(feedback, prompt)
        self.badge.setText(_badges(feedback, prompt))
        self.badge.setVisible(bool(self.badge.text()))

    def _fill(self, feedback, prompt) -> None:
        names = letters_of(prompt)
        for pair in self.controller.pairs_of_selected():
            key = (pair.prompt_id, pair.better_id, pair.worse_id)
            item = QtWidgets.QListWidgetItem(
                f"{names[pair.better_id]} ≻ {names[pair.worse_id]}   "
                f"({SOURCE_NAMES.get(pair.source, pair.source)})")
            item.setData(KEY_ROLE, key)
            self.list.addItem(item)
            if key == self.controller.selected_pair:
                self.list.setCurrentItem(item)
        for tie in feedback.ties():
            prompt_id, first, second = tie_ids(tie)
            if prompt_id == prompt.id:
                item = QtWidgets.QListWidgetItem(f"{names[first]} = {names[second]}   (tie: "
                                                 "not a training pair)")
                item.setForeground(QtGui.QColor(style.color("muted")))
                item.setFlags(QtCore.Qt.ItemFlag.ItemIsEnabled)
                self.list.addItem(item)

    def _on_current_changed(self, current, _previous) -> None:
        if current is not None and current.data(KEY_ROLE):
            self.controller.select_pair(*current.data(KEY_ROLE))


def _summary(feedback) -> str:
    train, held = len(feedback.pairs(held_out=False)), len(feedback.pairs(held_out=True))
    needing = len(feedback.prompts_needing_feedback())
    text = f"{train + held} pairs: {train} for training, {held} held out"
    if needing:
        text += f" · {needing} prompt{'s' if needing > 1 else ''} need feedback"
    return text


def _badges(feedback, prompt) -> str:
    """Ties and contradictions are allowed; say what they mean instead of hiding them."""
    if prompt is None:
        return ""
    names = letters_of(prompt)
    notes = []
    for cycle in feedback.contradictions():
        if cycle.prompt_id == prompt.id:
            loop = " ≻ ".join(names.get(i, i) for i in cycle.cycle)
            notes.append(f"⚠ Contradiction: {loop} — no Reward can put every pair right; "
                         "the loss cannot reach 0.")
    ties = [t for t in feedback.ties() if tie_ids(t)[0] == prompt.id]
    if ties:
        notes.append(f"= {len(ties)} tie{'s' if len(ties) > 1 else ''}: kept, but a tie says "
                     "nothing about which is better, so it is not trained on.")
    return "\n".join(notes)
