"""The 0–1 line split into the two places' segments, with the Agent's draw u landing on it."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme.style import color
from .type_scale import font_px


class ChoiceLine(QtWidgets.QWidget):
    """Segments are given left to right as (label, width, colour); `u` is where the draw landed.

    `progress` in [0, 1] animates the drop of u from above the line onto it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._segments: list[tuple[str, float, str]] = []
        self._u: float | None = None
        self._chosen: int | None = None
        self.progress = 1.0
        self.setMinimumHeight(80)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def set_state(self, segments: list[tuple[str, float, str]], u: float | None,
                  chosen: int | None) -> None:
        if (segments, u, chosen) == (self._segments, self._u, self._chosen):
            return  # a slider that leaves the line as it was (the learning rate): no repaint
        self._segments, self._u, self._chosen = segments, u, chosen
        self.update()

    def set_progress(self, t: float) -> None:
        if t != self.progress:  # a slider move sets 1.0 again: no repaint for it
            self.progress = t
            self.update()

    def smallest_text_px(self) -> float:
        """Its labels, ends and u are all in the widget's font (the window's zoom sets it)."""
        return font_px(self.font()) * self.devicePixelRatioF()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(600, int(self.fontMetrics().height() * 4))

    def paintEvent(self, _event) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        margin = fm.horizontalAdvance("0.00")
        left, right = margin, self.width() - margin
        y = self.height() * 0.62
        bar_h = fm.height() * 0.9
        x = left
        if not self._segments:   # no guess yet: the empty 0–1 line its labels belong to
            p.setPen(QtGui.QPen(QtGui.QColor(color("muted")), 1.5, QtCore.Qt.PenStyle.DashLine))
            p.drawRect(QtCore.QRectF(left, y - bar_h / 2, right - left, bar_h))
        for i, (label, width, col) in enumerate(self._segments):
            w = (right - left) * width
            rect = QtCore.QRectF(x, y - bar_h / 2, w, bar_h)
            fill = QtGui.QColor(col)
            fill.setAlpha(255 if i == self._chosen else 110)
            p.fillRect(rect, fill)
            if w > fm.horizontalAdvance(label) + 8:
                p.setPen(QtGui.QColor("white" if i == self._chosen else color("text")))
                p.drawText(rect, QtCore.Qt.AlignmentFlag.AlignCenter, label)
            x += w
        p.setPen(QtGui.QPen(QtGui.QColor(color("text")), 1.5))
        for value in (0.0, 1.0):
            tx = left + (right - left) * value
            p.drawText(QtCore.QRectF(tx - margin, y + bar_h / 2, 2 * margin, fm.height() * 1.2),
                       QtCore.Qt.AlignmentFlag.AlignCenter, f"{value:g}")
        if self._u is not None:
            self._draw_u(p, left + (right - left) * self._u, y - bar_h / 2, fm)
        p.end()

    def _draw_u(self, p: QtGui.QPainter, ux: float, top: float, fm: QtGui.QFontMetrics) -> None:
        drop = (1.0 - self.progress) * top * 0.8
        tip = top - 2 - drop
        agent = QtGui.QColor(color("agent"))
        p.setPen(QtGui.QPen(agent, 3))
        p.setBrush(agent)
        tri = QtGui.QPolygonF([QtCore.QPointF(ux, tip), QtCore.QPointF(ux - 9, tip - 14),
                               QtCore.QPointF(ux + 9, tip - 14)])
        p.drawPolygon(tri)
        text = f"u = {self._u:.3f}"
        tw = fm.horizontalAdvance(text)
        tx = min(max(ux - tw / 2, 0), self.width() - tw)
        p.drawText(QtCore.QPointF(tx, tip - 18), text)
