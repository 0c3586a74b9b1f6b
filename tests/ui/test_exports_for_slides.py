"""Exports read on a slide: every panel's text at the chosen scale, animations at that scale,
lesson-only images, the CSV and the script as a reader expects them."""
import pytest
from PySide6 import QtCore, QtGui

from explainer.core.fries.policy_gradient import PolicyGradientRun
from explainer.ui.shell import exporting


def _network():
    from explainer.ui.policy_tab.network_view import NetworkView
    view = NetworkView()
    records = PolicyGradientRun(seed=0).episode(x=0.0, action="squatch", outcome="small", u=0.2)
    view.set_record(records[-1])
    return view


def _picture():
    from explainer.core.fries.essentials import EssentialsRun
    from explainer.ui.essentials_tab.picture import EssentialsPicture
    view = EssentialsPicture()
    run = EssentialsRun(seed=0)
    view.set_state(run.visit(action="norm", outcome="large", u=0.8)[-1], run.p, (0.8, 0.15), 0.1)
    return view


@pytest.mark.parametrize("build", [_network, _picture], ids=["network", "essentials picture"])
def test_painted_pictures_draw_their_text_at_the_export_scale(show, build):
    """The cached layer (frames, titles, the muted labels) was drawn at the screen's 1× and
    enlarged, so its text stayed 1× sharp while the rest doubled."""
    view = show(build(), 800, 450)
    view.grab()                                   # on screen first: the cached layer exists
    exporting.render_image(view, 1.0)
    at_1 = view.smallest_text_px()
    exporting.render_image(view, 2.0)
    at_2 = view.smallest_text_px()
    assert 5 < at_1 < 20
    assert at_2 == pytest.approx(2 * at_1)
    exporting.render_image(view, 3.0)
    assert view.smallest_text_px() == pytest.approx(3 * at_1)


def test_cached_equation_lines_are_drawn_anew_at_the_export_scale(qtbot):
    """Lines seen twice on screen are kept as 1× images; an export at 2× must not enlarge them."""
    from explainer.ui.widgets.math_view import MathView
    view = MathView([r"\frac{\partial C}{\partial b} = -0.622", r"= (-1.000) \times 0.5"])
    qtbot.addWidget(view)
    view.resize(view.sizeHint())
    view.show()
    qtbot.waitExposed(view)
    view.grab()
    view.grab()
    assert all(image is not None for image in view._images.values())   # cached at 1×
    exported = exporting.render_image(view, 2.0)
    direct = QtGui.QImage(exported.size(), exported.format())
    direct.setDevicePixelRatio(2.0)
    direct.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(direct)
    view._layout.paint(painter, view._origin())   # no cache: the glyphs at 2×
    painter.end()
    assert exported == direct


def test_the_history_csv_names_each_action(qtbot, tmp_path):
    import csv

    from explainer.ui.policy_tab.tab import PolicyTab
    tab = PolicyTab()
    qtbot.addWidget(tab)
    tab.worked_example()            # 'Squatch's first, then Norm's
    for _ in range(8):
        tab.controller.next()
    path = exporting.save_csv(tab.history_columns(), tmp_path / "history.csv")
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["episode"], r["action"], r["reward"]) for r in rows] == \
        [("1", "squatch", "1.0"), ("2", "norm", "-1.0")]


def _size_hint_warnings(qtlog):
    return [r.message for r in qtlog.records if "propagateSizeHints" in r.message]


def test_the_export_command_prints_no_size_hint_warning(qtbot, qtlog, tmp_path, capsys):
    from explainer.cli import export_main
    assert export_main(["--lesson", "policy", "--worked-example", "--format", "png", "--parts",
                        "tab", "--scale", "1", "--size", "1280x720", "--out", str(tmp_path)]) == 0
    assert _size_hint_warnings(qtlog) == []
    assert QtGui.QImage(str(tmp_path / "policy-tab.png")).size() == QtCore.QSize(1280, 720)


@pytest.mark.slow   # a training tab
def test_a_training_runs_frames_print_no_size_hint_warning(qtbot, qtlog):
    from PySide6 import QtWidgets

    from explainer.ui.training_exports.frames import _frame_widget, _Offscreen
    body = QtWidgets.QWidget()
    body.setMinimumSize(300, 200)
    frame = _Offscreen(_frame_widget(QtWidgets.QLabel("title"), body, QtWidgets.QLabel("")),
                       QtCore.QSize(1100, 440))
    image = frame.grab(2.0)
    frame.close()
    assert _size_hint_warnings(qtlog) == []
    assert (image.width(), image.height()) == (2200, 880)


# --- the lesson without its controls, and animations at the chosen scale ------------------------
@pytest.mark.parametrize("lesson", ["policy", "essentials"])
def test_the_lesson_only_part_leaves_the_sidebar_out(show, lesson):
    from PySide6 import QtWidgets

    from explainer.ui.essentials_tab.tab import EssentialsTab
    from explainer.ui.policy_tab.tab import PolicyTab
    tab = show(PolicyTab() if lesson == "policy" else EssentialsTab())
    part = tab.figure_widgets()["lesson only"]
    assert not part.isAncestorOf(tab.sidebar)
    buttons = tab.findChildren(QtWidgets.QPushButton)
    # (a walkthrough's Back / Next / End sit on its banner, shown only while one runs)
    assert buttons and not any(part.isAncestorOf(b) and b.isVisibleTo(part) for b in buttons)
    assert part.isAncestorOf(tab.network if lesson == "policy" else tab.picture)
    image = exporting.render_image(part, 2.0)
    assert (image.width(), image.height()) == (2 * part.width(), 2 * part.height())


def _fake_ffmpeg(tmp_path, monkeypatch):
    """An ffmpeg that copies the first frame it is given to its output: the MP4's frame size."""
    import os
    import stat
    folder = tmp_path / "bin"
    folder.mkdir()
    fake = folder / "ffmpeg"
    fake.write_text('#!/bin/sh\nfor a; do last="$a"; case "$prev" in -i) frames="$a";; esac; '
                    'prev="$a"; done\ncp "$(dirname "$frames")/f00000.png" "$last"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize(("scale", "size", "width"),
                         [(1.0, "1280x720", None), (2.0, "1600x950", 1920)])
@pytest.mark.slow   # encodes animations with ffmpeg
def test_the_episode_animation_is_the_lesson_at_the_chosen_scale(qtbot, tmp_path, monkeypatch,
                                                                 capsys, scale, size, width):
    """At --scale 1 the lesson's own size; at 2, as wide as a 1080p slide (it was 960 × 570 of
    the whole tab, whatever the scale)."""
    from PIL import Image

    from explainer.cli import export_main
    _fake_ffmpeg(tmp_path, monkeypatch)
    assert export_main(["--lesson", "policy", "--worked-example", "--steps", "4", "--format",
                        "png,gif", "--scale", f"{scale:g}", "--size", size, "--out",
                        str(tmp_path)]) == 0
    assert not (tmp_path / "policy-tab.png").exists()      # the default part: the lesson only
    lesson = Image.open(tmp_path / "policy-lesson-only.png").size
    gif = Image.open(tmp_path / "policy-episode.gif")
    assert gif.n_frames == 44
    if width is None:
        assert gif.size == lesson and lesson[0] < 1280
    else:
        assert gif.size == (width, round(lesson[1] * width / lesson[0]))
    assert Image.open(tmp_path / "policy-episode.mp4").size == gif.size   # the same frames


def test_the_animation_dialog_asks_for_a_scale(qtbot, tmp_path, monkeypatch):
    from PIL import Image
    from PySide6 import QtWidgets

    from explainer.ui.shell.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1600, 950)
    window.show()
    tab = window.policy_tab
    window.tabs.setCurrentWidget(tab)
    tab.worked_example()
    tab.controller.next()
    asked = []
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem",
                        lambda _parent, _title, label, items, *a: (asked.append((label, items))
                                                                    or ("1×", True)))
    path = tmp_path / "episode.gif"
    monkeypatch.setattr(window.exports, "_ask_path", lambda *a, **k: str(path))
    part = tab.figure_widgets()["lesson only"]
    shown = (part.width(), part.height())   # before the status message takes its line
    window.exports.animation_dialog()
    assert asked == [("Resolution (at most 1920 px wide)", ["1×", "2×", "3×"])]
    assert Image.open(path).size == shown


def test_tabs_3_and_4_have_a_lesson_only_part_without_their_controls(qtbot, tmp_path):
    """A whole-tab image of tabs 3–4 carried the toolbar, or stage 3's controls with their
    number boxes cut to "0.3(" at scale 2."""
    from explainer.ui.reward_tab.controller import RewardController
    from explainer.ui.reward_tab.tab import RewardTab
    from explainer.ui.rlhf_tab.controller import RLHFController
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    from explainer.ui.rlhf_tab.policy_panel import PolicyPanel
    reward = RewardTab(RewardController(autosave_path=tmp_path / "autosave.json"))
    qtbot.addWidget(reward)
    part = reward.figure_widgets()["lesson only"]
    assert not part.isAncestorOf(reward.controls)
    assert all(part.isAncestorOf(w) for w in (reward.architecture, reward.bars, reward.loss_panel,
                                               reward.pairs))
    panel = PolicyPanel(RLHFController(FeedbackLink()))
    qtbot.addWidget(panel)
    assert not panel.lesson_area.isAncestorOf(panel.controls)
    assert all(panel.lesson_area.isAncestorOf(w) for w in (panel.tokens, panel.equations,
                                                           panel.compare, panel.phase_strip))
