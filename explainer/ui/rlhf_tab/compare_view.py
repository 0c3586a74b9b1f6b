"""Before / after: the fine-tuned model's and the Policy's answers to held-out prompts, side by side,
each with the rubric's true score.

Every cell keeps room for two lines, so new answers (one line or two) never re-lay out the tab, and
the panel asks for the height all its rows need (`reserved_height`), so none is cut off."""
from __future__ import annotations

import html

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.format import num

ROWS = 3
LINES_PER_ROW = 2
HEADS = (("Held-out prompt", "muted"), ("Before (fine-tuned)", "muted"),
         ("After (Policy now)", "policy"))


class CompareView(QtWidgets.QWidget):
    reserve_changed = QtCore.Signal()   # the rows need another height (the text size changed)
    rows_shown = QtCore.Signal()        # the last row was drawn (it may wrap to more lines)

    def __init__(self) -> None:
        super().__init__()
        self._reserved = 0
        self.setToolTip("The same random draws from the fine-tuned model (before) and from the "
                        "Policy now (after), on prompts the Policy never trains on. The number is "
                        "the rubric's true score, 0–1.")
        self.grid = grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(4, 0, 4, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        self.heads = []
        for col, (text, _colour) in enumerate(HEADS):
            head = QtWidgets.QLabel(text)
            grid.addWidget(head, 0, col)
            self.heads.append(head)
        self.cells = [[self._cell(grid, r + 1, col) for col in range(3)] for r in range(ROWS)]
        for col, stretch in enumerate((2, 5, 5)):
            grid.setColumnStretch(col, stretch)
        self.apply_theme()

    def _cell(self, grid, row: int, col: int) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel()
        label.setWordWrap(True)
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(label, row, col)
        return label

    def apply_theme(self) -> None:
        """Colours are read from the palette now (a style sheet keeps the colour it was given)."""
        for head, (_text, colour) in zip(self.heads, HEADS):
            head.setStyleSheet(f"font-weight: bold; color: {style.color(colour)};")
        for cells in self.cells:
            cells[0].setStyleSheet(f"color: {style.color('muted')};")
            cells[1].setStyleSheet(f"color: {style.color('text')};")
            cells[2].setStyleSheet(f"color: {style.color('text')};")

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange):
            self._reserve_lines()

    def showEvent(self, event) -> None:
        self._reserve_lines()
        super().showEvent(event)

    def _reserve_lines(self) -> None:
        for cells in self.cells:
            for cell in cells:
                cell.setMinimumHeight(LINES_PER_ROW * cell.fontMetrics().lineSpacing())
        if self.reserved_height() != self._reserved:
            self._reserved = self.reserved_height()
            self.reserve_changed.emit()

    def needed_height(self, width: int) -> int:
        """The height every row needs at `width`: the reserve, or more where an answer wraps to
        more lines than LINES_PER_ROW (large text in a narrow pane)."""
        wrapped = self.heightForWidth(width) if self.hasHeightForWidth() and width > 0 else 0
        return max(self.reserved_height(), wrapped)

    def reserved_height(self) -> int:
        """The height that shows the heading and every row of LINES_PER_ROW lines whole."""
        line = self.cells[0][1].fontMetrics().lineSpacing()
        head = self.heads[0].fontMetrics().lineSpacing()
        margins = self.grid.contentsMargins()
        return (head + ROWS * (LINES_PER_ROW * line + self.grid.verticalSpacing())
                + margins.top() + margins.bottom() + 4)

    def show_row(self, k: int, rows) -> None:
        """Row k of rows (empty if there is none): the tab draws one row per event-loop turn
        while training (rich text is laid out on setText)."""
        rows = tuple(rows or ())
        cells = self.cells[k]
        if k < len(rows):
            r = rows[k]
            cells[0].setText(r.prompt)
            cells[1].setText(_answer(r.before, r.before_score))
            cells[2].setText(_answer(r.after, r.after_score))
            cells[1].setToolTip(_plain_tip(r.before_reasons))   # why: the ground truth's breakdown
            cells[2].setToolTip(_plain_tip(r.after_reasons))
        else:
            for cell in cells:
                cell.setText("")
                cell.setToolTip("")
        if k == ROWS - 1:
            self.rows_shown.emit()

    def texts(self) -> list[tuple[str, str, str]]:
        return [tuple(c.text() for c in cells) for cells in self.cells]


def _answer(text: str, score: float) -> str:
    colour = style.color("good" if score >= 0.5 else "bad")
    shown = text if text.strip() else "(empty)"
    return (f"{_escape(shown)} <b style='color:{colour}'>[{num(score, 2)}]</b>")


def _plain_tip(lines) -> str:
    """A tooltip of plain text (escaped and wrapped: a tooltip that looks like markup is read as it)."""
    return "<p style='white-space:pre'>" + _escape("\n".join(lines)) + "</p>" if lines else ""


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
