"""Tabs 3 and 4 on a lecture hall's projector: short of height, panels take turns on page tabs
rather than shrinking below what the back row can read; presenting, tab 4's Results shows one
result at a time. No training process is started: the tabs are laid out with what they hold."""
from types import SimpleNamespace

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from explainer.core.language import rankings

# A tab's room inside the main window on a 1280×720 projector (a title bar, the menu and the tab
# bar above it) and on a 1600×950 screen.
TAB_AT_720 = (1264, 590)
TAB_AT_950 = (1584, 820)
READABLE_PLOT_PX = 170   # a plot with its title and axes, whose data area reads from the back
TOKENS = ("two", "plus", "three", "is", "five", ".", "thank", "you", "for", "asking", "!",
          "<eos>")


@pytest.fixture(autouse=True)
def lecture_font(qapp):
    """The window's text size at zoom 1, whatever earlier tests left."""
    from PySide6 import QtGui

    from explainer.ui.theme.style import BASE_POINT_SIZE
    before = QtGui.QFont(qapp.font())
    font = QtGui.QFont(before)
    font.setPointSizeF(BASE_POINT_SIZE)
    qapp.setFont(font)
    yield
    qapp.setFont(before)


def _settle(qtbot) -> None:
    for _ in range(3):
        QtWidgets.QApplication.processEvents()
    qtbot.wait(20)


@pytest.fixture
def reward_tab(qtbot, tmp_path):
    from explainer.ui.reward_tab.controller import RewardController
    from explainer.ui.reward_tab.tab import RewardTab
    tab = RewardTab(RewardController(autosave_path=tmp_path / "autosave.json"))
    tab._started = True   # laid out only: no training process
    qtbot.addWidget(tab)
    yield tab
    tab.shutdown()


def _show(qtbot, widget, size) -> None:
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    _settle(qtbot)


def _shown_plot_heights(tab) -> dict[str, int]:
    plots = {"reward bars": tab.bars.plot, "training loss": tab.plots.loss_plot,
             "accuracy": tab.plots.accuracy_plot, "loss curve": tab.loss_curve.plot}
    return {name: plot.height() for name, plot in plots.items() if plot.isVisible()}


# --- tab 3 ------------------------------------------------------------------------------------------
def test_the_reward_tabs_toolbar_keeps_no_blank_row_once_the_model_has_loaded(qtbot, reward_tab):
    """At 1600 px the status line took a second toolbar row of its own, blank once loaded."""
    tab = reward_tab
    _show(qtbot, tab, TAB_AT_950)
    tab.controller.model_ready.emit()
    _settle(qtbot)
    row = max(w.height() for w in (tab.controls.train_button, tab.controls.optimizer))
    assert tab.controls.height() <= row + 2
    assert not tab.controls.status.isVisible()


def test_at_720_px_the_reward_tabs_panels_take_turns_rather_than_shrink(qtbot, reward_tab):
    tab = reward_tab
    _show(qtbot, tab, TAB_AT_720)
    heights = _shown_plot_heights(tab)
    assert heights and min(heights.values()) >= READABLE_PLOT_PX, heights
    assert tab.model_pages.paged and tab.model_pages.bar.isVisible()
    tab.model_pages.bar.setCurrentIndex(1)                 # the training plots' page
    _settle(qtbot)
    assert not tab.bars.isVisible()
    assert min(_shown_plot_heights(tab).values()) >= READABLE_PLOT_PX
    # the prompts: at least three rows in view under their header
    tree = tab.prompts.list
    assert tree.viewport().height() >= 3 * tree.sizeHintForRow(0)


def test_on_a_tall_screen_the_reward_tab_shows_every_panel_at_once(qtbot, reward_tab):
    tab = reward_tab
    _show(qtbot, tab, TAB_AT_950)
    tab.controller.model_ready.emit()                      # loaded: the toolbar is one row
    _settle(qtbot)
    assert not tab.model_pages.paged and not tab.loss_pages.paged
    heights = _shown_plot_heights(tab)
    assert set(heights) == {"reward bars", "training loss", "accuracy", "loss curve"}
    assert min(heights.values()) >= READABLE_PLOT_PX, heights


def test_the_reward_beside_the_head_is_whole_and_clear_of_it(qtbot):
    """"R = +10.94" was centred in too little room: cut on its left, over the reward head."""
    from explainer.ui.reward_tab.architecture_view import ArchitectureView
    view = ArchitectureView()
    qtbot.addWidget(view)
    view.set_example("what is the capital of china ?", "beijing .", "+10.941")
    for width, presenting in ((640, False), (880, False), (1160, False), (860, True)):
        view.set_presenting(presenting)   # the drawing's width at 1024, 1280, 1600 px; presenting
        view.resize(width, 200)
        head = view._geometry().box("reward")
        text = view.reward_rect()
        assert text.left() > head.right() and text.right() <= width, (width, text)


class _FakeRewards(QtCore.QObject):
    """What the bars read from the controller: the rankings, a selection, one snapshot."""
    feedback_changed = QtCore.Signal(object)
    selection_changed = QtCore.Signal()

    def __init__(self, rewards: dict) -> None:
        super().__init__()
        self.feedback = rankings.default_feedback()
        self.selected_prompt_id = self.feedback.prompts[0].id
        self.selected_pair = None
        self.snapshot = SimpleNamespace(rewards=rewards)

    def prompt(self, prompt_id):
        return next((p for p in self.feedback.prompts if p.id == prompt_id), None)

    def on_snapshot(self, view) -> None:
        pass


@pytest.mark.parametrize("width, height", ((420, 200), (420, 240), (420, 400), (280, 240)))
def test_every_bar_value_sits_inside_the_plot_clear_of_the_next(qtbot, width, height):
    from explainer.ui.reward_tab.reward_bars import RewardBars
    fake = _FakeRewards({})
    prompt = fake.prompt(fake.selected_prompt_id)
    values = (10.94, 6.42, 2.69, -1.11, -4.86, -9.83)
    fake.snapshot.rewards = {(prompt.id, r.id): v for r, v in zip(prompt.responses, values)}
    bars = RewardBars(fake)
    qtbot.addWidget(bars)
    _show(qtbot, bars, (width, height))
    bars._render()
    _settle(qtbot)
    area = bars.plot.getViewBox().boundingRect()
    rects = bars.label_rects()
    for rect in rects:
        assert area.adjusted(0, 2, 0, -2).contains(rect), (rect, area)
    for a, b in zip(rects, rects[1:]):   # side by side, none runs into the next
        assert not a.intersects(b), (a, b)
    low, high = bars.plot.getViewBox().viewRange()[1]   # and the bars fill the plot
    assert (max(values) - min(values)) / (high - low) >= 0.35, (low, high)


def test_the_loss_formula_uses_the_shared_fitted_math_and_fits_a_narrow_column(qtbot, reward_tab):
    from explainer.ui.widgets.fitted_math import FittedMath
    panel = reward_tab.loss_panel
    assert isinstance(panel.math, FittedMath)
    panel.setParent(None)
    _show(qtbot, panel, (380, 300))
    needed = panel.math.view.sizeHint()
    assert needed.width() <= panel.math.width() and needed.height() <= panel.math.height()


# --- tab 4 ------------------------------------------------------------------------------------------
@pytest.fixture
def results(qtbot):
    from explainer.ui.rlhf_tab.controller import RLHFController
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    from explainer.ui.rlhf_tab.results_panel import ResultsPanel
    controller = RLHFController(FeedbackLink())
    panel = ResultsPanel(controller, QtWidgets.QWidget())
    qtbot.addWidget(panel)
    yield panel
    controller.shutdown()


def _plot_heights(panel) -> dict[str, int]:
    return {name: plot.height() for name, plot in panel.plots.plots().items() if plot.isVisible()}


@pytest.mark.parametrize("banners", (0, 3))
def test_results_at_720_px_keep_readable_plots_however_many_banners(qtbot, results, banners):
    """Results on a 1280×720 projector below the stage tabs, with up to three banners (the
    walkthrough, a status, a preset's note; ~50 px each) stacked above: the plots once came to
    40–60 px."""
    width, height = TAB_AT_720
    _show(qtbot, results, (width, height - 40 - 50 * banners))
    heights = _plot_heights(results)
    assert set(heights) == {"reward", "true", "kl", "gap"}
    assert min(heights.values()) >= (READABLE_PLOT_PX if banners == 0 else 150), heights
    assert results.pages.paged and not results.card.isVisible()
    results.pages.bar.setCurrentIndex(1)
    _settle(qtbot)
    assert results.card.isVisible() and not results.plots.isVisible()


def test_results_on_a_tall_screen_show_plots_and_card_together(qtbot, results):
    _show(qtbot, results, (TAB_AT_950[0], TAB_AT_950[1] - 40))
    assert not results.pages.paged and results.card.isVisible()
    assert min(_plot_heights(results).values()) >= READABLE_PLOT_PX


def test_presenting_results_show_one_result_at_a_time(qtbot, results):
    _show(qtbot, results, (1272, 680))
    results.set_presentation(True)
    _settle(qtbot)
    shown = []
    for _ in range(4):
        visible = sorted(_plot_heights(results)) if results.plots.isVisible() else []
        shown.append((visible, results.card.isVisible()))
        if visible:
            assert min(_plot_heights(results).values()) >= 250   # a result fills the page
        results.next_result()
        _settle(qtbot)
    assert shown == [(["reward", "true"], False), (["kl"], False), (["gap"], False), ([], True)]
    assert not results.pages.bar.isVisible()                     # no strip of page tabs
    results.set_presentation(False)
    _settle(qtbot)
    assert sorted(_plot_heights(results)) == ["gap", "kl", "reward", "true"]


def test_f_steps_the_results_while_presenting(qtbot):
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    from explainer.ui.rlhf_tab.tab import RLHFTab
    tab = RLHFTab(FeedbackLink())
    tab._started = True   # laid out only: no training process
    qtbot.addWidget(tab)
    _show(qtbot, tab, (1280, 720))
    tab.set_presentation(True)
    tab.stages.setCurrentWidget(tab.results)
    tab.activateWindow()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)
    assert tab.results.result == "kl"
    tab.set_presentation(False)
    assert tab.results.result is None
    tab.shutdown()


@pytest.mark.parametrize("size", ((620, 100), (620, 160), (400, 120), (1000, 90)))
def test_every_token_is_written_whole_under_its_bar(qtbot, size):
    """At 1280×720 the slanted labels were cut to "su", "pu", "<e"."""
    from explainer.ui.rlhf_tab.token_view import TokenBars
    bars = TokenBars()
    _show(qtbot, bars, size)
    bars.set_tokens(TOKENS, [0.08, 1.0, 0.7, 1.0, 0.85, 1.0, 0.06, 1.0, 1.0, 1.0, 1.0, 0.91])
    rects = bars.label_rects()
    assert len(rects) == len(TOKENS)
    inside = QtCore.QRectF(bars.rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
    for token, rect in zip(TOKENS, rects):
        assert inside.contains(rect), (token, rect, size)
    for a, b in zip(rects, rects[1:]):
        assert not a.intersects(b) or bars._layout().mode == "slanted"


def test_a_narrow_token_strip_asks_for_the_height_its_labels_need(qtbot):
    """At 1024×768 stage 3's strip was laid out shorter than its slanted labels ("warsav") and
    its probabilities ran together (".78.98")."""
    from explainer.ui.rlhf_tab.token_view import TokenBars, short
    tokens = ("of", "course", "!", "the", "capital", "of", "poland", "is", "warsaw", ".", "i",
              "hope", "this", "helps", "!", "<eos>")
    probs = (0.27, 1.0, 1.0, 0.78, 0.98, 1.0, 0.66, 1.0, 0.63, 1.0, 0.01, 1.0, 1.0, 1.0, 1.0, 0.79)
    bars = TokenBars()
    _show(qtbot, bars, (520, 72))
    bars.set_tokens(tokens, probs)
    assert bars._layout().mode == "slanted"
    least = bars.minimumSizeHint().height()
    assert least > 72
    bars.resize(520, least)   # what a layout gives it at the least
    inside = QtCore.QRectF(bars.rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
    assert all(inside.contains(rect) for rect in bars.label_rects())
    metrics = QtGui.QFontMetricsF(bars.prob_font())
    column = bars.width() / len(tokens)
    assert max(metrics.horizontalAdvance(short(p)) for p in probs) <= column


# --- presenting at 1280×720: the type scale ---------------------------------------------------------
@pytest.mark.slow   # the tabs' training processes build the models
def test_presenting_tabs_3_and_4_show_no_text_under_the_least_size(qtbot, fresh_window):
    """Each panel tab 3 puts beside the rankings (F), each of stage 3's panels with a response
    drawn, each result and stages 0-1 (a walkthrough shows them): text at 20 px or more, nothing
    cut off, and the plots alone fill the stage."""
    from explainer.ui.reward_tab.tab import STAGE as REWARD_STAGE
    from explainer.ui.rlhf_tab.policy_panel import STAGE as POLICY_STAGE
    from explainer.ui.rlhf_tab.results_panel import RESULTS
    from explainer.ui.widgets.type_scale import SMALLEST_PX
    from tests.ui.fit_support import cut_off_texts, small_texts
    window = fresh_window
    window.showFullScreen = lambda: window.resize(1280, 720)
    found = []

    def check(tab, view):
        _settle(qtbot)
        found.extend(f"{view}: {p}" for p in small_texts(tab, SMALLEST_PX) + cut_off_texts(tab))

    tab = window.reward_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: bool(tab.controller.ready and tab.controller.snapshot.rewards),
                    timeout=120_000)
    window.enter_presentation()
    for name in REWARD_STAGE:
        assert tab.focus == name
        check(tab, f"tab 3 {name}")
        tab.cycle_focus()
    tab = window.rlhf_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.controller.is_ready and tab.controller.settled(), timeout=120_000)
    tab.controller.next()
    qtbot.waitUntil(lambda: tab.controller.record is not None and tab.controller.settled(),
                    timeout=60_000)
    for page, names in ((tab.policy, POLICY_STAGE), (tab.results, RESULTS)):
        tab.stages.setCurrentWidget(page)
        for name in names:
            check(tab, f"tab 4 {name}")
            tab.cycle_focus()
    for page in (tab.stage0, tab.sft):
        tab.stages.setCurrentWidget(page)
        if page is tab.stage0:   # its report is sampled when first shown: the text grows then,
            qtbot.waitUntil(lambda: tab.stage0.report is not None, timeout=60_000)
            qtbot.wait(100)      # and the page lays out again around it
        check(tab, f"tab 4 {type(page).__name__}")
    window.leave_presentation()
    assert found == []


def test_a_figure_export_draws_a_panel_waiting_on_another_page(qtbot, reward_tab):
    """Short of height the training plots wait behind the bars' page: exported, they come to
    the front while drawn, at the size their page gives them, and the bars' page comes back."""
    from explainer.ui.shell.exporting import render_image
    tab = reward_tab
    _show(qtbot, tab, TAB_AT_720)
    _show(qtbot, tab, (1100, 600))                          # resized while the plots wait
    pages = tab.model_pages
    assert pages.paged and not tab.plots.isVisible()
    image = render_image(tab.plots)
    assert abs(image.width() - pages.width()) <= 2          # the size its page gives it now
    assert image.height() >= READABLE_PLOT_PX
    assert tab.bars.isVisible() and not tab.plots.isVisible()
