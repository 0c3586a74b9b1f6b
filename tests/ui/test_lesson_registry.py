"""A lesson is one registry entry (core/lessons.py) beside its core module and its tab: a toy
lesson registered here appears in the window with its Ctrl key, is saved and reopened in a session,
is a choice of `explainer export --lesson`, and exports a script that prints what it showed."""
import json
import runpy
from dataclasses import dataclass

import pytest
from PySide6 import QtCore, QtWidgets

from explainer import cli
from explainer.core import lessons
from explainer.core.common.stepper import Stepper, logged
from explainer.core.files.session import SessionError, restore_lesson
from explainer.core.lessons import LessonSpec
from explainer.ui.stepped.lesson_tab import LessonTab
from explainer.ui.shell.session_actions import SessionActions
from explainer.ui.widgets.stepper_controls import StepperControls


@dataclass(frozen=True, slots=True)
class ToyRecord:
    episode: int
    phase: str
    phase_index: int
    count: float


class ToyRun(Stepper[ToyRecord]):
    """Counts up: each episode adds `step_size` ("add"), then shows the sum ("show")."""

    phases = ("add", "show")
    settable = ("step_size", "seed")

    def __init__(self, seed: int = 0, step_size: float = 1.0) -> None:
        super().__init__()
        self.seed, self.step_size = int(seed), float(step_size)
        self.init_args = {"seed": self.seed, "step_size": self.step_size}

    @property
    def episodes_done(self) -> int:
        return len(self.history) // len(self.phases)

    def _compute_next(self) -> ToyRecord:
        n = len(self.history)
        before = self.history[-1].count if self.history else 0.0
        adds = n % 2 == 0
        return ToyRecord(n // 2, self.phases[n % 2], n % 2, before + self.step_size * adds)

    @logged
    def reset(self) -> None:
        super().reset()

    @logged
    def set(self, **params) -> ToyRecord | None:
        unknown = set(params) - set(self.settable)
        if unknown:
            raise ValueError(f"unknown parameter(s): {sorted(unknown)}")
        self.step_size = float(params.get("step_size", self.step_size))
        self.seed = int(params.get("seed", self.seed))
        self._branch()
        return self.current


class ToyTab(LessonTab):
    lesson = "toy"

    def __init__(self) -> None:
        super().__init__(ToyRun())
        self.count = QtWidgets.QLabel()
        self.stepper, self.message = StepperControls(), QtWidgets.QLabel()
        centre = QtWidgets.QVBoxLayout()
        centre.addWidget(self.walk_banner)
        centre.addWidget(self.count)
        self._place(centre, [self.stepper, self.message])
        self._start(self.stepper, self.message)

    def _on_record_changed(self, record, animate: bool) -> None:
        self.count.setText("-" if record is None else f"{record.count:g}")
        self._animate(animate)

    def _on_trace_changed(self) -> None:
        pass

    def _set_progress(self, t: float) -> None:
        pass

    def focus_panels(self) -> dict:
        return {"picture": [self.count]}

    def figure_widgets(self) -> dict:
        return {"lesson only": self.lesson_area, "tab": self, "count": self.count}

    def history_columns(self) -> dict:
        return {"episode": list(range(1, self.run.completed_at_cursor + 1))}


TOY = LessonSpec(key="toy", title="Toy counter", tab=f"{__name__}:ToyTab", run=ToyRun,
                 fields=("count",))


@pytest.fixture
def toy_lesson():
    before = lessons.all_lessons()
    lessons.register(TOY)
    try:
        yield TOY
    finally:
        lessons.unregister(TOY.key)
        assert lessons.all_lessons() == before


@pytest.fixture
def window(toy_lesson, fresh_window):
    """The main window, opened with the toy lesson registered (its tabs follow the registry)."""
    return fresh_window


def test_its_calls_are_read_off_the_run_class(toy_lesson):
    assert lessons.ops("toy") == {"step": set(), "back": set(), "seek": {"cursor"},
                                  "reset": set(), "set": {"step_size", "seed"}}
    with pytest.raises(SessionError, match="not a known call"):
        restore_lesson("toy", {"init": {}, "log": [{"op": "fast_forward", "args": {"n": 3}}]})


def test_it_is_the_last_tab_and_ctrl_and_its_number_go_there(qtbot, window):
    number = window.tabs.count()
    assert number == len(lessons.all_lessons())
    assert window.tabs.tabText(number - 1) == f"{number} · Toy counter"
    ctrl = QtCore.Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window, getattr(QtCore.Qt.Key, f"Key_{number}"), ctrl)
    tab = window.tabs.currentWidget()
    assert isinstance(tab, ToyTab) and tab is window.toy_tab and tab.hasFocus()
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_PageDown)
    assert (tab.run.current.phase, tab.count.text()) == ("add", "1")
    assert "toy" in window.sessions.parts()


def test_a_session_saves_it_and_opens_it_again_as_shown(qtbot, toy_lesson, tmp_path):
    tab = ToyTab()
    tabs = QtWidgets.QTabWidget()
    tabs.addTab(tab, "toy")
    qtbot.addWidget(tabs)
    sessions = SessionActions(tabs)
    tab.controller.set_param(step_size=2.5)
    for _ in range(3):
        tab.controller.next()
    path = tmp_path / "toy.explainer.json"
    assert sessions.save(path)
    part = json.loads(path.read_text())["parts"]["toy"]
    assert part["init"] == {"seed": 0, "step_size": 1.0}
    assert [entry["op"] for entry in part["log"]] == ["set", "step"]
    tab.controller.reset()
    assert tab.run.current is None
    assert sessions.open(path)
    assert (tab.run.cursor, tab.run.current.count, tab.count.text()) == (2, 5.0, "5")


def test_export_takes_it_and_its_script_prints_what_was_shown(qtbot, toy_lesson, tmp_path,
                                                               capsys):
    assert cli.parser().parse_args(["--lesson", "toy"]).lesson == "toy"
    code = cli.export_main(["--lesson", "toy", "--steps", "3", "--format", "csv,py",
                            "--out", str(tmp_path)])
    assert code == 0
    assert (tmp_path / "toy-history.csv").read_text().split() == ["episode", "1"]
    capsys.readouterr()
    runpy.run_path(str(tmp_path / "toy-lesson.py"), run_name="__main__")
    assert capsys.readouterr().out.splitlines() == [
        "episode=1 phase=add count=1", "episode=1 phase=show count=1",
        "episode=2 phase=add count=2", "episodes done: 1"]


def test_the_gallery_walks_it_phase_by_phase(qtbot, toy_lesson):
    from explainer.gallery import _tabs
    from explainer.gallery_shots import GalleryWindow
    number = len(lessons.all_lessons())
    assert _tabs(str(number)) == (number,)
    gallery = GalleryWindow(QtWidgets.QApplication.instance(), (number,), 5.0, 0, 0)
    try:
        names = list(gallery._views())
    finally:
        gallery.close()
    phases = [f"{number}-toy-{p}" for p in ToyRun.phases]
    assert names[0] == f"{number}-toy-start" and names[1:] == phases
