"""The Reward model's architecture, drawn: a copy of the fine-tuned Policy whose next-token layer is
crossed out and replaced by one output, the Reward. It reads the prompt and the response together.

    prompt + response ─▶ tokens ─▶ embedding ─▶ GRU body ─▶ ╳ next-token layer ╳
                                                             └──▶ reward head ─▶ R = 1.23
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme import style
from ..widgets.fitted_text import fitted_font
from ..widgets.type_scale import at_least, floor_px, font_px

# Boxes as (key, title, subtitle, colour name); x positions are fractions of the width.
_BOXES = (
    ("tokens", "tokens", "prompt + response", "text"),
    ("embedding", "embedding", "copied from Policy", "policy"),
    ("body", "GRU body", "copied from Policy", "policy"),
    ("reward", "reward head", "one output: R", "reward"),
)
CROSSED = ("next-token layer", "removed")
_COLUMNS = (0.0, 0.19, 0.38, 0.57)
_BOX_WIDTH = 0.17            # the reward head ends at 0.74 of the width: "R = +10.941" has the rest
# Too narrow for the boxes' words (presenting on a 1024-px projector), the boxes take the whole
# width and the Reward goes under its head.
_NARROW_COLUMNS, _NARROW_BOX_WIDTH = (0.0, 0.255, 0.51, 0.765), 0.235
REWARD_LEAST_SHARE = 0.7     # the Reward's type shrinks to fit its room, never below this share


class ArchitectureView(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.example = ""
        self.reward_text = "—"
        self.presenting = False
        self._smallest = math.inf   # the smallest text the last paint drew, in device px
        self.setToolTip("The Reward model: the fine-tuned Policy's embedding and GRU body, with its "
                        "next-token layer replaced by a single output, the Reward.\nIt reads the "
                        "prompt and the response together as one sequence.")

    def set_example(self, prompt: str, response: str, reward_text: str) -> None:
        """The input shown under the tokens box and the Reward it gets."""
        self.example = f"{prompt}  ⟨sep⟩  {response}" if prompt else ""
        self.reward_text = reward_text
        self.update()

    def set_presenting(self, on: bool) -> None:
        """Presenting, no text under the type scale's least size: the boxes grow a line and a
        name that no longer fits its box wraps rather than shrinking."""
        self.presenting = on
        self.updateGeometry()
        self.update()

    def smallest_text_px(self) -> float:
        return self._smallest

    def _geometry(self) -> "_Geometry":
        lines = 3.4 if self.presenting else 2.3
        g = _Geometry(self.rect(), self.font(), lines)
        narrow = not self._words_fit(g)
        if narrow:
            g = _Geometry(self.rect(), self.font(), lines, narrow=True)
        # presenting, names wrap: the boxes are as tall as the most lines any of them takes
        needed = max(self._text_height(g.box("tokens").width(), title, subtitle)
                     for title, subtitle in [(t, n) for _k, t, n, _c in _BOXES] + [CROSSED])
        if needed + 6 > g.box_height:
            g = _Geometry(self.rect(), self.font(), (needed + 6) / g.line, narrow=narrow)
        return g

    def _text_height(self, box_width: float, title: str, subtitle: str) -> float:
        return sum(height for *_, height in self._blocks(box_width - 8, title, subtitle))

    def _words_fit(self, g: "_Geometry") -> bool:
        """Whether every word of every box fits its box at the size it would be drawn: at 1024 px
        presenting, "embedding" was cut to "mbeddin" and "R = +10.941" ran off the edge."""
        inner = g.box("tokens").width() - 8
        return all(max(QtGui.QFontMetricsF(font).horizontalAdvance(word) for word in text.split())
                   <= inner
                   for title, subtitle in [(t, n) for _k, t, n, _c in _BOXES] + [CROSSED]
                   for font, text, _height in self._blocks(inner, title, subtitle))

    def _fitted(self, font: QtGui.QFont, text: str, width: float, least_share: float = 0.0):
        """The font, smaller where the text would not fit the width, never under the least
        size while presenting (the text wraps instead); the size drawn is noted."""
        font = fitted_font(font, text, width, least_share)
        font = at_least(font, floor_px(self, self.presenting))
        self._smallest = min(self._smallest, font_px(font) * self.devicePixelRatioF())
        return font

    def minimumSizeHint(self) -> QtCore.QSize:
        """Both rows of boxes whole at the present text size; the "reads:" line only if there is
        room for it (a 720-px projector has none)."""
        return QtCore.QSize(300, math.ceil(self._geometry().boxes_bottom()) + 4)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(800, math.ceil(self._geometry().caption().bottom()))

    # --- painting ----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        self._smallest = math.inf
        geometry = self._geometry()
        for key, title, subtitle, colour in _BOXES:
            self._box(painter, geometry.box(key), title, subtitle, style.color(colour))
        self._arrows(painter, geometry)
        self._crossed_out_layer(painter, geometry)
        self._reward_output(painter, geometry)
        self._example(painter, geometry)
        painter.end()

    def _box(self, painter, rect: QtCore.QRectF, title: str, subtitle: str, colour: str) -> None:
        painter.setPen(QtGui.QPen(QtGui.QColor(colour), 3))
        tint = QtGui.QColor(colour)
        tint.setAlphaF(0.22)  # a tint over the background reads in light and dark themes alike
        painter.setBrush(tint if colour != style.color("text") else QtGui.QColor(style.color("panel")))
        painter.drawRoundedRect(rect, 8, 8)
        self._two_lines(painter, rect, title, subtitle)

    def _flags(self) -> QtCore.Qt.AlignmentFlag:
        flags = QtCore.Qt.AlignmentFlag.AlignHCenter   # presenting, a name may wrap
        if self.presenting:
            flags |= QtCore.Qt.TextFlag.TextWordWrap
        return flags

    def _blocks(self, width: float, title: str, subtitle: str) -> list:
        """The name in bold and its note, each as (font, text, height) at `width`."""
        bold = QtGui.QFont(self.font())
        bold.setBold(True)
        note = QtGui.QFont(self.font())
        note.setPointSizeF(note.pointSizeF() * 0.8)
        area = QtCore.QRectF(0, 0, width, 10_000)
        blocks = []
        for font, text in ((bold, title), (note, subtitle)):
            font = self._fitted(font, text, width)
            blocks.append((font, text, QtGui.QFontMetricsF(font).boundingRect(area, self._flags(), text).height()))
        return blocks

    def _two_lines(self, painter, rect: QtCore.QRectF, title: str, subtitle: str,
                   colour: str | None = None) -> None:
        """The name in bold over its note, centred in the box (each wraps if it must)."""
        inner = rect.adjusted(4, 2, -4, -2)
        flags = self._flags()
        blocks = self._blocks(inner.width(), title, subtitle)
        painter.setPen(QtGui.QColor(colour or style.color("text")))
        top = inner.top() + max(0.0, (inner.height() - sum(h for *_, h in blocks)) / 2)
        for font, text, height in blocks:
            painter.setFont(font)
            painter.drawText(QtCore.QRectF(inner.left(), top, inner.width(), height), flags, text)
            top += height

    def _arrows(self, painter, g: "_Geometry") -> None:
        pen = QtGui.QPen(QtGui.QColor(style.color("text")), 3)
        painter.setPen(pen)
        keys = [key for key, *_ in _BOXES]
        for left, right in zip(keys, keys[1:]):
            _arrow(painter, g.box(left).right(), g.box(right).left(), g.box(left).center().y())

    def _crossed_out_layer(self, painter, g: "_Geometry") -> None:
        """The Policy's next-token layer, above the reward head: crossed out, not used."""
        rect = g.crossed()
        muted = style.color("muted")
        painter.setPen(QtGui.QPen(QtGui.QColor(muted), 2, QtCore.Qt.PenStyle.DashLine))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 8, 8)
        self._two_lines(painter, rect, *CROSSED, muted)
        painter.setPen(QtGui.QPen(QtGui.QColor(style.color("bad")), 5))
        painter.drawLine(rect.topLeft(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.topRight())

    def _reward_output(self, painter, g: "_Geometry") -> None:
        rect, font, text = self._reward_text(g)
        if g.narrow:   # the head's one output, down to the Reward under it
            painter.setPen(QtGui.QPen(QtGui.QColor(style.color("text")), 3))
            head = g.box("reward")
            x = head.center().x()
            painter.drawLine(QtCore.QPointF(x, head.bottom() + 2), QtCore.QPointF(x, rect.top() - 2))
        painter.setFont(font)
        painter.setPen(QtGui.QColor(style.color("reward")))
        painter.drawText(rect, QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter,
                         text)

    def _reward_text(self, g: "_Geometry") -> tuple[QtCore.QRectF, QtGui.QFont, str]:
        """Beside the head, left-aligned: a Reward too wide for its room is set smaller and, at
        the least size, runs off the right edge rather than over the head (centred, it did)."""
        head = g.box("reward")
        font = QtGui.QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        text = f"R = {self.reward_text}"
        if g.narrow:   # under the head, centred on it as far as the right edge allows
            font = self._fitted(font, text, g.width, REWARD_LEAST_SHARE)
            width = QtGui.QFontMetricsF(font).horizontalAdvance(text)
            left = min(head.center().x() - width / 2, g.width + 4 - width)
            return QtCore.QRectF(left, g.output_top, width, g.output_height), font, text
        left = head.right() + 12
        font = self._fitted(font, text, g.width + 4 - left, REWARD_LEAST_SHARE)
        width = QtGui.QFontMetricsF(font).horizontalAdvance(text)
        return QtCore.QRectF(left, head.top(), width, head.height()), font, text

    def reward_rect(self) -> QtCore.QRectF:
        """Where the Reward's text is drawn (for tests)."""
        return self._reward_text(self._geometry())[0]

    def _example(self, painter, g: "_Geometry") -> None:
        if not self.example or g.caption().bottom() > self.height():
            return
        font = self._fitted(self.font(), "", g.width)
        painter.setFont(font)
        painter.setPen(QtGui.QColor(style.color("muted")))
        metrics = QtGui.QFontMetrics(font)
        text = metrics.elidedText(f"reads: {self.example}", QtCore.Qt.TextElideMode.ElideRight,
                                  int(g.width))
        painter.drawText(g.caption(), QtCore.Qt.AlignmentFlag.AlignLeft, text)


class _Geometry:
    """Where each box goes, for the widget's current size and font."""

    def __init__(self, rect: QtCore.QRect, font: QtGui.QFont, box_lines: float = 2.3,
                 narrow: bool = False) -> None:
        line = QtGui.QFontMetrics(font).height()
        self.narrow = narrow
        self.columns, self.box_width = ((_NARROW_COLUMNS, _NARROW_BOX_WIDTH) if narrow
                                        else (_COLUMNS, _BOX_WIDTH))
        self.width = rect.width() - 8
        self.box_height = box_lines * line
        self.top = rect.top() + 6
        self.row = self.top + self.box_height + 14          # the main row, under the crossed box
        # narrow: the Reward in a row of its own under its head (1.4× type, and a short arrow)
        self.output_top = self.row + self.box_height + 12
        self.output_height = 1.6 * line if narrow else 0.0
        self.caption_top = self.output_top + self.output_height + (0 if narrow else -4)
        self.line = line

    def box(self, key: str) -> QtCore.QRectF:
        index = [k for k, *_ in _BOXES].index(key)
        return QtCore.QRectF(4 + self.columns[index] * self.width, self.row,
                             self.box_width * self.width, self.box_height)

    def crossed(self) -> QtCore.QRectF:
        return self.box("reward").translated(0, -(self.box_height + 14))

    def caption(self) -> QtCore.QRectF:
        return QtCore.QRectF(4, self.caption_top, self.width, self.line * 1.4)

    def boxes_bottom(self) -> float:
        """The boxes' bottom, or the Reward's under them when narrow."""
        return self.output_top + self.output_height if self.narrow else self.row + self.box_height


def _arrow(painter, x0: float, x1: float, y: float) -> None:
    painter.drawLine(QtCore.QPointF(x0 + 4, y), QtCore.QPointF(x1 - 4, y))
    head = QtGui.QPolygonF([QtCore.QPointF(x1 - 4, y), QtCore.QPointF(x1 - 14, y - 6),
                            QtCore.QPointF(x1 - 14, y + 6)])
    painter.setBrush(painter.pen().color())
    painter.drawPolygon(head)
