"""The controls column: as wide as its widest control needs at the current text size (never
narrower than a base width that grows with the zoom), scrolling vertically on a short screen."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme.style import BASE_POINT_SIZE

BASE_WIDTH = 300  # logical pixels at the base text size


class SidebarArea(QtWidgets.QScrollArea):
    def __init__(self, layout: QtWidgets.QLayout) -> None:
        super().__init__()
        inner = QtWidgets.QWidget()
        inner.setLayout(layout)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)
        # A fixed width clipped labels when a desktop's fonts ran wider than expected, or after
        # Ctrl+=: the width follows what the controls ask for whenever their layout changes.
        inner.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.widget() and event.type() == QtCore.QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(obj, event)

    def sizeHint(self) -> QtCore.QSize:
        zoom = self.font().pointSizeF() / BASE_POINT_SIZE if self.font().pointSizeF() > 0 else 1.0
        wanted = max(int(BASE_WIDTH * max(zoom, 1.0)), self.widget().minimumSizeHint().width())
        return QtCore.QSize(wanted + self.verticalScrollBar().sizeHint().width() + 4,
                            super().sizeHint().height())

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(self.sizeHint().width(), 0)
