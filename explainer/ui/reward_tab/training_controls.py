"""Train / Pause / Step / Reset, the learning rate (log-scale slider) and the optimizer."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtWidgets

from ...core.language.reward_training import DEFAULT_LEARNING_RATE
from ..widgets.format import num
from .controller import STEPS_PER_RUN, RewardController
from ..widgets.walkthrough_banner import WALKTHROUGH, hold
from ..widgets.flow_layout import FlowLayout
from ..widgets.steady_label import SteadyLabel

LR_EXPONENTS = (-4.0, 0.0)   # learning rate 10^-4 … 1
LR_TICKS = 40                # slider positions: 10 per decade
OPTIMIZERS = (("Adam", "adam"), ("SGD", "sgd"))
STATUS_LEAST_WIDTH = 260     # px: narrower, the status takes a row of its own (while it shows)


def lr_from_position(position: int) -> float:
    low, high = LR_EXPONENTS
    return 10 ** (low + (high - low) * position / LR_TICKS)


def position_from_lr(learning_rate: float) -> int:
    low, high = LR_EXPONENTS
    return round((math.log10(learning_rate) - low) / (high - low) * LR_TICKS)


class TrainingControls(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.train_button = self._button("▶ Train", f"Train the Reward model for {STEPS_PER_RUN} "
                                         "steps on the training pairs (keeps the window responsive); while it trains, "
                                         "adds that many steps more",
                                         controller.train)
        self.pause_button = self._button("Pause", "Pause the Reward model's training; Train goes "
                                         "on from here", controller.pause)
        self.step_button = self._button("Step", "Train the Reward model for exactly one batch of "
                                        "pairs on the Pairwise ranking loss (PageDown)",
                                        controller.step_once)
        self.reset_button = self._button("↺ Reset", "Forget all training: back to the untrained "
                                         "Reward model (a fresh copy of the Policy)",
                                         controller.reset_model)
        self.lr_label = QtWidgets.QLabel()
        self.lr_label.setMinimumWidth(70)
        self.lr_slider = self._learning_rate_slider()
        self.optimizer = self._optimizer_box()
        self.progress = QtWidgets.QProgressBar()
        self.progress.setToolTip("Steps done in this training run")
        self.progress.setTextVisible(False)  # with text, every setValue repaints synchronously
        self.progress.setMaximumHeight(14)
        self.progress.setMinimumWidth(40)  # its text is hidden: no room needed for "100%"
        # Room for long runs from the start: a label that widened as the count grew made the
        # window re-lay out (and grow) during training.
        self.progress_label = SteadyLabel("step 0", "step 000 / 000")
        self.progress_label.setToolTip("Training steps done in this run / steps in this run")
        self.progress.setRange(0, STEPS_PER_RUN)
        self.progress.setValue(0)
        self.status = QtWidgets.QLabel("Loading the Reward model…")
        # the status may be long; it must not make the window wider than a laptop screen
        self.status.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,
                                  QtWidgets.QSizePolicy.Policy.Preferred)
        # One line, no taller than the buttons beside it: it says only that the model is loading,
        # and hides once it has (before any training can start), so it never keeps a row of its
        # own, nor makes the toolbar taller while the model loads.
        self._status_least = max(STATUS_LEAST_WIDTH,
                                 self.status.fontMetrics().horizontalAdvance(self.status.text()) + 8)
        self._lay_out()
        controller.running_changed.connect(self._on_running_changed)
        controller.progress_changed.connect(self._on_progress_changed)
        controller.model_ready.connect(self._on_model_ready)
        self._on_running_changed(False)
        self._enable(controller.ready)
        if controller.ready:
            self._on_model_ready()

    def _button(self, text: str, tooltip: str, slot) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setToolTip(tooltip)
        button.clicked.connect(lambda: slot())
        return button

    def _learning_rate_slider(self):
        slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        slider.setRange(0, LR_TICKS)
        slider.setMinimumWidth(120)
        slider.setToolTip("Learning rate (log scale, 0.0001 to 1): how far each step moves the "
                          "Reward model's weights")
        slider.setValue(position_from_lr(DEFAULT_LEARNING_RATE))
        self._on_lr_changed(slider.value())
        slider.valueChanged.connect(self._on_lr_changed)
        return slider

    def _optimizer_box(self) -> QtWidgets.QComboBox:
        box = QtWidgets.QComboBox()
        for text, name in OPTIMIZERS:
            box.addItem(text, name)
        box.setToolTip("The update rule: Adam (adaptive step per weight) or plain SGD "
                       "(gradient descent, as in the videos)")
        box.currentIndexChanged.connect(lambda: self.controller.set_optimizer(box.currentData()))
        return box

    def _lay_out(self) -> None:
        # A flow: on a 1024-px projector the row wraps rather than widening the window.
        layout = FlowLayout(self)
        for widget in (self.train_button, self.pause_button, self.step_button, self.reset_button,
                       QtWidgets.QLabel("Learning rate"), self.lr_slider, self.lr_label,
                       self.optimizer, self.progress_label, self.progress):
            layout.addWidget(widget)
        layout.add_filling(self.status, self._status_least)

    def add_button(self, button: QtWidgets.QPushButton) -> None:
        """The tab's own buttons (Open, Save, …) join the row, before the status."""
        layout = self.layout()
        layout.removeWidget(self.status)
        layout.addWidget(button)
        layout.add_filling(self.status, self._status_least)

    # --- handlers ----------------------------------------------------------------------------------
    def _on_lr_changed(self, position: int) -> None:
        learning_rate = lr_from_position(position)
        self.lr_label.setText(num(learning_rate, 4))
        self.controller.set_learning_rate(learning_rate)

    def _on_running_changed(self, running: bool) -> None:
        # Train keeps its text while running (its tooltip says it adds steps): a label that
        # changed width re-laid out the row and everything below it.
        hold(self.pause_button, "stopped", not running)

    def _on_progress_changed(self, done: int, total: int) -> None:
        if self.progress.maximum() != max(total, 1):
            self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress_label.setText(f"step {done} / {total}")

    def _on_model_ready(self) -> None:
        self._enable(True)
        self.status.setText("")
        self.status.hide()   # the flow takes no room for a hidden widget: its row goes

    def _enable(self, ready: bool) -> None:
        for widget in (self.train_button, self.step_button, self.reset_button):
            hold(widget, "loading", not ready)

    def set_walking(self, walking: bool) -> None:
        """A guided walkthrough trains the Reward model itself: training and its settings wait
        until it ends (PageDown / PageUp step the walkthrough meanwhile)."""
        for widget in (self.train_button, self.pause_button, self.step_button, self.reset_button,
                       self.lr_slider, self.optimizer):
            hold(widget, WALKTHROUGH, walking)
