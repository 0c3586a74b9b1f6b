"""A math view that shrinks its type to fit the space it is given, never below a floor, so a long
chain rule stays whole on a projector instead of being clipped or scrolled. While presenting the
floor is the presenting type scale's: body text BODY_PX, its scripts SMALLEST_PX at the least."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtWidgets

from ..theme.style import BASE_POINT_SIZE, EQUATION_SCALE
from .math_view import MathView
from .type_scale import BODY_PX, SMALLEST_PX, px_to_pt

MIN_FRACTION = 0.5   # never smaller than this share of the unzoomed preferred size


class FittedMath(QtWidgets.QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.view = MathView()
        self.view.setParent(self)
        self.preferred = BASE_POINT_SIZE * EQUATION_SCALE
        self.presenting = False
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        self._least_width = 0   # the widest its lines have been at the floor size (grow-only)

    def set_lines(self, lines, grow: bool = True) -> None:
        """`grow=False` while a slider drags the same record: the type may shrink to keep a
        widened line whole, but does not grow back on the next step. Numbers change width as the
        slider moves, and a size that followed them every few steps laid out and repainted every
        line anew (a quarter of all steps of a drag)."""
        self._lines = list(lines)
        self.view.set_lines(self._lines)
        self._fit(grow)

    def lines(self):
        return self.view.lines()

    def set_zoom(self, zoom: float) -> None:
        self.preferred = BASE_POINT_SIZE * EQUATION_SCALE * zoom
        self._fit()

    def set_presenting(self, on: bool) -> None:
        self.presenting = on
        self._least_width = 0   # the floor is another: measured again
        self._fit()

    def smallest_text_px(self) -> float:
        return self.view.smallest_text_px()

    def apply_theme(self) -> None:
        self.view.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit()   # resized while hidden (a lazily built tab, a zoom), it had no resize event

    def event(self, event) -> bool:
        if event.type() == QtCore.QEvent.Type.LayoutRequest and self.view.size() != self.view.sizeHint():
            # the view laid itself out anew outside a fit (its font came with the window's style
            # sheet as the tab was first shown): 488 px of lines sat in 484 until the next resize.
            # A fit leaves the view at its size hint, so a fit's own relayout (every slider step)
            # is not fitted twice. Shrink only, as a drag's steps are (see set_lines).
            self._fit(may_grow=False)
        return super().event(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if len(self.view.lines()) < len(getattr(self, "_lines", ())):
            self.view.set_lines(self._lines)   # more room: the context lines may come back
        self._fit()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(600, 400)

    def minimumSizeHint(self) -> QtCore.QSize:
        """At least as wide as its lines at the floor size: narrower, they would be cut off (the
        loss formula in a squeezed column at 1.3× on a 1024-px projector)."""
        return QtCore.QSize(max(self._least_width, 200), 0)

    def _note_least_width(self) -> None:
        # Grow-only, and asked again only when it grows: numbers change width on every slider
        # step, and a minimum that followed them would lay the whole tab out again each time.
        current = self.view.point_size()
        if current <= 0:
            return
        # lines scale about with the point size; 5 % more for glyphs that do not (see _fit_size)
        width = math.ceil(self.view.sizeHint().width() * self._floor(current) / current * 1.05) + 16
        if width > self._least_width:
            self._least_width = width
            self.updateGeometry()

    def _fit(self, may_grow: bool = True) -> None:
        """The lines at the largest size that fits; where even the smallest size does not (a
        720-px projector, the Update phase's seven lines), the grey lines that recall earlier
        phases go first, from the top, so the phase's own lines are never cut off."""
        self._fit_size(may_grow)
        shown = list(self.view.lines())
        while not self._whole() and any(grey for _latex, grey in shown):
            shown.pop(next(i for i, (_latex, grey) in enumerate(shown) if grey))
            self.view.set_lines(shown)
            self._fit_size(True)
        self._note_least_width()

    def _whole(self) -> bool:
        hint = self.view.sizeHint()
        return hint.width() + 8 <= self.width() and hint.height() + 8 <= self.height()

    def _fit_size(self, may_grow: bool = True) -> None:
        """One layout at the current size, and a second only if the fitting size differs: the
        layout scales about with the point size, so the fitting size follows from the first (a
        third look corrects a line whose glyphs did not scale in proportion)."""
        for _ in range(3):
            if not self._fit_step(may_grow):
                break
        # The steps assume widths in proportion to the size, and glyphs are not quite: 19 pt
        # predicted 470 px at 20 pt, which took 488 and was cut, and the steps went round
        # 19 → 20 → 19 → 20. Never end on a size that cuts: half points down to the floor.
        view = self.view
        while not self._whole() and view.point_size() - 0.5 >= self._floor(view.point_size()):
            view.set_point_size(view.point_size() - 0.5)
        self.view.resize(self.view.sizeHint())
        self.view.move(8, 8)

    def _floor(self, current: float) -> float:
        """The least point size: a share of the unzoomed size; presenting, the size at which the
        body is BODY_PX and the smallest script SMALLEST_PX device pixels (a script is a share
        of the body: 0.7 in the lessons' lines)."""
        floor = BASE_POINT_SIZE * EQUATION_SCALE * MIN_FRACTION
        if not self.presenting:
            return floor
        dpr = self.devicePixelRatioF()
        smallest = self.view.smallest_text_px() / dpr
        share = px_to_pt(smallest) / current if math.isfinite(smallest) else 1.0
        least = max(floor, px_to_pt(BODY_PX / dpr), px_to_pt(SMALLEST_PX / dpr) / share)
        return math.ceil(2 * least) / 2   # the half points the fitting steps in

    def _fit_step(self, may_grow: bool) -> bool:
        """One fitting; True when it changed the point size."""
        view = self.view
        hint = view.sizeHint()
        current = view.point_size()
        if hint.width() > 0 and hint.height() > 0:
            at_preferred = self.preferred / current
            # the room inside the 8-px margin the view is placed at (see _whole)
            ratio = min(1.0, (self.width() - 8) / (hint.width() * at_preferred),
                        (self.height() - 8) / (hint.height() * at_preferred))
            # Numbers change width on every slider step. Re-fitting each time would lay every line
            # out again at a new size; instead the size steps in half points, shrinks only when
            # the lines no longer fit, and grows when a whole point more (or everything) fits.
            # The floor is a share of the unzoomed size: zoomed in (presenting), a long line may
            # give back the zoom before it is cut off.
            floor = self._floor(current)
            target = max(self.preferred, floor)
            if ratio < 1.0:
                target = max(math.floor(self.preferred * ratio * 0.98 * 2) / 2, floor)
            fits = hint.width() + 8 <= self.width() and hint.height() + 8 <= self.height()
            shrink = target < current and (not fits or current > self.preferred)  # or zoomed out
            grow = may_grow and (target >= current + 1.0 or (ratio >= 1.0 and target > current))
            if shrink or grow:
                view.set_point_size(target)
                return True
        return False
