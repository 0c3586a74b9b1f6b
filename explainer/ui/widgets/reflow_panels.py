"""Panels one above the other while each has the height it needs to be read; else one at a time,
chosen on a row of page tabs.

On a 720-px projector the Reward model tab's bars, training plots and loss curve, stacked, came to
90 px each with 9-px tick labels: a plot a click away reads better than one squeezed below
readability. Presenting, a tab may also ask for one panel at a time whatever the height (the page
tabs then hide, like the other controls, and `next_panel` steps through them).

One at a time, the panels are the pages of a QStackedWidget, so what looks for a widget on a page
not shown (a figure export) brings it to the front as it does for the tab's own pages. The mode
follows the height the parent gives, never the reverse: the size hints do not change with the
mode, so switching cannot make the parent lay out again and switch back.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from .fitting_tab_bar import FittingTabBar


class ReflowPanels(QtWidgets.QWidget):
    paged_changed = QtCore.Signal(bool)
    current_changed = QtCore.Signal(int)

    def __init__(self, panels, parent: QtWidgets.QWidget | None = None) -> None:
        """panels: (page title, widget, least readable height in px at zoom 1, stretch)."""
        super().__init__(parent)
        self.panels = [(title, widget, least, stretch) for title, widget, least, stretch in panels]
        self.zoom = 1.0
        self.one_at_a_time = False   # presenting: one panel whatever the height
        self.paged = False
        self.bar = FittingTabBar()   # never scroll arrows over a page's title
        self.bar.setExpanding(False)
        self.bar.setDrawBase(False)
        self.all = QtWidgets.QWidget()       # stacked: every panel, one above the other
        self.all_layout = QtWidgets.QVBoxLayout(self.all)
        self.all_layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QtWidgets.QStackedWidget()   # paged: the current panel
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.bar, self.all, self.stack):
            layout.addWidget(widget, 0 if widget is self.bar else 1)
        for title, widget, _least, stretch in self.panels:
            self.bar.addTab(title)
            self.all_layout.addWidget(widget, stretch)
        self.bar.hide()
        self.stack.hide()
        self.bar.currentChanged.connect(self._on_current_changed)

    # --- what the parent sees: the same in either mode ------------------------------------------
    def least_height(self) -> int:
        """The height that shows every panel at its least readable height."""
        spacing = self.all_layout.spacing()
        return round(sum(least for *_, least, _s in self.panels) * self.zoom) \
            + spacing * (len(self.panels) - 1)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(super().sizeHint().width(), self.least_height())

    def minimumSizeHint(self) -> QtCore.QSize:
        """One panel under its page tabs (without them, one at a time while presenting): less
        room than the stack of panels needs pages them instead."""
        least = round(max(least for *_, least, _s in self.panels) * self.zoom)
        bar = 0 if self.one_at_a_time else self.bar.sizeHint().height()
        return QtCore.QSize(super().minimumSizeHint().width(), min(least, self.least_height()) + bar)

    # --- intent ----------------------------------------------------------------------------------
    def set_one_at_a_time(self, on: bool) -> None:
        self.one_at_a_time = on
        self.updateGeometry()
        self._reflow()

    def set_zoom(self, zoom: float) -> None:
        """Larger text needs more height: the panels page sooner."""
        self.zoom = zoom
        self.updateGeometry()
        self._reflow()

    def current(self) -> QtWidgets.QWidget:
        return self.panels[max(self.bar.currentIndex(), 0)][1]

    def show_panel(self, widget: QtWidgets.QWidget) -> None:
        self.bar.setCurrentIndex(next(i for i, p in enumerate(self.panels) if p[1] is widget))

    def next_panel(self) -> None:
        self.bar.setCurrentIndex((self.bar.currentIndex() + 1) % len(self.panels))

    # --- reflowing ---------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._reflow()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        paged = self.one_at_a_time or self.height() < self.least_height()
        if paged != self.paged:
            self.paged = paged
            self._move_panels(paged)
            self.paged_changed.emit(paged)
        self.bar.setVisible(paged and not self.one_at_a_time)
        self.stack.setCurrentIndex(max(self.bar.currentIndex(), 0))
        for _title, widget, least, _stretch in self.panels:
            # each keeps its least height (a formula's panel does not crowd a plot out)
            wanted = max(round(least * self.zoom), widget.minimumSizeHint().height())
            if widget.minimumHeight() != wanted:
                widget.setMinimumHeight(wanted)

    def _move_panels(self, paged: bool) -> None:
        """The panels into the stack (one at a time) or back into the column (all)."""
        for _title, widget, _least, stretch in self.panels:
            if paged:
                self.stack.addWidget(widget)
            else:
                self.all_layout.addWidget(widget, stretch)
                widget.show()   # a page the stack had hidden
        self.all.setVisible(not paged)
        self.stack.setVisible(paged)

    def _on_current_changed(self, index: int) -> None:
        self._reflow()
        self.current_changed.emit(index)
