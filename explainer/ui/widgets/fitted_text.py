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
    least = max(size * least_share, 1.0)
    smaller.setPointSizeF(max(size * width / needed, least))
    # Glyphs are hinted to whole pixels, so text is not quite in proportion to its size: the
    # proportional size still ran past the width ("rompt + respons" in the Reward model's box).
    for _ in range(8):
        if (QtGui.QFontMetricsF(smaller).horizontalAdvance(text) <= width
                or smaller.pointSizeF() <= least):
            break
        smaller.setPointSizeF(max(smaller.pointSizeF() * 0.97, least))
    return smaller
