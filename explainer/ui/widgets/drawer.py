"""A side panel that is docked beside the lesson on a wide screen and becomes a drawer on a narrow one.

On a 1280×720 or 1024×768 projector a docked controls column would squeeze the lesson's panels below
readability, so under `narrow_below` pixels the panel leaves the layout (the tab then needs only
the lesson's own width) and a "Controls" button at the host's top-right corner, or F2, slides it
over the host's edge. Presentation mode suppresses both panel and button.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

NARROW_BELOW = 1400   # host width (logical px) under which the panel is a drawer
TOGGLE_KEY = "F2"


class Drawer(QtCore.QObject):
    """Docks `panel` at `index` of `layout` (a layout of `host`) when the host is wide enough."""

    mode_changed = QtCore.Signal(str)   # "docked", "closed" or "open"

    def __init__(self, host: QtWidgets.QWidget, panel: QtWidgets.QWidget,
                 layout: QtWidgets.QBoxLayout, title: str = "Controls",
                 narrow_below: int = NARROW_BELOW) -> None:
        super().__init__(host)
        self.host, self.panel, self.layout = host, panel, layout
        self.index = layout.indexOf(panel)
        self.narrow_below, self.title = narrow_below, title
        self.suppressed = False
        self.mode = "docked"
        self.button = QtWidgets.QPushButton(host)
        self.button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)  # the clicker keys stay with the lesson
        self.button.setToolTip(f"Show or hide the {title.lower()} ({TOGGLE_KEY})")
        self.button.clicked.connect(self.toggle)
        self.button.hide()
        # A window-wide key: Qt triggers it only while the host is visible, i.e. on the tab shown.
        self.shortcut = QtGui.QShortcut(QtGui.QKeySequence(TOGGLE_KEY), host, self.toggle,
                                        context=QtCore.Qt.ShortcutContext.WindowShortcut)
        host.installEventFilter(self)
        self._apply()

    # --- what the tab asks --------------------------------------------------------------------
    def set_suppressed(self, on: bool) -> None:
        """Presentation mode: neither the panel nor its button is shown."""
        self.suppressed = bool(on)
        self._apply()

    def toggle(self) -> None:
        if self.mode == "closed":
            self._set_mode("open")
        elif self.mode == "open":
            self._set_mode("closed")

    @property
    def narrow(self) -> bool:
        """Under `narrow_below`, or too narrow for the lesson and the panel side by side at their
        least widths (at 2× text a 1,485-px host docked a 600-px panel and squeezed the
        lesson's equations below their least width)."""
        return self.host.width() < max(self.narrow_below, self._least_docked_width())

    def _least_docked_width(self) -> int:
        rest = [size.width() for size in self._others_least()]
        margins = self.layout.contentsMargins()
        return (sum(rest) + self._panel_least_width() + self.layout.spacing() * len(rest)
                + margins.left() + margins.right())

    def _panel_least_width(self) -> int:
        return self.panel.minimumSizeHint().expandedTo(self.panel.minimumSize()).width()

    def _others_least(self) -> list[QtCore.QSize]:
        """The least sizes of the layout's items other than the panel (the lesson's)."""
        return [self.layout.itemAt(i).minimumSize() for i in range(self.layout.count())
                if self.layout.itemAt(i).widget() is not self.panel]

    def host_minimum(self, hint: QtCore.QSize) -> QtCore.QSize:
        """The host's least size as if the panel were a drawer, whatever its mode: docked, the
        panel would otherwise hold a window that moves from a wide screen to a projector wider
        than the projector (1123 px on 1024), since the window never got narrow enough for the
        panel to leave the layout."""
        if self.mode != "docked" or self.layout.indexOf(self.panel) < 0:
            return hint
        margins = self.layout.contentsMargins()
        height = max((size.height() for size in self._others_least()), default=0) \
            + margins.top() + margins.bottom()
        return QtCore.QSize(max(hint.width() - self._panel_least_width() - self.layout.spacing(), 0),
                            min(hint.height(), height))

    # --- how it is laid out -------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if obj is self.host and event.type() in (QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.Show):
            self._apply()
        return False

    def _apply(self) -> None:
        if not self.narrow:
            self._set_mode("docked")
        elif self.mode == "docked":
            self._set_mode("closed")
        else:
            self._set_mode(self.mode)   # placed again for the host's new size

    def _set_mode(self, mode: str) -> None:
        changed, self.mode = mode != self.mode, mode
        docked = self.layout.indexOf(self.panel) >= 0
        if mode == "docked" and not docked:
            self.layout.insertWidget(self.index, self.panel)
        elif mode != "docked" and docked:
            self.layout.removeWidget(self.panel)
        self.panel.setAutoFillBackground(mode == "open")   # a drawer hides what it covers
        if mode == "open" and not self.suppressed:
            wanted = max(self.panel.sizeHint().width(), self.panel.minimumWidth())
            width = min(wanted, self.host.width())
            self.panel.setGeometry(self.host.width() - width, 0, width, self.host.height())
        self.panel.setVisible(not self.suppressed and mode != "closed")
        self._place_button()
        if mode == "open":
            self.panel.raise_()
            self.button.raise_()
        if changed:
            self.mode_changed.emit(mode)

    def _place_button(self) -> None:
        show = self.mode != "docked" and not self.suppressed
        self.button.setText(f"✕ Hide {self.title.lower()}" if self.mode == "open" else f"☰ {self.title}")
        self.button.adjustSize()
        hint = self.button.sizeHint()
        right = self.host.width() - (self.panel.width() if self.mode == "open" else 0)
        self.button.setGeometry(right - hint.width() - 4, 2, hint.width(), hint.height())
        self.button.setVisible(show)
        if show:
            self.button.raise_()
