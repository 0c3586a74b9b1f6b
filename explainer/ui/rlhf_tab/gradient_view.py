"""∂C/∂logits at one position: softmax − one-hot as signed horizontal bars, one row per token."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme import style
from ..widgets.format import num
from ..widgets.type_scale import FollowsTypeScale, at_least, floor_px, font_px

ROWS = 4   # the sampled token and the three likeliest others


class GradientBars(FollowsTypeScale, QtWidgets.QWidget):
    """Rows: token, P, ideal (the guess), P − ideal drawn as a bar left (<0) or right (>0) of 0."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.gradient = None
        self.placeholder = ""
        self.setMinimumHeight(76)   # zoomed in, the before/after rows need the room
        self.setToolTip("The derivative of the cross entropy for each logit: softmax − one-hot. "
                        "The sampled token's entry is P − 1 (negative: raise it); every other "
                        "token's is its P (positive: lower it).")

    def set_gradient(self, gradient, placeholder: str = "") -> None:
        self.gradient, self.placeholder = gradient, placeholder
        self.update()

    def _set_fonts(self) -> None:
        """The window's zoom and presenting reach painted text too: fonts are made at paint."""
        self.update()

    def text_font(self) -> QtGui.QFont:
        """Every text of the table in one size: the body's, never under the least presenting."""
        font = QtGui.QFont(self.font())
        font.setPointSizeF(style.BASE_POINT_SIZE * self._zoom)
        return at_least(font, floor_px(self, self.presenting))

    def smallest_text_px(self) -> float:
        shown = self.gradient is not None or self.placeholder
        return font_px(self.text_font()) * self.devicePixelRatioF() if shown else float("inf")

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(600, 220)

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        font = self.text_font()
        painter.setFont(font)
        if self.gradient is None:
            painter.setPen(QtGui.QColor(style.color("muted")))
            painter.drawText(self.rect(), QtCore.Qt.AlignmentFlag.AlignCenter, self.placeholder)
            return
        # As many rows as fit whole at this text size (the sampled token's first): squeezed by
        # zoomed-in before/after rows, the table drops rows instead of overlapping them.
        line = QtGui.QFontMetricsF(font).height() * 1.1
        fit = max(1, int(self.height() / line) - 1)
        entries = self.gradient.entries[:min(ROWS, fit)]
        row_h = min(40.0, self.height() / (len(entries) + 1))
        columns = self._columns()
        self._header(painter, columns, row_h)
        for k, entry in enumerate(entries):
            self._row(painter, columns, (k + 1) * row_h, row_h, entry, k == 0)

    def _columns(self) -> tuple[float, float, float, float]:
        w = self.width()
        return 0.0, 0.26 * w, 0.40 * w, 0.52 * w   # token, P, ideal, bar

    def _header(self, painter, columns, row_h) -> None:
        painter.setPen(QtGui.QColor(style.color("muted")))
        for x, text in zip(columns, ("token", "P", "ideal", "∂C/∂logit = P − ideal")):
            painter.drawText(QtCore.QRectF(x, 0, self.width() - x, row_h),
                             QtCore.Qt.AlignmentFlag.AlignVCenter, text)

    def _row(self, painter, columns, y, row_h, entry, sampled: bool) -> None:
        align = QtCore.Qt.AlignmentFlag.AlignVCenter
        font = painter.font()
        font.setBold(sampled)
        painter.setFont(font)
        painter.setPen(QtGui.QColor(style.color("policy" if sampled else "text")))
        painter.drawText(QtCore.QRectF(columns[0], y, columns[1], row_h), align, entry.token)
        painter.setPen(QtGui.QColor(style.color("text")))
        painter.drawText(QtCore.QRectF(columns[1], y, 120, row_h), align, small(entry.p))
        painter.drawText(QtCore.QRectF(columns[2], y, 80, row_h), align, f"{entry.ideal:.0f}")
        self._bar(painter, columns[3], y, row_h, entry.dloss_dlogit)

    def _bar(self, painter, left, y, row_h, value) -> None:
        width = self.width() - left
        zero = left + width * 0.5
        length = width * 0.5 * max(-1.0, min(1.0, value))
        rect = QtCore.QRectF(min(zero, zero + length), y + row_h * 0.2, abs(length), row_h * 0.6)
        painter.fillRect(rect, QtGui.QColor(style.color("derivative")))
        painter.setPen(QtGui.QColor(style.color("muted")))
        painter.drawLine(QtCore.QPointF(zero, y), QtCore.QPointF(zero, y + row_h))
        painter.setPen(QtGui.QColor(style.color("text")))
        text_x = zero + 6 if value < 0 else zero - 126
        painter.drawText(QtCore.QRectF(text_x, y, 120, row_h),
                         QtCore.Qt.AlignmentFlag.AlignVCenter |
                         (QtCore.Qt.AlignmentFlag.AlignLeft if value < 0
                          else QtCore.Qt.AlignmentFlag.AlignRight), small(value, signed=True))


def small(value: float, signed: bool = False) -> str:
    """Three decimals; below 0.001 "<0.001" (a ×10⁻⁴ form does not fit a table cell)."""
    if abs(value) < 0.0005 and value != 0:
        return ("+" if signed and value > 0 else "") + "<0.001"
    return num(value, 3, signed=signed)
