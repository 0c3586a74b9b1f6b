"""The painted plots of lesson 2: titles that fit, a picture redrawn only when a curve changes,
and exports drawn as vectors (SVG) or at the export's scale (PNG)."""
from PySide6 import QtGui

from explainer.ui.shell import exporting
from explainer.ui.policy_tab.plots import LossPlot, PolicyCurvePlot
from explainer.ui.policy_tab.tab import PolicyTab
from explainer.ui.widgets.plot_axes import nice_ticks, tick_label


def test_titles_fit_their_plots_in_the_main_layout(show):
    tab = show(PolicyTab())
    for plot in (tab.policy_plot, tab.loss_plot):
        axes = plot._new_axes()
        metrics = QtGui.QFontMetricsF(axes.fonts.title)
        assert all(metrics.horizontalAdvance(line) <= plot.width() for line in axes.titles)
        assert " ".join(axes.titles) == plot.title


def test_a_narrow_plot_wraps_its_title_into_two_lines_instead_of_clipping_it(show):
    plot = show(LossPlot(), 230, 260)
    axes = plot._new_axes()
    metrics = QtGui.QFontMetricsF(axes.fonts.title)
    assert len(axes.titles) == 2
    assert all(metrics.horizontalAdvance(line) <= plot.width() for line in axes.titles)


def test_a_narrow_plot_sets_its_note_smaller_to_keep_it_whole(show):
    """At 1024 px tab 2's loss plot read "pears in the Derivative pha"."""
    plot = show(LossPlot(), 330, 150)
    plot.set_note("appears in the Derivative phase")
    area = plot.note_area()
    font = plot.note_font(area.width())
    assert QtGui.QFontMetricsF(plot.fonts.label).horizontalAdvance(plot._note) > area.width() - 8
    assert QtGui.QFontMetricsF(font).horizontalAdvance(plot._note) <= area.width() - 8
    assert font.pointSizeF() >= 0.7 * plot.fonts.label.pointSizeF()


def test_moving_a_marker_or_the_tangent_leaves_the_cached_curves_alone(show):
    plot = show(PolicyCurvePlot(), 400, 260)
    plot.curve.setData([0, 0.5, 1], [0.1, 0.5, 0.9])
    plot.grab()
    cached = plot._picture
    plot.marker.set_point(0.3, 0.4)
    plot.grab()
    assert plot._picture is cached and plot.marker.getData() == ([0.3], [0.4])
    plot.curve.setData([0, 0.5, 1], [0.2, 0.5, 0.8])
    plot.grab()
    assert plot._picture is not cached


def test_exports_draw_vectors_for_svg_and_full_resolution_for_a_2x_png(show, tmp_path):
    tab = show(PolicyTab())
    tab.worked_example()
    for _ in range(4):
        tab.next()
    svg = exporting.save_svg(tab.loss_plot, tmp_path / "loss.svg").read_text()
    assert "Cross entropy" in svg and "<image" not in svg   # text and paths, no embedded bitmap
    image = exporting.render_image(tab.loss_plot, 2.0)
    assert image.width() == 2 * tab.loss_plot.width()
    line = tab.loss_plot._new_axes().px(5.0) * 2          # the curve is stroked at 2×: no blurry copy
    column = {image.pixelColor(int(line), y).name() for y in range(image.height())}
    assert QtGui.QColor(tab.loss_plot.curve.pen.color()).name() in column


def test_ticks_are_round_and_labels_use_a_true_minus_sign():
    assert nice_ticks(-10.4, 10.4, 2) == ([-10.0, 0.0, 10.0], 0)
    assert nice_ticks(-0.02, 1.02, 3)[0] == [0.0, 0.5, 1.0]
    assert tick_label(-5.0, 0) == "−5" and tick_label(-0.0, 1) == "0.0"


def test_a_short_plot_keeps_its_value_labels_apart(show):
    """At 1024×768 tab 2's loss plot stacked "20", "10" and "0" on one another in 30 px."""
    plot = show(LossPlot(), 330, 130)
    axes = plot._new_axes()
    assert len(axes.y_ticks) >= 2
    gaps = [abs(b - a) * axes._sy for a, b in zip(axes.y_ticks, axes.y_ticks[1:])]
    assert min(gaps) >= axes._tick_h
