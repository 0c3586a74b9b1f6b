"""The Reward model tab's controller: user intent in, records out.

It holds the current `Feedback` (immutable) with an undo stack, the selected prompt and pair, and the
latest `RewardSnapshot` from the training process (`training.reward_service.RewardService`, started
on the first `warm_up`, `train` or `reset` with the settings given before). Views call its methods
and render what it emits; they never compute a number themselves.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6 import QtCore

from ...core.language import rankings
from ...core.language.reward_training import (DEFAULT_LEARNING_RATE, RewardSnapshot,
                                              empty_snapshot, unjudged_pairs)
from ...training.reward_service import RewardService
from ..training.controller import RENDER_INTERVAL_MS, TrainingController
from . import autosave

STEPS_PER_RUN = 300       # one press of Train: enough for the default rankings to reach 100 %
UNDO_LIMIT = 200


@dataclass(frozen=True)
class _State:
    """What one undo step restores."""
    feedback: object
    skipped: frozenset


@dataclass(frozen=True)
class RankingsHistory:
    """The rankings, the skipped pairs and the undo steps behind them."""
    feedback: object
    skipped: frozenset
    undo: tuple


class RewardController(TrainingController):
    feedback_changed = QtCore.Signal(object)     # Feedback
    selection_changed = QtCore.Signal()          # prompt or pair
    snapshot_changed = QtCore.Signal(object)     # RewardSnapshot
    model_ready = QtCore.Signal()
    progress_changed = QtCore.Signal(int, int)   # steps done in this run, steps in this run
    recovery_available = QtCore.Signal(object)   # Feedback found in the autosave
    change_refused = QtCore.Signal()             # a view's edit was refused: show the rankings again

    def __init__(self, feedback=None, autosave_path: Path | None = None,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(RewardService, latest_only={"snapshot"}, name="reward-model-training",
                         parent=parent)
        self.feedback = feedback if feedback is not None else rankings.default_feedback()
        self.skipped: frozenset = frozenset()
        self._undo: list[_State] = []
        self.snapshot: RewardSnapshot = empty_snapshot()
        self.selected_prompt_id = self._first_prompt_id()
        self.selected_pair: tuple[str, str, str] | None = None
        self.probe_text = ""
        self.ready = False
        self.locked = ""   # why the rankings may not be edited now (a walkthrough shows its own)
        self._run_start, self._run_steps = 0, 0
        # what a new training process starts with: the settings sent so far
        self._learning_rate, self._optimizer = DEFAULT_LEARNING_RATE, "adam"
        self._probe: tuple | None = None   # (prompt id or None, text)
        self.autosave = autosave.Autosave(autosave_path or autosave.default_path(), self)
        self.autosave.failed.connect(lambda text: self.message.emit(text, "error"))
        self._pending_snapshot: RewardSnapshot | None = None
        self._snapshot_views: list = []
        # Snapshots are published at most every RENDER_INTERVAL_MS; each view renders (and
        # repaints) in its own event-loop turn, so no single turn is long.
        self._render_timer = QtCore.QTimer(self, singleShot=True, interval=RENDER_INTERVAL_MS,
                                           timeout=self._publish_snapshot)
        self._select_default_pair()

    # --- the training process --------------------------------------------------------------------
    def _message_handlers(self) -> dict:
        return {"ready": self._on_model_ready, "snapshot": self._on_snapshot}

    def _service_args(self) -> tuple:
        return (self.feedback, self._learning_rate, self._optimizer)

    def _on_start(self) -> None:
        if self._probe is not None:
            self.process.call("set_probe", *self._probe)

    def _process_lost(self, code: int) -> None:
        self.message.emit(f"The Reward model's training process stopped (exit code {code}); "
                          "the next Train starts it again, untrained.", "error")

    # --- the model and training ------------------------------------------------------------------
    def train(self, steps: int = STEPS_PER_RUN) -> None:
        if not self.running:
            self._run_start, self._run_steps = self.snapshot.step, steps
        else:
            self._run_steps += steps
        self.command("train", int(steps))

    def step_once(self) -> None:
        self.train(1)

    def pause(self) -> None:
        self._send("pause")

    def reset_model(self) -> None:
        self._run_start, self._run_steps = 0, 0
        self.command("reset")

    def set_learning_rate(self, learning_rate: float) -> None:
        self._learning_rate = float(learning_rate)
        self._send("set_learning_rate", self._learning_rate)

    def set_optimizer(self, optimizer: str) -> None:
        self._optimizer = optimizer
        self._send("set_optimizer", optimizer)

    def set_probe(self, text: str) -> None:
        self.probe_text = text
        self._probe = (self.selected_prompt_id if text.strip() else None, text)
        self._send("set_probe", *self._probe)

    def _on_model_ready(self, _payload) -> None:
        self.ready = True
        self.model_ready.emit()

    # --- what the views draw: the newest snapshot, at most every RENDER_INTERVAL_MS --------------
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

    def _publish_now(self) -> None:
        if self._pending_snapshot is not None:
            self._publish_snapshot()

    def _catch_up(self) -> None:
        self._schedule_renders()

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
        self._send("set_feedback", feedback)
        if save:
            self.autosave.schedule(feedback)
        self.feedback_changed.emit(feedback)
        self._select_default_pair()

    def undo(self) -> None:
        if self._undo and not self.refused():
            state = self._undo.pop()
            self._set_state(state.feedback, state.skipped)

    def rankings_history(self) -> "RankingsHistory":
        """The rankings with what Undo would bring back: a walkthrough keeps them at its start."""
        return RankingsHistory(self.feedback, self.skipped, tuple(self._undo))

    def restore_rankings_history(self, history: "RankingsHistory") -> None:
        """The rankings and their undo steps as kept: Undo after a walkthrough's End must not
        bring back the rankings the walkthrough showed (or a fix step added to)."""
        self._undo = list(history.undo)
        self._set_state(history.feedback, history.skipped)

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
    def check_state(self, state, feedback, optimizer: str) -> None:
        """A saved model state checked against this model before anything changes (SessionError)."""
        from ...core.files.session import SessionError
        from ...core.files.weights import WeightsError
        from ...core.language.reward_training import check_saved_state
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
        self.command("load_state", state)

    def shutdown(self) -> None:
        self.autosave.flush()
        super().shutdown()

    def settled(self) -> bool:
        """Nothing is training and every view has drawn the newest snapshot."""
        return super().settled() and self._pending_snapshot is None
