"""Next / Previous / Play / Reset / Run N: the controls every stepped lesson shares."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class StepperControls(QtWidgets.QWidget):
    next_clicked = QtCore.Signal()
    previous_clicked = QtCore.Signal()
    play_toggled = QtCore.Signal(bool)
    reset_clicked = QtCore.Signal()
    run_clicked = QtCore.Signal(int)
    speed_changed = QtCore.Signal(float)
    seed_changed = QtCore.Signal(int)

    def __init__(self) -> None:
        super().__init__()
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.previous = self._button("◀ Previous", "Show the previous phase (Left, PageUp)")
        self.next = self._button("Next ▶", "Advance one phase (Right, Space, PageDown)")
        self.play = self._button("Play", "Play / pause the phases (P)")
        self.play.setCheckable(True)
        self.reset = self._button("Reset", "Back to the start, same seed (R)")
        grid.addWidget(self.previous, 0, 0)
        grid.addWidget(self.next, 0, 1)
        grid.addWidget(self.play, 1, 0)
        grid.addWidget(self.reset, 1, 1)
        self.speed = QtWidgets.QDoubleSpinBox(minimum=0.25, maximum=20.0, value=1.5, singleStep=0.25,
                                              suffix=" /s")
        self.speed.setToolTip("Play speed")
        self.seed = QtWidgets.QSpinBox(minimum=0, maximum=2**31 - 1, value=0, prefix="seed ")
        self.seed.setToolTip("The random seed: the same seed gives the same episodes")
        # Sized for six digits, not for the largest seed (ten): that width alone set the sidebar's.
        self.seed.setMinimumWidth(self.seed.fontMetrics().horizontalAdvance("seed 000000") + 24)
        grid.addWidget(self.speed, 2, 0)
        grid.addWidget(self.seed, 2, 1)
        self.episodes = QtWidgets.QComboBox()
        for n in (10, 100, 1000, 10_000, 100_000, 1_000_000):
            self.episodes.addItem(f"{n:,}", n)
        self.episodes.setCurrentIndex(1)
        self.run = self._button("Run episodes", "Run this many whole episodes at once")
        self.progress = QtWidgets.QProgressBar(maximum=1000, textVisible=False)
        self.progress.setMaximumHeight(10)
        grid.addWidget(self.episodes, 3, 0)
        grid.addWidget(self.run, 3, 1)
        grid.addWidget(self.progress, 4, 0, 1, 2)
        self.previous.clicked.connect(self.previous_clicked)
        self.next.clicked.connect(self.next_clicked)
        self.play.toggled.connect(self._on_play_toggled)
        self.reset.clicked.connect(self.reset_clicked)
        self.run.clicked.connect(lambda: self.run_clicked.emit(int(self.episodes.currentData())))
        self.speed.valueChanged.connect(self.speed_changed)
        self.seed.valueChanged.connect(self.seed_changed)

    def _button(self, text: str, tip: str) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setToolTip(tip)
        button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)  # keys stay with the lesson
        return button

    def _on_play_toggled(self, playing: bool) -> None:
        self.play.setText("Pause" if playing else "Play")
        self.play_toggled.emit(playing)

    def set_playing(self, playing: bool) -> None:
        blocked = self.play.blockSignals(True)
        self.play.setChecked(playing)
        self.play.setText("Pause" if playing else "Play")
        self.play.blockSignals(blocked)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.previous, self.next, self.play, self.reset, self.run, self.seed):
            widget.setEnabled(not busy)
        if not busy:
            self.progress.setValue(0)

    def set_progress(self, fraction: float) -> None:
        self.progress.setValue(int(1000 * fraction))
