"""A font made smaller where a line of text would not fit its width, so it is never cut off."""
from __future__ import annotations

from PySide6 import QtGui


def fitted_font(font: QtGui.QFont, text: str, width: float, least_share: float = 0.0) -> QtGui.QFont:
    """The font itself if the text fits the width, else a copy in proportion smaller, but never
    below `least_share` of its size (nor 1 pt)."""
    needed = QtGui.QFontMetricsF(font).horizontalAdvance(text)
    if needed <= width or needed <= 0:
        return font
    smaller = QtGui.QFont(font)
    size = font.pointSizeF()
    smaller.setPointSizeF(max(size * width / needed, size * least_share, 1.0))
    return smaller
