"""A row of widgets that wraps onto more rows when it is narrow (Qt's flow layout example).

A toolbar of a dozen controls needs ~1,000 px in one row; on a 1024×768 projector it wraps instead
of pushing the window wider than the screen. Its height follows its width (heightForWidth).
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class FlowLayout(QtWidgets.QLayout):
    def __init__(self, parent: QtWidgets.QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self._filling: dict[int, int] = {}   # id(item) → the least width of an item that fills its row
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def add_filling(self, widget: QtWidgets.QWidget, least: int) -> None:
        """A widget (a status line) that takes the rest of its row, or a row of its own when
        less than `least` px remain."""
        self.addWidget(widget)
        self._filling[id(self._items[-1])] = least

    # --- the QLayout protocol -------------------------------------------------------------------
    def addItem(self, item: QtWidgets.QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        if not 0 <= index < len(self._items):
            return None
        self._filling.pop(id(self._items[index]), None)
        return self._items.pop(index)

    def expandingDirections(self) -> QtCore.Qt.Orientation:
        return QtCore.Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QtCore.QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QtCore.QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QtCore.QSize:
        """Everything in one row."""
        shown = self._shown()
        width = sum(self._filling.get(id(i), i.sizeHint().width()) for i in shown) + self.spacing() * max(len(shown) - 1, 0)
        height = max((i.sizeHint().height() for i in shown), default=0)
        m = self.contentsMargins()
        return QtCore.QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QtCore.QSize:
        """The widest control alone on its row."""
        size = QtCore.QSize()
        for item in self._shown():
            least = self._filling.get(id(item))
            size = size.expandedTo(item.minimumSize() if least is None
                                   else QtCore.QSize(least, item.minimumSize().height()))
        m = self.contentsMargins()
        return size + QtCore.QSize(m.left() + m.right(), m.top() + m.bottom())

    # --- placing --------------------------------------------------------------------------------
    def _shown(self) -> list[QtWidgets.QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]   # hidden widgets take no room

    def _arrange(self, rect: QtCore.QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_height, row = area.x(), area.y(), 0, []
        rows: list[tuple[int, int, list]] = []
        for item in self._shown():
            hint = item.sizeHint()
            least = self._filling.get(id(item))
            if least is not None:
                hint = QtCore.QSize(max(least, area.right() + 1 - x), hint.height())
            if row and x + (hint.width() if least is None else least) > area.right() + 1:
                rows.append((y, row_height, row))
                x, y, row_height, row = area.x(), y + row_height + self.spacing(), 0, []
            if least is not None:
                hint = QtCore.QSize(max(area.right() + 1 - x, 0), hint.height())
            row.append((item, x, hint))
            x += hint.width() + self.spacing()
            row_height = max(row_height, hint.height())
        if row:
            rows.append((y, row_height, row))
        if move:
            for top, height, items in rows:
                for item, left, hint in items:
                    # vertically centred in its row, as a one-row QHBoxLayout places them
                    width = min(hint.width(), area.width())
                    item.setGeometry(QtCore.QRect(left, top + (height - hint.height()) // 2,
                                                  width, hint.height()))
        bottom = rows[-1][0] + rows[-1][1] if rows else area.y()
        return bottom - rect.y() + m.bottom()
