"""The Reward model tab's controller: user intent in, records out.

It holds the current `Feedback` (immutable) with an undo stack, the selected prompt and pair, and the
latest `RewardSnapshot` from the training process. Views call its methods and render what it emits;
they never compute a number themselves.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6 import QtCore

from ...core import rankings
from ...core.reward_session import RewardSnapshot, empty_snapshot, unjudged_pairs
from ..threads import Staggered
from . import autosave
from .worker import TrainingProcess

STEPS_PER_RUN = 300       # one press of Train: enough for the default rankings to reach 100 %
UNDO_LIMIT = 200
# Views render the newest snapshot at most this often: snapshots that arrive faster are coalesced,
# so the GUI thread never queues up renders and always has time for the lecturer's clicks. Each
# view renders (and repaints) in its own event-loop turn, so no single turn is long.
RENDER_INTERVAL_MS = 200


@dataclass(frozen=True)
class _State:
    """What one undo step restores."""
    feedback: object
    skipped: frozenset


class RewardController(QtCore.QObject):
    feedback_changed = QtCore.Signal(object)     # Feedback
    selection_changed = QtCore.Signal()          # prompt or pair
    snapshot_changed = QtCore.Signal(object)     # RewardSnapshot
    model_ready = QtCore.Signal()
    running_changed = QtCore.Signal(bool)
    progress_changed = QtCore.Signal(int, int)   # steps done in this run, steps in this run
    message = QtCore.Signal(str, str)            # text, level: "info" | "error"
    recovery_available = QtCore.Signal(object)   # Feedback found in the autosave
    change_refused = QtCore.Signal()             # a view's edit was refused: show the rankings again

    # sent to the training process
    _train = QtCore.Signal(int)
    _pause = QtCore.Signal()
    _reset = QtCore.Signal()
    _warm_up = QtCore.Signal()
    _set_feedback = QtCore.Signal(object)
    _set_lr = QtCore.Signal(float)
    _set_optimizer = QtCore.Signal(str)
    _set_probe = QtCore.Signal(object, str)

    def __init__(self, feedback=None, autosave_path: Path | None = None,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.feedback = feedback if feedback is not None else rankings.default_feedback()
        self.skipped: frozenset = frozenset()
        self._undo: list[_State] = []
        self.snapshot: RewardSnapshot = empty_snapshot()
        self.selected_prompt_id = self._first_prompt_id()
        self.selected_pair: tuple[str, str, str] | None = None
        self.probe_text = ""
        self.running = False
        self.ready = False
        self.locked = ""   # why the rankings may not be edited now (a walkthrough shows its own)
        self._run_start, self._run_steps = 0, 0
        self.autosave = autosave.Autosave(autosave_path or autosave.default_path(), self)
        self.autosave.failed.connect(lambda text: self.message.emit(text, "error"))
        self._pending_snapshot: RewardSnapshot | None = None
        self._snapshot_views: list = []
        self._rendering = True          # False while the tab is hidden: nothing to draw
        self._stopping = False          # "stopped" arrived; shown once the last renders are done
        self.renders = Staggered(self)
        self._render_timer = QtCore.QTimer(self, singleShot=True, interval=RENDER_INTERVAL_MS,
                                           timeout=self._publish_snapshot)
        self._training = TrainingProcess(self.feedback, self)
        self._connect_worker(self._training)
        self._select_default_pair()

    def _connect_worker(self, worker) -> None:
        for signal, slot in ((self._train, worker.train), (self._pause, worker.pause),
                             (self._reset, worker.reset), (self._warm_up, worker.warm_up),
                             (self._set_feedback, worker.set_feedback),
                             (self._set_lr, worker.set_learning_rate),
                             (self._set_optimizer, worker.set_optimizer),
                             (self._set_probe, worker.set_probe)):
            signal.connect(slot)
        worker.ready.connect(self._on_worker_ready)
        worker.snapshot_ready.connect(self._on_snapshot)
        worker.running_changed.connect(self._on_running_changed)
        worker.failed.connect(lambda text: self.message.emit(text, "error"))

    # --- the model and training ------------------------------------------------------------------
    def warm_up(self) -> None:
        """Start the training process and build the Reward model there (it imports torch)."""
        self._warm_up.emit()

    def train(self, steps: int = STEPS_PER_RUN) -> None:
        if not self.running:
            self._run_start, self._run_steps = self.snapshot.step, steps
        else:
            self._run_steps += steps
        self._train.emit(steps)

    def step_once(self) -> None:
        self.train(1)

    def pause(self) -> None:
        self._pause.emit()

    def reset_model(self) -> None:
        self._run_start, self._run_steps = 0, 0
        self._reset.emit()

    def set_learning_rate(self, learning_rate: float) -> None:
        self._set_lr.emit(float(learning_rate))

    def set_optimizer(self, optimizer: str) -> None:
        self._set_optimizer.emit(optimizer)

    def set_probe(self, text: str) -> None:
        self.probe_text = text
        self._set_probe.emit(self.selected_prompt_id if text.strip() else None, text)

    def _on_worker_ready(self) -> None:
        self.ready = True
        self.model_ready.emit()

    def _on_snapshot(self, snapshot: RewardSnapshot) -> None:
        self._pending_snapshot = snapshot
        if not self._render_timer.isActive():
            self._publish_snapshot()
            self._render_timer.start()  # later snapshots wait for the next turn, keeping the newest

    def _publish_snapshot(self) -> None:
        snapshot, self._pending_snapshot = self._pending_snapshot, None
        if snapshot is None:
            return
        self.snapshot = snapshot
        self.snapshot_changed.emit(snapshot)
        if self._rendering:
            self._schedule_renders()

    def on_snapshot(self, render) -> None:
        """render() is called for every new snapshot (at most RENDER_INTERVAL_MS apart), in its
        own event-loop turn, while the tab is shown; it reads `self.snapshot`."""
        self._snapshot_views.append(render)

    def _schedule_renders(self) -> None:
        for render in self._snapshot_views:
            self.renders.schedule(render)
        self.renders.schedule(self._emit_progress)

    def _emit_progress(self) -> None:
        if self._run_steps:
            done = min(self.snapshot.step - self._run_start, self._run_steps)
            self.progress_changed.emit(max(done, 0), self._run_steps)

    def set_rendering(self, rendering: bool) -> None:
        """The tab is shown (render every snapshot) or hidden (skip them; catch up when shown)."""
        if rendering == self._rendering:
            return
        self._rendering = rendering
        if rendering:
            self._schedule_renders()
        else:
            self.renders.clear()
            self.renders.schedule(self._finish_stopping)  # a pending "stopped" must not wait

    def _on_running_changed(self, running: bool) -> None:
        if running:
            self._stopping = False
            self.running = True
            self.running_changed.emit(True)
            return
        # Training stopped: show its last snapshot first (now, not at the next render turn), and
        # report "stopped" after the views have drawn it, so what is shown is never behind.
        self._stopping = True
        if self._pending_snapshot is not None:
            self._publish_snapshot()
        self.renders.schedule(self._finish_stopping)

    def _finish_stopping(self) -> None:
        if self._stopping:
            self._stopping = False
            self.running = False
            self.running_changed.emit(False)

    # --- feedback (every change is one undo step) ------------------------------------------------
    def refused(self) -> bool:
        """True (and says why) while the rankings are locked; the views show them again."""
        if not self.locked:
            return False
        self.message.emit(self.locked, "info")
        self.change_refused.emit()
        return True

    @contextmanager
    def unlocked(self):
        """The walkthrough's own edits, while the lecturer's are locked."""
        locked, self.locked = self.locked, ""
        try:
            yield
        finally:
            self.locked = locked

    def apply(self, change, *args) -> bool:
        """feedback ← feedback.change(*args); a rejected change becomes a message, not a crash."""
        if self.refused():
            return False
        try:
            feedback = getattr(self.feedback, change)(*args)
        except (ValueError, KeyError, rankings.FeedbackError) as error:
            self.message.emit(str(error), "error")
            return False
        self._push_and_set(feedback, self.skipped)
        return True

    def _push_and_set(self, feedback, skipped: frozenset) -> None:
        self._undo.append(_State(self.feedback, self.skipped))
        del self._undo[:-UNDO_LIMIT]
        self._set_state(feedback, skipped)

    def _set_state(self, feedback, skipped: frozenset, save: bool = True) -> None:
        self.feedback, self.skipped = feedback, skipped
        if self.prompt(self.selected_prompt_id) is None:
            self.selected_prompt_id = self._first_prompt_id()
        self._set_feedback.emit(feedback)
        if save:
            self.autosave.schedule(feedback)
        self.feedback_changed.emit(feedback)
        self._select_default_pair()

    def undo(self) -> None:
        if self._undo and not self.refused():
            state = self._undo.pop()
            self._set_state(state.feedback, state.skipped)

    def replace_feedback(self, feedback, undoable: bool = True) -> None:
        """A whole new set of rankings (opened, recovered); still one undo step."""
        if undoable:
            self._push_and_set(feedback, frozenset())
        else:
            self._set_state(feedback, frozenset())

    # --- which pair to judge next ------------------------------------------------------------------
    def next_comparison(self) -> tuple[str, str, str] | None:
        """The first unjudged pair, preferring the selected prompt."""
        pending = unjudged_pairs(self.feedback, self.skipped)
        here = [p for p in pending if p[0] == self.selected_prompt_id]
        return (here or pending or [None])[0]

    def judge(self, verdict: str) -> None:
        """verdict: "first" / "second" is better, "tie", or "skip" for the shown pair."""
        pair = self.next_comparison()
        if pair is None or self.refused():
            return
        prompt_id, first, second = pair
        if verdict == "first":
            self.apply("add_comparison", prompt_id, first, second)
        elif verdict == "second":
            self.apply("add_comparison", prompt_id, second, first)
        elif verdict == "tie":
            self.apply("add_tie", prompt_id, first, second)
        elif verdict == "skip":
            self._push_and_set(self.feedback, self.skipped | {pair})

    # --- selection ---------------------------------------------------------------------------------
    def prompt(self, prompt_id):
        return next((p for p in self.feedback.prompts if p.id == prompt_id), None)

    def _first_prompt_id(self):
        return self.feedback.prompts[0].id if self.feedback.prompts else None

    def select_prompt(self, prompt_id) -> None:
        if prompt_id != self.selected_prompt_id and self.prompt(prompt_id) is not None:
            self.selected_prompt_id = prompt_id
            self.selected_pair = None
            self._select_default_pair()
            self.set_probe(self.probe_text)
            self.selection_changed.emit()

    def select_pair(self, prompt_id, better_id, worse_id) -> None:
        self.selected_pair = (prompt_id, better_id, worse_id)
        if prompt_id != self.selected_prompt_id:
            self.selected_prompt_id = prompt_id
            self.set_probe(self.probe_text)
        self.selection_changed.emit()

    def select_previous_pair(self) -> None:
        """The pair before the selected one (the last after the first), for the clicker."""
        keys = [(p.prompt_id, p.better_id, p.worse_id) for p in self.pairs_of_selected()]
        if keys:
            index = keys.index(self.selected_pair) if self.selected_pair in keys else 0
            self.select_pair(*keys[index - 1])

    def pairs_of_selected(self) -> list:
        return [p for p in self.feedback.pairs() if p.prompt_id == self.selected_prompt_id]

    def _select_default_pair(self) -> None:
        """Keep the selected pair if it still exists, else the selected prompt's first pair."""
        keys = [(p.prompt_id, p.better_id, p.worse_id) for p in self.pairs_of_selected()]
        if self.selected_pair not in keys:
            self.selected_pair = keys[0] if keys else None
            self.selection_changed.emit()

    # --- files -------------------------------------------------------------------------------------
    def open_file(self, path: str | Path) -> bool:
        """Load rankings; a malformed file changes nothing and says why."""
        if self.refused():
            return False
        try:
            feedback = rankings.load_feedback(Path(path))
        except rankings.FeedbackError as error:
            self.message.emit(f"Could not open {Path(path).name}: {error}", "error")
            return False
        self.replace_feedback(feedback)
        self.message.emit(f"Opened {Path(path).name}", "info")
        return True

    def save_file(self, path: str | Path) -> bool:
        try:
            rankings.save_feedback(self.feedback, Path(path))
        except (OSError, rankings.FeedbackError) as error:
            self.message.emit(f"Could not save {Path(path).name}: {error}", "error")
            return False
        self.message.emit(f"Saved {Path(path).name}", "info")
        return True

    def check_recovery(self) -> None:
        """Offer the autosave when it holds rankings different from what was loaded."""
        recovered = self.autosave.recoverable(self.feedback)
        if recovered is not None:
            self.recovery_available.emit(recovered)

    # --- sessions: the trained model, saved and opened as data ----------------------------------
    @property
    def weights_manifest(self) -> dict | None:
        """The model's tensor shapes (None until the training process has built it)."""
        return self._training.manifest

    def request_state(self, callback) -> bool:
        """Ask the training process for the model's state; callback(state or None) follows.
        False when there is no model yet (nothing trained to save)."""
        return self._training.request_state(callback)

    def check_state(self, state, feedback, optimizer: str) -> None:
        """A saved model state checked against this model before anything changes (SessionError)."""
        from ...core.reward_session import check_saved_state
        from ...core.session import SessionError
        from ...core.weights import WeightsError
        if self.weights_manifest is None:
            raise SessionError("reward model: the model is not built yet, its weights cannot be "
                               "checked")
        adam = optimizer == "adam" and bool(feedback.pairs(held_out=False))
        try:
            check_saved_state(state, self.weights_manifest, adam)
        except WeightsError as exc:
            raise SessionError(f"reward model: {exc}") from None

    def load_state(self, state) -> None:
        """A checked saved state replaces the model (no training step runs)."""
        self._run_start, self._run_steps = 0, 0
        self._training.load_state(state)

    def shutdown(self) -> None:
        self.renders.clear()
        self.autosave.flush()
        self._training.stop()

    # --- the guided walkthrough (reward_tab/walkthrough.py) ----------------------------------------
    def use_service(self, factory) -> None:
        """Run `factory` (TrainingService or a subclass with more commands) in the training
        process; it takes effect when the process starts."""
        self._training.process.factory = factory

    @property
    def service(self):
        """The training process (a `ProcessWorker`): a walkthrough sends it commands of its own."""
        return self._training.process

    def settled(self) -> bool:
        """Nothing is training and every view has drawn the newest snapshot."""
        return not self.running and not self._stopping and self._pending_snapshot is None \
            and not self.renders.busy
