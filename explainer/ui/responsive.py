"""Keeping the GUI thread responsive while Python computes next to it.

Why a worker *thread* is not enough for Python-heavy work (a tiny torch model is bound by Python
overhead, not by arithmetic): both threads need the GIL. Every time GUI code crosses into Qt and
back (hundreds of times per pyqtgraph paint), PySide releases the GIL and must win it back from
the worker; each hand-over costs up to the interpreter's switch interval (5 ms by default) plus an
OS wake-up, which on a busy machine adds up to stalls of hundreds of ms. Two tools:

* `configure_gil_for_gui()` — call once at start-up (and in tests/benchmarks that host widgets):
  shortens the switch interval to 0.5 ms so the GUI thread wins the GIL back sooner. It helps
  every tab that still uses a QThread worker, but cannot remove the contention.

* `freeze_long_lived_objects()` — call when a window is built (again after it builds more): the
  objects alive then (modules, widgets, caches) are left out of later garbage collections. A full
  collection otherwise walks all of them, ~50–80 ms in the GUI thread, and the records that arrive
  while training set one off every few seconds.

* `ProcessWorker` — runs a *service* in a separate process (multiprocessing, spawn) and carries
  commands to it and messages back over a pipe. The GUI process's GIL is then uncontended:
  the GUI thread only unpickles the (small, immutable) records the service sends. The price is
  one process start (an interpreter plus whatever the service imports, e.g. torch, which a
  worker thread would have imported anyway) and records must be picklable.

A service is any class, importable by its module path, built in the child as
`factory(emit, *args)`; `emit(kind, payload)` sends a message to the GUI. Commands call its public
methods by name: `worker.call("train", 300)` runs `service.train(300)` in the child. Long work
runs in slices: while `service.pending()` is true the child calls `service.work()` (one short
slice, e.g. one optimizer step) and checks for new commands between slices, so Pause is answered
within one slice. An exception in a command or slice is printed in the child and reaches the GUI
as `failed`; the child keeps serving. An optional `service.close()` runs when the child ends.
Spawning re-imports the main module in the child, so the app's entry script must guard its start
with `if __name__ == "__main__":` (`python -m explainer` and the `explainer` script do). Example (see explainer/ui/reward_tab/worker.py)::

    class TrainingService:                 # module level, no Qt needed
        def __init__(self, emit, seed): ...
        def train(self, steps): ...        # a command
        def pending(self) -> bool: ...     # work left?
        def work(self) -> None: ...        # one slice; calls self.emit("snapshot", record)

    worker = ProcessWorker(TrainingService, 0, latest_only={"snapshot"}, parent=self)
    worker.received.connect(on_message)    # (kind, payload), in the GUI thread
    worker.call("train", 300)              # starts the process on first use
    worker.stop()                          # on close: asks, waits, then terminates

`latest_only` kinds are coalesced: when several arrived since the last poll, only the newest of
each such kind is delivered (other kinds are delivered in order, none dropped).

* `Staggered` — with the GIL out of the way, what is left is the GUI thread's own work: updating
  five views and repainting them in one event-loop turn still adds up. A `Staggered` queue runs
  its callbacks one per turn, and Qt repaints between turns, so the longest turn is one view's
  update plus its repaint, not all of them::

    renders = Staggered(parent=self)
    renders.schedule(bars.render)          # queued once, however often it is scheduled
    renders.schedule(plots.render)
    renders.schedule(lambda: ..., key="done")  # FIFO: runs after the renders above
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import sys
import threading
import traceback
import types
from multiprocessing.reduction import ForkingPickler

from PySide6 import QtCore

SWITCH_INTERVAL_S = 0.0005
POLL_MS = 15                 # how often the GUI thread looks for messages (cheap: one poll())
MAX_MESSAGES_PER_POLL = 200  # one poll never holds the GUI thread for long
STOP_TIMEOUT_S = 5.0
_STOP = "__stop__"


def configure_gil_for_gui(interval_s: float = SWITCH_INTERVAL_S) -> None:
    """A short GIL switch interval: the GUI thread waits less for a Python worker thread."""
    if sys.getswitchinterval() > interval_s:
        sys.setswitchinterval(interval_s)


def freeze_long_lived_objects() -> None:
    """gc.freeze(): what exists now is long-lived; collections only walk what is made later."""
    gc.freeze()


def _read_only(mapping: dict) -> types.MappingProxyType:
    return types.MappingProxyType(mapping)


def _reduce_mappingproxy(proxy):
    return _read_only, (dict(proxy),)


def allow_pickling_read_only_mappings() -> None:
    """Records use MappingProxyType for read-only dicts; send them over pipes as copies."""
    ForkingPickler.register(types.MappingProxyType, _reduce_mappingproxy)


allow_pickling_read_only_mappings()


# --- the child process ----------------------------------------------------------------------------
def _lower_priority(nice: int) -> None:
    if nice and hasattr(os, "nice"):
        try:
            os.nice(nice)
        except OSError:
            pass


def _serve(conn, factory, args, nice: int = 0) -> None:
    """The child's entry point: serve, then leave at once. (A spawned child otherwise ends with a
    full interpreter shutdown, which with torch loaded takes most of a second; nothing in a
    service needs it, so the GUI does not wait for it when a tab closes.)"""
    code = 0
    _lower_priority(nice)
    try:
        _serve_commands(conn, factory, args)
    except BaseException:  # noqa: BLE001 - already reported where it could be
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _serve_commands(conn, factory, args) -> None:
    """The child's loop: commands in, service slices between them, messages out."""
    allow_pickling_read_only_mappings()

    def emit(kind: str, payload=None) -> None:
        conn.send((kind, payload))

    def guarded(action, *action_args) -> None:
        try:
            action(*action_args)
        except Exception as error:  # noqa: BLE001 - reported to the GUI, the child keeps serving
            traceback.print_exc()
            emit("failed", f"{type(error).__name__}: {error}")

    try:
        service = factory(emit, *args)
    except Exception as error:  # noqa: BLE001
        traceback.print_exc()
        emit("failed", f"{type(error).__name__}: {error}")
        raise
    try:
        while True:
            busy = bool(service.pending())
            # Idle: block until a command arrives. Busy: take whatever is queued, then one slice.
            while conn.poll(0 if busy else None):
                name, command_args = conn.recv()
                if name == _STOP:
                    return
                guarded(getattr(service, name), *command_args)
                busy = bool(service.pending())
            if busy:
                guarded(service.work)
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the GUI process went away (or closed the pipe): nothing left to serve
    finally:
        close = getattr(service, "close", None)
        if close is not None:
            close()


# --- the GUI side: spreading work over event-loop turns -----------------------------------------
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


# --- the GUI side: a worker process ---------------------------------------------------------------------------------
class _Writer:
    """Sends commands to the child from a thread of its own. Both ends of a pipe block in send()
    while the other's buffer is full: with a large command going out while the child sent a large
    snapshot, the window waited in send() for the child, and the child in its own send() for the
    window to read, for good. The window now only queues; this thread waits instead."""

    def __init__(self, conn) -> None:
        self.failed = False
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, args=(conn,), daemon=True,
                                        name="process-writer")
        self._thread.start()

    def send(self, message) -> None:
        self._queue.put(message)

    def close(self, timeout_s: float) -> None:
        """Send what is queued (for at most timeout_s), then end the thread."""
        self._queue.put(None)
        self._thread.join(timeout_s)

    def _run(self, conn) -> None:
        while (message := self._queue.get()) is not None:
            try:
                conn.send(message)
            except (OSError, ValueError):   # the child went away: the poll timer notices
                self.failed = True
                return


class ProcessWorker(QtCore.QObject):
    """A service running in its own process; lives in (and signals to) the GUI thread."""

    received = QtCore.Signal(str, object)   # kind, payload (a "failed" message becomes `failed`)
    failed = QtCore.Signal(str)
    exited = QtCore.Signal(int)             # the process ended without being asked (exit code)

    def __init__(self, factory, *args, latest_only=(), name: str = "worker", nice: int = 0,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.nice = int(nice)
        self.factory, self.args = factory, args
        self.latest_only = frozenset(latest_only)
        self.name = name
        self._process = None
        self._conn = None
        self._writer: _Writer | None = None
        self._poll = QtCore.QTimer(self, interval=POLL_MS, timeout=self._drain)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def start(self) -> None:
        """Start the process (spawned: a fresh interpreter, safe with Qt and torch threads)."""
        if self._process is not None:
            return
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, self.factory, self.args, self.nice),
                                  name=self.name, daemon=True)
        process.start()
        theirs.close()   # only the child holds its end: its exit shows up here as EOF
        self._process, self._conn = process, ours
        self._writer = _Writer(ours)
        self._poll.start()

    def call(self, name: str, *args) -> None:
        """Run service.name(*args) in the child (starting it if needed); returns at once: the
        command is sent by the writer thread, never in the GUI thread."""
        self.start()
        self._writer.send((name, args))

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Ask the service to end, wait for it, terminate it if it does not."""
        process, conn, writer = self._process, self._conn, self._writer
        if process is None:
            return
        self._poll.stop()
        self._process = self._conn = self._writer = None
        writer.send((_STOP, ()))
        writer.close(timeout_s)
        process.join(timeout_s)
        if process.is_alive():
            process.terminate()
            process.join(1.0)
        conn.close()

    def _drain(self) -> None:
        """Deliver what arrived since the last poll, newest only for `latest_only` kinds."""
        messages = []
        if self._writer is not None and self._writer.failed:
            self._lost()
            return
        try:
            while len(messages) < MAX_MESSAGES_PER_POLL and self._conn is not None \
                    and self._conn.poll():
                messages.append(self._conn.recv())
        except (EOFError, OSError):
            self._deliver(messages)
            self._lost()
            return
        self._deliver(messages)

    def _deliver(self, messages) -> None:
        newest = {}
        for index, (kind, _payload) in enumerate(messages):
            if kind in self.latest_only:
                newest[kind] = index
        for index, (kind, payload) in enumerate(messages):
            if kind in self.latest_only and newest[kind] != index:
                continue
            if kind == "failed":
                self.failed.emit(str(payload))
            else:
                self.received.emit(kind, payload)

    def _lost(self) -> None:
        """The child ended unexpectedly (crashed or was killed); the next call starts a new one."""
        process, conn, writer = self._process, self._conn, self._writer
        self._poll.stop()
        self._process = self._conn = self._writer = None
        if writer is not None:
            writer.close(0.1)   # it fails at once on a pipe whose other end is gone
        if conn is not None:
            conn.close()
        code = -1
        if process is not None:
            process.join(1.0)
            code = process.exitcode if process.exitcode is not None else -1
        self.exited.emit(code)
