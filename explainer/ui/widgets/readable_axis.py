"""A pyqtgraph value axis whose labels never stand on one another.

pyqtgraph asks for at least 2.25 intervals along any axis, with finer levels besides: along a
60-px history plot on a 720-px projector that put 0.2, 0.4, 0.6 and 0.8 in 17-px type into
each other. Here the major ticks are at least LABEL_GAP label heights apart where the axis has
room for one inside it (1, 2 or 5 × a power of ten, as pyqtgraph's own), and such an axis shows
only those: labels at its very ends are hidden by pyqtgraph when the grid is on.
"""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtGui

LABEL_GAP = 1.8   # label heights from one major tick to the next, at the least


def coarser(step: float) -> float:
    """The next round step above `step`: 1 → 2 → 5 → 10 (times a power of ten)."""
    power = 10.0 ** math.floor(math.log10(step) + 1e-9)
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * power > step * (1 + 1e-9):
            return m * power
    return 10.0 * power


class ReadableAxis(pg.AxisItem):
    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        span = abs(maxVal - minVal)
        if not levels or span == 0 or size <= 0 or self.orientation not in ("left", "right"):
            return levels
        font = self.style.get("tickFont") or QtGui.QFont()
        least = LABEL_GAP * QtGui.QFontMetricsF(font).height() * span / size
        major, offset = levels[0]
        if major >= least:
            return levels
        while major < least and coarser(major) <= span / 2:   # one tick inside, at the least
            major = coarser(major)
        return [(major, offset)]   # finer levels would only crowd in again
