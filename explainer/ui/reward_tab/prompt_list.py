"""The prompts: pick one, add, edit (double-click), delete, tick "held out"; see which need feedback."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme import style
from .controller import RewardController

NEW_PROMPT = "a new prompt ?"
LEAST_ROWS = 3   # prompts always in view, whatever the screen (a 720-px projector showed 1.5)
ID_ROLE = QtCore.Qt.ItemDataRole.UserRole


class PromptList(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.list = QtWidgets.QTreeWidget()
        self.list.setColumnCount(2)
        self.list.setHeaderLabels(["Prompt   (☑ = held out)", "Pairs"])
        self.list.setRootIsDecorated(False)
        self.list.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.itemDoubleClicked.connect(lambda item, _column: self.list.editItem(item, 0))
        header = self.list.header()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setToolTip("Prompt: its text (☑ = held out, never trained on). Pairs: how many "
                          "better ≻ worse pairs its feedback gives the Reward model")
        self.list.setToolTip("Prompts. Click one to rank its responses; double-click to edit it.\n"
                             "Tick = held out: its pairs are never trained on, only measured "
                             "(does the Reward model generalise?)")
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemChanged.connect(self._on_item_changed)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(self._buttons())
        self._keep_rows()
        controller.feedback_changed.connect(self._on_feedback_changed)
        controller.selection_changed.connect(self._on_selection_changed)
        controller.change_refused.connect(lambda: self._on_feedback_changed(controller.feedback))
        self._on_feedback_changed(controller.feedback)

    def _buttons(self) -> QtWidgets.QHBoxLayout:
        row = QtWidgets.QHBoxLayout()
        for text, tip, slot in (("+ Prompt", "Add a prompt (then type its text)", self.add_prompt),
                                ("Edit", "Edit the selected prompt's text", self.edit_current),
                                ("Delete", "Delete the selected prompt and its responses",
                                 self.delete_current)):
            button = QtWidgets.QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    def _keep_rows(self) -> None:
        """Room for the header and LEAST_ROWS prompts at the present text size."""
        tree = self.list
        row = max(tree.sizeHintForRow(0), tree.fontMetrics().height() + 4)
        frame = 2 * tree.frameWidth()
        tree.setMinimumHeight(tree.header().sizeHint().height() + LEAST_ROWS * row + frame)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange):
            self._keep_rows()

    def showEvent(self, event) -> None:
        self._keep_rows()   # zoomed while hidden
        super().showEvent(event)

    # --- actions -----------------------------------------------------------------------------------
    def add_prompt(self) -> None:
        if self.controller.apply("add_prompt", NEW_PROMPT):
            self.controller.select_prompt(self.controller.feedback.prompts[-1].id)
            self.edit_current()

    def edit_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item, 0)

    def delete_current(self) -> None:
        if self.controller.selected_prompt_id is not None:
            self.controller.apply("delete_prompt", self.controller.selected_prompt_id)

    # --- handlers ----------------------------------------------------------------------------------
    def _on_feedback_changed(self, feedback) -> None:
        needing = {_prompt_id(p) for p in feedback.prompts_needing_feedback()}
        counts = _pair_counts(feedback)
        with QtCore.QSignalBlocker(self.list):
            self.list.clear()
            for prompt in feedback.prompts:
                self.list.addTopLevelItem(self._item(prompt, prompt.id in needing,
                                                     counts.get(prompt.id, 0)))
        self._on_selection_changed()

    def _item(self, prompt, needs_feedback: bool, pairs: int) -> QtWidgets.QTreeWidgetItem:
        status = "● needs feedback" if needs_feedback else str(pairs)
        item = QtWidgets.QTreeWidgetItem([prompt.text, status])
        item.setData(0, ID_ROLE, prompt.id)
        item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsEditable
                      | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, QtCore.Qt.CheckState.Checked if prompt.held_out
                           else QtCore.Qt.CheckState.Unchecked)
        if needs_feedback:
            item.setForeground(1, QtGui.QColor(style.color("bad")))
        if prompt.held_out:
            item.setForeground(0, QtGui.QColor(style.color("muted")))
            item.setText(1, status + " held out")
        item.setToolTip(0, "Held out: measured, never trained on" if prompt.held_out
                        else "Tick to hold this prompt out of training")
        return item

    def _on_selection_changed(self) -> None:
        with QtCore.QSignalBlocker(self.list):
            for row in range(self.list.topLevelItemCount()):
                item = self.list.topLevelItem(row)
                if item.data(0, ID_ROLE) == self.controller.selected_prompt_id:
                    self.list.setCurrentItem(item)

    def _on_current_changed(self, current, _previous) -> None:
        if current is not None:
            self.controller.select_prompt(current.data(0, ID_ROLE))

    def _on_item_changed(self, item: QtWidgets.QTreeWidgetItem, _column: int) -> None:
        prompt = self.controller.prompt(item.data(0, ID_ROLE))
        if prompt is None:
            return
        held_out = item.checkState(0) == QtCore.Qt.CheckState.Checked
        if held_out != prompt.held_out:
            self.controller.apply("set_held_out", prompt.id, held_out)
            return
        text = item.text(0).strip()
        if text and text != prompt.text:
            self.controller.apply("edit_prompt", prompt.id, text)


def _prompt_id(entry) -> str:
    return entry if isinstance(entry, str) else entry.id


def _pair_counts(feedback) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pair in feedback.pairs():
        counts[pair.prompt_id] = counts.get(pair.prompt_id, 0) + 1
    return counts
