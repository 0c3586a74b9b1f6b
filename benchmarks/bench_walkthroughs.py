"""Budgets of the guided walkthroughs of tabs 3 and 4: Back shows the earlier step promptly.

The Reward model tab rebuilds the step from the lesson's start (shipped rankings, an untrained
model, then the lesson's 25 training batches); the RLHF tab restores the checkpoint its training
process kept after the step. Each figure is the wall time from Back to the step shown and the
tab settled, views drawn; building the models happens before the clock starts. The test suite
checks what Back sends (a rebuild of exactly the lesson's steps; a checkpoint's restore with no
replayed work); this measures how long the lecturer waits.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .gui_probe import wait

REWARD_BACK_BUDGET_S = 10.0
RLHF_BACK_BUDGET_S = 5.0
TIMEOUT_S = 300


def _shown(tab, index: int) -> bool:
    return tab.walk is not None and not tab.player.busy and tab.walk_index == index


def _walk_to(app, tab, index: int) -> None:
    while tab.walk_index < index:
        target = tab.walk_index + 1
        tab.player.next()
        if not wait(app, lambda: _shown(tab, target), TIMEOUT_S):
            raise RuntimeError(f"the walkthrough did not reach step {target + 1}")


def _back_seconds(app, tab) -> float:
    target = tab.walk_index - 1
    start = time.perf_counter()
    tab.player.previous()
    if not wait(app, lambda: _shown(tab, target), TIMEOUT_S):
        raise RuntimeError(f"Back did not show step {target + 1}")
    return time.perf_counter() - start


def _reward_back(app, tmp: Path) -> float:
    from explainer.ui.reward_tab.controller import RewardController
    from explainer.ui.reward_tab.tab import RewardTab
    tab = RewardTab(RewardController(autosave_path=tmp / "autosave.json"))
    tab.resize(1600, 950)
    tab.show()
    try:
        tab.start_walkthrough()
        if not wait(app, lambda: _shown(tab, 0), TIMEOUT_S):
            raise RuntimeError("the Reward model walkthrough did not start")
        _walk_to(app, tab, 5)              # step 5 trains 25 batches; step 6 holds pairs out
        return _back_seconds(app, tab)     # back to step 5: rebuilt from the lesson's start
    finally:
        tab.shutdown()


def _rlhf_back(app) -> float:
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    from explainer.ui.rlhf_tab.tab import RLHFTab
    tab = RLHFTab(FeedbackLink())
    tab.resize(1600, 950)
    tab.show()
    try:
        tab.start_walkthrough()
        if not wait(app, lambda: _shown(tab, 0), TIMEOUT_S):
            raise RuntimeError("the RLHF walkthrough did not start")
        _walk_to(app, tab, 7)              # stage 3's first update, to its Update phase
        return _back_seconds(app, tab)     # back to its Reward phase, from a checkpoint
    finally:
        tab.shutdown()


def measure() -> list[dict]:
    from PySide6 import QtCore, QtWidgets
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    QtCore.QStandardPaths.setTestModeEnabled(True)  # never touch a lecturer's real autosave
    with tempfile.TemporaryDirectory() as tmp:
        reward = _reward_back(app, Path(tmp))
    rlhf = _rlhf_back(app)
    return [
        {"name": "reward walkthrough: Back to step 5, rebuilt from the lesson's start",
         "value": round(reward, 2), "unit": "s", "budget": REWARD_BACK_BUDGET_S,
         "ok": reward <= REWARD_BACK_BUDGET_S},
        {"name": "rlhf walkthrough: Back to step 7, from the process's checkpoint",
         "value": round(rlhf, 2), "unit": "s", "budget": RLHF_BACK_BUDGET_S,
         "ok": rlhf <= RLHF_BACK_BUDGET_S},
    ]


if __name__ == "__main__":
    for row in measure():
        print(row)
