"""Rank the selected prompt's responses best to worst by dragging them; add, edit, delete responses.

Dropping a response in a new place sets the prompt's ordering; the pairs it implies are listed by
`PairList` beside it.
"""
from __future__ import annotations

import string

from PySide6 import QtCore, QtWidgets

from .controller import RewardController

ID_ROLE = QtCore.Qt.ItemDataRole.UserRole
TEXT_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
NEW_RESPONSE = "a new response ."


def letter(index: int) -> str:
    """Responses are called A, B, C … in the prompt's own order, so pairs read "A ≻ C"."""
    letters = string.ascii_uppercase
    return letters[index] if index < len(letters) else f"R{index + 1}"


def letters_of(prompt) -> dict[str, str]:
    return {response.id: letter(i) for i, response in enumerate(prompt.responses)}


def ranked_ids(feedback, prompt) -> list[str]:
    """The prompt's responses in its ordering, then the ones the ordering leaves out."""
    order = list(_ordering(feedback, prompt.id))
    rest = [r.id for r in prompt.responses if r.id not in order]
    return order + rest


def _ordering(feedback, prompt_id) -> tuple[str, ...]:
    return tuple(feedback.orderings.get(prompt_id, ()))


class OrderView(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.list = QtWidgets.QListWidget()
        self.list.setDragDropMode(QtWidgets.QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(QtCore.Qt.DropAction.MoveAction)
        self.list.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
                                  | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setWordWrap(True)
        self.list.setToolTip("Drag the responses into order: best at the top, worst at the bottom.\n"
                             "Double-click a response to edit it.")
        self.list.model().rowsMoved.connect(self._on_rows_moved)
        self.list.setItemDelegate(_ResponseTextDelegate(self.list))
        self.list.itemChanged.connect(self._on_item_changed)
        self.hint = QtWidgets.QLabel("best ▲   drag to rank   ▼ worst")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(self._buttons())
        controller.feedback_changed.connect(self._refresh)
        controller.selection_changed.connect(self._refresh)
        controller.change_refused.connect(self._show_again)
        self._shown: tuple = ()
        self._refresh()

    def _buttons(self) -> QtWidgets.QHBoxLayout:
        row = QtWidgets.QHBoxLayout()
        for text, tip, slot in (("+ Response", "Add a response to this prompt", self.add_response),
                                ("Edit", "Edit the selected response", self.edit_current),
                                ("Delete", "Delete the selected response", self.delete_current)):
            button = QtWidgets.QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    # --- actions -----------------------------------------------------------------------------------
    def move(self, from_row: int, to_row: int) -> None:
        """Move one response (what a drag and drop does), then set the ordering."""
        ids = self.current_order()
        ids.insert(to_row, ids.pop(from_row))
        self._set_ordering(ids)

    def current_order(self) -> list[str]:
        return [self.list.item(row).data(ID_ROLE) for row in range(self.list.count())]

    def add_response(self) -> None:
        prompt_id = self.controller.selected_prompt_id
        if prompt_id is not None and self.controller.apply("add_response", prompt_id, NEW_RESPONSE):
            self.list.setCurrentRow(self.list.count() - 1)
            self.edit_current()

    def edit_current(self) -> None:
        if self.list.currentItem() is not None:
            self.list.editItem(self.list.currentItem())

    def delete_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.controller.apply("delete_response", self.controller.selected_prompt_id,
                                  item.data(ID_ROLE))

    # --- handlers ----------------------------------------------------------------------------------
    def _show_again(self) -> None:
        """An edit was refused: the list shows the rankings as they are (a drag is undone)."""
        self._shown = None
        self._refresh()

    def _refresh(self, *_args) -> None:
        prompt = self.controller.prompt(self.controller.selected_prompt_id)
        feedback = self.controller.feedback
        key = (id(feedback), prompt.id if prompt else None)
        if key == self._shown:
            return  # selecting another pair of the same prompt changes nothing here
        self._shown = key
        with QtCore.QSignalBlocker(self.list):
            self.list.clear()
            if prompt is None:
                return
            ordered = set(_ordering(feedback, prompt.id))
            names, texts = letters_of(prompt), {r.id: r.text for r in prompt.responses}
            for rank, response_id in enumerate(ranked_ids(feedback, prompt), start=1):
                self.list.addItem(self._item(response_id, names[response_id], texts[response_id],
                                             rank if response_id in ordered else None))

    def _item(self, response_id: str, name: str, text: str, rank) -> QtWidgets.QListWidgetItem:
        item = QtWidgets.QListWidgetItem(text)
        item.setData(ID_ROLE, response_id)
        item.setData(TEXT_ROLE, text)
        item.setData(QtCore.Qt.ItemDataRole.ToolTipRole,
                     f"{name}: rank {rank}" if rank else f"{name}: not in the ordering yet")
        item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsEditable)
        item.setText(f"{rank if rank else '–'}. ({name})  {text}")
        return item

    def _on_rows_moved(self, *_args) -> None:
        self._set_ordering(self.current_order())

    def _set_ordering(self, ids: list[str]) -> None:
        self.controller.apply("set_ordering", self.controller.selected_prompt_id, ids)

    def _on_item_changed(self, item: QtWidgets.QListWidgetItem) -> None:
        text = item.data(TEXT_ROLE).strip()
        prompt_id, response_id = self.controller.selected_prompt_id, item.data(ID_ROLE)
        prompt = self.controller.prompt(prompt_id)
        old = next((r.text for r in prompt.responses if r.id == response_id), None) if prompt else None
        if text and old is not None and text != old:
            self.controller.apply("edit_response", prompt_id, response_id, text)


class _ResponseTextDelegate(QtWidgets.QStyledItemDelegate):
    """Edit only the response's words, not the "1. (A)" shown before them."""

    def setEditorData(self, editor, index) -> None:
        editor.setText(index.data(TEXT_ROLE))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.text(), TEXT_ROLE)
