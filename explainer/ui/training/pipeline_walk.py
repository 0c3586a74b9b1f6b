"""Guided walkthroughs of the tabs that train in a separate process (3, Reward model; 4, RLHF).

A step's actions are controller calls whose work happens in the tab's training process, so the
player runs them one at a time: it issues an action, then asks the process to answer a `sync`
token. Commands are handled in order, so the answer means every earlier command was handled;
the player then waits until the controller is settled (training finished, every view drawn what
arrived) before the next action. Meanwhile the banner says what is being computed, and Next and
Back are ignored (a click never queues up work nor crashes); Esc leaves at once, letting the
process finish what it was doing.

Going back is the tab's `Actor.back_jobs`, chosen per tab by what a rebuild costs:

* the Reward model tab rebuilds the step from the start (shipped rankings, untrained Reward model,
  then the actions of steps 1..k). The model is small and seeded, so this shows exactly what was
  shown before and keeps nothing in memory; measured about 2 s on a busy two-core machine, most of
  it the views redrawing;
* the RLHF tab restores a checkpoint its training process kept after each step
  (`core.rlhf.checkpoints`, a few ms; 0.15–0.25 s until drawn), because a rebuild would replay
  SFT, hundreds of policy updates and a Reward model retraining: 15–25 s.
"""
from __future__ import annotations

import itertools

from PySide6 import QtCore, QtWidgets

from ...core.files.pipeline_walkthrough import PLACEHOLDERS, PipelineWalkthrough
from ...core.files.walkthrough import LessonError, lesson_for, shipped_lessons
from ..shell.lesson_tabs import TabDefaults

SETTLE_POLL_MS = 25
WORKING_VALUE = "…"   # a live value while its step is still computing


class Actor(QtCore.QObject):
    """What a tab does for its walkthrough. Subclasses implement the hooks below. A job is a
    callable that issues commands and returns what they compute, for the banner ("" if quick)."""

    synced = QtCore.Signal(int)    # the process answered this sync token
    lost = QtCore.Signal(str)      # the process ended: the step cannot finish
    # True: wait for the process after every job (an action may cut the previous one short, as a
    # preset stops training). False: the jobs only queue commands; wait once, after the last.
    sync_each_job = True

    def begin(self) -> None:
        """The walkthrough starts (before its first step's jobs)."""

    def restart_jobs(self) -> list:
        """Jobs that bring the tab to the lesson's starting state."""
        return []

    def run(self, action) -> str:
        """Issue one action; returns what it computes, for the banner ("" for quick ones)."""
        raise NotImplementedError

    def after_step(self, index: int) -> list:
        """Jobs once step `index` is done (e.g. keep a checkpoint)."""
        return []

    def back_jobs(self, walk: PipelineWalkthrough, index: int) -> list:
        """Jobs that show step `index` again, coming back from a later step."""
        return self.restart_jobs() + [self.action_job(a) for a in walk.actions_until(index)]

    def action_job(self, action):
        return lambda: self.run(action)

    def sync(self, token: int) -> None:
        raise NotImplementedError

    def settled(self) -> bool:
        raise NotImplementedError

    def values(self) -> dict[str, str]:
        """The live values captions may name, formatted as shown."""
        return {}


class PipelineWalkPlayer(QtCore.QObject):
    step_shown = QtCore.Signal(int)     # a step is done and its caption shown
    walking_changed = QtCore.Signal(bool)   # a walkthrough started (True) or ended (False)
    busy_changed = QtCore.Signal(bool)
    message = QtCore.Signal(str)        # a lesson that cannot be used, or a failed step

    def __init__(self, lesson: str, actor: Actor, bar: WalkthroughBar,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.lesson, self.actor, self.bar = lesson, actor, bar
        self.walk: PipelineWalkthrough | None = None
        self.index = 0
        self.busy = False
        self._jobs: list = []
        self._target = 0
        self._working = ""
        self._tokens = itertools.count(1)
        self._waiting: int | None = None
        self._poll = QtCore.QTimer(self, interval=SETTLE_POLL_MS, timeout=self._on_poll)
        actor.synced.connect(self._on_synced)
        actor.lost.connect(self._on_lost)
        self.busy_changed.connect(bar.set_busy)
        bar.next_button.clicked.connect(self.next)
        bar.back_button.clicked.connect(self.previous)
        bar.end_button.clicked.connect(self.end)
        bar.step_chosen.connect(self.go_to)

    # --- intent ----------------------------------------------------------------------------------
    def walkthroughs(self) -> list[PipelineWalkthrough]:
        return shipped_lessons(self.lesson)

    def start(self, walk: PipelineWalkthrough | str | None = None) -> bool:
        """Start a walkthrough (the tab's first shipped one by default, or a lesson file's path)."""
        try:
            walk = lesson_for(self.lesson, walk)
        except LessonError as exc:
            self.message.emit(str(exc))
            return False
        if self.busy:
            self._cancel()
        self.walk = walk
        self.bar.set_steps(walk.caption(i, {}) for i in range(len(walk.steps)))
        self.walking_changed.emit(True)
        self.actor.begin()
        self._go(0, self.actor.restart_jobs() + self._step_jobs(0))
        return True

    def next(self) -> None:
        if self.walk is not None and not self.busy and self.index + 1 < len(self.walk.steps):
            self._go(self.index + 1, self._step_jobs(self.index + 1))

    def previous(self) -> None:
        if self.walk is not None and not self.busy and self.index > 0:
            self._go(self.index - 1, self.actor.back_jobs(self.walk, self.index - 1))

    def go_to(self, index: int) -> None:
        """Any step, from the banner's overview: an earlier one as Back rebuilds it, a later one
        by running each step between, in order."""
        if self.walk is None or self.busy or index == self.index \
                or not 0 <= index < len(self.walk.steps):
            return
        if index < self.index:
            self._go(index, self.actor.back_jobs(self.walk, index))
        else:
            self._go(index, [job for k in range(self.index + 1, index + 1)
                             for job in self._step_jobs(k)])

    def end(self) -> None:
        """Leave the walkthrough; work already sent to the process finishes on its own."""
        self._cancel()
        was_walking, self.walk = self.walk is not None, None
        self.bar.hide()
        if was_walking:
            self.walking_changed.emit(False)

    # --- running jobs -----------------------------------------------------------------------------
    def _step_jobs(self, index: int) -> list:
        return [self.actor.action_job(a) for a in self.walk.steps[index].actions] \
            + self.actor.after_step(index)

    def _go(self, index: int, jobs: list) -> None:
        self._target, self._jobs = index, list(jobs)
        self._set_busy(True)
        self._working = "working…"
        self._show(index, working=True)
        self._run_next_job()

    def _run_next_job(self) -> None:
        if self.walk is None:
            return
        if not self._jobs:
            self._finish()
            return
        job = self._jobs.pop(0)
        try:
            working = job()
            if working:
                self._working = working
                self._show(self._target, working=True)
            if self._jobs and not self.actor.sync_each_job:
                self._run_next_job()
                return
            self._waiting = next(self._tokens)
            self.actor.sync(self._waiting)
        except Exception as error:  # noqa: BLE001 - said on screen; the walkthrough stays usable
            self._on_lost(f"{type(error).__name__}: {error}", force=True)

    def _on_synced(self, token: int) -> None:
        if token == self._waiting:
            self._waiting = None
            self._on_poll()
            if self.busy and self._waiting is None and not self._poll.isActive():
                self._poll.start()

    def _on_poll(self) -> None:
        if self.walk is None or self._waiting is not None or not self.actor.settled():
            return
        self._poll.stop()
        self._run_next_job()

    def _finish(self) -> None:
        self.index = self._target
        self._set_busy(False)
        self._show(self.index, working=False)
        self.step_shown.emit(self.index)

    def _on_lost(self, text: str, force: bool = False) -> None:
        if self.busy or force:
            self._cancel()
            self.message.emit(f"The walkthrough step could not finish: {text}")
            if self.walk is not None:
                self._show(self.index, working=False)

    def _cancel(self) -> None:
        self._jobs, self._waiting = [], None
        self._poll.stop()
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    # --- the banner --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the shown step's caption again with the newest live values."""
        if self.walk is not None and not self.busy:
            self._show(self.index, working=False)

    def _show(self, index: int, working: bool) -> None:
        walk = self.walk
        if working:
            values = {name: WORKING_VALUE for name in PLACEHOLDERS[self.lesson]}
            note = f"{self._working} (Next waits for this step)"
        else:
            values, note = self.actor.values(), ""
        self.bar.show_step(walk.title, index, len(walk.steps), walk.caption(index, values), note)


class PlayerWalkthroughs(TabDefaults):
    """What tabs 3 and 4 answer about their walkthrough, from their `player` (a
    PipelineWalkPlayer); each tab starts one in its own way.

    A walkthrough shows its own rankings and models: what the tab held before (its session part
    and its models' weights, as a save would keep them) is kept at the start and given back at
    the end, and a save meanwhile saves that. The tab provides session_state (its own, before
    `kept_session`), prepare_session, controller.request_state and banner.show_message."""

    _before_walk: dict | None = None

    def keep_before_walk(self) -> None:
        if self.player.walk is not None:
            return   # a second walkthrough over the first: the tab's own state is already kept
        kept = self._before_walk = self.session_state()
        # asked before the walkthrough's first step reaches the process, so the answer is the
        # models as they are now (should it come too late, the end replays the training instead)
        self.controller.request_state(
            lambda weights: weights is not None and kept.update(weights=weights))

    def kept_session(self) -> dict | None:
        """During a walkthrough, the tab's own session part (without weights), else None."""
        kept = self._before_walk
        return None if kept is None else {k: v for k, v in kept.items() if k != "weights"}

    def kept_weights(self, callback) -> bool:
        """During a walkthrough, answer a save's request for weights with the kept ones."""
        if self._before_walk is None:
            return False
        callback(self._before_walk.get("weights"))
        return True

    def forget_before_walk(self) -> None:
        """An opened session replaces the tab's state: nothing is to be given back."""
        self._before_walk = None

    def give_back_after_walk(self) -> None:
        kept, self._before_walk = self._before_walk, None
        if kept is None:
            return
        from ...core.files.session import SessionError
        try:
            self.prepare_session(kept)()
        except SessionError as error:
            self.banner.show_message(f"The tab could not return to what it held before the "
                                     f"walkthrough: {error}", "error")
            return
        self.banner.show_message("Back to what the tab held before the walkthrough.")

    @property
    def walk(self):
        """The walkthrough being shown, or None (the main window's Esc ends it)."""
        return self.player.walk

    @property
    def walk_index(self) -> int:
        return self.player.index

    def walkthroughs(self) -> list:
        return self.player.walkthroughs()

    def training(self) -> bool:
        return self.controller.running

    def end_walkthrough(self) -> None:
        self.player.end()
