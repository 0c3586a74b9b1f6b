"""Page tabs that show their full titles when the row has room, and short ones when it has not.

Qt's answer to a row of tabs wider than its widget is a pair of scroll arrows, with the last tabs
out of sight: at 1.15× on a 1024-px projector, tab 4's "Over-optimisation" could not be seen. This
row never scrolls. Short of room it shows the short titles (the full one stays as a tooltip);
only past that does it ask its parent for the width, which the window's viewport then scrolls
to (`screen_fit_area`).
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class FittingTabBar(QtWidgets.QTabBar):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUsesScrollButtons(False)
        self.setElideMode(QtCore.Qt.TextElideMode.ElideNone)
        self.full: tuple[str, ...] = ()
        self.short: tuple[str, ...] = ()
        self._room = None   # the widget the row has to fit (the tab widget or the page's column)

    def set_short_titles(self, short: tuple[str, ...], room: QtWidgets.QWidget) -> None:
        """`short[i]` for tab i when the full titles do not fit in `room`'s width."""
        self.full = tuple(self.tabText(i) for i in range(self.count()))
        assert len(short) == len(self.full), "one short title per tab"
        self.short = tuple(short)
        for i, title in enumerate(self.full):
            if not self.tabToolTip(i):
                self.setTabToolTip(i, title)
        self._room = room
        room.installEventFilter(self)
        self.fit()

    @property
    def compact(self) -> bool:
        return bool(self.full) and self.tabText(0) != self.full[0]

    def minimumSizeHint(self) -> QtCore.QSize:
        """As wide as the short titles: the row may narrow to them before it holds its parent wide."""
        hint = super().minimumSizeHint()
        if not self.short:
            return hint
        return QtCore.QSize(self._width_with(self.short), hint.height())

    def eventFilter(self, obj, event) -> bool:
        if obj is self._room and event.type() in (QtCore.QEvent.Type.Resize,
                                                  QtCore.QEvent.Type.Show):
            self.fit()
        return False

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:   # Ctrl+= widens every title
            self.fit()

    def fit(self) -> None:
        if self._room is None:
            return
        # The full titles' own width decides both ways, so showing the short ones (which lets the
        # row narrow) cannot make the full ones seem to fit again.
        titles = self.full if self._width_with(self.full) <= self._room.width() else self.short
        for i, title in enumerate(titles):
            if self.tabText(i) != title:
                self.setTabText(i, title)

    def _width_with(self, titles: tuple[str, ...]) -> int:
        """The row's width with `titles`: each tab's padding as now, plus the title's text."""
        metrics = self.fontMetrics()
        return sum(self.tabSizeHint(i).width() - metrics.horizontalAdvance(self.tabText(i))
                   + metrics.horizontalAdvance(title) for i, title in enumerate(titles))
