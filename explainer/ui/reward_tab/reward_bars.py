"""Each response's Reward for the selected prompt, as bars in ranked order (best on the left).

As the Reward model trains the bars should come to fall from left to right. The selected pair's
better response is green, its worse response vermillion.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from ..theme import style
from ..widgets.format import num
from .controller import RewardController
from .order_view import letters_of, ranked_ids
from ..widgets.themed_plot import new_plot, text_item

BAR_WIDTH = 0.6
LABEL_GAP_PX = 6   # between a value label and the plot's edge
GROWTH_ROOM = 0.2  # a range that grows while training makes this share more room at once


class RewardBars(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.plot = new_plot("Reward of each response", "Reward", "response, best → worst",
                             "The Reward model's output for each of the selected prompt's "
                             "responses, in the order the humans ranked them")
        self.bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, pens=None,
                                    brush=style.color("reward"))
        self.plot.addItem(self.bars)
        self.zero_line = self.plot.addLine(y=0)
        # The ranges are set by `_fit` only. Left to auto-range, the view would chase the value
        # labels (whose extent in data units depends on the range) and repaint without end.
        self.plot.getViewBox().disableAutoRange()
        self.plot.setRange(xRange=(-0.6, 0.6), yRange=(-1.0, 1.0), padding=0)
        self._labels: list[pg.TextItem] = []
        self.response_ids: list[str] = []
        self.values: list[float | None] = []
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.plot.on_theme(self._colour)
        controller.on_snapshot(self._render)
        controller.feedback_changed.connect(self._render)
        controller.selection_changed.connect(self._render)

    def _colour(self) -> None:
        """The value labels and the zero line in the theme's text and grey; the labels in the
        plot's axis-label size (it follows the zoom and, presenting, the least size)."""
        self.zero_line.setPen(pg.mkPen(style.color("muted"), width=1))
        for label in self._labels:
            label.setColor(style.color("text"))
            label.setFont(self._label_font())

    def _label_font(self) -> QtGui.QFont:
        font = QtGui.QFont(self.plot.fonts.label)
        font.setBold(True)
        return font

    def _render(self, *_args) -> None:
        prompt = self.controller.prompt(self.controller.selected_prompt_id)
        ids = ranked_ids(self.controller.feedback, prompt) if prompt else []
        if ids != self.response_ids:
            self._rebuild(prompt, ids)
        rewards = self.controller.snapshot.rewards
        self.values = [rewards.get((prompt.id, i)) if prompt else None for i in ids]
        heights = [value or 0.0 for value in self.values]
        self.bars.setOpts(x=list(range(len(ids))), height=heights, width=BAR_WIDTH,
                          brushes=self._brushes(ids) or None, pen=pg.mkPen(None))
        decimals = self._decimals(len(ids))   # measures every label: once, not once a label
        for index, (label, value, height) in enumerate(zip(self._labels, self.values, heights)):
            shown = (num(value, decimals), (0.5, 1.0) if height >= 0 else (0.5, 0.0))
            if getattr(label, "shown", None) != shown:   # re-laying out text is not free
                label.shown = shown
                label.setText(shown[0])
                label.setAnchor(shown[1])
            label.setPos(index, height)
        self._fit(heights)

    def _rebuild(self, prompt, ids: list[str]) -> None:
        """New prompt or responses: new labels and ticks (not on every training step)."""
        for label in self._labels:
            self.plot.removeItem(label)
        self._labels = [text_item("text") for _ in ids]
        for label in self._labels:
            label.setFont(self._label_font())
            self.plot.addItem(label, ignoreBounds=True)
        names = letters_of(prompt) if prompt else {}
        ticks = [(i, names.get(response_id, "?")) for i, response_id in enumerate(ids)]
        self.plot.getAxis("bottom").setTicks([ticks])
        self.response_ids = ids

    def _brushes(self, ids: list[str]) -> list:
        pair = self.controller.selected_pair
        better, worse = (pair[1], pair[2]) if pair else (None, None)
        colours = {better: style.color("good"), worse: style.color("bad")}
        return [pg.mkBrush(colours.get(i, style.color("reward"))) for i in ids]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # the labels' room is in pixels: a new size fits the range afresh and may change how
        # many decimals the labels have room for
        decimals = self._decimals(len(self.values))
        if any(getattr(label, "shown", ("", None))[0] != num(value, decimals)
               for label, value in zip(self._labels, self.values)):
            self._render()
        self._fit([value or 0.0 for value in self.values], afresh=True)

    def _decimals(self, bars: int) -> int:
        """As many decimals (2, 1 or 0) as a bar's width has room for: side by side on a narrow
        plot (a 1024-px projector), two-decimal labels ran into each other."""
        width = self.plot.getViewBox().width()
        if width <= 0 or not bars:
            return 2
        room = width / (bars + 0.2) - 2   # neighbours may come close, never touch
        metrics = QtGui.QFontMetricsF(self._label_font())
        return next((d for d in (2, 1) if max((metrics.horizontalAdvance(num(v, d))
                                               for v in self.values), default=0) <= room), 0)

    def _fit(self, heights: list[float], afresh: bool = False) -> None:
        """Grow the range at once, with room for a few steps more; shrink it only when it is
        twice too big: a steady axis is cheaper to draw and easier to read than one that rescales
        on every step. Above the tallest bar and below the lowest there is room for its value
        label (a range rounded up to 1, 2, 5 × 10ⁿ left a short plot's bars a third of it)."""
        low, high = min(heights + [0.0]), max(heights + [0.0])
        label_px = self._label_px()
        margin = max(0.3 * (high - low), 0.5, self._label_margin(high - low, label_px[1]))
        needed = (low - margin, high + margin)
        (shown_low, shown_high) = self.plot.getViewBox().viewRange()[1]
        below, above = needed[0] < shown_low, needed[1] > shown_high
        too_big = (shown_high - shown_low) > 2 * (needed[1] - needed[0])
        if below or above or too_big or afresh:
            room = 0.0 if afresh or too_big else GROWTH_ROOM * (needed[1] - needed[0])
            self.plot.setYRange(needed[0] - room * below, needed[1] + room * above, padding=0)
        pad = self._label_overhang(len(heights), label_px[0])
        x_range = (-0.5 - pad, max(len(heights), 1) - 0.5 + pad)
        if tuple(self.plot.getViewBox().viewRange()[0]) != x_range:
            self.plot.setXRange(*x_range, padding=0)

    def _label_px(self) -> tuple[float, float]:
        """The widest value label's (width, height) in px."""
        if not self._labels:
            return 0.0, 0.0
        metrics = QtGui.QFontMetricsF(self._labels[0].textItem.font())
        widest = max((metrics.horizontalAdvance(label.shown[0]) for label in self._labels
                      if getattr(label, "shown", None)), default=metrics.horizontalAdvance("−8.88"))
        return widest, metrics.height()

    def _label_margin(self, span: float, label_height: float) -> float:
        """The data margin m that leaves a label's height (and a gap) in pixels between a bar's
        end and the edge: m / (span + 2m) of the plot's height is the label's share."""
        height = self.plot.getViewBox().height()
        if height < 40:   # not laid out yet
            return 0.0
        share = min((label_height + LABEL_GAP_PX) / height, 0.3)
        return share * span / (1 - 2 * share)

    def _label_overhang(self, bars: int, label_width: float) -> float:
        """How far (in bars) the outer bars' labels reach past their half-bar of room."""
        width = self.plot.getViewBox().width()
        if width <= 0 or not bars:
            return 0.1
        per_bar = width / (bars + 0.2)
        return max(0.1, (label_width / 2 + LABEL_GAP_PX) / per_bar - 0.5)

    def label_rects(self) -> list:
        """Each value label's text box in the plot's pixels, without its margin (for tests)."""
        box = self.plot.getViewBox()
        rects = []
        for label in self._labels:
            margin = label.textItem.document().documentMargin()
            rects.append(label.mapRectToItem(box, label.boundingRect()).adjusted(
                margin, margin, -margin, -margin))
        return rects
