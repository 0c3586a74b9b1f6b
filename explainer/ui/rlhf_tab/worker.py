"""Stage 1 and stage 3 compute in their own thread; the GUI thread only renders what comes back.

`RLHFWorker` lives in a QThread and owns the `RLHFSession` (torch is imported there, on warm-up,
and only ever touched from that thread: no locks). The controller talks to it through queued
signals; it answers with immutable records. Training runs in chunks of ~80 ms driven by a timer
in the worker's thread, so Pause and setting changes are handled between chunks, and `stop` (a
plain flag the GUI thread sets) ends a chunk or an SFT run early.

Measured: while this thread computes, every Qt call the GUI thread makes from Python waits for the
GIL, so painting a chunk's plots took 100–300 ms. So after each chunk the worker waits (at most
GUI_WAIT_S) until the GUI says it has drawn it (`gui_idle`): drawing then runs alone, in ~10 ms.
"""
from __future__ import annotations

import threading
import time
import traceback

from PySide6 import QtCore

from ..thread_lifetime import stop_thread

CHUNK_SECONDS = 0.08
GUI_WAIT_S = 0.25


class RLHFWorker(QtCore.QObject):
    ready = QtCore.Signal(dict)               # settings of the first run
    record_ready = QtCore.Signal(object)       # RLHFRecord or None
    series_ready = QtCore.Signal(object)      # Series
    compare_ready = QtCore.Signal(object)     # tuple[CompareRow, ...]
    settings_ready = QtCore.Signal(dict)
    sft_epoch = QtCore.Signal(int, float)
    sft_done = QtCore.Signal(object)          # SFTResult
    answers_ready = QtCore.Signal(object)     # tuple[Answer, ...]
    candidates_ready = QtCore.Signal(str, object)   # prompt id, texts
    fixed = QtCore.Signal(object, int)        # new Feedback, comparisons added
    progress = QtCore.Signal(int, int)        # updates done, asked for
    running_changed = QtCore.Signal(bool)
    busy_changed = QtCore.Signal(str)         # what the thread is doing, "" when idle
    failed = QtCore.Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.session = None
        self.stop = False                     # set from the GUI thread: finish the chunk now
        self.gui_idle = threading.Event()     # set by the GUI thread once it drew the last chunk
        self.gui_idle.set()
        self._remaining = self._asked = self._done = 0
        self._timer: QtCore.QTimer | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    @QtCore.Slot()
    def warm_up(self) -> None:
        if self.session is None and self._busy(
                "Building the fine-tuned model and the Reward model…", self._build_session):
            self.ready.emit(dict(self.session.settings))  # after busy "": controls are enabled
            self._emit_run_state()

    def _build_session(self) -> None:
        from ...core.rlhf_session import RLHFSession  # imports torch: here, in this thread
        session = RLHFSession()
        session.start_run()
        self.session = session

    def _emit_run_state(self) -> None:
        self.record_ready.emit(self.session.run.current)
        self.series_ready.emit(self.session.series())
        self.compare_ready.emit(self.session.compare())

    # --- stage 1 -----------------------------------------------------------------------------
    @QtCore.Slot()
    def run_sft(self) -> None:
        self.stop = False
        def on_epoch(epoch: int, loss: float) -> bool:
            self.sft_epoch.emit(epoch, loss)
            return not self.stop
        self._busy("Fine-tuning on the demonstrations…",
                   lambda: self.sft_done.emit(self._session().fine_tune(on_epoch)))

    @QtCore.Slot(str, float, int)
    def sample(self, prompt: str, temperature: float, seed: int) -> None:
        self._guarded(lambda: self.answers_ready.emit(
            self._session().sample_answers(prompt, temperature, seed=seed)))

    @QtCore.Slot(str, str, float, int)
    def candidates(self, prompt_id: str, prompt: str, temperature: float, seed: int) -> None:
        self._guarded(lambda: self.candidates_ready.emit(
            prompt_id, self._session().candidates(prompt, temperature=temperature, seed=seed)))

    # --- stage 3: one phase at a time ----------------------------------------------------------
    @QtCore.Slot()
    def step(self) -> None:
        if self._ok() and not self._running():
            record = self._guarded(self.session.step)
            if record:
                self.record_ready.emit(record)
                if record.phase == "update":
                    self.series_ready.emit(self.session.series())
                    self.compare_ready.emit(self.session.compare())

    @QtCore.Slot()
    def back(self) -> None:
        if self._ok() and not self._running():
            self.record_ready.emit(self.session.back())

    @QtCore.Slot(dict)
    def set_settings(self, settings: dict) -> None:
        if self._ok():
            self._guarded(lambda: self.session.set(**settings))
            self.settings_ready.emit(dict(self.session.settings))

    @QtCore.Slot(str)
    def preset(self, name: str) -> None:
        if self._ok():
            self.pause()
            self.settings_ready.emit(self.session.preset(name))
            self._emit_run_state()

    @QtCore.Slot(int)
    def reset(self, seed: int) -> None:
        if self._ok():
            self.pause()
            self.session.seed = int(seed)
            self._guarded(self.session.start_run)
            self._emit_run_state()

    @QtCore.Slot(object, int)
    def fix_hacking(self, feedback, updates: int) -> None:
        if self._ok():
            self.pause()
            result = self._busy("Retraining the Reward model with the new rankings…",
                                lambda: self.session.fix_hacking(feedback))
            if result:
                self.fixed.emit(*result)
                self._emit_run_state()
                self.train(updates)

    # --- stage 3: many updates ----------------------------------------------------------------
    @QtCore.Slot(int)
    def train(self, updates: int) -> None:
        if not self._ok() or updates <= 0:
            return
        if not self._running():
            self._asked = self._done = 0
        self.stop = False
        self._remaining += updates
        self._asked += updates
        self._ensure_timer().start()
        self.running_changed.emit(True)

    @QtCore.Slot()
    def pause(self) -> None:
        self._remaining = 0
        if self._running():
            self._timer.stop()
            self._finish_run()

    def _chunk(self) -> None:
        self.gui_idle.wait(GUI_WAIT_S)
        started = time.perf_counter()
        def should_stop() -> bool:
            return self.stop or time.perf_counter() - started > CHUNK_SECONDS
        result = self._guarded(lambda: self.session.train(self._remaining, should_stop))
        records = result if isinstance(result, list) else []
        self._remaining = 0 if (self.stop or result is False) else self._remaining - len(records)
        self._done += len(records)
        self.gui_idle.clear()
        if records:
            self.record_ready.emit(records[-1])
            self.series_ready.emit(self.session.series())
        self.progress.emit(self._done, self._asked)
        if self._remaining <= 0:
            self.pause()

    def _finish_run(self) -> None:
        self._remaining = 0
        self.compare_ready.emit(self.session.compare())
        self.running_changed.emit(False)

    def _ensure_timer(self) -> QtCore.QTimer:
        if self._timer is None:  # created here, in the worker's thread, so it fires there
            self._timer = QtCore.QTimer(self)
            self._timer.setInterval(0)
            self._timer.timeout.connect(self._chunk)
        return self._timer

    def _running(self) -> bool:
        return self._timer is not None and self._timer.isActive()

    # --- helpers ------------------------------------------------------------------------------
    def _session(self):
        if self.session is None:
            self._build_session()
        return self.session

    def _ok(self) -> bool:
        return self.session is not None and self.session.run is not None

    def _busy(self, what: str, action):
        self.busy_changed.emit(what)
        try:
            return self._guarded(action)
        finally:
            self.busy_changed.emit("")

    def _guarded(self, action):
        """Run one action; an error becomes a message on screen instead of a dead thread."""
        try:
            result = action()
            return True if result is None else result
        except Exception as error:  # noqa: BLE001 - any failure must reach the user
            traceback.print_exc()
            self.failed.emit(f"{type(error).__name__}: {error}")
            return False


class WorkerThread(QtCore.QObject):
    """Starts the worker in its own QThread and stops it cleanly when the tab goes away."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QtCore.QThread()
        self.thread.setObjectName("rlhf-training")
        self.worker = RLHFWorker()
        self.worker.moveToThread(self.thread)
        self.thread.start()

    def stop(self) -> None:
        if self.thread.isRunning():
            self.worker.stop = True
            QtCore.QMetaObject.invokeMethod(self.worker, "pause",
                                            QtCore.Qt.ConnectionType.BlockingQueuedConnection)
            stop_thread(self.thread, 10_000)
