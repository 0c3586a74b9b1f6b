"""A labelled float slider whose name is written in the colour of what it controls: a slider to
drag and a box to type an exact value. (Written here rather than taken from a widget library,
whose import alone cost ~0.2 s of the window's start-up.)"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

TICKS = 1000  # slider positions across the range


class FloatSlider(QtWidgets.QWidget):
    """A horizontal slider over [low, high] with its value in an editable box beside it."""

    valueChanged = QtCore.Signal(float)

    def __init__(self, low: float, high: float, decimals: int) -> None:
        super().__init__()
        self._low, self._high = float(low), float(high)
        self._value = self._low
        self.ticks = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.ticks.setRange(0, TICKS)
        self.box = QtWidgets.QDoubleSpinBox(decimals=decimals, minimum=low, maximum=high,
                                            singleStep=10 ** -decimals, keyboardTracking=False)
        self.box.setButtonSymbols(QtWidgets.QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.box.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
        self.box.setFixedWidth(self.box.fontMetrics().horizontalAdvance(f"{-max(abs(low), abs(high)):.{decimals}f}") + 16)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.ticks, 1)
        row.addWidget(self.box)
        self.ticks.valueChanged.connect(self._on_ticks)
        self.box.valueChanged.connect(self.setValue)

    def minimum(self) -> float:
        return self._low

    def maximum(self) -> float:
        return self._high

    def value(self) -> float:
        return self._value

    def setValue(self, value: float) -> None:
        value = min(max(float(value), self._low), self._high)
        if value == self._value:
            return
        self._value = value
        self._show(value)
        self.valueChanged.emit(value)

    def _on_ticks(self, tick: int) -> None:
        self.setValue(self._low + (self._high - self._low) * tick / TICKS)

    def _show(self, value: float) -> None:
        """Move the handle and the box to the value without either echoing it back."""
        span = self._high - self._low
        for widget, shown in ((self.ticks, round((value - self._low) / span * TICKS) if span else 0),
                              (self.box, value)):
            blocked = widget.blockSignals(True)
            widget.setValue(shown)
            widget.blockSignals(blocked)


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
        self.slider = FloatSlider(low, high, decimals)
        self.slider.setValue(value)
        self.slider._show(self.slider.value())
        self.slider.valueChanged.connect(self.value_changed)
        layout.addWidget(self.label)
        layout.addWidget(self.slider)
        if tooltip:
            self.setToolTip(tooltip)

    def value(self) -> float:
        return self.slider.value()

    def set_value(self, value: float) -> None:
        """Follow the model without echoing a change back to it."""
        blocked = self.slider.blockSignals(True)
        self.slider.setValue(value)
        self.slider.blockSignals(blocked)
