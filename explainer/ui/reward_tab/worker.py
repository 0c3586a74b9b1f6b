"""The Reward model trains in its own process; the GUI thread only renders the snapshots it sends.

Tiny-model training is bound by Python overhead, so a worker *thread* would hold the GIL most of
the time and every Qt call of the GUI thread would wait for it (stalls of hundreds of ms while
plots repaint). Instead `TrainingService` runs in a child process (see `..threads.ProcessWorker`)
and owns the `RewardSession`, so torch is only ever imported and touched there. `TrainingProcess`
is its handle in the GUI thread: the controller calls its methods and connects to its signals;
the service answers with immutable, picklable `RewardSnapshot`s, about five a second while
training (the views render at most that often anyway). Training runs one optimizer step per slice,
and commands (Pause, a new ranking, the learning rate) are handled between steps.

The process starts on the first `warm_up`, `train` or `reset`; the settings given before that are
remembered and sent on start, and again if the process ever has to be started anew.

Sessions: once the model exists the service sends its `manifest` (tensor names and shapes), so the
window can check saved weights without torch. `request_state` asks for the model's state as plain
data (weights, Adam's moments, step count, loss history; answered between two training steps, so
training goes on), `load_state` puts a saved one in place instead of training again.
"""
from __future__ import annotations

import time
import traceback

from PySide6 import QtCore

from ...core.reward_session import DEFAULT_LEARNING_RATE, RewardSession
from ..state_exchange import StateExchange
from ..threads import ProcessWorker

# Seconds between two snapshots while training: the GUI renders at most five a second, and every
# snapshot costs the trainer a scoring pass over all responses.
SNAPSHOT_SECONDS = 0.2
# The training process yields the CPU to the window when both want it (on a busy or single-core
# machine); on an idle machine with two or more cores it changes nothing.
TRAINING_NICE = 5


class TrainingService:
    """Runs in the training process: the Reward model, its trainer, and the snapshots it sends."""

    def __init__(self, emit, feedback, learning_rate: float = DEFAULT_LEARNING_RATE,
                 optimizer: str = "adam") -> None:
        self.emit = emit
        self.session = RewardSession(feedback, learning_rate=learning_rate, optimizer=optimizer)
        self._remaining = 0
        self._running = False
        self._last_snapshot = 0.0

    # --- commands --------------------------------------------------------------------------------
    def warm_up(self) -> None:
        self.session.ensure_model()
        self.emit("ready")
        self.emit("manifest", self.session.manifest())
        self._emit_snapshot()

    def export_state(self, request: int) -> None:
        """The model's state as plain data (between two training steps; training goes on)."""
        self.emit("exported", (request, self.session.export_state()))

    def import_state(self, state) -> None:
        """A saved state in place of the current one; no training step runs."""
        self.pause()
        self.session.import_state(state)
        self._emit_snapshot()

    def train(self, steps: int) -> None:
        self._remaining += max(int(steps), 0)
        if self._remaining and not self._running:
            self._running = True
            self._last_snapshot = 0.0   # the first step is shown at once
            self.emit("running", True)

    def pause(self) -> None:
        self._remaining = 0
        if self._running:
            self._finish()

    def reset(self) -> None:
        self.pause()
        self.session.reset()
        self._emit_snapshot()

    def set_feedback(self, feedback) -> None:
        self.session.set_feedback(feedback)
        self._emit_snapshot()

    def set_learning_rate(self, learning_rate: float) -> None:
        self.session.set_learning_rate(learning_rate)

    def set_optimizer(self, optimizer: str) -> None:
        self.session.set_optimizer(optimizer)

    def set_probe(self, prompt_id, text: str) -> None:
        self.session.set_probe(prompt_id, text)
        self._emit_snapshot()

    # --- the training loop, one step per slice ---------------------------------------------------
    def pending(self) -> bool:
        return self._running

    def work(self) -> None:
        try:
            if self.session.train(1) == 0:
                self._remaining = 0   # nothing to learn from: no training pairs
            else:
                self._remaining -= 1
        except Exception:
            self._remaining = 0
            raise
        finally:
            if not self._remaining:
                self._finish()
            elif time.perf_counter() - self._last_snapshot >= SNAPSHOT_SECONDS:
                self._emit_snapshot()

    def _finish(self) -> None:
        """The last step's snapshot, then "stopped"."""
        self._emit_snapshot()
        self._running = False
        self.emit("running", False)

    def _emit_snapshot(self) -> None:
        if not self.session.ready:
            return
        self._last_snapshot = time.perf_counter()
        try:
            snapshot = self.session.snapshot()
        except Exception as error:  # noqa: BLE001 - shown on screen; training state stays sane
            traceback.print_exc()
            self.emit("failed", f"{type(error).__name__}: {error}")
            return
        self.emit("snapshot", snapshot)


class TrainingProcess(QtCore.QObject):
    """The training process's handle in the GUI thread: the same calls and signals as a worker."""

    ready = QtCore.Signal()                 # the Reward model exists (torch is warm)
    snapshot_ready = QtCore.Signal(object)  # RewardSnapshot
    running_changed = QtCore.Signal(bool)
    failed = QtCore.Signal(str)

    def __init__(self, feedback, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.feedback = feedback
        self.learning_rate = DEFAULT_LEARNING_RATE
        self.optimizer = "adam"
        self.probe: tuple | None = None
        self.running = False
        self.process = ProcessWorker(TrainingService, latest_only={"snapshot"},
                                     name="reward-model-training", nice=TRAINING_NICE,
                                     parent=self)
        self.states = StateExchange(self.process)   # saved models in and out
        self.process.received.connect(self._on_message)
        self.process.failed.connect(self.failed)
        self.process.exited.connect(self._on_exited)

    # --- commands --------------------------------------------------------------------------------
    def warm_up(self) -> None:
        if self.process.running:
            self.process.call("warm_up")
        else:
            self._start()

    def train(self, steps: int) -> None:
        self._call("train", int(steps))

    def pause(self) -> None:
        self._send("pause")

    def reset(self) -> None:
        self._call("reset")

    def set_feedback(self, feedback) -> None:
        self.feedback = feedback
        self._send("set_feedback", feedback)

    def set_learning_rate(self, learning_rate: float) -> None:
        self.learning_rate = float(learning_rate)
        self._send("set_learning_rate", self.learning_rate)

    def set_optimizer(self, optimizer: str) -> None:
        self.optimizer = optimizer
        self._send("set_optimizer", optimizer)

    def set_probe(self, prompt_id, text: str) -> None:
        self.probe = (prompt_id, text)
        self._send("set_probe", prompt_id, text)

    @property
    def manifest(self) -> dict | None:
        return self.states.manifest

    def request_state(self, callback) -> bool:
        """Ask for the model's state; callback(state) follows (None if the process ended first).
        False (and no callback) when there is no model yet: nothing was trained to save."""
        return self.states.request(callback)

    def load_state(self, state) -> None:
        """A saved state (checked against `manifest` first) replaces the model; nothing trains."""
        self._call("import_state", state)

    def stop(self) -> None:
        self.process.stop()
        self.states.answer_all(None)

    # --- plumbing --------------------------------------------------------------------------------
    def _send(self, name: str, *args) -> None:
        """Settings go to a running process; before it starts they are only remembered."""
        if self.process.running:
            self.process.call(name, *args)

    def _call(self, name: str, *args) -> None:
        if not self.process.running:
            self._start()
        self.process.call(name, *args)

    def _start(self) -> None:
        """A new process with the current settings; it builds the model (torch) at once."""
        self.process.args = (self.feedback, self.learning_rate, self.optimizer)
        self.process.start()
        if self.probe is not None:
            self.process.call("set_probe", *self.probe)
        self.process.call("warm_up")

    def _on_message(self, kind: str, payload) -> None:
        if kind == "snapshot":
            self.snapshot_ready.emit(payload)
        elif kind == "running":
            self.running = bool(payload)
            self.running_changed.emit(self.running)
        elif kind == "ready":
            self.ready.emit()
        else:
            self.states.handle(kind, payload)

    def _on_exited(self, code: int) -> None:
        self.states.answer_all(None)
        if self.running:
            self.running = False
            self.running_changed.emit(False)
        self.failed.emit(f"The Reward model's training process stopped (exit code {code}); "
                         "the next Train starts it again, untrained.")
