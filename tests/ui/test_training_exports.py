"""File-menu exports of tabs 3 (Reward model) and 4 (RLHF): the real tabs train a few steps, then
the CSV holds the records' numbers, the animation has frames, and the exported script — run in a
process without a display and without Qt — prints the tab's numbers bit for bit."""
import csv
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from PySide6 import QtCore, QtWidgets

from explainer.core.language import language_model
from explainer.core.files.export_code_rlhf import held_out_line, step_line, update_line
from explainer.ui.shell.export_actions import ExportActions
from explainer.ui.training_exports import exports_for

READY_MS = 120_000
WORK_MS = 60_000


class Host(QtWidgets.QMainWindow):
    """The main window's part the exports use: a QTabWidget called `tabs`."""

    def __init__(self) -> None:
        super().__init__()
        self.tabs = QtWidgets.QTabWidget()
        self.setCentralWidget(self.tabs)


def host_with(qtbot, tab):
    host = Host()
    qtbot.addWidget(host)
    exports = ExportActions(host)           # watches tabs added from now on
    host.tabs.addTab(tab, "tab")
    host.resize(1600, 950)
    host.show()
    messages = []
    exports.message.connect(messages.append)
    return host, exports, messages


def run_script(path: Path) -> list[str]:
    """The exported script in a fresh interpreter: no display, and Qt must not be imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY",
                                                            "WAYLAND_DISPLAY")}
    guard = ("import sys, runpy\n"
             "class NoQt:\n"
             "    def find_spec(self, name, path=None, target=None):\n"
             "        if name.split('.')[0] in ('PySide6', 'pyqtgraph'):\n"
             "            raise ImportError('the exported script imported ' + name)\n"
             "sys.meta_path.insert(0, NoQt())\n"
             f"runpy.run_path({str(path)!r}, run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", guard], capture_output=True, text=True, env=env,
                          timeout=300, cwd=path.parent)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_reward_model_exports_reproduce_the_tab(qtbot, tmp_path):
    from explainer.ui.reward_tab.controller import RewardController
    from explainer.ui.reward_tab.tab import RewardTab
    c = RewardController(autosave_path=tmp_path / "autosave.json")
    tab = RewardTab(c)
    host, exports, messages = host_with(qtbot, tab)
    try:
        qtbot.waitUntil(lambda: bool(c.ready and c.snapshot.rewards), timeout=READY_MS)
        second = c.feedback.prompts[1].id
        c.select_prompt(second)
        c.train(5)
        qtbot.waitUntil(lambda: c.snapshot.step == 5 and not c.running, timeout=WORK_MS)
        c.set_learning_rate(0.03)           # between two runs: the script changes it there too
        c.train(4)
        qtbot.waitUntil(lambda: c.snapshot.step == 9 and not c.running, timeout=WORK_MS)
        h = c.snapshot.history
        assert h.steps == tuple(range(1, 10)) and c.snapshot.learning_rate == 0.03

        exports.export_csv(tmp_path / "history.csv")
        rows = read_csv(tmp_path / "history.csv")
        by_step = {int(r["step"]): r for r in rows}
        assert [float(by_step[s]["loss"]) for s in h.steps] == list(h.loss)
        assert [float(by_step[s]["training_accuracy"]) for s in h.steps] == list(h.train_accuracy)
        assert [float(by_step[s]["held_out_accuracy"]) for s in h.held_steps] == \
            list(h.held_accuracy)
        assert float(by_step[1]["loss"]) == pytest.approx(0.6931, abs=1e-3)   # log 2: rewards equal

        exports._run("Animation", lambda: exports.export_animation(tmp_path / "training.gif"))
        assert messages[-1].startswith("Animation: wrote training.gif")
        with Image.open(tmp_path / "training.gif") as gif:
            assert gif.n_frames >= 9
            gif.seek(0)
            first = gif.convert("RGB").tobytes()
            gif.seek(8)
            assert gif.convert("RGB").tobytes() != first   # the curves grew between frames

        exports._run("Code", lambda: exports.export_code(tmp_path / "reward.py", False))
        assert messages[-1] == "Code: wrote reward.py"   # nothing to confess
        script = (tmp_path / "reward.py").read_text()
        assert "NOT EXACT" not in script and "set_learning_rate(0.03)" in script
        printed = run_script(tmp_path / "reward.py")
        expected = exports_for(tab).expected_lines()
        assert printed == expected
        assert step_line(9, h.loss[-1], h.train_accuracy[-1]) in printed
        assert held_out_line(h.held_steps[-1], h.held_accuracy[-1]) in printed
        rewards = [line for line in printed if line.startswith("reward ")]
        shown = {k: v for k, v in c.snapshot.rewards.items() if k[0] == second}
        assert len(rewards) == len(shown) >= 2
        assert [float(line.split("R=")[1]) for line in rewards] == list(shown.values())

        exports.export_code(tmp_path / "reward.ipynb", True)
        import json
        notebook = json.loads((tmp_path / "reward.ipynb").read_text())
        source = "".join("".join(cell["source"]) for cell in notebook["cells"])
        assert "RewardTrainer(rm, training_pairs(feedback)" in source

        c.train(300)                        # a learning rate moved while the model trains …
        qtbot.waitUntil(lambda: c.running and c.snapshot.step >= 11, timeout=WORK_MS)
        c.set_learning_rate(0.01)
        qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
        exports._run("Code", lambda: exports.export_code(tmp_path / "moved.py", False))
        assert "not an exact replay" in messages[-1] and "changed while training" in messages[-1]
        assert (tmp_path / "moved.py").read_text().count("# NOT EXACT") == 1   # … is owned up to
    finally:
        tab.shutdown()


def step_phases(qtbot, c, n):
    """Next, n times, each once the phase before it arrived (as a lecturer's clicker does)."""
    for _ in range(n):
        before = c.record
        c.next()
        qtbot.waitUntil(lambda: c.record is not before and c.settled(), timeout=WORK_MS)


@pytest.mark.slow
def test_rlhf_exports_reproduce_the_tab(qtbot, tmp_path):
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    from explainer.ui.rlhf_tab.tab import RLHFTab
    tab = RLHFTab(FeedbackLink())
    c = tab.controller
    host, exports, messages = host_with(qtbot, tab)
    try:
        qtbot.waitUntil(lambda: c.is_ready, timeout=READY_MS)
        c.run_sft()                         # stage 1 first, as in a lecture: stage 3 is unmoved
        qtbot.waitUntil(lambda: c.sft is not None and c.settled(), timeout=WORK_MS)
        step_phases(qtbot, c, 4)            # the first update phase by phase: the same numbers
        c.train(2)
        qtbot.waitUntil(lambda: c.series is not None and len(c.series.update) == 3
                        and not c.running, timeout=WORK_MS)
        c.set_setting("beta", 0.0)          # between two runs: exact
        qtbot.waitUntil(lambda: c.settings.get("beta") == 0.0, timeout=WORK_MS)
        c.train(2)
        qtbot.waitUntil(lambda: len(c.series.update) == 5 and not c.running, timeout=WORK_MS)
        step_phases(qtbot, c, 2)            # into update 6: Guess and Derivative shown
        c.set_setting("beta", 0.3)          # between Derivative and Reward: exact as well
        qtbot.waitUntil(lambda: c.settings.get("beta") == 0.3, timeout=WORK_MS)
        step_phases(qtbot, c, 3)            # Reward and Update of update 6, Guess of update 7
        s = c.series
        assert len(s.update) == 6 and c.record.phase == "guess" and c.record.beta == 0.3

        written = exports.export_csv(tmp_path / "updates.csv")
        assert [p.name for p in written] == ["updates.csv", "updates-sft.csv"]
        sft = read_csv(tmp_path / "updates-sft.csv")
        assert [float(r["sft_loss"]) for r in sft] == list(c.sft.losses)
        assert len(sft) == language_model.SFT_EPOCHS
        assert int(sft[-1]["epoch"]) == len(sft)
        rows = read_csv(tmp_path / "updates.csv")
        assert [int(r["update"]) for r in rows] == [1, 2, 3, 4, 5, 6]
        assert [float(r["mean_learned_reward"]) for r in rows] == list(s.reward)
        assert [float(r["mean_true_score"]) for r in rows] == list(s.true_score)
        assert [float(r["kl"]) for r in rows] == list(s.kl)
        assert [float(r["logp_rude"]) for r in rows] == list(s.logp_rude)
        assert s.kl[0] == 0.0   # the first update samples from the fine-tuned model itself

        exports.export_animation(tmp_path / "rlhf.gif")
        with Image.open(tmp_path / "rlhf.gif") as gif:
            assert gif.n_frames >= 6

        exports._run("Code", lambda: exports.export_code(tmp_path / "rlhf.py", False))
        assert messages[-1] == "Code: wrote rlhf.py"
        script = (tmp_path / "rlhf.py").read_text()
        assert "run.set(beta=0.0)" in script and "run.train(3)" in script
        assert "records += advance(2)   # into update 6: phases stepped with Next" in script
        assert script.index("run.set(beta=0.3)") < script.index("advance(2)   # the rest of update 6")
        printed = run_script(tmp_path / "rlhf.py")
        assert printed == exports_for(tab).expected_lines()
        assert printed[-2] == update_line(6, s.reward[-1], s.true_score[-1], s.kl[-1],
                                          s.logp_polite[-1], s.logp_rude[-1])
    finally:
        tab.shutdown()


# --- the logs, fed the training processes' messages directly (no process) ---------------------
class FakeProcess(QtCore.QObject):
    received = QtCore.Signal(str, object)


class FakeRewardController(QtCore.QObject):
    feedback_changed = QtCore.Signal(object)

    def __init__(self) -> None:
        from explainer.core.language.rankings import default_feedback
        from explainer.core.language.reward_training import empty_snapshot
        super().__init__()
        self.process = FakeProcess(self)
        self.feedback = default_feedback()
        self.snapshot = empty_snapshot()
        self.selected_prompt_id = self.feedback.prompts[0].id


def reward_log():
    from explainer.ui.training_exports.reward import RewardRunLog
    c = FakeRewardController()
    log = RewardRunLog(SimpleNamespace(controller=c))

    def snapshot(step, lr=0.01, optimizer="adam"):
        from explainer.core.language.reward_training import History
        s = replace(c.snapshot, step=step, learning_rate=lr, optimizer=optimizer,
                    history=History(tuple(range(1, step + 1)), (0.5,) * step, (0.5,) * step),
                    rewards={("p", "r"): 0.0})
        c.snapshot = s
        c.process.received.emit("snapshot", s)
    return c, log, snapshot


def test_the_reward_log_places_changes_between_runs_and_owns_up_to_changes_while_training():
    c, log, snapshot = reward_log()
    snapshot(0)
    c.process.received.emit("running", True)
    snapshot(1)
    snapshot(7)
    c.process.received.emit("running", False)
    snapshot(7, lr=0.05)                    # set while idle (a probe's snapshot showed it)
    c.process.received.emit("running", True)
    snapshot(8, lr=0.05)
    snapshot(30, lr=0.2)                    # moved while training: which step is unknown
    c.process.received.emit("running", False)
    prompt = c.feedback.prompts[0]
    c.feedback = c.feedback.set_ordering(prompt.id, [r.id for r in reversed(prompt.responses)])
    c.feedback_changed.emit(c.feedback)     # new training pairs while idle: a new trainer
    c.process.received.emit("running", True)
    snapshot(32, lr=0.2)
    c.process.received.emit("running", False)
    state = log.state()
    assert [(s["rankings"], s["learning_rate"], s["new_trainer"], s["steps"])
            for s in state["segments"]] == [(0, 0.01, True, 7), (0, 0.05, False, 1),
                                            (0, 0.2, False, 22), (1, 0.2, True, 2)]
    assert len(state["notes"]) == 1 and "between steps 8 and 30" in state["notes"][0]
    assert len(state["rankings"]) == 2
    c.snapshot = replace(c.snapshot, step=0, history=type(c.snapshot.history)())
    c.process.received.emit("snapshot", c.snapshot)   # Reset: a clean slate
    assert log.state()["notes"] == [] and log.state()["segments"][0]["steps"] == 0


def test_the_reward_log_says_when_a_model_was_opened_not_trained():
    c, log, snapshot = reward_log()
    snapshot(0)
    snapshot(24)                            # a session's model: no training was seen
    state = log.state()
    assert "opened from a session file" in state["notes"][0]
    assert state["segments"][0]["steps"] == 24


class FakeRLHFController(QtCore.QObject):
    def __init__(self) -> None:
        super().__init__()
        self.process = FakeProcess(self)
        self.pipeline_seed = 0
        self.seed, self.settings, self.series = 0, {}, None


def rlhf_record(update, phase):
    from explainer.core.rlhf.records import RLHFRecord
    return RLHFRecord(phase=phase, update=update, objective="reinforce", learning_rate=0.003,
                      optimizer="adam", beta=0.1, baseline_kind="batch", clip=0.2,
                      temperature=1.0, responses=())


def series(n, first=1.0):
    from explainer.core.rlhf.training import Series
    values = tuple(first + i for i in range(n))
    return Series(tuple(range(1, n + 1)), values, values, values, values, values)


def exports_for_log(log) -> str:
    from explainer.core.files.export_code_rlhf import script
    return script("rlhf", log.state())


def test_the_rlhf_log_follows_settings_fixes_and_runs_it_did_not_see():
    from explainer.core.language.rankings import default_feedback
    from explainer.core.rlhf.settings import DEFAULTS
    from explainer.ui.training_exports.rlhf import RLHFRunLog
    c = FakeRLHFController()
    log = RLHFRunLog(SimpleNamespace(controller=c, walk=None))
    send = c.process.received.emit
    send("ready", (dict(DEFAULTS), ([], [])))
    send("record", None)
    send("settings", dict(DEFAULTS, learning_rate=0.01))   # before any update: the run's own
    for n in (1, 2, 3):                                     # stepped, one update at a time
        send("record", rlhf_record(n - 1, "update"))
        c.series = series(n)
        send("series", c.series)
    send("settings", dict(DEFAULTS, learning_rate=0.01, beta=0.0))   # between updates: exact
    send("running", True)
    c.series = series(6)
    send("record", rlhf_record(5, "update"))
    send("series", c.series)
    send("settings", dict(DEFAULTS, learning_rate=0.01, beta=0.5))   # while training: noted
    c.series = series(9)
    send("record", rlhf_record(8, "update"))
    send("series", c.series)
    send("running", False)
    send("record", rlhf_record(9, "guess"))                          # one phase into update 10
    send("settings", dict(DEFAULTS, learning_rate=0.01, beta=0.5, temperature=0.5))
    send("record", rlhf_record(9, "derivative"))                     # after it: exact too
    state = log.state()
    assert state["settings"]["learning_rate"] == 0.01 and state["seed"] == 0
    assert state["segments"] == [dict(set={}, phases=12), dict(set={"beta": 0.0}, phases=12),
                                 dict(set={"beta": 0.5}, phases=13),
                                 dict(set={"temperature": 0.5}, phases=1)]
    assert state["triples"] is None
    assert len(state["notes"]) == 1 and "while training" in state["notes"][0]
    assert log.settings_at(4)["beta"] == 0.0 and log.settings_at(3)["beta"] == DEFAULTS["beta"]
    assert log.settings_at(10)["temperature"] == 1.0   # changed after update 10 began
    script = exports_for_log(log)
    assert "records += advance(1)   # the rest of update 10" in script
    assert "records += advance(1)   # into update 10" in script
    assert "run.set(temperature=0.5)" in script

    c.seed = 4
    feedback = default_feedback()
    send("fixed", (feedback, 3))          # the Reward model retrained, a fresh Policy
    c.series = series(0)
    send("series", c.series)
    state = log.state()
    assert state["notes"] == [] and state["pipeline_seed"] == 4 and state["seed"] == 4
    assert state["triples"] == [p.triple() for p in feedback.pairs(held_out=False)]

    c.series = series(5, first=-2.0)      # a session file's run: not trained here
    send("record", rlhf_record(4, "update"))
    send("series", c.series)
    assert "replaced the one the tab was training" in log.state()["notes"][0]
