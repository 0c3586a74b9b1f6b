"""The Reward model trains in its own thread; the GUI thread only renders the snapshots it emits.

`TrainingWorker` lives in a QThread and owns the `RewardSession` (so torch is only ever touched
from that thread: no locks). The controller talks to it through queued signals; the worker answers
with immutable `RewardSnapshot`s. Training runs in chunks of a few steps (~20 ms of work each),
and queued commands (Pause, a new ranking, the learning rate) are handled between chunks.
"""
from __future__ import annotations

import time
import traceback

from PySide6 import QtCore

from ...core.reward_session import RewardSession

# Work between two snapshots: ~12 snapshots a second is smooth on a projector, and Pause still
# answers within a tenth of a second. Shorter chunks spend more time scoring than training.
CHUNK_SECONDS = 0.08
MAX_CHUNK_STEPS = 50


class TrainingWorker(QtCore.QObject):
    ready = QtCore.Signal()                 # the Reward model exists (torch is warm)
    snapshot_ready = QtCore.Signal(object)  # RewardSnapshot
    running_changed = QtCore.Signal(bool)
    failed = QtCore.Signal(str)

    def __init__(self, feedback) -> None:
        super().__init__()
        self.session = RewardSession(feedback)
        self._remaining = 0
        self._timer: QtCore.QTimer | None = None

    # --- commands (queued from the GUI thread) ---------------------------------------------------
    @QtCore.Slot()
    def warm_up(self) -> None:
        if self._guarded(self.session.ensure_model):
            self.ready.emit()
            self._emit_snapshot()

    @QtCore.Slot(int)
    def train(self, steps: int) -> None:
        self._remaining += max(int(steps), 0)
        if not self._ensure_timer().isActive() and self._remaining:
            self._timer.start()
            self.running_changed.emit(True)

    @QtCore.Slot()
    def pause(self) -> None:
        self._remaining = 0
        self._stop()

    @QtCore.Slot()
    def reset(self) -> None:
        self.pause()
        self._guarded(self.session.reset)
        self._emit_snapshot()

    @QtCore.Slot(object)
    def set_feedback(self, feedback) -> None:
        self._guarded(lambda: self.session.set_feedback(feedback))
        self._emit_snapshot()

    @QtCore.Slot(float)
    def set_learning_rate(self, learning_rate: float) -> None:
        self._guarded(lambda: self.session.set_learning_rate(learning_rate))

    @QtCore.Slot(str)
    def set_optimizer(self, optimizer: str) -> None:
        self._guarded(lambda: self.session.set_optimizer(optimizer))

    @QtCore.Slot(object, str)
    def set_probe(self, prompt_id, text: str) -> None:
        self.session.set_probe(prompt_id, text)
        self._emit_snapshot()

    # --- the training loop -----------------------------------------------------------------------
    def _ensure_timer(self) -> QtCore.QTimer:
        if self._timer is None:  # created here, in the worker's thread, so it fires there
            self._timer = QtCore.QTimer(self)
            self._timer.setInterval(0)
            self._timer.timeout.connect(self._chunk)
        return self._timer

    def _chunk(self) -> None:
        started, done = time.perf_counter(), 0
        while self._remaining and done < MAX_CHUNK_STEPS:
            if not self._guarded(lambda: self._one_step()):
                self._remaining = 0
            done += 1
            if time.perf_counter() - started > CHUNK_SECONDS:
                break
        self._emit_snapshot()
        if not self._remaining:
            self._stop()

    def _one_step(self) -> None:
        if self.session.train(1) == 0:
            self._remaining = 0  # nothing to learn from: no training pairs
        else:
            self._remaining -= 1

    def _stop(self) -> None:
        if self._timer is not None and self._timer.isActive():
            self._timer.stop()
            self.running_changed.emit(False)

    def _emit_snapshot(self) -> None:
        if self.session.ready:
            snapshot = self._guarded(self.session.snapshot)
            if snapshot:
                self.snapshot_ready.emit(snapshot)

    def _guarded(self, action):
        """Run one action; an error becomes a message on screen instead of a dead thread."""
        try:
            result = action()
            return True if result is None else result
        except Exception as error:  # noqa: BLE001 - any failure must reach the user, not kill the thread
            traceback.print_exc()
            self.failed.emit(f"{type(error).__name__}: {error}")
            return False


class TrainingThread(QtCore.QObject):
    """Starts the worker in its own QThread and stops it cleanly when the tab goes away."""

    def __init__(self, feedback, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QtCore.QThread()
        self.thread.setObjectName("reward-model-training")
        self.worker = TrainingWorker(feedback)
        self.worker.moveToThread(self.thread)
        self.thread.start()

    def stop(self) -> None:
        if self.thread.isRunning():
            QtCore.QMetaObject.invokeMethod(self.worker, "pause",
                                            QtCore.Qt.ConnectionType.BlockingQueuedConnection)
            self.thread.quit()
            self.thread.wait(5000)
