"""Stage 1's verdict in two big numbers: the rubric's true score on the prompts SFT was tuned on,
and on prompts it never saw (SFT overfits: the second is lower)."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.format import num


class SFTReportView(QtWidgets.QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setToolTip("Mean true score (rubric, 0–1) of sampled answers: on the prompts of the "
                        "demonstrations, and on new prompts no demonstration contains.")
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        self.numbers, self.examples = {}, {}
        for col, (key, title) in enumerate((("seen", "Tuned prompts"), ("unseen", "New prompts"))):
            head = QtWidgets.QLabel(title)
            head.setStyleSheet("font-weight: bold;")
            big = QtWidgets.QLabel("—")
            big.setStyleSheet(f"font-size: {round(style.BASE_POINT_SIZE * 2.4)}pt; font-weight: bold;")
            example = QtWidgets.QLabel("")
            example.setWordWrap(True)
            example.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
            grid.addWidget(head, 0, col)
            grid.addWidget(big, 1, col)
            grid.addWidget(example, 2, col)
            self.numbers[key], self.examples[key] = big, example
        grid.setRowStretch(2, 1)

    def show_report(self, report) -> None:
        for key in ("seen", "unseen"):
            part = getattr(report, key)
            colour = style.color("good" if part.mean_true_score >= 0.8 else "bad")
            self.numbers[key].setText(f"<span style='color:{colour}'>{num(part.mean_true_score, 2)}"
                                      "</span> <span style='font-size:"
                                      f"{style.BASE_POINT_SIZE}pt'>true score</span>")
            self.examples[key].setText(
                f"<span style='color:{style.color('muted')}'>{part.prompts[0]}</span><br>"
                f"{part.answers[0]}<br><span style='color:{style.color('muted')}'>"
                f"P per word {num(math.exp(part.mean_token_logp), 2)}</span>")

    def clear(self) -> None:
        """No fine-tuning shown yet."""
        for key in ("seen", "unseen"):
            self.numbers[key].setText("—")
            self.examples[key].setText("")

    def value(self, key: str) -> str:
        return self.numbers[key].text()
