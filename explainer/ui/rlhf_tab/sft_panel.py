"""Stage 1, supervised fine-tuning: train on the demonstrations, watch the loss fall, sample
answers at a chosen temperature, see each token's probability, and send sampled answers to the
rankings (stage 2's raw material)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.format import num
from ..widgets.walkthrough_banner import WALKTHROUGH, hold
from ..widgets.param_slider import ParamSlider
from .plots import sft_loss_plot
from .sft_report_view import SFTReportView
from .token_view import TokenBars

LOSS_REDRAW_MS = 200   # the loss curve follows the epochs at most five times a second


@dataclass(frozen=True)
class SFTShown:
    """What stage 1 shows, kept by a walkthrough after each step so Back shows it again."""
    result: object = None          # SFTResult, or None before fine-tuning
    losses: tuple = ()
    answers: tuple = ()
    row: int = -1
    temperature: float = 1.0
    status: str = ""

START_HINT = ("Press Fine-tune (SFT) to watch the loss fall as the model copies the "
              "demonstrations, then sample its answers.")


class SFTPanel(QtWidgets.QWidget):
    def __init__(self, controller) -> None:
        super().__init__()
        self.controller = controller
        self.answers: tuple = ()
        self.walking = False   # a guided walkthrough samples when its step says so
        self._epoch = (0, 0.0)
        self._busy_text = ""   # what the status says the training process is doing
        self._loss_timer = QtCore.QTimer(self, singleShot=True, interval=LOSS_REDRAW_MS,
                                         timeout=self._draw_losses)
        self._build()
        self._connect()

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.loss_plot, self.loss_curve = sft_loss_plot()
        self.report = SFTReportView()
        self.answer_list = QtWidgets.QListWidget()
        self.answer_list.setWordWrap(True)
        self.answer_list.setToolTip("Sampled answers with the rubric's true score; pick one to see "
                                    "its tokens' probabilities below")
        self.tokens = TokenBars()
        centre = _column(("Loss falls as the model copies the demonstrations", None),
                         (self.loss_plot, 3), (self.report, 2))
        right = _column(("Sampled answers [true score]", None), (self.answer_list, 2),
                        ("Next-token probability of each token of the chosen answer", None),
                        (self.tokens, 3))
        root = QtWidgets.QHBoxLayout(self)
        root.addWidget(self._sidebar())
        root.addWidget(centre, 4)
        root.addWidget(right, 5)

    def _sidebar(self) -> QtWidgets.QWidget:
        self.train_button = _button("Fine-tune (SFT)", "Train the small language model on the "
                                    "human-written demonstrations, from fresh weights")
        self.progress = QtWidgets.QProgressBar(maximum=80, textVisible=False)
        self.progress.setToolTip("Epochs done")
        self.temperature = ParamSlider("Temperature", 0.1, 2.0, 1.0, style.color("agent"), 2,
                                       "Sampling divides the logits by this: low = always the "
                                       "likeliest token, high = more varied answers")
        self.prompt = QtWidgets.QComboBox()
        self.prompt.setToolTip("A prompt to answer: tuned ones come from the demonstrations, "
                               "new ones were never seen in fine-tuning")
        self.sample_button = _button("Sample 4 answers", "Draw four answers token by token from "
                                     "softmax(logits / temperature)")
        self.rank_prompt = QtWidgets.QComboBox()
        for combo in (self.prompt, self.rank_prompt):  # long prompts must not widen the window
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.rank_prompt.setToolTip("A prompt of the rankings (tab 3, Reward model)")
        self.generate_button = _button("Generate candidates", "Add up to four different sampled "
                                       "answers to this prompt of the rankings, to rank in tab 3")
        # Until the lecturer fine-tunes here, the page's plot and lists are empty: it says why.
        self.status = QtWidgets.QLabel(START_HINT, wordWrap=True)
        self.status.setStyleSheet(f"color: {style.color('muted')};")
        items = (_heading("1 · Supervised fine-tuning"), self.train_button, self.progress,
                 self.temperature, QtWidgets.QLabel("Prompt"), self.prompt, self.sample_button,
                 _heading("For the rankings (stage 2)"), self.rank_prompt, self.generate_button,
                 self.status)
        side = _SideColumn()
        layout = QtWidgets.QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        for item in items:
            layout.addWidget(item)
        layout.addStretch(1)
        return side

    def _connect(self) -> None:
        c = self.controller
        self.train_button.clicked.connect(c.run_sft)
        self.sample_button.clicked.connect(self.sample)
        self.generate_button.clicked.connect(self.generate)
        self.answer_list.currentRowChanged.connect(self._show_tokens)
        c.sft_epoch.connect(self._on_epoch)
        c.sft_done.connect(self._on_done)
        c.answers_changed.connect(self._on_answers)
        c.ready.connect(self._fill_prompts)
        c.busy_changed.connect(self._on_busy)
        c.link.changed.connect(lambda _: self._fill_rank_prompts())

    # --- intent ------------------------------------------------------------------------------------
    def sample(self) -> None:
        if self.prompt.currentData():
            self.controller.sample(self.prompt.currentData(), self.temperature.value())

    def generate(self) -> None:
        if self.rank_prompt.currentData():
            self.controller.generate_candidates(self.rank_prompt.currentData(),
                                                self.temperature.value())

    # --- rendering ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fill_rank_prompts()  # the rankings may have changed in tab 3

    def _fill_prompts(self) -> None:
        seen, unseen = self.controller.prompts   # sent by the training process when ready
        self.prompt.clear()
        for text in seen:
            self.prompt.addItem(f"tuned: {text}", text)
        for text in unseen:
            self.prompt.addItem(f"new: {text}", text)

    def _fill_rank_prompts(self) -> None:
        current = self.rank_prompt.currentData()
        self.rank_prompt.clear()
        for p in self.controller.link.feedback().prompts:
            self.rank_prompt.addItem(p.text, p.id)
        self.rank_prompt.setCurrentIndex(max(0, self.rank_prompt.findData(current)))

    def _on_epoch(self, epoch: int, loss: float) -> None:
        self._epoch = (epoch, loss)
        if not self._loss_timer.isActive():
            self._draw_losses()
            self._loss_timer.start()   # epochs arriving meanwhile are drawn together

    def _draw_losses(self) -> None:
        losses = self.controller.sft_losses
        epoch, loss = self._epoch
        self.loss_curve.setData(range(1, len(losses) + 1), losses)
        self.progress.setValue(epoch + 1)
        self.status.setText(f"epoch {epoch + 1}: loss {num(loss)}")

    def _on_done(self, result) -> None:
        self._loss_timer.stop()
        self.progress.setValue(len(result.losses))
        self.loss_curve.setData(range(1, len(result.losses) + 1), result.losses)
        self.report.show_report(result.report)
        self.status.setText(f"Fine-tuned: loss {num(result.losses[0])} → {num(result.losses[-1])}")
        if self.prompt.count() and not self.walking:   # a walkthrough's SFT step shows no answers
            self.sample()

    # --- what is shown, kept and shown again (a walkthrough's Back) --------------------------------
    def shown(self) -> SFTShown:
        return SFTShown(self.controller.sft, tuple(self.controller.sft_losses), self.answers,
                        self.answer_list.currentRow(), self.temperature.value(),
                        self.status.text())

    def show_shown(self, shown: SFTShown) -> None:
        """Exactly what `shown` was: the loss curve, the report, the answers (none before SFT)."""
        c = self.controller
        self._loss_timer.stop()
        c.sft, c.sft_losses = shown.result, list(shown.losses)
        self.loss_curve.setData(range(1, len(shown.losses) + 1), list(shown.losses))
        self.progress.setValue(len(shown.losses))
        if shown.result is None:
            self.report.clear()
        else:
            self.report.show_report(shown.result.report)
        self.temperature.set_value(shown.temperature)
        self._on_answers(shown.answers)
        if shown.answers:
            self.answer_list.setCurrentRow(shown.row)
        else:
            self.tokens.set_tokens((), ())
        self.status.setText(shown.status)

    def _on_answers(self, answers) -> None:
        self.answers = tuple(answers)
        self.answer_list.clear()
        for a in self.answers:
            item = QtWidgets.QListWidgetItem(f"{a.text or '(empty)'}  [{num(a.true_score, 2)}]")
            item.setToolTip("\n".join(a.reasons))   # why that score: hover the answer
            self.answer_list.addItem(item)
        if self.answers:
            self.answer_list.setCurrentRow(0)

    def _show_tokens(self, row: int) -> None:
        if 0 <= row < len(self.answers):
            a = self.answers[row]
            self.tokens.set_tokens(a.tokens, a.probs)

    def set_walking(self, walking: bool) -> None:
        """A guided walkthrough fine-tunes and samples itself: these wait until it ends."""
        self.walking = walking
        for widget in (self.train_button, self.sample_button, self.generate_button):
            hold(widget, WALKTHROUGH, walking)

    def _on_busy(self, what: str) -> None:
        for widget in (self.train_button, self.sample_button, self.generate_button):
            hold(widget, "busy", bool(what))
        if what:
            self.status.setText(what)
        elif self.status.text() == self._busy_text:
            # done: "Sampling…" must not stay once the answers are shown
            self.status.setText(START_HINT if self.controller.sft is None else "")
        self._busy_text = what


def _button(text: str, tip: str) -> QtWidgets.QPushButton:
    button = QtWidgets.QPushButton(text)
    button.setToolTip(tip)
    return button


def _heading(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text, wordWrap=True)
    label.setStyleSheet(f"font-weight: bold; font-size: {round(style.BASE_POINT_SIZE * 1.15)}pt;")
    return label


def _column(*items) -> QtWidgets.QWidget:
    """items: (widget, stretch) or (heading text, None)."""
    column = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(column)
    layout.setContentsMargins(4, 0, 4, 0)
    for item, stretch in items:
        if stretch is None:
            layout.addWidget(_heading(item))
        else:
            layout.addWidget(item, stretch)
    return column


class _SideColumn(QtWidgets.QWidget):
    """Stage 1's controls: 360 px, or as wide as its widest control needs at the text size (a
    fixed 360 cut "Generate candidates" at 1.75×; its controls' preferred widths squeezed the
    loss plot at 1024 px)."""
    WIDTH = 360

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(max(self.WIDTH, self.minimumSizeHint().width()), super().sizeHint().height())
