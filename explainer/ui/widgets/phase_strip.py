"""The row of phase names above a lesson: where in the episode we are, at a glance."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme.style import color
from .flow_layout import FlowLayout


class PhaseStrip(QtWidgets.QWidget):
    """Shows e.g. Guess → Derivative → Reward → Update with the current one highlighted; on a
    narrow screen at large text the names wrap onto a second row rather than being cut."""

    def __init__(self, phases: tuple[str, ...], accents: dict[str, str]) -> None:
        super().__init__()
        self._labels: dict[str, QtWidgets.QLabel] = {}
        self._accents = accents
        row = FlowLayout(self)
        self.episode_label = QtWidgets.QLabel("Episode —")
        self.episode_label.setObjectName("episodeLabel")
        row.addWidget(self.episode_label)
        for i, phase in enumerate(phases):
            if i:
                arrow = QtWidgets.QLabel("→")
                arrow.setStyleSheet(f"color: {color('muted')};")
                row.addWidget(arrow)
            label = QtWidgets.QLabel(f"{i + 1}. {phase.capitalize()}")
            label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            self._labels[phase] = label
            row.addWidget(label)
        self.set_phase(None, None)

    def set_phase(self, phase: str | None, episode: int | None) -> None:
        self.episode_label.setText("Not started" if episode is None else f"Episode {episode + 1}")
        if getattr(self, "_phase", ...) == phase:
            return  # a style sheet re-polishes its label: only when the phase really changes
        self._phase = phase
        for name, label in self._labels.items():
            if name == phase:
                style = (f"background: {self._accents[name]}; color: white; border-radius: 6px;"
                         "padding: 4px 12px; font-weight: bold;")
            else:
                style = f"color: {color('muted')}; padding: 4px 12px;"
            label.setStyleSheet(style)

    def apply_theme(self) -> None:
        phase, self._phase = getattr(self, "_phase", None), ...
        text = self.episode_label.text()   # kept as shown (the RLHF tab counts updates)
        self.set_phase(phase, None)
        self.episode_label.setText(text)

    def current_text(self) -> str:
        for label in self._labels.values():
            if "font-weight: bold" in label.styleSheet():
                return label.text()
        return ""
