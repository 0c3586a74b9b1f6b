"""MathView: structure of the layout (not pixels), robustness on bad input, one pixel check of a
fraction, and what keeps repainting a chain-rule tab cheap."""
import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from explainer.ui.widgets.math_view import MathView, render_to_image

CHAIN = (r"\dfrac{\partial C_{\text{Squatch}}}{\partial \text{Bias}} = "
         r"\dfrac{\partial C}{\partial P_{\text{Norm}}} \times "
         r"\dfrac{\partial P_{\text{Norm}}}{\partial X} \times \dfrac{\partial X}{\partial \text{Bias}}")


def view(qtbot, lines, **kwargs) -> MathView:
    widget = MathView(lines, **kwargs)
    qtbot.addWidget(widget)
    return widget


def glyphs(widget, text=None):
    found = [g for root in widget.layout_boxes() for g in root.find("glyph")]
    return [g for g in found if text is None or g.text == text]


def test_fraction_numerator_above_rule_above_denominator(qtbot):
    frac = view(qtbot, r"\frac{1}{2}").layout_boxes()[0].find("frac")[0]
    num, rule, den = (frac.find(kind)[0] for kind in ("num", "rule", "den"))
    assert num.rect.bottom() <= rule.rect.top() < rule.rect.bottom() <= den.rect.top()
    assert rule.rect.width() >= max(num.rect.width(), den.rect.width())


def test_nested_fraction_is_smaller_and_dfrac_is_not(qtbot):
    w = view(qtbot, r"\frac{\frac{1}{x}}{1} \quad \dfrac{1}{1}")
    sizes = sorted(g.font.pointSizeF() for g in glyphs(w, "1"))
    assert sizes[0] < sizes[-1] and sizes.count(sizes[-1]) == 3


def test_scripts_sit_above_and_below_and_are_smaller(qtbot):
    w = view(qtbot, r"x^{2} + y_{i}")
    x, two, y, i = (glyphs(w, t)[0] for t in ("x", "2", "y", "i"))
    assert two.baseline < x.baseline and i.baseline > y.baseline
    assert two.font.pointSizeF() < x.font.pointSizeF()


def test_letters_italic_numbers_and_text_upright_minus_is_real(qtbot):
    w = view(qtbot, r"-x + 2 \text{Bias}")
    assert glyphs(w, "x")[0].font.italic()
    assert not glyphs(w, "2")[0].font.italic() and not glyphs(w, "Bias")[0].font.italic()
    assert glyphs(w, "\u2212") and not glyphs(w, "-")


def test_binary_and_relation_spacing_but_unary_minus_is_tight(qtbot):
    w = view(qtbot, r"a = -b")
    a, eq, minus, b = (glyphs(w, t)[0] for t in ("a", "=", "\u2212", "b"))
    em = w.point_size() * 96 / 72
    assert eq.rect.left() - a.rect.right() > 0.2 * em      # thick space around a relation
    assert b.rect.left() - minus.rect.right() < 0.05 * em  # a sign, not a binary minus


def test_color_spans_carry_their_colour(qtbot):
    from explainer.ui.theme.contrast import LEAST_TEXT_CONTRAST, contrast
    w = view(qtbot, r"a = \color{#CC79A7}{2.000} \times \textcolor{policy}{p} + \color{red} q")
    pink, background = QColor("#cc79a7"), QColor("#ffffff")
    # each the colour asked for, as dark as text needs to read on the background (4.5:1)
    shown = QColor(glyphs(w, "2.000")[0].color)
    assert abs(shown.hslHue() - pink.hslHue()) <= 3 and shown.lightness() < pink.lightness()
    assert contrast(shown, background) >= LEAST_TEXT_CONTRAST
    assert glyphs(w, "p")[0].color == shown.name()           # project colour names work too
    red = QColor(glyphs(w, "q")[0].color)
    assert red.hslHue() == QColor("red").hslHue() and contrast(red, background) >= LEAST_TEXT_CONTRAST
    assert glyphs(w, "a")[0].color == "#1a1a1a"


def test_greyed_lines_are_one_muted_colour(qtbot):
    w = view(qtbot, [(r"\frac{\color{#CC79A7}{1}}{2} \foo", True), ("b", False)])
    first = w.layout_boxes()[0]
    assert {g.color for g in first.find("glyph") + first.find("rule")} == {"#8a8a8a"}
    assert glyphs(w, "b")[0].color == "#1a1a1a"


def test_parentheses_grow_around_fractions_only(qtbot):
    w = view(qtbot, r"\left(\dfrac{a}{b}\right) (\frac{a}{b}) (x)")
    assert len(w.layout_boxes()[0].find("path")) == 4
    assert len(glyphs(w, "(")) == 1


def test_ampersand_lines_up_lines(qtbot):
    w = view(qtbot, [r"a &= b", r"\text{long name} &= c"])
    first, second = glyphs(w, "=")
    assert first.rect.left() == pytest.approx(second.rect.left())


@pytest.mark.parametrize("src", ["}", "{", r"\frac", r"\frac{1}", "^", "_{", r"\left(", r"\right)",
                                 r"\color{nope}{x}", "((((", "{" * 600 + "x", r"\text{", "x^^2",
                                 r"\left\{ \dfrac{1}{2} \right.", "& & &", r"\\ \, \;"])
def test_bad_input_never_raises(qtbot, caplog, src):
    with caplog.at_level(logging.DEBUG):
        w = view(qtbot, src)
        w.grab()
        render_to_image([src, (src, True)], 20)
    assert not caplog.records


def test_unknown_command_is_shown_literally_in_red(qtbot):
    bad = glyphs(view(qtbot, r"a + \foo"), r"\foo")
    assert bad and QColor(bad[0].color).red() > 180 and QColor(bad[0].color).green() < 60


def test_empty_input_renders_nothing(qtbot):
    w = view(qtbot, "")
    assert w.layout_boxes() == [] and w.sizeHint().isEmpty()
    w.set_lines([])
    w.grab()


def test_point_size_scales_everything(qtbot):
    w = view(qtbot, CHAIN, point_size=15)
    small = w.sizeHint()
    w.set_point_size(30)
    big = w.sizeHint()
    assert 1.8 < big.width() / small.width() < 2.2 and 1.8 < big.height() / small.height() < 2.2
    assert w.minimumSizeHint() == big


def test_centre_alignment_centres_each_line(qtbot):
    w = view(qtbot, ["a", r"a + b + c"], alignment=Qt.AlignmentFlag.AlignHCenter)
    short, long_ = w.layout_boxes()
    assert short.rect.center().x() == pytest.approx(long_.rect.center().x())


def test_fraction_has_ink_above_and_below_its_rule():
    img = render_to_image(r"\frac{1}{2}", 30, background=QColor("white"))
    img = img.convertToFormat(QImage.Format.Format_Grayscale8)
    dark_per_row = [sum(img.pixelColor(x, y).value() < 100 for x in range(img.width()))
                    for y in range(img.height())]
    rule = max(range(len(dark_per_row)), key=dark_per_row.__getitem__)
    assert any(dark_per_row[:rule - 2]) and any(dark_per_row[rule + 3:])


def test_repainting_a_chain_rule_tab_copies_its_lines_and_lays_out_nothing(qtbot, monkeypatch):
    """What keeps repainting cheap (its time is in benchmarks/bench_math_view.py): an unchanged
    tab is neither parsed nor laid out again, and each line is copied from its cached image."""
    from explainer.ui.widgets import math_view
    lines = [(CHAIN, True), (r"= \color{#CC79A7}{2.000} \times 0.250 \times 1", False),
             (r"= 0.500", False),
             (r"\text{Bias}_{\text{new}} = \text{Bias} - 0.1 \times 0.500", False)]
    w = view(qtbot, lines)
    w.resize(w.sizeHint())
    image = QImage(w.size(), QImage.Format.Format_ARGB32_Premultiplied)
    drawn, laid_out = [], []
    draw, layout = math_view._draw, math_view.MathLayout.__init__
    monkeypatch.setattr(math_view, "_draw", lambda *a: (drawn.append(a), draw(*a)))
    monkeypatch.setattr(math_view.MathLayout, "__init__",
                        lambda self, *a, **k: (laid_out.append(a), layout(self, *a, **k))[1])
    w.render(image)                                      # seen once: drawn glyph by glyph
    assert len(drawn) == len(lines)
    w.render(image)                                      # seen again: each line gets its image
    assert len(drawn) == 2 * len(lines)
    for _ in range(50):
        w.render(image)
    assert len(drawn) == 2 * len(lines) and laid_out == []
    assert sum(cached is not None for cached in w._images.values()) == len(lines)


def test_every_glyph_is_drawn_in_its_own_font_and_colour_on_every_line(qtbot):
    """Each line is drawn from its own cached draw list: the font and pen carried over from the
    line above must not leak into the next (they once did, shrinking its first glyphs)."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QTransform

    from explainer.ui.widgets.math_view import MathLayout, normalise

    class Recorder:  # stands in for QPainter and notes the font and pen of every drawn glyph
        def __init__(self, image):
            self.image, self.font, self.pen, self.drawn, self.saved = image, None, None, [], []

        def device(self):
            return self.image

        def deviceTransform(self):   # drawn at 1×
            return QTransform()

        worldTransform = deviceTransform

        def save(self):
            self.saved.append((self.font, self.pen))

        def restore(self):
            self.font, self.pen = self.saved.pop()

        def setFont(self, font):
            self.font = font

        def setPen(self, pen):
            self.pen = pen

        def drawText(self, _point, text):
            self.drawn.append((text, self.font.pointSizeF(), QColor(self.pen).name()))

        def setRenderHints(self, *_):
            pass

        def translate(self, *_):
            pass

        def fillRect(self, *_):
            pass

        def fillPath(self, *_):
            pass

    lines = [r"\frac{\partial C}{\partial P} = x^{2} \times 1",
             r"= \color{#56B4E9}{(-1.000)} \times \color{#56B4E9}{2.93 \times 10^{-6}}"]
    layout = MathLayout(normalise(lines), 20)
    recorder = Recorder(QImage(10, 10, QImage.Format.Format_ARGB32))
    layout.paint(recorder, QPointF(0, 0))
    wanted = [(g.text, g.font.pointSizeF(), g.color) for root in layout.roots for g in root.find("glyph")]
    assert len(wanted) > 10
    assert recorder.drawn == wanted


def test_cached_line_images_paint_exactly_what_the_glyphs_do_and_are_reused(qtbot):
    from PySide6.QtGui import QPainter, QPalette

    lines = [r"\frac{\partial C}{\partial P} = x^{2} \times 1", r"= (-1.000) \times 0.5"]
    view = MathView(lines)
    qtbot.addWidget(view)
    view.resize(view.sizeHint())
    view.show()
    qtbot.waitExposed(view)
    first_paint = view.grab().toImage()                  # lines seen once are drawn directly,
    assert all(image is None for image in view._images.values())
    cached = view.grab().toImage()                       # and get their images when seen again
    assert all(image is not None for image in view._images.values()) and cached == first_paint
    direct = QImage(cached.size(), cached.format())
    direct.fill(view.palette().color(QPalette.ColorRole.Window))
    painter = QPainter(direct)
    view._layout.paint(painter, view._origin())           # no cache: the glyphs themselves
    painter.end()
    assert cached == direct
    first = {key[0][0]: image for key, image in view._images.items()}
    view.set_lines([lines[0], r"= (-2.000) \times 0.5"])  # the second line's number changes
    view.grab()
    again = {key[0][0]: image for key, image in view._images.items()}
    assert again[lines[0]] is first[lines[0]]             # the unchanged line is not drawn again
    assert lines[1] not in again and len(again) == 2      # the old line's image is let go
    assert again[r"= (-2.000) \times 0.5"] is None        # a new number is drawn, not imaged
