"""The one pyqtgraph plot of the house style: large ticks, labels and title in the painted plots'
sizes (`plot_axes.PLOT_POINTS`) times the zoom, colours from the shared palette set again when the
theme changes, and while presenting no text under the presenting type scale's least size."""
from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ..theme import style
from .plot_axes import PlotFonts
from .plot_title import FittedTitle
from .readable_axis import ReadableAxis
from .type_scale import FollowsTypeScale, floor_px, font_px, pt_to_px, px_to_pt

AXES = ("left", "bottom")


COUNTS_SHOWN_FIRST = 10   # a count axis's first range, 1 to this (see count_axis)


class ThemedPlot(FollowsTypeScale, FittedTitle, pg.PlotWidget):
    """A plot that follows the theme (light, dark, high contrast), the zoom and presenting."""

    def __init__(self, title: str, x_label: str, y_label: str = "") -> None:
        super().__init__(axisItems={"left": ReadableAxis("left")})
        self._labels = (title, x_label, y_label)
        self._theme_hooks: list = []   # callables that re-colour items when the theme changes
        self.fonts = PlotFonts()
        self.setMenuEnabled(False)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)
        item = self.getPlotItem()
        for name in AXES:
            axis = item.getAxis(name)
            axis.enableAutoSIPrefix(False)  # "loss (×0.001)" confuses more than it saves
            # An axis (with its grid) is the costliest item to draw, and it only changes with the
            # range: keep it as a pixmap, so a moving curve does not redraw every tick label.
            axis.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.showGrid(x=True, y=True, alpha=0.2)
        # wider tick labels (a run's first negative bias) narrow the room beside them: the title
        # is fitted again, as on a resize
        item.getAxis("left").geometryChanged.connect(self._set_fitted_title)
        self._set_fonts()

    # --- type size ------------------------------------------------------------------------------
    def _set_fonts(self) -> None:
        self.fonts = PlotFonts(self._zoom, floor_px(self, self.presenting))
        item = self.getPlotItem()
        for name in AXES:
            item.getAxis(name).setTickFont(self.fonts.tick)
        if item.legend is not None:
            item.legend.setLabelTextSize(_css(self.fonts.tick))
        self.apply_theme()   # the axis labels and the title, at their new sizes

    def smallest_text_px(self) -> float:
        """The smallest text shown, in device pixels: ticks, axis labels, title, legend and any
        text items placed in the plot."""
        item = self.getPlotItem()
        sizes = [font_px(self.fonts.tick), font_px(self.fonts.label), self._title_px()]
        if item.legend is not None and item.legend.isVisible():
            sizes.append(_px(item.legend.opts["labelTextSize"]))
        sizes += [font_px(text.textItem.font()) for text in item.items
                  if isinstance(text, pg.TextItem) and text.isVisible() and text.toPlainText()]
        return min(sizes) * self.devicePixelRatioF()

    def _title_px(self) -> float:
        return pt_to_px(self._title_pt or self._title_style()[1])

    # --- theme ----------------------------------------------------------------------------------
    def _title_style(self) -> tuple[str, float]:
        return style.color("text"), px_to_pt(font_px(self.fonts.title))

    def _title_least_pt(self) -> float:
        return px_to_pt(floor_px(self, self.presenting))

    def apply_theme(self) -> None:
        title, x_label, y_label = self._labels
        item = self.getPlotItem()
        self.setBackground(style.color("background"))
        self._title_pt = None
        self._set_fitted_title()
        for name in AXES:   # before the labels: an axis's pen colours its label too
            item.getAxis(name).setPen(style.color("muted"))
            item.getAxis(name).setTextPen(style.color("text"))
        label_style = {"color": style.color("text"), "font-size": _css(self.fonts.label)}
        item.setLabel("bottom", x_label, **label_style)
        if y_label:
            item.setLabel("left", y_label, **label_style)
        if item.legend is not None:
            _colour_legend(item.legend)
        for hook in self._theme_hooks:
            hook()

    def on_theme(self, hook) -> None:
        """Run hook now and after every theme change (for items drawn in text or grey colours)."""
        self._theme_hooks.append(hook)
        hook()

    def count_axis(self, count: int) -> None:
        """An x axis of counts (visits, episodes): 1 to 10 until there are more, then the counts.
        pyqtgraph's own ranges read "visit 0.1, 0.2 … 0.9" with none and "visit −3 … 5" with one."""
        if count > COUNTS_SHOWN_FIRST:
            self.enableAutoRange(axis="x")
        else:
            self.setXRange(1, COUNTS_SHOWN_FIRST, padding=0.02)

    def legend(self, offset) -> pg.LegendItem:
        """A legend on a panel-coloured box whose text follows the theme, in the ticks' size."""
        legend = self.getPlotItem().addLegend(offset=offset, labelTextSize=_css(self.fonts.tick))
        _colour_legend(legend)
        return legend


def _css(font: QtGui.QFont) -> str:
    """A font's size as pyqtgraph's labels take it."""
    return f"{font_px(font):.1f}px"


def _px(css: str) -> float:
    """'13pt' or '17.3px' in logical pixels."""
    number, unit = re.fullmatch(r"\s*([\d.]+)\s*(pt|px)\s*", css).groups()
    return float(number) if unit == "px" else pt_to_px(float(number))


def _colour_legend(legend: pg.LegendItem) -> None:
    background = pg.mkColor(style.color("panel"))
    background.setAlpha(230)
    legend.setBrush(pg.mkBrush(background))
    legend.setPen(pg.mkPen(style.color("muted"), width=1))
    legend.setLabelTextColor(style.color("text"))
    for _sample, label in legend.items:   # existing labels take the colour when drawn anew
        label.setText(label.text)


def coloured(text: str, colour: str) -> str:
    """A word of a plot title in the colour of its curve (the title is the legend)."""
    return f"<span style='color:{style.color(colour)}'>{text}</span>"


def new_plot(title: str, left: str, bottom: str, tooltip: str) -> ThemedPlot:
    """A plot that only shows: no menu, no mouse zoom, no auto-range button."""
    plot = ThemedPlot(title, bottom, left)
    plot.setToolTip(tooltip)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    return plot


def pen(colour: str, width: float = 3.0, dashed: bool = False, dotted: bool = False) -> QtGui.QPen:
    """A palette colour by name (or any colour pyqtgraph reads) at a width in pixels."""
    qpen = pg.mkPen(style.color(colour) if colour in style.COLORS else colour, width=width)
    if dashed or dotted:
        qpen.setStyle(QtCore.Qt.PenStyle.DashLine if dashed else QtCore.Qt.PenStyle.DotLine)
    return qpen


def text_item(colour: str = "text", anchor=(0.5, 1.0), scale: float = 1.0) -> pg.TextItem:
    """Bold text placed in a plot, `scale` times the body size (ThemedPlot.smallest_text_px
    counts it)."""
    item = pg.TextItem(color=style.color(colour), anchor=anchor)
    font = QtGui.QFont()
    font.setPointSizeF(style.BASE_POINT_SIZE * scale)
    font.setBold(True)
    item.setFont(font)
    return item
