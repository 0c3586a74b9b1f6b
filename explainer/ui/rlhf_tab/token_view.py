"""A response token by token: one bar per token, as tall as the probability it had when drawn.

Every token is written whole under its bar: level where its column is wide enough, else on two
staggered rows (each label then has two columns of room), else at a slant. The labels get the
height they need first; the bars take what is left (at 720 px the slanted labels were cut to
"su", "pu", "<e" to leave the bars half the height).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme import style
from ..widgets.fitted_text import fitted_font
from ..widgets.format import num
from ..widgets.type_scale import FollowsTypeScale, at_least, floor_px, font_px

SLANT_DEGREES = 50   # steep enough that neighbouring slanted tokens do not overlap
GAP = 4              # px between a label and what is next to it
LEAST_BARS = 12      # px the bars keep however tall the labels
LEAST_HEIGHT = 72    # px at the least: zoomed in, the before/after rows need the room
PROB_LEAST_SHARE = 0.7   # how far a probability's type shrinks to fit its column


@dataclass(frozen=True)
class _Layout:
    """Where everything goes for one size: "level", "staggered" or "slanted" token labels."""
    mode: str
    column: float
    left: float      # where the first column starts (a slanted first label leans left of it)
    top: float       # the bars' top: room above them for the probabilities
    bottom: float    # the bars' base line; the token labels are under it
    line: float      # a token label's line height
    labels: float    # the height the token labels take under the bars


class TokenBars(FollowsTypeScale, QtWidgets.QWidget):
    def __init__(self, colour: str = "policy", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.tokens: tuple[str, ...] = ()
        self.probs: tuple[float, ...] = ()
        self.highlight: int | None = None
        self.placeholder = ""
        self.colour = QtGui.QColor(style.color(colour))
        self._least_height = LEAST_HEIGHT
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)

    def set_tokens(self, tokens, probs, highlight: int | None = None, placeholder: str = "") -> None:
        self.tokens, self.probs = tuple(tokens), tuple(probs)
        self.highlight, self.placeholder = highlight, placeholder
        self._note_least_height()
        self.setToolTip("P(token) when it was drawn: " + " · ".join(
            f"{t} {num(p, 3)}" for t, p in zip(self.tokens, self.probs)) if self.tokens else "")
        self.update()

    def _set_fonts(self) -> None:
        """The window's zoom and presenting reach painted text too: fonts are made at paint."""
        self._note_least_height()
        self.update()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(700, 220)

    # --- fonts and layout --------------------------------------------------------------------------
    def token_font(self) -> QtGui.QFont:
        font = QtGui.QFont(self.font())
        font.setPointSizeF(style.BASE_POINT_SIZE * self._zoom)
        font.setBold(True)
        return at_least(font, floor_px(self, self.presenting))

    def prob_font(self) -> QtGui.QFont:
        """Bold, smaller where ".78" is wider than a column (to 70 %; presenting, never under
        the type scale): at 1024 px neighbours ran together as ".78.98"."""
        font = QtGui.QFont(self.font())
        font.setPointSizeF((style.BASE_POINT_SIZE - 2) * self._zoom)
        font.setBold(True)
        if self.tokens:
            font = fitted_font(font, ".00", self.width() / len(self.tokens) - 4, PROB_LEAST_SHARE)
        return at_least(font, floor_px(self, self.presenting))

    def placeholder_font(self) -> QtGui.QFont:
        return at_least(self.font(), floor_px(self, self.presenting))

    def smallest_text_px(self) -> float:
        """The smallest text shown, in device pixels (the probabilities')."""
        font = self.prob_font() if self.tokens else self.placeholder_font()
        return font_px(font) * self.devicePixelRatioF() if self.tokens or self.placeholder \
            else float("inf")

    def minimumSizeHint(self) -> QtCore.QSize:
        """Tall enough for the labels the width calls for and the bars' least height: at 1024 px
        the slanted tokens were cut at the bottom ("warsav")."""
        return QtCore.QSize(super().minimumSizeHint().width(), self._least_height)

    def _note_least_height(self) -> None:
        least = LEAST_HEIGHT
        if self.tokens:
            g = self._layout()
            least = max(least, math.ceil(g.top + LEAST_BARS + g.labels))
        if least != self._least_height:
            self._least_height = least
            self.updateGeometry()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():   # the labels' mode follows the width
            self._note_least_height()

    def _layout(self) -> _Layout:
        metrics = QtGui.QFontMetricsF(self.token_font())
        widest = max(metrics.horizontalAdvance(t) for t in self.tokens)
        line = metrics.height()
        top = QtGui.QFontMetricsF(self.prob_font()).height() + GAP
        column, left = self.width() / len(self.tokens), 0.0
        if widest + GAP <= column:
            mode, labels = "level", line + GAP
        elif widest + GAP <= 2 * column or len(self.tokens) < 2:
            mode, labels = "staggered", 2 * line + GAP
        else:   # written down-right from under each bar: room for the first's lean, the last's run
            mode = "slanted"
            angle = math.radians(SLANT_DEGREES)
            labels = widest * math.sin(angle) + line * math.cos(angle) + GAP
            last = metrics.horizontalAdvance(self.tokens[-1]) * math.cos(angle) + GAP
            lean = line * math.sin(angle)
            column = (self.width() - last - lean) / (len(self.tokens) - 0.5)
            left = max(0.0, lean - column / 2)
        bottom = max(top + LEAST_BARS, self.height() - labels)
        return _Layout(mode, column, left, top, bottom, line, labels)

    def label_rects(self, g: _Layout | None = None) -> list[QtCore.QRectF]:
        """Each token label's box in the widget (a slanted one's bounding box); `g`, the layout
        if already made (a paint makes it once)."""
        if not self.tokens:
            return []
        g = g or self._layout()
        metrics = QtGui.QFontMetricsF(self.token_font())
        rects = []
        for i, token in enumerate(self.tokens):
            width = metrics.horizontalAdvance(token)
            centre = g.left + (i + 0.5) * g.column
            if g.mode == "slanted":
                transform = QtGui.QTransform().translate(centre, g.bottom + GAP).rotate(SLANT_DEGREES)
                rects.append(transform.mapRect(QtCore.QRectF(0, 0, width, g.line)))
            else:   # centred under its bar, but never past the widget's edges
                row = i % 2 if g.mode == "staggered" else 0
                left = min(max(centre - width / 2, 0.0), self.width() - width)
                rects.append(QtCore.QRectF(left, g.bottom + 2 + row * g.line, width, g.line))
        return rects

    # --- painting ----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        if not self.tokens:
            painter.setFont(self.placeholder_font())
            painter.setPen(QtGui.QColor(style.color("muted")))
            painter.drawText(self.rect(), QtCore.Qt.AlignmentFlag.AlignCenter, self.placeholder)
            return
        g = self._layout()
        prob_font = self.prob_font()   # every probability bold, the first one too
        painter.setFont(prob_font)
        painter.setPen(QtGui.QColor(style.color("text")))
        label = QtGui.QFontMetricsF(prob_font).height()
        for i, p in enumerate(self.probs):
            self._bar(painter, i, g, p, label)
        painter.setFont(self.token_font())
        for i, (token, rect) in enumerate(zip(self.tokens, self.label_rects(g))):
            if g.mode == "slanted":
                painter.save()
                painter.translate(g.left + (i + 0.5) * g.column, g.bottom + GAP)
                painter.rotate(SLANT_DEGREES)
                painter.drawText(QtCore.QRectF(0, 0, rect.width() * 4, g.line),
                                 QtCore.Qt.AlignmentFlag.AlignLeft, token)
                painter.restore()
            else:
                painter.drawText(rect, QtCore.Qt.AlignmentFlag.AlignCenter, token)

    def _bar(self, painter, i: int, g: _Layout, p: float, label: float) -> None:
        """Bar i and its probability above it (in the painter's font, `label` px high)."""
        x = g.left + i * g.column
        height = max(1.0, (g.bottom - g.top) * p)
        fill = QtGui.QColor(style.color("derivative") if i == self.highlight else self.colour)
        painter.fillRect(QtCore.QRectF(x + 3, g.bottom - height, g.column - 6, height), fill)
        painter.drawText(QtCore.QRectF(x - 8, g.bottom - height - label - 2, g.column + 16, label),
                         QtCore.Qt.AlignmentFlag.AlignCenter, short(p))


def short(p: float) -> str:
    """0.77 → ".77", 0.998 → "1": narrow columns still show every token's probability."""
    return "1" if p >= 0.995 else f"{p:.2f}".lstrip("0")
