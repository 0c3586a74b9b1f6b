"""The presenting type scale: what the back row of a lecture hall reads on a 1280×720 projector.

While presenting, body text (captions, equations, a picture's main labels) is at least BODY_PX
and no text on the stage is under SMALLEST_PX, both in device pixels. A widget that draws its own
text takes part with two methods:

- `set_presenting(on)`: the tab calls it on each of its widgets that has it when presenting
  starts or ends (`set_presenting` below); the widget then keeps its text at SMALLEST_PX or more,
  laying out or leaving out what does not fit rather than drawing it smaller;
- `smallest_text_px()`: the height in device pixels of the smallest text it shows now
  (`math.inf` when it shows none), which the screen-fit test reads.

Labels, buttons and the like are measured by their font (`widget_text_px`); their size follows the
window's zoom, which presentation mode raises one step.
"""
from __future__ import annotations

import math

from PySide6 import QtGui, QtWidgets

BODY_PX = 24      # captions, equations and a picture's main labels, while presenting
SMALLEST_PX = 20  # tick labels, node labels, table cells: any text on the stage, while presenting


class FollowsTypeScale:
    """A widget whose fonts follow the window's zoom and the presenting type scale: it keeps both
    and rebuilds its fonts (its own `_set_fonts()`) when either changes."""
    _zoom = 1.0
    presenting = False

    def set_zoom(self, zoom: float) -> None:
        self._zoom = zoom
        self._set_fonts()

    def set_presenting(self, on: bool) -> None:
        self.presenting = on
        self._set_fonts()


def set_presenting(root: QtWidgets.QWidget, on: bool) -> None:
    """Every widget under root that scales its own text follows presentation mode."""
    for widget in root.findChildren(QtWidgets.QWidget):
        if callable(getattr(widget, "set_presenting", None)):
            widget.set_presenting(on)


def font_px(font: QtGui.QFont) -> float:
    """A font's height in logical pixels (its pixel size, or its point size at the screen's DPI)."""
    if font.pixelSize() > 0:
        return float(font.pixelSize())
    return pt_to_px(font.pointSizeF())


def pt_to_px(points: float) -> float:
    return points * QtGui.QFontMetricsF(QtGui.QFont()).fontDpi() / 72.0


def px_to_pt(pixels: float) -> float:
    return pixels * 72.0 / QtGui.QFontMetricsF(QtGui.QFont()).fontDpi()


def at_least(font: QtGui.QFont, px: float) -> QtGui.QFont:
    """The font, or a copy of it at `px` logical pixels where it is smaller."""
    if font_px(font) >= px:
        return font
    larger = QtGui.QFont(font)
    larger.setPixelSize(math.ceil(px))
    return larger


def widget_text_px(widget: QtWidgets.QWidget) -> float:
    """The smallest text a widget shows, in device pixels: its own report where it paints its
    text, else its font's size."""
    report = getattr(widget, "smallest_text_px", None)
    if callable(report):
        return report()
    return font_px(widget.font()) * widget.devicePixelRatioF()


def floor_px(widget: QtWidgets.QWidget, presenting: bool) -> float:
    """The least text size in the widget's logical pixels: SMALLEST_PX device pixels while
    presenting, no floor otherwise."""
    return SMALLEST_PX / widget.devicePixelRatioF() if presenting else 0.0
