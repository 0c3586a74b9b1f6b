"""A response token by token: one bar per token, as tall as the probability it had when drawn."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from .. import style
from ..format import num

MIN_COLUMN = 64   # narrower columns write their token at a slant
SLANT_DEGREES = 50   # steep enough that neighbouring slanted tokens do not overlap


class TokenBars(QtWidgets.QWidget):
    def __init__(self, colour: str = "policy", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.tokens: tuple[str, ...] = ()
        self.probs: tuple[float, ...] = ()
        self.highlight: int | None = None
        self.placeholder = ""
        self.zoom = 1.0
        self.colour = QtGui.QColor(style.color(colour))
        self.setMinimumHeight(72)   # zoomed in, the before/after rows need the room
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)

    def set_tokens(self, tokens, probs, highlight: int | None = None, placeholder: str = "") -> None:
        self.tokens, self.probs = tuple(tokens), tuple(probs)
        self.highlight, self.placeholder = highlight, placeholder
        self.setToolTip("P(token) when it was drawn: " + " · ".join(
            f"{t} {num(p, 3)}" for t, p in zip(self.tokens, self.probs)) if self.tokens else "")
        self.update()

    def set_zoom(self, zoom: float) -> None:
        """The window's Ctrl+= / Ctrl+- reach painted text too."""
        self.zoom = zoom
        self.update()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(700, 220)

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        if not self.tokens:
            painter.setPen(QtGui.QColor(style.color("muted")))
            painter.drawText(self.rect(), QtCore.Qt.AlignmentFlag.AlignCenter, self.placeholder)
            return
        column = self.width() / len(self.tokens)
        slanted = column < MIN_COLUMN
        if slanted:   # room on the right for the last token, which runs past its column
            column = (self.width() - self._slant_tail(column)) / len(self.tokens)
        # Squeezed (zoomed-in before/after rows take the room), the bars keep half the height and
        # the slanted labels are cut at the bottom instead.
        top = min(30.0, 0.22 * self.height())
        label_h = min(84 if slanted else 34, 0.5 * (self.height() - top))
        bottom = self.height() - label_h
        for i, (token, p) in enumerate(zip(self.tokens, self.probs)):
            self._bar(painter, i, column, top, bottom, token, p, slanted)

    def _token_font(self, slanted: bool) -> QtGui.QFont:
        font = QtGui.QFont(self.font())
        font.setPointSizeF((style.BASE_POINT_SIZE - (1 if slanted else 0)) * self.zoom)
        font.setBold(True)
        return font

    def _slant_tail(self, column: float) -> float:
        """How far the last token, written at a slant from its column's middle, runs past it."""
        width = QtGui.QFontMetricsF(self._token_font(True)).horizontalAdvance(self.tokens[-1])
        reach = width * math.cos(math.radians(SLANT_DEGREES)) + 8
        return max(12.0, reach - column / 2)

    def _bar(self, painter, i, column, top, bottom, token, p, slanted) -> None:
        x = i * column
        height = max(1.0, (bottom - top) * p)
        fill = QtGui.QColor(style.color("derivative") if i == self.highlight else self.colour)
        painter.fillRect(QtCore.QRectF(x + 3, bottom - height, column - 6, height), fill)
        font = QtGui.QFont(self.font())   # every probability bold, the first one too
        font.setPointSizeF((style.BASE_POINT_SIZE - (4 if slanted else 2)) * self.zoom)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QtGui.QColor(style.color("text")))
        painter.drawText(QtCore.QRectF(x, bottom - height - 26, column, 24),
                         QtCore.Qt.AlignmentFlag.AlignCenter, short(p))
        painter.setFont(self._token_font(slanted))
        if slanted:
            painter.save()
            painter.translate(x + column / 2, bottom + 6)
            painter.rotate(SLANT_DEGREES)
            painter.drawText(QtCore.QPointF(0, 12), token)
            painter.restore()
        else:
            painter.drawText(QtCore.QRectF(x, bottom + 2, column, 30),
                             QtCore.Qt.AlignmentFlag.AlignCenter, token)


def short(p: float) -> str:
    """0.77 → ".77", 0.998 → "1": narrow columns still show every token's probability."""
    return "1" if p >= 0.995 else f"{p:.2f}".lstrip("0")
