"""What each theme paints, read back from grabbed images: controls stand out from the background
in high contrast, the dark theme has no light boxes, a control switched off looks off, and a
slider's box shows the run's true value."""
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from explainer.ui.theme import style, themes
from explainer.ui.theme.contrast import contrast, luminance

CC, SC = QtWidgets.QStyle.ComplexControl, QtWidgets.QStyle.SubControl
ROLE, GROUP = QtGui.QPalette.ColorRole, QtGui.QPalette.ColorGroup
READABLE = 3.0   # WCAG's minimum contrast for the parts of a control


@pytest.fixture
def theme(qapp):
    """Switch themes as the window does (palette, then restyle what is shown); the test
    session's own palette and colours come back afterwards."""
    palette, colours = QtGui.QPalette(qapp.palette()), dict(style.COLORS)

    def use(name: str, shown: QtWidgets.QWidget) -> None:
        themes.set_palette(name, qapp)
        themes.restyle(shown)
    yield use
    style.COLORS.clear()
    style.COLORS.update(colours)
    qapp.setPalette(palette)


@pytest.fixture
def show(qtbot):
    """`widget` in a holder with the window's style sheet, on screen."""
    def shown(widget: QtWidgets.QWidget) -> QtWidgets.QWidget:
        holder = QtWidgets.QWidget()
        holder.setStyleSheet(f"QWidget {{ font-size: {style.BASE_POINT_SIZE}pt; }}")
        QtWidgets.QVBoxLayout(holder).addWidget(widget)
        qtbot.addWidget(holder)
        holder.resize(420, holder.sizeHint().height())
        holder.show()
        qtbot.waitExposed(holder)
        return holder
    return shown


def pixels(widget: QtWidgets.QWidget, rect: QtCore.QRect | None = None) -> list[QtGui.QColor]:
    image = widget.grab().toImage()
    rect = (rect or image.rect()).intersected(image.rect())
    return [image.pixelColor(x, y) for y in range(rect.top(), rect.bottom() + 1)
            for x in range(rect.left(), rect.right() + 1)]


def most_contrast(widget, rect, background: str, greys_only: bool = False) -> float:
    """The strongest contrast any pixel of `rect` has with the background: a part that is drawn
    at all stands out by this much. `greys_only` leaves out coloured pixels (a slider's blue
    fill runs under its handle)."""
    return max((contrast(p, QtGui.QColor(background)) for p in pixels(widget, rect)
                if not greys_only or p.hsvSaturation() < 40), default=1.0)


def ink(widget, background: str) -> QtGui.QColor:
    """The painted colour that stands out most: a label's text."""
    return max(pixels(widget), key=lambda p: contrast(p, QtGui.QColor(background)))


def slider_parts(ticks: QtWidgets.QSlider) -> tuple[QtCore.QRect, QtCore.QRect]:
    option = QtWidgets.QStyleOptionSlider()
    ticks.initStyleOption(option)
    style_ = ticks.style()
    return (style_.subControlRect(CC.CC_Slider, option, SC.SC_SliderGroove, ticks),
            style_.subControlRect(CC.CC_Slider, option, SC.SC_SliderHandle, ticks))


def test_high_contrast_draws_slider_grooves_handles_check_boxes_and_number_boxes(show, theme):
    """Fusion outlines controls 40 % darker than the window: on high contrast's black that is
    black, and the grooves, handles, check-box frames, box borders and progress bars vanished."""
    from explainer.ui.widgets.param_slider import ParamSlider
    column = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(column)
    slider = ParamSlider("Learning rate", 0.0, 1.0, 0.1, style.color("learning_rate"))
    check = QtWidgets.QCheckBox("train the weight too")
    number = QtWidgets.QDoubleSpinBox()
    progress = QtWidgets.QProgressBar(textVisible=False)   # empty: only its groove is drawn
    for widget in (slider, check, number, progress):
        layout.addWidget(widget)
    holder = show(column)
    theme("high contrast", holder)
    panel, base = style.color("panel"), style.color("background")

    ticks = slider.slider.ticks
    groove, handle = slider_parts(ticks)
    empty = QtCore.QRect(handle.right() + 4, groove.top() - 1, groove.right() - handle.right() - 8,
                         groove.height() + 2)   # the groove right of the handle: not filled
    option = QtWidgets.QStyleOptionButton()
    check.initStyleOption(option)
    frame = check.style().subElementRect(QtWidgets.QStyle.SubElement.SE_CheckBoxIndicator,
                                         option, check)
    assert not check.isChecked()

    def left_edge(box):   # over the box's base colour
        return most_contrast(box, QtCore.QRect(0, 0, 3, box.height()), base)
    seen = {"groove": most_contrast(ticks, empty, panel),
            "handle": most_contrast(ticks, handle, panel, greys_only=True),
            "check box": most_contrast(check, frame, panel),
            "number box": left_edge(number), "slider's box": left_edge(slider.slider.box),
            "progress bar": most_contrast(progress, QtCore.QRect(0, 0, 3, progress.height()),
                                          panel)}
    assert {part: round(c, 2) for part, c in seen.items() if c < READABLE} == {}


def test_the_dark_theme_has_no_light_response_cards(show, theme, tmp_path):
    """"Which is better?" set its cards' background when it was built, in the light theme's
    colours: in dark they stayed two glaring white boxes."""
    from explainer.ui.reward_tab.compare_view import CompareView
    from explainer.ui.reward_tab.controller import RewardController
    controller = RewardController(autosave_path=tmp_path / "autosave.json")
    try:
        view = CompareView(controller)
        holder = show(view)
        theme("dark", holder)
        for card in (view.first, view.second):
            shades = sorted(luminance(p) for p in pixels(card))
            typical = shades[len(shades) // 2]   # the background, not the text on it
            assert typical < 0.05, typical
            assert contrast(QtGui.QColor(style.color("text")),
                            QtGui.QColor(style.color("panel"))) >= 7   # its text stays legible
        assert ink(view.status, style.color("panel")).name() == style.color("muted")
    finally:
        controller.shutdown()


def test_a_slider_switched_off_looks_switched_off(show, theme):
    """Tab 4's clip range is held off under REINFORCE; in dark its fill, name and box were
    drawn exactly as an enabled slider's."""
    from explainer.ui.rlhf_tab.controls import RLHFControls
    controls = RLHFControls()
    holder = show(controls)
    theme("dark", holder)
    controls.show_settings({"objective": "reinforce"})
    on, off = controls.beta, controls.clip
    assert on.isEnabled() and not off.isEnabled()

    def fill(s) -> QtGui.QColor:   # the filled part of the groove, left of the handle
        groove, _handle = slider_parts(s.slider.ticks)
        spot = QtCore.QRect(groove.left() + 4, groove.center().y(), 1, 1)
        return pixels(s.slider.ticks, spot)[0]
    assert fill(on).hsvSaturation() > 120            # the theme's highlight
    assert fill(off).hsvSaturation() < 40            # grey
    background = style.color("panel")
    assert ink(on.label, background).hsvSaturation() > 120
    assert ink(off.label, background).hsvSaturation() < 40
    box = off.slider.box.palette()
    assert box.color(GROUP.Disabled, ROLE.Text) != box.color(GROUP.Active, ROLE.Text)
    assert (contrast(ink(off.slider.box, style.color("background")), QtGui.QColor(background))
            < contrast(ink(on.slider.box, style.color("background")), QtGui.QColor(background)))


def test_a_slider_box_shows_the_runs_true_value_beyond_the_slider(qtbot):
    """A bias trained to −25 on the ±20 slider showed −20.00 in its box: the handle may stop
    at the end, the number may not."""
    from explainer.core.fries.policy_gradient import PolicyGradientRun
    from explainer.ui.policy_tab.controls import PolicyControls
    controls = PolicyControls([])
    qtbot.addWidget(controls)
    controls.show_record(None, PolicyGradientRun(bias=-25.0, weight=60.0))
    bias, weight = controls.sliders["bias"], controls.sliders["weight"]
    assert bias.value() == -25.0 and bias.slider.box.text() == "-25.000"
    assert bias.slider.ticks.value() == bias.slider.ticks.minimum()   # held at the end
    assert weight.value() == 60.0 and weight.slider.box.text() == "60.0"
    assert weight.slider.ticks.value() == weight.slider.ticks.maximum()
    bias.slider.box.setValue(-30.0)   # typed: the run's range, not the slider's
    assert bias.value() == -30.0


def test_glossary_links_in_a_caption_read_in_every_theme(show, theme):
    """A caption's glossary links were painted near-black whatever the theme: invisible in high
    contrast, barely there in dark."""
    from explainer.ui.widgets.glossary_dialog import link_terms
    from explainer.ui.widgets.caption import Caption
    caption = Caption()
    caption.setText(link_terms("Policy", ["Policy"]))   # all link: its colour is the ink
    holder = show(caption)
    for name in ("dark", "high contrast"):
        theme(name, holder)
        assert contrast(ink(caption, style.color("panel")), QtGui.QColor(style.color("panel"))) >= 7
