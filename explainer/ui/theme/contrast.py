"""WCAG's relative luminance and contrast ratio, for text that must read against its background."""
from __future__ import annotations

import functools

from PySide6 import QtGui


def luminance(c: QtGui.QColor) -> float:
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())


def contrast(a: QtGui.QColor, b: QtGui.QColor) -> float:
    """From 1 (the same) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


LEAST_TEXT_CONTRAST = 4.5   # WCAG AA for text


def with_contrast(colour: QtGui.QColor, background: QtGui.QColor,
                  least: float = LEAST_TEXT_CONTRAST) -> QtGui.QColor:
    """`colour`, darkened (lightened on a dark background) until it has `least` contrast against
    `background`: the hue stays. Sky-blue derivatives were 1.8:1 on the light theme, orange 2:1.
    Cached: the equations ask it for every coloured number each time they are laid out."""
    return QtGui.QColor.fromRgba(_with_contrast(colour.rgba(), background.rgba(), least))


@functools.lru_cache(maxsize=256)
def _with_contrast(colour_rgba: int, background_rgba: int, least: float) -> int:
    colour, background = QtGui.QColor.fromRgba(colour_rgba), QtGui.QColor.fromRgba(background_rgba)
    dark = luminance(background) < 0.5
    for _ in range(16):
        if contrast(colour, background) >= least:
            break
        colour = colour.lighter(110) if dark else colour.darker(110)
    return colour.rgba()
