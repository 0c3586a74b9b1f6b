"""The controller of a stepped lesson: forwards user intent to a headless run and announces the
record to show. It holds no numbers of its own; views render `run.current` and `run.trace`.

Long runs (many episodes) go to a worker thread in chunks, with progress; while one runs, every
other request is refused so the run is never touched from two threads.
"""
from __future__ import annotations

from PySide6 import QtCore

from ...core.common.stepper import check_room
from .thread_lifetime import keep_until_finished

CHUNK = 20_000  # episodes per chunk: ~20 ms of work, so progress and the GUI stay live


class _EpisodeWorker(QtCore.QThread):
    progress = QtCore.Signal(float)

    def __init__(self, lesson, n: int) -> None:
        super().__init__()
        self.lesson, self.n = lesson, n
        self.error = ""

    def run_chunks(self) -> None:
        done = 0
        while done < self.n and not self.isInterruptionRequested():
            chunk = min(CHUNK, self.n - done)
            self.lesson.fast_forward(chunk)
            done += chunk
            self.progress.emit(done / self.n)

    def run(self) -> None:  # QThread entry point
        try:
            self.run_chunks()
        except Exception as exc:  # a failure must reach the user, not kill the thread silently
            self.error = str(exc)


class SteppedController(QtCore.QObject):
    record_changed = QtCore.Signal(object, bool)  # (record or None, animate: a forward step)
    trace_changed = QtCore.Signal()
    message = QtCore.Signal(str)
    busy_changed = QtCore.Signal(bool)
    progress = QtCore.Signal(float)
    playing_changed = QtCore.Signal(bool)

    def __init__(self, run, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self._worker: _EpisodeWorker | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.timeout.connect(self.next)
        self.set_speed(1.5)

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def refused_while_busy(self) -> bool:
        """True (and said) while a batch of episodes writes the run in the worker thread: what
        would change the run then waits (a change from this thread would race the worker)."""
        if self.busy:
            self.message.emit("Episodes are running in the background: this waits until they end.")
        return self.busy

    # --- stepping -------------------------------------------------------------------------------
    def next(self) -> None:
        if self.busy:
            return
        record = self.run.step()
        self.record_changed.emit(record, True)
        if record.phase == self.run.phases[-1]:
            self.trace_changed.emit()

    def previous(self) -> None:
        if self.busy or self.run.cursor < 0:
            return
        self.record_changed.emit(self.run.back(), False)

    def seek(self, cursor: int) -> None:
        if not self.busy:
            self.record_changed.emit(self.run.seek(cursor), False)

    def reset(self) -> None:
        if self.busy:
            return
        self.pause()
        self.run.reset()
        self.record_changed.emit(None, False)
        self.trace_changed.emit()

    def set_param(self, **params) -> bool:
        """Change parameters; a bad value is explained and changes nothing."""
        if self.busy:
            return False
        try:
            self.run.set(**params)
        except ValueError as exc:
            self.message.emit(str(exc))
            return False
        self.record_changed.emit(self.run.current, False)
        self.trace_changed.emit()
        return True

    # --- play -----------------------------------------------------------------------------------
    def set_speed(self, phases_per_second: float) -> None:
        self._timer.setInterval(int(1000 / max(phases_per_second, 0.05)))

    def play(self) -> None:
        if not self.busy and not self._timer.isActive():
            self._timer.start()
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self._timer.isActive() else self.play()

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    # --- many episodes in the background ----------------------------------------------------------
    def run_episodes(self, n: int) -> None:
        if self.busy or n <= 0:
            return
        try:
            check_room(self.run.episodes_done, n)
        except ValueError as exc:
            self.message.emit(str(exc))
            return
        self.pause()
        self._worker = _EpisodeWorker(self.run, int(n))
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self._on_worker_finished)
        self.busy_changed.emit(True)
        self._worker.start()

    def shutdown(self) -> None:
        """The tab is going: stop playing and let a running batch end without aborting."""
        self.pause()
        if self._worker is not None:
            self._worker.requestInterruption()
            keep_until_finished(self._worker)

    def _on_worker_finished(self) -> None:
        worker, self._worker = self._worker, None
        if worker.error:
            self.message.emit(f"The run stopped: {worker.error}")
        worker.deleteLater()
        self.busy_changed.emit(False)
        self.record_changed.emit(self.run.current, False)
        self.trace_changed.emit()
