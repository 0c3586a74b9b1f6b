"""Presenting, the glossary, themes, sessions and exports, through the real window."""
import json
import subprocess
import sys

import pytest
from PIL import Image
from PySide6 import QtCore, QtGui, QtWidgets

from explainer.core.files.export_code import describe
from explainer.ui.theme import style
from explainer.ui.shell.main_window import MainWindow
from explainer.ui.shell.session_actions import app_data_dir


@pytest.fixture
def window(fresh_window):
    w = fresh_window
    w.tabs.setCurrentWidget(w.policy_tab)
    yield w
    if w.theme != "light":   # restyling every built tab takes most of a second: only if needed
        w.set_theme("light")
    w.zoom_reset()
    w.close()


def controls_reachable(drawer) -> bool:
    """Docked and shown on a wide window; on a narrow one, its button is there to open it."""
    if drawer.mode == "docked":
        return drawer.panel.isVisible() and not drawer.button.isVisible()
    return drawer.button.isVisible()


def walk(tab, n):
    for _ in range(n):
        tab.next()


def test_presentation_mode_hides_controls_shows_phase_panels_and_esc_leaves(qtbot, window):
    tab = window.policy_tab
    tab.worked_example()
    walk(tab, 2)  # derivative
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F5)
    qtbot.waitUntil(window.isFullScreen)
    assert window.presenting and not tab.sidebar.isVisible() and not window.menuBar().isVisible()
    # the Derivative's chain rule first, alone
    assert tab.equations.isVisible() and not tab.network.isVisible() and not tab.loss_plot.isVisible()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)          # then the phase's plot
    assert tab.loss_plot.isVisible() and not tab.history_plot.isVisible()
    assert window.zoom > 1.0
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageDown)   # the clicker still drives the lesson
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageDown)
    assert tab.run.current.phase == "update" and tab.network.isVisible()   # the bias moves
    for _ in range(2):
        qtbot.keyClick(tab, QtCore.Qt.Key.Key_F)      # the equations, then the Update's plot
    assert tab.history_plot.isVisible() and not tab.network.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert controls_reachable(tab.drawer) and window.zoom == 1.0


def test_blank_screen_key_toggles(qtbot, window):
    qtbot.keyClick(window, QtCore.Qt.Key.Key_B)
    assert window.blank.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Period)
    assert not window.blank.isVisible()


def test_glossary_opens_at_a_linked_term(qtbot, window):
    tab = window.policy_tab
    assert "glossary:Agent" in tab.caption.text()
    tab.caption.linkActivated.emit("glossary:Learning rate")
    assert window.glossary.isVisible()
    assert window.glossary.list.currentItem().text() == "Learning rate"
    assert "magnitude" in window.glossary.text.text() or "how much" in window.glossary.text.text()
    assert len(window.glossary.terms) == 11


@pytest.mark.parametrize("theme", ["dark", "high contrast"])
def test_themes_change_text_and_background(qtbot, window, theme):
    window.set_theme(theme)
    palette = QtWidgets.QApplication.palette()
    assert palette.color(QtGui.QPalette.ColorRole.Base).name() == style.COLORS["background"]
    assert window.policy_tab.history_plot.backgroundBrush().color().name() == style.COLORS["background"]
    image = window.policy_tab.network.grab().toImage()
    assert QtGui.QColor(image.pixel(2, 2)).lightness() < 128  # the drawing follows the dark theme


def test_session_saved_and_reopened_replays_as_shown(qtbot, window, tmp_path):
    tab = window.policy_tab
    tab.worked_example()
    walk(tab, 6)
    tab.controls.sliders["learning_rate"].slider.setValue(0.3)
    shown = tab.run.current
    path = tmp_path / "lecture.explainer.json"
    assert window.sessions.save(path)
    tab.controller.reset()
    walk(tab, 3)
    assert window.sessions.open(path)
    assert tab.run.current == shown and tab.network.record == shown
    assert str(path.resolve()) in window.sessions.recent()


def test_a_malformed_session_changes_nothing(qtbot, window, tmp_path):
    tab = window.policy_tab
    walk(tab, 3)
    before = tab.run.current
    bad = tmp_path / "bad.json"
    good_policy = tab.session_state()
    bad.write_text(json.dumps({"format": "explainer-session", "version": 1,
                               "parts": {"policy": good_policy,
                                         "essentials": {"init": {}, "log": [{"op": "nope"}]}}}))
    assert not window.sessions.open(bad)
    assert tab.run.current is before
    assert "Nothing was changed" in window.banner.text()


def test_crash_recovery_is_offered_and_restores(qtbot, tmp_path):
    first = MainWindow()
    qtbot.addWidget(first)
    walk(first.policy_tab, 5)
    first.sessions.autosave()
    shown = first.policy_tab.run.current  # the window is never closed cleanly: a crash
    second = MainWindow()
    qtbot.addWidget(second)
    assert "did not close properly" in second.banner.text()
    second.banner.linkActivated.emit("restore")
    assert second.policy_tab.run.current == shown
    second.close()
    assert not (app_data_dir() / "running.flag").exists()


def test_export_figures_png_at_scale_and_svg(qtbot, window, tmp_path):
    walk(window.policy_tab, 2)
    png = window.exports.export_figure("network", tmp_path / "net.png", scale=2.0)
    image = QtGui.QImage(str(png))
    assert image.width() == 2 * window.policy_tab.network.width()
    svg = window.exports.export_figure("equations", tmp_path / "eq.svg")
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    window.exports.export_figure("history", tmp_path / "history.png")
    assert (tmp_path / "history.png").stat().st_size > 1000


@pytest.mark.slow
def test_export_episode_gif_csv_and_code(qtbot, window, tmp_path):
    tab = window.policy_tab
    tab.worked_example()
    walk(tab, 6)
    shown = tab.run.current
    written = window.exports.export_animation(tmp_path / "episode.gif", scale=0.25)
    gif = Image.open(written[0])
    assert gif.n_frames >= 2 * 11 and tab.run.current is shown   # the cursor did not move
    csv_path = window.exports.export_csv(tmp_path / "history.csv")
    rows = csv_path.read_text().splitlines()
    assert rows[0].startswith("episode,") and len(rows) == 1 + tab.run.completed_at_cursor
    script = window.exports.export_code(tmp_path / "lesson.py", as_notebook=False)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[:-1] == [describe("policy", tab.run.history[i]) for i in range(tab.run.cursor + 1)]
    nb = window.exports.export_code(tmp_path / "lesson.ipynb", as_notebook=True)
    assert json.loads(nb.read_text())["nbformat"] == 4


@pytest.mark.slow
def test_presentation_mode_reaches_the_rlhf_tab(qtbot, window, tmp_path):
    window.tabs.setCurrentWidget(window.rlhf_tab)
    window.enter_presentation()
    assert not window.rlhf_tab.policy.controls.isVisible()
    assert window.rlhf_tab.stages.currentWidget() is window.rlhf_tab.policy
    window.exports.export_figure("plots over updates", tmp_path / "plots.png")
    assert (tmp_path / "plots.png").stat().st_size > 1000
    window.leave_presentation()
    assert controls_reachable(window.rlhf_tab.policy.drawer)


@pytest.mark.slow
def test_rankings_and_training_travel_in_the_session(qtbot, window, tmp_path):
    tab = window.reward_tab
    c = tab.controller
    c.replace_feedback(c.feedback.add_prompt("is this saved ?"))
    state = tab.session_state()
    assert any(p["text"] == "is this saved ?" for p in state["feedback"]["prompts"])
    path = tmp_path / "s.json"
    assert window.sessions.save(path)
    c.replace_feedback(c.feedback.delete_prompt(c.feedback.prompts[-1].id))
    assert window.sessions.open(path)
    assert c.feedback.prompts[-1].text == "is this saved ?"


def test_a_session_with_broken_rankings_changes_nothing(qtbot, window, tmp_path):
    before = window.reward_tab.controller.feedback
    policy_before = window.policy_tab.run.current
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "explainer-session", "version": 1, "parts": {
        "policy": {"init": {}, "log": [{"op": "step", "args": {}, "count": 3}]},
        "reward_model": {"feedback": {"format": "explainer-feedback", "version": 1,
                                      "prompts": "nope"}}}}))
    assert not window.sessions.open(bad)
    assert window.reward_tab.controller.feedback is before
    assert window.policy_tab.run.current is policy_before


@pytest.mark.slow
def test_presentation_mode_hides_the_reward_tabs_controls(qtbot, window):
    window.tabs.setCurrentWidget(window.reward_tab)
    window.enter_presentation()
    assert not window.reward_tab.controls.isVisible()
    window.leave_presentation()
    assert window.reward_tab.controls.isVisible()


@pytest.mark.parametrize("part", [
    {"seed": -1}, {"seed": "zero"}, {"updates": 10**9}, {"settings": {"beta": -5}},
    {"settings": {"nonsense": 1}}, {"settings": {"objective": "chess"}}, {"settings": []},
])
def test_a_broken_rlhf_part_is_refused_before_anything_changes(qtbot, window, tmp_path, part):
    from explainer.core.files.session import SessionError
    before = window.policy_tab.run.current
    with pytest.raises(SessionError):
        window.rlhf_tab.prepare_session(part)
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"format": "explainer-session", "version": 1,
                                "parts": {"policy": {"init": {}, "log": []}, "rlhf": part}}))
    assert not window.sessions.open(path)
    assert window.policy_tab.run.current is before


def test_the_rlhf_part_of_a_session_holds_seed_settings_and_updates(qtbot, window):
    state = window.rlhf_tab.session_state()
    assert set(state) == {"seed", "settings", "updates"} and state["updates"] == 0
    assert callable(window.rlhf_tab.prepare_session({"seed": 3, "settings": {"beta": 0.0},
                                                    "updates": 20}))


@pytest.mark.slow
def test_clicker_keys_drive_the_reward_tab(qtbot, window):
    tab = window.reward_tab
    window.tabs.setCurrentWidget(tab)
    c = tab.controller
    qtbot.waitUntil(lambda: c.ready, timeout=120_000)
    first = c.selected_pair
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageUp)
    assert c.selected_pair != first and c.selected_pair[0] == first[0]
    step = c.snapshot.step
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: c.snapshot.step == step + 1, timeout=60_000)
