"""Exports read on a slide: every panel's text at the chosen scale, animations at that scale,
lesson-only images, the CSV and the script as a reader expects them."""
import pytest
from PySide6 import QtCore, QtGui

from explainer.core.policy_gradient import PolicyGradientRun
from explainer.ui import exporting


def _network():
    from explainer.ui.policy_tab.network_view import NetworkView
    view = NetworkView()
    records = PolicyGradientRun(seed=0).episode(x=0.0, action="squatch", outcome="small", u=0.2)
    view.set_record(records[-1])
    return view


def _picture():
    from explainer.core.essentials import EssentialsRun
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
    assert export_main(["--lesson", "policy", "--worked-example", "--format", "png",
                        "--scale", "1", "--size", "1280x720", "--out", str(tmp_path)]) == 0
    assert _size_hint_warnings(qtlog) == []
    assert QtGui.QImage(str(tmp_path / "policy-tab.png")).size() == QtCore.QSize(1280, 720)


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
