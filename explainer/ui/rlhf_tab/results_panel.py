"""Results of stage 3, read at a glance: the learned reward above the true score, KL, the
polite − rude gap, and one never-seen prompt's answer before and after, with why it scores what it
scores. Renders the controller's `Series` and `CompareRow`s; computes nothing.

Short of height (a 720-px projector, banners stacked above) the plots and the before/after card
take turns on page tabs instead of shrinking the plots to a strip; presenting, one result fills the
page at a time and F steps to the next."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.reflow_panels import ReflowPanels
from .before_after_card import BeforeAfterCard
from .plots import UpdatePlots

# Least heights (px at zoom 1) at which the plots (learned reward above true score) and the card
# read from the back row; less than both, they take turns.
PLOTS_LEAST, CARD_LEAST = 420, 250
RESULTS = ("reward", "kl", "gap", "card")   # presenting: one at a time, in this order (F)


class ResultsPanel(QtWidgets.QWidget):
    def __init__(self, controller, stage3: QtWidgets.QWidget) -> None:
        super().__init__()
        self.controller = controller
        self.stage3 = stage3      # the other view of the run: the controller draws while either shows
        self._run_start = 0       # updates already shown when the running training started
        self._newest = None       # a series that arrived while drawing was queued
        self._stale = False       # a series arrived while hidden and was not drawn
        self.plots = UpdatePlots()
        self.card = BeforeAfterCard()
        self.note = QtWidgets.QLabel(wordWrap=True)
        self.note.setText("Learned reward: what the Policy maximises. True score: what people "
                          "want, which the Policy never sees. Where they part, the Reward model "
                          "is being gamed.")
        self.note.setStyleSheet(f"color: {style.color('muted')}; "
                                f"font-size: {style.BASE_POINT_SIZE}pt;")
        over_updates = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(over_updates)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.plots, 1)
        column.addWidget(self.note)
        self.pages = ReflowPanels((("Plots over updates", over_updates, PLOTS_LEAST, 5),
                                   ("Before and after", self.card, CARD_LEAST, 4)))
        self.result = None   # presenting: the one result shown (one of RESULTS)
        root = QtWidgets.QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        root.addWidget(self.pages)
        c = controller
        c.series_changed.connect(self._on_series)
        c.compare_changed.connect(self.card.show_rows)
        c.running_changed.connect(self._on_running)
        c.progress.connect(lambda done, asked: self.plots.expect(
            self._run_start, self._run_start + asked))

    # --- presenting: one result at a time ------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        self.pages.set_one_at_a_time(on)
        self.show_result(RESULTS[0] if on else None)

    def show_result(self, name: str | None) -> None:
        """One of RESULTS alone on the page, or (None) every plot as the height allows."""
        self.result = name
        self.plots.set_focus(name if name in self.plots.GROUPS else None)
        self.pages.show_panel(self.card if name == "card" else self.pages.panels[0][1])

    def next_result(self) -> None:
        if self.result is not None:
            self.show_result(RESULTS[(RESULTS.index(self.result) + 1) % len(RESULTS)])

    def _on_running(self, running: bool) -> None:
        if running:   # the run continues the series shown
            series = self.controller.series
            self._run_start = len(series.update) if series is not None else 0

    def _on_series(self, s) -> None:
        """Stepping: every plot now. Training: the first part now, the others a turn each.
        Hidden: nothing while training (shown, the page draws the newest series)."""
        if not self.isVisible() and self.controller.running:
            self._stale = True
            return
        if not self.controller.running:
            self.plots.show_series(s)
            return
        self._newest = s
        self.plots.show_part(0, s)
        for part in range(1, self.plots.PARTS):
            self.controller.renders.schedule(
                lambda part=part: self.plots.show_part(part, self._newest), key=(self, part))

    # --- the controller draws while stage 3 or this page is shown ----------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        # after stage 3's hideEvent (switching pages hides one and shows the other)
        QtCore.QTimer.singleShot(0, self._rendering)
        self.refresh()

    def refresh(self) -> None:
        """Draw the controller's newest series and rows (shown, or exported while hidden)."""
        c = self.controller
        if c.series is not None:
            self.plots.show_series(c.series)
        self.card.show_rows(c.compare)
        self._stale = False

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        QtCore.QTimer.singleShot(0, self._rendering)

    def _rendering(self) -> None:
        self.controller.set_rendering(self.isVisible() or self.stage3.isVisible())
