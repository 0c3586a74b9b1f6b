"""The Reward model's architecture, drawn: a copy of the fine-tuned Policy whose next-token layer is
crossed out and replaced by one output, the Reward. It reads the prompt and the response together.

    prompt + response ─▶ tokens ─▶ embedding ─▶ GRU body ─▶ ╳ next-token layer ╳
                                                             └──▶ reward head ─▶ R = 1.23
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from .. import style
from ..widgets.fitted_text import fitted_font

# Boxes as (key, title, subtitle, colour name); x positions are fractions of the width.
_BOXES = (
    ("tokens", "tokens", "prompt + response", "text"),
    ("embedding", "embedding", "copied from Policy", "policy"),
    ("body", "GRU body", "copied from Policy", "policy"),
    ("reward", "reward head", "one output: R", "reward"),
)
_COLUMNS = (0.0, 0.2, 0.4, 0.6)
_BOX_WIDTH = 0.17            # the reward head ends at 0.77 of the width: "R = +10.941" has the rest
REWARD_LEAST_SHARE = 0.7     # the Reward's type shrinks to fit its room, never below this share


class ArchitectureView(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.example = ""
        self.reward_text = "—"
        self.setToolTip("The Reward model: the fine-tuned Policy's embedding and GRU body, with its "
                        "next-token layer replaced by a single output, the Reward.\nIt reads the "
                        "prompt and the response together as one sequence.")

    def set_example(self, prompt: str, response: str, reward_text: str) -> None:
        """The input shown under the tokens box and the Reward it gets."""
        self.example = f"{prompt}  ⟨sep⟩  {response}" if prompt else ""
        self.reward_text = reward_text
        self.update()

    def minimumSizeHint(self) -> QtCore.QSize:
        """Both rows of boxes whole at the present text size; the "reads:" line only if there is
        room for it (a 720-px projector has none)."""
        return QtCore.QSize(300, math.ceil(_Geometry(self.rect(), self.font()).boxes_bottom()) + 4)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(800, math.ceil(_Geometry(self.rect(), self.font()).caption().bottom()))

    # --- painting ----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        geometry = _Geometry(self.rect(), self.font())
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

    def _two_lines(self, painter, rect: QtCore.QRectF, title: str, subtitle: str,
                   colour: str | None = None) -> None:
        font = QtGui.QFont(self.font())
        font.setBold(True)
        painter.setPen(QtGui.QColor(colour or style.color("text")))
        top, bottom = rect.adjusted(0, 4, 0, -rect.height() / 2), rect.adjusted(0, rect.height() / 2, 0, -4)
        painter.setFont(fitted_font(font, title, rect.width() - 8))
        painter.drawText(top, QtCore.Qt.AlignmentFlag.AlignCenter, title)
        font.setBold(False)
        font.setPointSizeF(font.pointSizeF() * 0.8)
        painter.setFont(fitted_font(font, subtitle, rect.width() - 8))
        painter.drawText(bottom, QtCore.Qt.AlignmentFlag.AlignCenter, subtitle)

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
        self._two_lines(painter, rect, "next-token layer", "removed", muted)
        painter.setPen(QtGui.QPen(QtGui.QColor(style.color("bad")), 5))
        painter.drawLine(rect.topLeft(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.topRight())

    def _reward_output(self, painter, g: "_Geometry") -> None:
        rect, font, text = self._reward_text(g)
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
        left = head.right() + 12
        font = fitted_font(font, text, g.width + 4 - left, REWARD_LEAST_SHARE)
        width = QtGui.QFontMetricsF(font).horizontalAdvance(text)
        return QtCore.QRectF(left, head.top(), width, head.height()), font, text

    def reward_rect(self) -> QtCore.QRectF:
        """Where the Reward's text is drawn (for tests)."""
        return self._reward_text(_Geometry(self.rect(), self.font()))[0]

    def _example(self, painter, g: "_Geometry") -> None:
        if not self.example or g.caption().bottom() > self.height():
            return
        painter.setFont(self.font())
        painter.setPen(QtGui.QColor(style.color("muted")))
        metrics = QtGui.QFontMetrics(self.font())
        text = metrics.elidedText(f"reads: {self.example}", QtCore.Qt.TextElideMode.ElideRight,
                                  int(g.width))
        painter.drawText(g.caption(), QtCore.Qt.AlignmentFlag.AlignLeft, text)


class _Geometry:
    """Where each box goes, for the widget's current size and font."""

    def __init__(self, rect: QtCore.QRect, font: QtGui.QFont) -> None:
        line = QtGui.QFontMetrics(font).height()
        self.width = rect.width() - 8
        self.box_height = 2.3 * line
        self.top = rect.top() + 6
        self.row = self.top + self.box_height + 14          # the main row, under the crossed box
        self.caption_top = self.row + self.box_height + 8
        self.line = line

    def box(self, key: str) -> QtCore.QRectF:
        index = [k for k, *_ in _BOXES].index(key)
        width = _BOX_WIDTH * self.width * (0.82 if key in ("embedding", "body") else 1.0)
        return QtCore.QRectF(4 + _COLUMNS[index] * self.width, self.row, width, self.box_height)

    def crossed(self) -> QtCore.QRectF:
        return self.box("reward").translated(0, -(self.box_height + 14))

    def caption(self) -> QtCore.QRectF:
        return QtCore.QRectF(4, self.caption_top, self.width, self.line * 1.4)

    def boxes_bottom(self) -> float:
        return self.row + self.box_height


def _arrow(painter, x0: float, x1: float, y: float) -> None:
    painter.drawLine(QtCore.QPointF(x0 + 4, y), QtCore.QPointF(x1 - 4, y))
    head = QtGui.QPolygonF([QtCore.QPointF(x1 - 4, y), QtCore.QPointF(x1 - 14, y - 6),
                            QtCore.QPointF(x1 - 14, y + 6)])
    painter.setBrush(painter.pen().color())
    painter.drawPolygon(head)
