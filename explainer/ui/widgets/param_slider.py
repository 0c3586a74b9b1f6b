"""A labelled float slider whose name is written in the colour of what it controls: a slider to
drag and a box to type an exact value. (Written here rather than taken from a widget library,
whose import alone cost ~0.2 s of the window's start-up.)

The slider spans the range worth dragging over; the box takes the run's whole range, so a value
the run reached beyond the slider's ends (a bias trained to −25 on a ±20 slider) is shown as it
is, with the handle held at the end."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style

TICKS = 1000  # slider positions across the range


class FloatSlider(QtWidgets.QWidget):
    """A horizontal slider over [low, high] with its value in an editable box beside it; the value
    may go anywhere in `limits` (default [low, high])."""

    valueChanged = QtCore.Signal(float)

    def __init__(self, low: float, high: float, decimals: int,
                 limits: tuple[float, float] | None = None) -> None:
        super().__init__()
        self._low, self._high = float(low), float(high)
        self._limits = (float(limits[0]), float(limits[1])) if limits else (self._low, self._high)
        self._value = self._low
        self.ticks = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.ticks.setRange(0, TICKS)
        self.box = QtWidgets.QDoubleSpinBox(decimals=decimals, minimum=self._limits[0],
                                            maximum=self._limits[1], singleStep=10 ** -decimals,
                                            keyboardTracking=False)
        self.box.setButtonSymbols(QtWidgets.QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.box.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
        widest = f"{-max(abs(self._limits[0]), abs(self._limits[1])):.{decimals}f}"
        self.box.setFixedWidth(self.box.fontMetrics().horizontalAdvance(widest) + 16)
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
        value = min(max(float(value), self._limits[0]), self._limits[1])
        if value == self._value:
            return
        self._value = value
        self._show(value)
        self.valueChanged.emit(value)

    def _on_ticks(self, tick: int) -> None:
        self.setValue(self._low + (self._high - self._low) * tick / TICKS)

    def _show(self, value: float) -> None:
        """Move the handle and the box to the value without either echoing it back; beyond the
        slider's ends the handle stays at the end and the box shows the value."""
        span = self._high - self._low
        tick = min(max(round((value - self._low) / span * TICKS), 0), TICKS) if span else 0
        for widget, shown in ((self.ticks, tick), (self.box, value)):
            blocked = widget.blockSignals(True)
            widget.setValue(shown)
            widget.blockSignals(blocked)


class ParamSlider(QtWidgets.QWidget):
    value_changed = QtCore.Signal(float)

    def __init__(self, name: str, low: float, high: float, value: float, colour: str,
                 decimals: int = 2, tooltip: str = "",
                 limits: tuple[float, float] | None = None) -> None:
        super().__init__()
        self.name = name
        self.colour = colour
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(0)
        self.label = QtWidgets.QLabel(name)
        self.apply_theme()
        self.slider = FloatSlider(low, high, decimals, limits)
        self.slider.setValue(value)
        self.slider._show(self.slider.value())
        self.slider.valueChanged.connect(self.value_changed)
        layout.addWidget(self.label)
        layout.addWidget(self.slider)
        if tooltip:
            self.setToolTip(tooltip)

    def apply_theme(self) -> None:
        """The name in its colour, greyed while the slider is switched off (a sheet's colour
        holds in every state unless it names the disabled one)."""
        self.label.setStyleSheet(f"QLabel {{ color: {self.colour}; font-weight: bold; }}"
                                 f"QLabel:disabled {{ color: {style.color('disabled')}; }}")

    def value(self) -> float:
        return self.slider.value()

    def set_value(self, value: float) -> None:
        """Follow the model without echoing a change back to it."""
        blocked = self.slider.blockSignals(True)
        self.slider.setValue(value)
        self.slider.blockSignals(blocked)
