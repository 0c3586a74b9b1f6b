"""File-menu exports of tabs 3 (Reward model) and 4 (RLHF): the real tabs train a few steps, then
the CSV holds the records' numbers, the animation has frames, and the exported script — run in a
process without a display and without Qt — prints the tab's numbers bit for bit."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from PySide6 import QtWidgets

from explainer.core.export_code_rlhf import held_out_line, step_line, update_line
from explainer.ui.export_actions import ExportActions
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
    finally:
        tab.shutdown()


def test_rlhf_exports_reproduce_the_tab(qtbot, tmp_path):
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    from explainer.ui.rlhf_tab.tab import RLHFTab
    tab = RLHFTab(FeedbackLink())
    c = tab.controller
    host, exports, messages = host_with(qtbot, tab)
    try:
        qtbot.waitUntil(lambda: c.is_ready, timeout=READY_MS)
        c.train(3)
        qtbot.waitUntil(lambda: c.series is not None and len(c.series.update) == 3
                        and not c.running, timeout=WORK_MS)
        c.set_setting("beta", 0.0)          # between two runs: exact
        qtbot.waitUntil(lambda: c.settings.get("beta") == 0.0, timeout=WORK_MS)
        c.train(2)
        qtbot.waitUntil(lambda: len(c.series.update) == 5 and not c.running, timeout=WORK_MS)
        s = c.series

        exports.export_csv(tmp_path / "updates.csv")
        rows = read_csv(tmp_path / "updates.csv")
        assert [int(r["update"]) for r in rows] == [1, 2, 3, 4, 5]
        assert [float(r["mean_learned_reward"]) for r in rows] == list(s.reward)
        assert [float(r["mean_true_score"]) for r in rows] == list(s.true_score)
        assert [float(r["kl"]) for r in rows] == list(s.kl)
        assert [float(r["logp_rude"]) for r in rows] == list(s.logp_rude)
        assert s.kl[0] == 0.0   # the first update samples from the fine-tuned model itself

        exports.export_animation(tmp_path / "rlhf.gif")
        with Image.open(tmp_path / "rlhf.gif") as gif:
            assert gif.n_frames >= 5

        exports._run("Code", lambda: exports.export_code(tmp_path / "rlhf.py", False))
        assert messages[-1] == "Code: wrote rlhf.py"
        script = (tmp_path / "rlhf.py").read_text()
        assert "run.set(beta=0.0)" in script and "run.train(3)" in script
        printed = run_script(tmp_path / "rlhf.py")
        assert printed == exports_for(tab).expected_lines()
        assert printed[-2] == update_line(5, s.reward[-1], s.true_score[-1], s.kl[-1],
                                          s.logp_polite[-1], s.logp_rude[-1])
    finally:
        tab.shutdown()
