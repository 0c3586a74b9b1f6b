"""The one pyqtgraph plot: value labels that never stand on one another, and a title fitted again
when the axis beside it widens."""
import numpy as np
import pytest
from PySide6 import QtGui

from explainer.ui.policy_tab.plots import HistoryPlot
from explainer.ui.widgets.readable_axis import LABEL_GAP, coarser


@pytest.mark.parametrize("step, after", [(0.2, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, 5.0), (5.0, 10.0),
                                         (0.05, 0.1)])
def test_steps_coarsen_through_one_two_five(step, after):
    assert coarser(step) == pytest.approx(after)


def _levels(plot) -> list:
    axis = plot.getAxis("left")
    low, high = plot.getViewBox().viewRange()[1]
    return axis.tickSpacing(low, high, axis.height())


def _label_gap(plot) -> float:
    low, high = plot.getViewBox().viewRange()[1]
    return _levels(plot)[0][0] * plot.getAxis("left").height() / (high - low)


def test_a_short_history_plot_spaces_its_value_labels_two_text_heights_apart(show):
    plot = show(HistoryPlot(), 330, 150)          # the history at 1024×768, not presenting
    plot.show_trace(np.linspace(0, 1, 50), np.ones(50), np.linspace(0, 1, 50), None)
    text_h = QtGui.QFontMetricsF(plot.getAxis("left").style["tickFont"]).height()
    assert _label_gap(plot) >= min(LABEL_GAP * text_h, plot.getAxis("left").height() / 2)
    assert len(_levels(plot)) == 1               # no finer labels crowding in between
    plot.resize(330, 600)                        # tall: pyqtgraph's own levels come back
    assert len(_levels(plot)) > 1


def test_a_wider_value_axis_fits_the_title_again(qtbot, show):
    plot = show(HistoryPlot(), 330, 150)
    before, narrow = plot._title_pt, plot.getAxis("left").width()
    plot.show_trace(np.linspace(0, -12345.5, 50), np.ones(50), np.ones(50), None)
    qtbot.waitUntil(lambda: plot.grab() and plot.getAxis("left").width() > narrow + 20)
    assert plot._title_pt < before


def test_a_count_axis_shows_whole_visits_from_one_then_follows_the_counts(show):
    """Tab 1's history read "visit 0.1, 0.2 … 0.9" with no visit and "visit −3 … 5" with one."""
    from explainer.ui.essentials_tab.tab import EssentialsTab

    tab = show(EssentialsTab(), 1280, 688)
    axis = tab.history.getAxis("bottom")

    def shown_range():
        tab.history.plotItem.vb.updateAutoRange()
        return tab.history.viewRange()[0]

    for visits in (0, 1, 2, 10, 14):
        while tab.run.completed_at_cursor < visits:
            tab.controller.next()
            tab.finish_animation()
        low, high = shown_range()
        if visits <= 10:
            assert 0.5 < low <= 1 and 10 <= high < 10.5, visits   # 1 to 10: never below visit 1
            ticks = axis.tickValues(low, high, axis.width())[0][1]
            assert ticks and all(float(t).is_integer() for t in ticks), ticks
        else:
            assert low <= 1 and visits <= high <= visits + 2   # the counts, auto-ranged again


@pytest.mark.slow   # tab 4's training process builds its models
def test_a_title_too_long_for_a_narrow_plot_takes_two_lines_and_the_plot_stays_whole(qtbot, fresh_window):
    """Stage 1's "SFT loss: cross entropy of the demonstrations" at 1024 px: at its least size the
    title still held the plot item 9 px wider than the widget, whose right edge was cut."""
    window = fresh_window
    window.resize(1024, 736)
    tab = window.rlhf_tab
    window.tabs.setCurrentWidget(tab)
    tab.stages.setCurrentWidget(tab.sft)
    plot = tab.sft.loss_plot
    qtbot.waitUntil(lambda: "<br>" in (getattr(plot, "_title_text", "") or ""))
    qtbot.wait(100)   # the scene lays the plot item out a turn later
    item = plot.getPlotItem()
    assert item.geometry().width() <= plot.width() + 0.5
    label = item.titleLabel
    assert label.geometry().height() >= label.item.boundingRect().height()   # both lines shown
    window.resize(1600, 918)   # wide again: one line
    qtbot.waitUntil(lambda: "<br>" not in plot._title_text)
    window.close()
