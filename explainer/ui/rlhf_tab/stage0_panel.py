"""Stage 0, pre-training: what the base model gives before any human feedback. Fluent (its
perplexity on held-out text), but it answers never-seen prompts the way its text did: rude about a
third of the time, right less than half. Renders a `stage0.BaseModelReport`; computes nothing."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.format import num

BIG_SCALE = 2.2   # the three figures are read from the back row


def _figure(caption: str, colour: str) -> tuple[QtWidgets.QWidget, QtWidgets.QLabel]:
    box = QtWidgets.QFrame()
    box.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
    value = QtWidgets.QLabel("—")
    font = value.font()
    font.setPointSizeF(style.BASE_POINT_SIZE * BIG_SCALE)
    font.setBold(True)
    value.setFont(font)
    value.setStyleSheet(f"color: {style.color(colour)};")
    value.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
    label = QtWidgets.QLabel(caption, wordWrap=True)
    label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
    layout = QtWidgets.QVBoxLayout(box)
    layout.addWidget(value)
    layout.addWidget(label)
    return box, value


# what each prompt set is for, in the order the lesson meets them (world.SPLITS names them)
PROMPT_SETS = (("sft", "SFT prompts (people wrote answers)"),
               ("rl", "RL prompts (people rank answers; the Policy practises on them)"),
               ("eval", "evaluation prompts (no stage trains on them)"),
               ("pretrain", "prompts met only in pre-training text"))


def _prompt_sets(sizes: dict) -> str:
    return "Prompts: " + ", ".join(f"{sizes.get(key, 0)} {text}" for key, text in PROMPT_SETS) + "."


class Stage0Panel(QtWidgets.QWidget):
    def __init__(self, controller) -> None:
        super().__init__()
        self.controller = controller
        self.report = None
        self.about = QtWidgets.QLabel(wordWrap=True)
        self.about.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        figures = QtWidgets.QHBoxLayout()
        boxes = {}
        for name, caption, colour in (
                ("perplexity", "perplexity on held-out text: fluent", "agent"),
                ("rude", "of its answers to never-seen prompts are rude", "bad"),
                ("correct", "give the right fact", "good"),
                ("score", "mean true score (people's view, 0–1)", "policy")):
            box, boxes[name] = _figure(caption, colour)
            figures.addWidget(box, 1)
        self.figures = boxes
        self.answers = QtWidgets.QListWidget()
        self.answers.setWordWrap(True)
        self.answers.setToolTip("The base model's answers to evaluation prompts, with the ground "
                                "truth's score; hover one for why it scores that")
        self.sample_button = QtWidgets.QPushButton("Sample the base model again")
        self.sample_button.setToolTip("Two answers to each of the 27 evaluation prompts")
        self.sample_button.clicked.connect(controller.request_base_report)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(figures)
        title = QtWidgets.QLabel("What it says to prompts no stage trains on [true score]", wordWrap=True)
        title.setStyleSheet(f"font-weight: bold; font-size: {style.BASE_POINT_SIZE}pt;")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(title, 1)
        row.addWidget(self.sample_button)
        layout.addLayout(row)
        layout.addWidget(self.answers, 1)
        controller.base_report_changed.connect(self.show_report)
        self.show_report(None)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.report is None:   # sampled the first time the page is shown
            self.controller.request_base_report()

    def show_report(self, report) -> None:
        self.report = report
        self.answers.clear()
        if report is None:
            self.about.setText("Stage 0, pre-training: the small language model learns to predict "
                               "the next token of text from the world's grammar. Sampling the "
                               "base model…")
            for value in self.figures.values():
                value.setText("—")
            return
        self.about.setText(
            f"Stage 0, pre-training: a {report.width}-wide GRU read {report.steps:,} batches of "
            f"{report.batch_size} answers of the world's text (right and wrong facts, polite, "
            "neutral and rude, some padded) and learned to predict each next token. It writes "
            "fluently, but says what that text said: nobody has yet told it what people want.\n"
            + _prompt_sets(dict(report.splits)))
        self.figures["perplexity"].setText(num(report.perplexity, 2))
        self.figures["rude"].setText(f"{100 * report.share('tone', 'rude'):.0f} %")
        self.figures["correct"].setText(f"{100 * report.share('content', 'correct'):.0f} %")
        self.figures["score"].setText(num(report.mean_score, 2))
        for a in report.answers:
            item = QtWidgets.QListWidgetItem(f"{a.prompt}  →  {a.text}  [{num(a.score, 2)}]")
            item.setToolTip("\n".join(a.reasons))   # a tooltip of plain text: never markup
            self.answers.addItem(item)
