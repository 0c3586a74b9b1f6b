"""Keeping the GUI thread responsive while other work runs: a short GIL switch interval (for the
QThread workers of tabs 1-2), long-lived objects left out of garbage collections, and `Staggered`,
which spreads view updates over event-loop turns. Training runs in a process of its own
(`ui.training`); the measurements behind these are in benchmarks/ and the README."""
from __future__ import annotations

import gc
import sys

from PySide6 import QtCore

SWITCH_INTERVAL_S = 0.0005   # Python's default is 5 ms: a hand-over of the GIL may take that long


def configure_gil_for_gui(interval_s: float = SWITCH_INTERVAL_S) -> None:
    """A short GIL switch interval: the GUI thread waits less for a Python worker thread."""
    if sys.getswitchinterval() > interval_s:
        sys.setswitchinterval(interval_s)


def freeze_long_lived_objects() -> None:
    """gc.freeze(): what exists now is long-lived; collections only walk what is made later (a full
    collection over every widget and cache stalled the window while records arrived)."""
    gc.freeze()


class Staggered(QtCore.QObject):
    """Runs queued callbacks in order, one per event-loop turn (repaints and input in between).

    interval_ms > 0 leaves that long between two callbacks, so the repaint one of them caused
    (posted, like a plot scene's update) runs before the next callback, never together with it."""

    def __init__(self, parent: QtCore.QObject | None = None, interval_ms: int = 0) -> None:
        super().__init__(parent)
        self._queue: list[tuple[object, object]] = []   # (key, callback)
        self._timer = QtCore.QTimer(self, singleShot=True, interval=int(interval_ms),
                                    timeout=self._run_one)

    @property
    def busy(self) -> bool:
        return bool(self._queue)

    def schedule(self, callback, key=None) -> None:
        """Queue callback; if one with the same key (default: the callback) waits, it is kept."""
        key = callback if key is None else key
        if all(queued != key for queued, _ in self._queue):
            self._queue.append((key, callback))
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Run everything queued, now."""
        while self._queue:
            self._run_one()

    def clear(self) -> None:
        self._queue.clear()
        self._timer.stop()

    def _run_one(self) -> None:
        if self._queue:
            _key, callback = self._queue.pop(0)
            try:
                callback()
            finally:
                if self._queue:
                    self._timer.start()
