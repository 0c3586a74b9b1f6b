"""File-menu exports of tabs 3 (Reward model) and 4 (RLHF): the history as CSV, the training run as
an animation, and the run as code.

The tabs train in a process of their own, so what a script needs to repeat a run (the rankings
and settings in force at each step) is not in their records: a log per tab, attached when the tab
is built (`watch`), follows the messages of its training process and the rankings, and writes
down the run as segments — "these rankings and settings for n steps". A change it cannot place
exactly (a slider moved while training, a run opened from a session file, a walkthrough's Back)
becomes a note: the exported script says so and the status bar tells the user.

Numbers come from the records the tab already shows (`controller.snapshot`, `controller.series`);
frames are drawn from them by the tab's own plot classes, in widgets built for the export, never
by the live tab.

This package: the entry points (`watch`, `exports_for`); `frames` draws the frames and holds what
both tabs share, `reward` and `rlhf` hold each tab's run log and exports.
"""
from __future__ import annotations

import sys

from .reward import RewardExports, RewardRunLog
from .rlhf import RLHFExports, RLHFRunLog

_UI = __package__.rpartition(".")[0]   # explainer.ui, where the tabs' modules are


# --- which tab gets which ------------------------------------------------------------------------
def watch(tab) -> None:
    """Start logging tab's training runs (tabs 3 and 4; others are left alone). Idempotent."""
    controller = getattr(tab, "controller", None)
    if controller is None:
        return
    kind = _log_kind(tab)
    if kind is not None and controller.findChild(kind) is None:
        kind(tab)


def _log_kind(tab):
    # Looked up, not imported: a tab of a module nobody imported yet is not one of them, and the
    # window's first paint does not wait for tabs 3 and 4's modules.
    for module, name, kind in (("reward_tab.tab", "RewardTab", RewardRunLog),
                               ("rlhf_tab.tab", "RLHFTab", RLHFRunLog)):
        cls = getattr(sys.modules.get(f"{_UI}.{module}"), name, None)
        if cls is not None and isinstance(tab, cls):
            return kind
    return None


def exports_for(tab):
    """The export adapter of tab 3 or 4, or None for other tabs."""
    kind = _log_kind(tab)
    if kind is None:
        return None
    watch(tab)
    log = tab.controller.findChild(kind)
    return RewardExports(tab, log) if kind is RewardRunLog else RLHFExports(tab, log)
