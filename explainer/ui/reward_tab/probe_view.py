"""Type any response to the selected prompt and see the Reward model's Reward for it at once.

The Reward updates while training runs, so the audience can watch a sentence they wrote rise or fall.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.format import num
from .controller import RewardController

TYPING_DEBOUNCE_MS = 150


class ProbeView(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.edit = QtWidgets.QLineEdit()
        self.edit.setPlaceholderText("Type a response to the selected prompt…")
        self.edit.setToolTip("Any words: the Reward model reads the prompt and your response "
                             "together and gives one number, the Reward")
        self.reward = QtWidgets.QLabel("Reward = —")
        self.reward.setStyleSheet(f"color: {style.color('reward')}; font-weight: bold;"
                                  f" font-size: {round(style.BASE_POINT_SIZE * 1.5)}pt;")
        self._timer = QtCore.QTimer(self, singleShot=True, interval=TYPING_DEBOUNCE_MS,
                                    timeout=self._send)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.returnPressed.connect(self._send)
        # The Reward has a line of its own under the response: beside a caption it was cut off
        # in the narrow column, at the moment the audience wants to read it.
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(QtWidgets.QLabel("Try a response:"))
        layout.addWidget(self.edit)
        layout.addWidget(self.reward, 0, QtCore.Qt.AlignmentFlag.AlignRight)
        controller.on_snapshot(self._render)

    def _send(self) -> None:
        self._timer.stop()
        self.controller.set_probe(self.edit.text())

    def _render(self) -> None:
        probe = self.controller.snapshot.probe
        shown = probe is not None and probe.text == self.edit.text()
        self.reward.setText(f"Reward = {num(probe.reward, 3, signed=True) if shown else '—'}")
