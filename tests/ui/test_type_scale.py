"""The presenting type scale in each kind of widget that draws its own text: presenting lifts its
smallest text to SMALLEST_PX device pixels and it says so in smallest_text_px(); leaving puts
the window's sizes back."""
import pytest

from explainer.core.fries.policy_gradient import PolicyGradientRun
from explainer.ui.policy_tab.network_view import NetworkView
from explainer.ui.policy_tab.plots import LossPlot
from explainer.ui.widgets.caption import Caption
from explainer.ui.widgets.fitted_math import FittedMath
from explainer.ui.widgets.themed_plot import ThemedPlot, new_plot, text_item
from explainer.ui.widgets.type_scale import BODY_PX, SMALLEST_PX, font_px, pt_to_px


def derivative_record():
    run = PolicyGradientRun()
    run.step()
    return run.step()


def _painted(view) -> float:
    view.grab()
    return view.smallest_text_px()


def test_a_small_canvas_draws_no_label_under_the_least_size_while_presenting(show):
    view = show(NetworkView(), 600, 340)     # about the room it had beside the equations
    view.set_record(derivative_record())
    window = _painted(view)
    assert window < 12                       # ∂X/∂b and its neighbours, as small as they were
    view.set_presenting(True)
    assert _painted(view) == pytest.approx(SMALLEST_PX, abs=1.5)
    view.set_presenting(False)
    assert _painted(view) == pytest.approx(window)


def test_a_painted_plot_lifts_its_ticks_and_follows_the_zoom(show):
    plot = show(LossPlot(), 600, 400)
    assert _painted(plot) == pytest.approx(pt_to_px(13), abs=0.1)   # 17.3 px ticks
    plot.set_zoom(1.5)
    assert _painted(plot) == pytest.approx(pt_to_px(13 * 1.5), abs=0.1)
    plot.set_zoom(1.0)
    plot.set_presenting(True)
    assert _painted(plot) == SMALLEST_PX
    assert plot._new_axes().fonts.tick.pixelSize() == SMALLEST_PX


def test_a_pyqtgraph_plot_counts_its_ticks_title_legend_and_text_items(show):
    plot = show(new_plot("Loss", "loss", "step", "a plot"), 600, 400)
    plot.legend(offset=(10, 10))
    plot.plot([0, 1], [0, 1], name="curve")
    assert plot.smallest_text_px() == pytest.approx(pt_to_px(13), abs=0.1)
    plot.set_presenting(True)
    assert plot.smallest_text_px() == SMALLEST_PX
    assert font_px(plot.getAxis("left").style["tickFont"]) == SMALLEST_PX
    label = text_item(scale=0.8)             # 12 pt: a text item says its own size
    label.setText("0.42")
    plot.addItem(label)
    assert plot.smallest_text_px() == pytest.approx(pt_to_px(12), abs=0.1)
    label.hide()
    assert plot.smallest_text_px() == SMALLEST_PX


def test_a_narrow_plots_title_shrinks_in_a_window_but_not_while_presenting(show):
    plot = show(ThemedPlot("History: bias and mean Reward of the episodes", "episode"), 260, 300)
    assert plot._title_pt < 15
    plot.set_presenting(True)
    assert pt_to_px(plot._title_pt) >= SMALLEST_PX


def test_equations_keep_body_and_scripts_at_the_presenting_sizes(show):
    math = show(FittedMath(), 420, 200)
    math.set_lines([r"P_{\text{Norm}} = \sigma(X) = \dfrac{1}{1 + e^{-X}} = 0.500",
                    r"C_{\text{Norm}} = -\log(P_{\text{Norm}}) = 0.693"])
    assert math.smallest_text_px() < SMALLEST_PX          # squeezed into a small window panel
    math.resize(1200, 500)                                 # the stage
    math.set_presenting(True)
    assert math.smallest_text_px() >= SMALLEST_PX
    assert pt_to_px(math.view.point_size()) >= BODY_PX
    assert math.smallest_text_px() == pytest.approx(0.7 * pt_to_px(math.view.point_size()), rel=0.02)


def test_a_caption_grows_a_line_where_its_text_needs_one(show):
    caption = show(Caption(), 900, 60)
    two_lines = caption.height()
    caption.setText("Update: step size = learning rate × derivative × reward = 0.500. The bias "
                    "moves from 0.000 to −0.500; at this hunger P(Norm's) goes from 0.500 to 0.378.")
    caption.resize(420, caption.height())
    assert caption.height() > two_lines
    caption.resize(2000, caption.height())
    assert caption.height() == two_lines
