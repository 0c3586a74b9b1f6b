"""The Reward model tab driven through its widgets: rank, judge, undo, train, save, open, probe."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtCore

from explainer.core.language import rankings
from explainer.ui.reward_tab.controller import RewardController
from explainer.ui.reward_tab.tab import RewardTab

pytestmark = pytest.mark.slow   # each tab starts its training process, which builds the model

ROOT = Path(__file__).resolve().parents[2]
Key = QtCore.Qt.Key
READY_MS = 90_000   # the first tab of a session builds the fine-tuned model (a few seconds)


@pytest.fixture
def tab(qtbot, tmp_path):
    controller = RewardController(autosave_path=tmp_path / "autosave.json")
    widget = RewardTab(controller)
    qtbot.addWidget(widget)
    widget.resize(1600, 950)
    widget.show()
    qtbot.waitUntil(lambda: bool(controller.ready and controller.snapshot.rewards), timeout=READY_MS)
    yield widget
    widget.shutdown()


def select(tab, prompt_id):
    tab.controller.select_prompt(prompt_id)
    assert tab.controller.selected_prompt_id == prompt_id


def test_dragging_a_response_sets_the_ordering_and_lists_its_pairs(tab):
    select(tab, "p02")
    view = tab.order
    last = view.list.count() - 1
    moved = view.list.item(last).data(QtCore.Qt.ItemDataRole.UserRole)
    # What a drop does: the view's model moves the row, and the view reports the new order.
    view.list.model().moveRow(QtCore.QModelIndex(), last, QtCore.QModelIndex(), 0)
    assert tab.controller.feedback.orderings["p02"][0] == moved
    texts = [tab.pairs.list.item(i).text() for i in range(tab.pairs.list.count())]
    assert any(text.startswith("E ≻ A") for text in texts)
    assert "pairs" in tab.pairs.summary.text()


def test_pairwise_keys_record_comparisons_ties_skips_and_undo(tab, qtbot):
    c = tab.controller
    select(tab, "p01")
    c.apply("add_response", "p01", "happy to help ! boil it for eight minutes .")
    tab.ranking_tabs.setCurrentWidget(tab.compare)
    before = len(c.feedback.comparisons)
    prompt_id, first, second = c.next_comparison()
    qtbot.keyClick(tab.compare, Key.Key_1)
    assert c.feedback.comparisons[-1] == rankings.Comparison(prompt_id, first, second)
    _, first, second = c.next_comparison()
    qtbot.keyClick(tab.compare, Key.Key_Right)
    assert c.feedback.comparisons[-1] == rankings.Comparison(prompt_id, second, first)
    qtbot.keyClick(tab.compare, Key.Key_T)
    assert c.feedback.comparisons[-1].tie
    assert "tie" in tab.pairs.badge.text()
    skipped = c.next_comparison()
    qtbot.keyClick(tab.compare, Key.Key_S)
    assert c.next_comparison() != skipped
    qtbot.keyClick(tab.compare, Key.Key_U)             # undo the skip
    assert c.next_comparison() == skipped
    qtbot.keyClick(tab.compare, Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tab.compare, Key.Key_U)
    qtbot.keyClick(tab.compare, Key.Key_U)
    assert len(c.feedback.comparisons) == before


def test_training_reaches_full_accuracy_and_moves_bars_and_numbers(tab, qtbot):
    c = tab.controller
    select(tab, "p01")
    bars_before = list(tab.bars.values)
    loss_before = tab.loss_panel.tiles["loss"].text()
    tab.controls.train_button.click()
    qtbot.waitUntil(lambda: (c.snapshot.accuracy(held_out=False) or 0) >= 1.0, timeout=60_000)
    tab.controls.pause_button.click()
    qtbot.waitUntil(lambda: not c.running, timeout=5_000)
    assert tab.bars.values != bars_before
    assert tab.loss_panel.tiles["loss"].text() != loss_before
    assert float(tab.loss_panel.tiles["sigma_d"].text()) > 0.5
    assert len(tab.loss_curve.train_dots.data) == len(c.feedback.pairs(held_out=False))
    assert len(tab.plots.loss_curve.getData()[0]) == c.snapshot.step
    assert tab.controls.progress.value() > 0
    assert c.snapshot.accuracy(held_out=True) is not None    # held-out prompts are measured


def test_step_and_reset(tab, qtbot):
    c = tab.controller
    tab.controls.step_button.click()
    qtbot.waitUntil(lambda: c.snapshot.step == 1, timeout=10_000)
    tab.controls.reset_button.click()
    qtbot.waitUntil(lambda: c.snapshot.step == 0, timeout=10_000)
    assert all(r == pytest.approx(0.0) for r in c.snapshot.rewards.values())


def test_save_and_reopen(tab, tmp_path):
    c = tab.controller
    c.apply("set_held_out", "p01", True)
    saved = c.feedback
    path = tmp_path / "rankings.json"
    assert c.save_file(path)
    c.undo()
    assert c.feedback != saved
    assert c.open_file(path)
    assert c.feedback == saved


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": "something-else"}),
                                     json.dumps({"format": "explainer-feedback", "version": 1,
                                                 "prompts": "nope"}), "\xff\xfe"])
def test_malformed_files_are_rejected_and_change_nothing(tab, tmp_path, content):
    c = tab.controller
    before = c.feedback
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="latin-1")
    assert not c.open_file(path)
    assert c.feedback is before
    assert tab.banner.isVisible() and "Could not open" in tab.banner.label.text()


def test_typed_response_gets_a_reward(tab, qtbot):
    select(tab, "p02")
    qtbot.keyClicks(tab.probe.edit, "paris . happy to help !")
    qtbot.waitUntil(lambda: tab.probe.reward.text() != "Reward = —", timeout=10_000)
    assert tab.controller.snapshot.probe.text == "paris . happy to help !"


def test_contradictions_are_shown_and_training_survives_them(tab, qtbot):
    c = tab.controller
    select(tab, "p03")
    order = c.feedback.orderings["p03"]
    c.apply("add_comparison", "p03", order[-1], order[0])     # worst > best: a cycle
    assert "Contradiction" in tab.pairs.badge.text()
    c.train(20)
    qtbot.waitUntil(lambda: c.snapshot.step >= 20 and not c.running, timeout=30_000)
    assert c.snapshot.accuracy(held_out=False) < 1.0


def test_prompts_and_responses_can_be_added_edited_and_deleted(tab):
    c = tab.controller
    count = len(c.feedback.prompts)
    tab.prompts.add_prompt()
    new_id = c.feedback.prompts[-1].id
    assert c.selected_prompt_id == new_id
    assert "needs feedback" in tab.prompts.list.currentItem().text(1)
    c.apply("edit_prompt", new_id, "what is the capital of spain ?")
    tab.order.add_response()
    response_id = c.feedback.prompt(new_id).responses[-1].id
    c.apply("edit_response", new_id, response_id, "madrid .")
    assert c.feedback.prompt(new_id).responses[-1].text == "madrid ."
    tab.order.delete_current()
    tab.prompts.delete_current()
    assert len(c.feedback.prompts) == count


def test_autosave_is_written_and_offered_on_the_next_start(tab, qtbot, tmp_path):
    c = tab.controller
    c.apply("set_held_out", "p02", True)
    c.autosave.flush()
    assert (tmp_path / "autosave.json").is_file()
    later = RewardController(autosave_path=tmp_path / "autosave.json")
    with qtbot.waitSignal(later.recovery_available) as offered:
        later.check_recovery()
    assert offered.args[0] == c.feedback
    later.shutdown()


def test_importing_the_tab_does_not_import_torch():
    code = ("import sys, explainer.ui.reward_tab.tab;"
            "assert 'torch' not in sys.modules, 'torch imported at import time'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_dark_theme_reaches_the_loss_curve_bar_labels_and_legends(tab, qapp):
    """The −log σ(d) curve, the bars' numbers and the legends are drawn in the theme's text
    colour: on the dark background they were black (the light theme's), so invisible."""
    import pyqtgraph as pg

    from explainer.ui.theme import themes

    def colours():
        legend = tab.loss_curve.plot.getPlotItem().legend
        return (tab.loss_curve.curve.opts["pen"].color().name(),
                {label.textItem.defaultTextColor().name() for label in tab.bars._labels},
                legend.opts["labelTextColor"].name(), legend.opts["brush"].color().name(),
                pg.mkColor(tab.plots.accuracy_plot.getPlotItem().titleLabel.opts["color"]).name())

    select(tab, "p01")
    assert tab.bars._labels
    light = themes.THEMES["light"]
    assert colours() == (light["text"], {light["text"]}, light["text"], light["panel"],
                         light["text"])
    try:
        themes.apply_theme("dark", qapp)
        dark = themes.THEMES["dark"]
        assert colours() == (dark["text"], {dark["text"]}, dark["text"], dark["panel"],
                             dark["text"])
        assert dark["text"] != "#000000" and dark["text"] != light["text"]
    finally:
        themes.apply_theme("light", qapp)
    assert colours()[0] == light["text"]


def test_training_never_makes_the_tab_wider_than_a_1600_pixel_window(qtbot):
    """Labels that widened with the numbers (the step count, the loss tiles, the formula) once
    pushed the tab's minimum width past 1600 px while training: the window grew and repainted
    whole. Their room is now reserved from the start."""
    from explainer.ui.reward_tab.tab import RewardTab

    tab = RewardTab()
    qtbot.addWidget(tab)
    tab.resize(1600, 950)
    tab.show()
    qtbot.waitUntil(lambda: bool(tab.controller.ready and tab.controller.snapshot.rewards), timeout=120_000)
    tab.controller.train(40)
    qtbot.waitUntil(lambda: tab.controller.snapshot.step >= 40 and not tab.controller.running,
                    timeout=120_000)
    assert tab.minimumSizeHint().width() <= 1600
    assert tab.width() == 1600
    tab.shutdown()


def test_the_column_splitter_keeps_its_sizes_while_training(qtbot):
    """One re-layout early in a run was the tab's longest stall: a loss tile whose number grew
    wider (a Reward past 10, a loss near 0 in ×10ⁿ form) moved the splitter between the Reward
    model's column and the loss column. The tiles now keep one width, whatever they show."""
    from PySide6 import QtWidgets

    from explainer.ui.reward_tab.loss_panel import TILE_TEMPLATE, tile_number

    for value, text in ((12.3456, "+12.35"), (-123.456, "−123.5"), (0.00012, "0.000"),
                        (-0.0002, "0.000"), (0.5, "0.500"), (9.9996, "+10.00")):
        assert tile_number(value, signed=text[0] in "+−") == text
        assert len(tile_number(value, signed=True)) <= len(TILE_TEMPLATE)
    tab = RewardTab()
    qtbot.addWidget(tab)
    tab.resize(1600, 950)
    tab.show()
    qtbot.waitUntil(lambda: bool(tab.controller.ready and tab.controller.snapshot.rewards),
                    timeout=120_000)
    qtbot.wait(50)
    inner = next(s for s in tab.findChildren(QtWidgets.QSplitter)
                 if isinstance(s.parentWidget().parentWidget(), QtWidgets.QSplitter))
    sizes = inner.sizes()
    tiles = {key: tile.sizeHint() for key, tile in tab.loss_panel.tiles.items()}
    tab.controller.train(200)
    qtbot.waitUntil(lambda: tab.controller.snapshot.step >= 200 and not tab.controller.running,
                    timeout=120_000)
    assert inner.sizes() == sizes
    assert {key: tile.sizeHint() for key, tile in tab.loss_panel.tiles.items()} == tiles
    tab.shutdown()


def test_the_accuracy_curves_are_named_by_the_coloured_title_not_a_legend_over_them(tab):
    item = tab.plots.accuracy_plot.getPlotItem()
    assert item.legend is None
    for curve in (tab.plots.train_curve, tab.plots.held_curve):
        assert f"color:{curve.opts['pen'].color().name().lower()}" in item.titleLabel.text.lower()
    assert tab.plots.loss_plot.getPlotItem().titleLabel.text == "Training loss"
