"""A labelled float slider whose name is written in the colour of what it controls."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from superqt.sliders import QLabeledDoubleSlider  # not all of superqt: ~50 ms less at start-up


class ParamSlider(QtWidgets.QWidget):
    value_changed = QtCore.Signal(float)

    def __init__(self, name: str, low: float, high: float, value: float, colour: str,
                 decimals: int = 2, tooltip: str = "") -> None:
        super().__init__()
        self.name = name
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(0)
        self.label = QtWidgets.QLabel(name)
        self.label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.slider = QLabeledDoubleSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(low, high)
        self.slider.setDecimals(decimals)
        self.slider.setSingleStep(10 ** -decimals)
        self.slider.setValue(value)
        self.slider.valueChanged.connect(self._on_slider_changed)
        layout.addWidget(self.label)
        layout.addWidget(self.slider)
        if tooltip:
            self.setToolTip(tooltip)

    def _on_slider_changed(self, value: float) -> None:
        self.value_changed.emit(float(value))

    def value(self) -> float:
        return float(self.slider.value())

    def set_value(self, value: float) -> None:
        """Follow the model without echoing a change back to it."""
        blocked = self.slider.blockSignals(True)
        self.slider.setValue(value)
        self.slider.blockSignals(blocked)
