"""Before / after: the fine-tuned model's and the Policy's answers to held-out prompts, side by side,
each with the rubric's true score."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from .. import style
from ..format import num

ROWS = 3


class CompareView(QtWidgets.QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setToolTip("The same random draws from the fine-tuned model (before) and from the "
                        "Policy now (after), on prompts the Policy never trains on. The number is "
                        "the rubric's true score, 0–1.")
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(4, 0, 4, 0)
        grid.setHorizontalSpacing(12)
        for col, (text, colour) in enumerate((("Held-out prompt", "muted"),
                                              ("Before (fine-tuned)", "muted"),
                                              ("After (Policy now)", "policy"))):
            head = QtWidgets.QLabel(text)
            head.setStyleSheet(f"font-weight: bold; color: {style.color(colour)};")
            grid.addWidget(head, 0, col)
        self.cells = [[self._cell(grid, r + 1, col) for col in range(3)] for r in range(ROWS)]
        for col, stretch in enumerate((2, 4, 4)):
            grid.setColumnStretch(col, stretch)

    def _cell(self, grid, row: int, col: int) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel()
        label.setWordWrap(True)
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        if col == 0:
            label.setStyleSheet(f"color: {style.color('muted')};")
        grid.addWidget(label, row, col)
        return label

    def show_rows(self, rows) -> None:
        rows = tuple(rows or ())[:ROWS]
        for k, cells in enumerate(self.cells):
            if k < len(rows):
                r = rows[k]
                cells[0].setText(r.prompt)
                cells[1].setText(_answer(r.before, r.before_score))
                cells[2].setText(_answer(r.after, r.after_score))
            else:
                for cell in cells:
                    cell.setText("")

    def texts(self) -> list[tuple[str, str, str]]:
        return [tuple(c.text() for c in cells) for cells in self.cells]


def _answer(text: str, score: float) -> str:
    colour = style.color("good" if score >= 0.5 else "bad")
    shown = text if text.strip() else "(empty)"
    return (f"{_escape(shown)} <b style='color:{colour}'>[{num(score, 2)}]</b>")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
