"""Saving and opening wait for training processes without freezing the window: a process that
answers in time has its weights saved, one that does not is saved without them (and the status bar
says so); opening waits for the models to exist before checking saved weights."""
import json

import pytest
from PySide6 import QtCore, QtWidgets

from explainer.ui.shell import session_actions
from explainer.ui.shell.lesson_tabs import TabDefaults
from explainer.ui.shell.session_actions import SessionActions


class FakeModelTab(TabDefaults, QtWidgets.QWidget):
    """A Reward model tab whose model lives elsewhere: it answers `request_weights` after
    `delay_ms` (never, if None), and its models exist after `built_ms`."""
    lesson = "reward"
    state_changed = QtCore.Signal()

    def __init__(self, delay_ms=10, built_ms=0):
        super().__init__()
        self.delay_ms, self.applied, self.asked = delay_ms, [], 0
        self.manifest = None
        QtCore.QTimer.singleShot(built_ms, lambda: setattr(self, "manifest", {"shapes": {}}))

    def session_state(self):
        return {"steps": 3}

    def prepare_session(self, state):
        assert self.manifest is not None, "weights are checked only once the models exist"
        return lambda: self.applied.append(state)

    def request_weights(self, callback):
        self.asked += 1
        if self.delay_ms is not None:
            QtCore.QTimer.singleShot(self.delay_ms, lambda: callback({"w": [1.5, 2.5]}))
        return True

    def weights_manifest(self):
        return self.manifest


def window(qtbot, tab):
    tabs = QtWidgets.QTabWidget()
    tabs.addTab(tab, "model")
    qtbot.addWidget(tabs)
    sessions = SessionActions(tabs)
    said = []
    sessions.message.connect(said.append)
    return sessions, said


def test_weights_handed_over_in_time_are_saved_and_the_window_kept_running(qtbot, tmp_path):
    tab = FakeModelTab(delay_ms=150)
    sessions, said = window(qtbot, tab)
    ticks = []
    ticker = QtCore.QTimer(interval=10, timeout=lambda: ticks.append(1))
    ticker.start()
    assert sessions.save(tmp_path / "s.json")
    ticker.stop()
    part = json.loads((tmp_path / "s.json").read_text())["parts"]["reward_model"]
    assert part == {"steps": 3, "weights": {"w": [1.5, 2.5]}}
    assert len(ticks) >= 5            # the event loop ran while saving waited: no freeze
    assert said[-1] == "Saved s.json"


def test_a_busy_process_is_saved_without_weights_and_the_status_bar_says_so(qtbot, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(session_actions, "SAVE_TIMEOUT_S", 0.2)
    tab = FakeModelTab(delay_ms=None)
    sessions, said = window(qtbot, tab)
    assert sessions.save(tmp_path / "s.json")
    part = json.loads((tmp_path / "s.json").read_text())["parts"]["reward_model"]
    assert part == {"steps": 3}
    assert "without the weights of the Reward model" in said[-1] and "busy" in said[-1]


def test_autosave_writes_at_once_then_again_with_the_weights(qtbot):
    tab = FakeModelTab(delay_ms=100)
    sessions, _ = window(qtbot, tab)
    sessions.autosave()
    first = json.loads(sessions.autosave_path.read_text())["parts"]["reward_model"]
    assert first == {"steps": 3}
    qtbot.waitUntil(lambda: "weights" in json.loads(sessions.autosave_path.read_text())
                    ["parts"]["reward_model"], timeout=5_000)


def test_opening_waits_for_the_models_then_applies(qtbot, tmp_path):
    tab = FakeModelTab(built_ms=300)
    sessions, said = window(qtbot, tab)
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"format": "explainer-session", "version": 2,
                                "parts": {"reward_model": {"steps": 3, "weights": {"w": []}}}}))
    assert sessions.open(path)
    assert tab.applied == [{"steps": 3, "weights": {"w": []}}]
    assert said[-1] == "Opened s.json"


def test_opening_gives_up_when_the_models_never_come_and_changes_nothing(qtbot, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setattr(session_actions, "OPEN_TIMEOUT_S", 0.3)
    tab = FakeModelTab(built_ms=60_000)
    sessions, said = window(qtbot, tab)
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"format": "explainer-session", "version": 2,
                                "parts": {"reward_model": {"steps": 3, "weights": {}}}}))
    assert not sessions.open(path)
    assert tab.applied == [] and said[-1].startswith("Nothing was changed")


@pytest.mark.parametrize("version", [1, 2])
def test_files_without_weights_open_at_once(qtbot, tmp_path, version):
    tab = FakeModelTab(built_ms=60_000)
    sessions, _ = window(qtbot, tab)
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"format": "explainer-session", "version": version,
                                "parts": {"reward_model": {"steps": 3}}}))
    tab.prepare_session = lambda state: (lambda: tab.applied.append(state))
    assert sessions.open(path) and tab.applied == [{"steps": 3}]


def test_autosave_runs_while_changes_keep_coming(qtbot, monkeypatch):
    """Play changes the lesson every 0.67 s: the autosave comes AUTOSAVE_MS after the first
    change, not after the last one (it never came while Play ran)."""
    tab = FakeModelTab(delay_ms=None)
    sessions, _ = window(qtbot, tab)
    sessions.watch(tab)
    saved = []
    monkeypatch.setattr(sessions, "autosave", lambda: saved.append(True))
    sessions._timer.timeout.disconnect()
    sessions._timer.timeout.connect(sessions.autosave)
    ticks = QtCore.QTimer(interval=session_actions.AUTOSAVE_MS // 3, timeout=tab.state_changed.emit)
    ticks.start()   # changes all the while: saves come anyway (before, never while they came)
    try:
        qtbot.waitUntil(lambda: len(saved) >= 2, timeout=10 * session_actions.AUTOSAVE_MS)
    finally:
        ticks.stop()
