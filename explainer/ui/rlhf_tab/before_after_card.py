"""One never-seen prompt, large: the fine-tuned model's answer and the Policy's, each with the
ground truth's score and why (content, tone, padding, readable). Renders `CompareRow` records; the
prompt box picks which of the rows is shown."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.format import num

ANSWER_SCALE = 1.35   # the answers are what the back row reads


class _Side(QtWidgets.QFrame):
    """One answer: a heading, the answer, its score and its breakdown."""

    def __init__(self, heading: str, colour: str) -> None:
        super().__init__()
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.colour = colour
        self.heading = QtWidgets.QLabel(heading)
        self.answer = _plain_label()
        self.score = _plain_label()
        self.reasons = _plain_label()
        font = self.answer.font()
        font.setPointSizeF(style.BASE_POINT_SIZE * ANSWER_SCALE)
        self.answer.setFont(font)
        font.setBold(True)
        self.score.setFont(font)
        layout = QtWidgets.QVBoxLayout(self)
        for widget in (self.heading, self.answer, self.score, self.reasons):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.apply_theme()

    def apply_theme(self) -> None:
        # a style sheet drops the inherited font size: it is given again
        size = f"font-size: {style.BASE_POINT_SIZE}pt;"
        self.heading.setStyleSheet(f"font-weight: bold; color: {style.color(self.colour)}; {size}")
        self.reasons.setStyleSheet(f"color: {style.color('text')}; {size}")

    def set_answer(self, text: str | None, score: float | None, reasons: tuple[str, ...]) -> None:
        if text is None:
            self.answer.setText("—")
            self.score.setText("")
            self.reasons.setText("")
            return
        self.answer.setText(text if text.strip() else "(empty)")
        self.score.setText(f"true score {num(score, 2)}")
        self.score.setStyleSheet(f"color: {style.color('good' if score >= 0.5 else 'bad')};")
        # the last line restates the score shown above it
        self.reasons.setText("\n".join(r for r in reasons if not r.startswith("score")))


class BeforeAfterCard(QtWidgets.QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple = ()
        self.prompt = QtWidgets.QComboBox()
        self.prompt.setToolTip("Prompts no stage trains on: not the demonstrations, not the "
                               "rankings, not policy optimisation")
        self.prompt.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.prompt.setMinimumContentsLength(8)
        self.prompt.currentIndexChanged.connect(lambda _: self._show_current())
        self.prompt_text = _plain_label()
        font = self.prompt_text.font()
        font.setPointSizeF(style.BASE_POINT_SIZE * ANSWER_SCALE)
        font.setBold(True)
        self.prompt_text.setFont(font)
        self.before = _Side("Before: the fine-tuned model", "muted")
        self.after = _Side("After: the Policy now", "policy")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Never-seen prompt:"))
        top.addWidget(self.prompt)
        top.addWidget(self.prompt_text, 1)
        sides = QtWidgets.QHBoxLayout()
        sides.addWidget(self.before, 1)
        sides.addWidget(self.after, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(sides, 1)
        self.show_rows(())

    def hasHeightForWidth(self) -> bool:
        # Its height is the page's share, never the answers' wrapped height: new answers (every
        # few updates while training) must not move the plots beside it, which resized and
        # redrew all four of them in one event-loop turn (a 23-ms stall).
        return False

    def apply_theme(self) -> None:
        self.before.apply_theme()
        self.after.apply_theme()
        self._show_current()

    def show_rows(self, rows) -> None:
        """New rows (the same prompts, newer answers): the chosen prompt stays chosen."""
        self.rows = tuple(rows or ())
        prompts = [r.prompt for r in self.rows]
        if prompts != [self.prompt.itemText(i) for i in range(self.prompt.count())]:
            self.prompt.blockSignals(True)
            self.prompt.clear()
            self.prompt.addItems(prompts)
            self.prompt.blockSignals(False)
        self._show_current()

    def _show_current(self) -> None:
        k = self.prompt.currentIndex()
        row = self.rows[k] if 0 <= k < len(self.rows) else None
        self.prompt_text.setText(f"“{row.prompt}”" if row is not None else
                                 "Answers appear once the Policy exists")
        if row is None:
            self.before.set_answer(None, None, ())
            self.after.set_answer(None, None, ())
            return
        self.before.set_answer(row.before, row.before_score, row.before_reasons)
        self.after.set_answer(row.after, row.after_score, row.after_reasons)


def _plain_label() -> QtWidgets.QLabel:
    """Model output and prompts are text, never markup."""
    label = QtWidgets.QLabel(wordWrap=True)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
    return label
