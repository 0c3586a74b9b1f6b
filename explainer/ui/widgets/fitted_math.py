"""A math view that shrinks its type to fit the space it is given, never below a floor, so a long
chain rule stays whole on a projector instead of being clipped or scrolled."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtWidgets

from ..style import BASE_POINT_SIZE, EQUATION_SCALE
from .math_view import MathView

MIN_FRACTION = 0.55  # never smaller than this share of the preferred size


class FittedMath(QtWidgets.QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.view = MathView()
        self.view.setParent(self)
        self.preferred = BASE_POINT_SIZE * EQUATION_SCALE
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        self.setMinimumWidth(200)

    def set_lines(self, lines, grow: bool = True) -> None:
        """`grow=False` while a slider drags the same record: the type may shrink to keep a
        widened line whole, but does not grow back on the next step. Numbers change width as the
        slider moves, and a size that followed them every few steps laid out and repainted every
        line anew (a quarter of all steps of a drag)."""
        self.view.set_lines(lines)
        self._fit(grow)

    def lines(self):
        return self.view.lines()

    def set_zoom(self, zoom: float) -> None:
        self.preferred = BASE_POINT_SIZE * EQUATION_SCALE * zoom
        self._fit()

    def apply_theme(self) -> None:
        self.view.refresh()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(600, 400)

    def _fit(self, may_grow: bool = True) -> None:
        """One layout at the current size, and a second only if the fitting size differs: the
        layout scales with the point size, so the fitting size follows from the first."""
        view = self.view
        hint = view.sizeHint()
        current = view.point_size()
        if hint.width() > 0 and hint.height() > 0:
            at_preferred = self.preferred / current
            ratio = min(1.0, self.width() / (hint.width() * at_preferred),
                        self.height() / (hint.height() * at_preferred))
            # Numbers change width on every slider step. Re-fitting each time would lay every line
            # out again at a new size; instead the size steps in half points, shrinks only when
            # the lines no longer fit, and grows when a whole point more (or everything) fits.
            target = self.preferred
            if ratio < 1.0:
                target = max(math.floor(self.preferred * max(ratio * 0.98, MIN_FRACTION) * 2) / 2,
                             self.preferred * MIN_FRACTION)
            fits = hint.width() + 8 <= self.width() and hint.height() + 8 <= self.height()
            shrink = target < current and (not fits or current > self.preferred)  # or zoomed out
            grow = may_grow and (target >= current + 1.0 or (ratio >= 1.0 and target > current))
            if shrink or grow:
                view.set_point_size(target)
        view.resize(view.sizeHint())
        view.move(8, 8)
