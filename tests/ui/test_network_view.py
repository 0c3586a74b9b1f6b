"""The lesson-2 network picture: its node titles stay inside their circles."""
import math

import pytest
from PySide6 import QtCore, QtGui

from explainer.ui.policy_tab import network_view as nv
from explainer.ui.theme.style import BASE_POINT_SIZE


@pytest.mark.parametrize("zoom", [1.0, 1.5])
def test_node_titles_fit_inside_their_circles_at_lecture_size(show, zoom):
    view = nv.NetworkView()
    font = QtGui.QFont(view.font())
    font.setPointSizeF(BASE_POINT_SIZE * zoom)   # the window's text size, zoomed or not
    view.setFont(font)
    show(view, 800, 450)
    view.grab()                                  # a paint sets the text size it lays out with
    for centre, radius, title in ((nv.X_NODE, nv.X_RADIUS, "hunger x"), (nv.SUM_NODE, nv.SUM_RADIUS, "X")):
        scale, ink = view.node_title(centre, radius, title)
        corners = (ink.topLeft(), ink.topRight(), ink.bottomLeft(), ink.bottomRight())
        assert all(math.dist((c.x(), c.y()), (centre.x(), centre.y())) < radius - 2 for c in corners), title
        assert scale * view._font_px >= 0.75 * view.FONT_PX, title  # no smaller than at zoom 1, bar a little


@pytest.mark.parametrize("zoom", [1.0, 1.15, 1.5, 2.0])
def test_every_label_fits_its_box_at_each_phase_zoomed_in_too(show, zoom):
    """Presentation mode zooms the text in while the boxes keep their size: a label shrinks to
    fit its box (to 70 %, zoomed in to 85 % of its unzoomed size, at the least) instead of spilling over its neighbours."""
    from explainer.core.fries.policy_gradient import PolicyGradientRun

    view = nv.NetworkView()
    font = QtGui.QFont(view.font())
    font.setPointSizeF(BASE_POINT_SIZE * zoom)
    view.setFont(font)
    show(view, 800, 450)
    drawn = []
    fitted = view._fitted

    def recorded(text, pixels, bold, rect):
        drawn.append((text, pixels, bold, QtCore.QRectF(rect), fitted(text, pixels, bold, rect)))
        return drawn[-1][-1]

    view._fitted = recorded
    for record in PolicyGradientRun(seed=0).episode(x=0.0, action="squatch", outcome="small", u=0.2):
        view.set_record(record)
        view._static = None   # the cached layer's labels are drawn again too
        view.grab()
    assert len({text for text, *_ in drawn}) > 20
    for text, asked, bold, rect, (pixels, wrap) in drawn:
        metrics = QtGui.QFontMetricsF(view._font_for(pixels, bold))
        if wrap:   # only prose in a box tall enough for its lines
            wrapped = view.wrapped_size(metrics, text, rect.width())
            assert wrapped.width() <= rect.width() and wrapped.height() <= rect.height(), text
        else:
            widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
            assert widest <= rect.width(), (text, widest, rect.width())
        assert pixels >= int(min(0.7, 0.85 / zoom) * asked), text


def test_the_update_line_shows_the_records_new_bias_at_every_frame_of_the_animation(show):
    from explainer.core.fries.policy_gradient import PolicyGradientRun
    from explainer.ui.widgets.format import num

    view = show(nv.NetworkView(), 800, 450)
    update = PolicyGradientRun(seed=0).episode(x=0.0, action="squatch", outcome="small", u=0.2)[-1]
    view.set_record(update)
    texts = []
    fitted = view._fitted
    view._fitted = lambda text, *rest: texts.append(text) or fitted(text, *rest)
    for t in (0.0, 0.5, 1.0):
        texts.clear()
        view.set_progress(t)
        view.grab()
        line = next(line for text in texts for line in text.split("\n") if line.startswith("new bias"))
        assert line.endswith(f"= {num(update.bias_after)}") and num(update.bias_after) == "−0.500", (t, line)


def test_the_bias_box_moves_to_the_new_bias_as_the_update_animates(show):
    from explainer.core.fries.policy_gradient import PolicyGradientRun
    run = PolicyGradientRun(seed=0, train_weight=True)
    guess, derivative, reward, update = run.episode(x=0.0, action="squatch", outcome="small", u=0.2)
    view = show(nv.NetworkView(), 800, 450)
    view.set_record(reward)
    view.set_progress(1.0)
    assert view.shown_bias() == reward.bias_before               # not yet updated
    view.set_record(update)
    view.set_progress(0.0)
    assert view.shown_bias() == update.bias_before == 0.0
    view.set_progress(0.5)                                       # the step on its way
    assert view.shown_bias() == pytest.approx((update.bias_before + update.bias_after) / 2)
    assert view.shown_weight() == pytest.approx((update.weight_before + update.weight_after) / 2)
    view.set_progress(1.0)                                       # arrived: as the caption says
    assert view.shown_bias() == update.bias_after == pytest.approx(-0.5)
    assert view.shown_weight() == update.weight_after


@pytest.mark.parametrize("cls", ["network", "essentials"])
def test_past_the_text_limit_larger_text_makes_the_picture_larger_not_its_labels(show, cls):
    """At 2× the labels had outgrown the picture's boxes (∂P/∂X over ∂C/∂P, the learning rate
    off the bottom): past 1.3× the text keeps its share of the canvas and the picture's least
    size grows instead, so the text on screen still grows with the zoom."""
    from explainer.ui.essentials_tab.picture import EssentialsPicture
    from explainer.ui.widgets.canvas import TEXT_ZOOM_LIMIT

    def at_least_size(zoom):
        view = nv.NetworkView() if cls == "network" else EssentialsPicture()
        font = QtGui.QFont(view.font())
        font.setPointSizeF(BASE_POINT_SIZE * zoom)
        view.setFont(font)
        least = view.minimumSizeHint()
        show(view, least.width(), least.height())
        view.grab()
        return view, least

    limit, limit_size = at_least_size(TEXT_ZOOM_LIMIT)
    large, large_size = at_least_size(2.0)
    assert large._font_px == pytest.approx(limit._font_px)   # the same share of the canvas
    assert large_size.width() == round(limit.LEAST[0] * 2.0 / TEXT_ZOOM_LIMIT)
    assert large_size.height() == round(limit.LEAST[1] * 2.0 / TEXT_ZOOM_LIMIT)
    # every label larger on screen, in proportion to the zoom (to a pixel's rounding)
    ratio = large.smallest_text_px() / limit.smallest_text_px()
    assert ratio == pytest.approx(2.0 / TEXT_ZOOM_LIMIT, rel=0.12)


@pytest.mark.parametrize("theme", ["light", "dark", "high contrast"])
def test_a_coloured_label_reads_against_the_background_in_every_theme(theme):
    """The sky-blue derivatives on the light picture were 1.8:1, the orange 2:1."""
    from PySide6 import QtCore as _QtCore

    from explainer.ui.theme import themes
    from explainer.ui.theme.style import COLORS, color
    from explainer.ui.theme.contrast import contrast
    from explainer.ui.theme.contrast import LEAST_TEXT_CONTRAST as LEAST_CONTRAST
    from explainer.ui.widgets.canvas import readable
    themes.apply_theme(theme, _QtCore.QCoreApplication.instance())
    try:
        back = QtGui.QColor(color("background"))
        for name in ("derivative", "reward", "learning_rate", "policy", "agent", "muted", "text"):
            assert contrast(readable(name), back) >= LEAST_CONTRAST, (theme, name, COLORS[name])
        derivative = readable("derivative")
        # the hue stays: a darker (or lighter) sky blue, not another colour
        assert abs(derivative.hslHue() - QtGui.QColor(color("derivative")).hslHue()) <= 3
    finally:
        themes.apply_theme("light", _QtCore.QCoreApplication.instance())


def test_the_weight_label_sits_between_the_two_nodes_it_joins():
    """A large "× 20.0" ran onto the hunger node's outline (its box began inside the circle)."""
    label = nv.WEIGHT_LABEL
    assert label.left() > nv.X_NODE.x() + nv.X_RADIUS
    assert label.right() < nv.SUM_NODE.x() - nv.SUM_RADIUS
