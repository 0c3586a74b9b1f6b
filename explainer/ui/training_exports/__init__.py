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

This package: the entry points (`watch`, `exports_for`), which find a tab's adapter class through
its lesson's spec (`training_exports` in `core/lessons.py`); `frames` draws the frames and holds
what both tabs share, `reward` and `rlhf` hold each tab's run log (the adapter's `log_kind`) and
exports.
"""
from __future__ import annotations

from ..shell.lesson_tabs import resolve, spec_of

# `reward` and `rlhf` are imported when a spec names them (a trained tab is built or exported),
# not with the window: they bring the export-as-code generator, ~20 ms of the first paint.


def _exports_kind(tab):
    """The export adapter class a lesson's spec names (`training_exports`), or None."""
    spec = spec_of(tab)
    return resolve(spec.training_exports) if spec is not None and spec.training_exports else None


def watch(tab) -> None:
    """Start logging tab's training runs (trained lessons; others are left alone). Idempotent."""
    kind = _exports_kind(tab)
    if kind is not None and tab.controller.findChild(kind.log_kind) is None:
        kind.log_kind(tab)


def exports_for(tab):
    """The export adapter of a trained lesson's tab, or None for other tabs."""
    kind = _exports_kind(tab)
    if kind is None:
        return None
    watch(tab)
    return kind(tab, tab.controller.findChild(kind.log_kind))
