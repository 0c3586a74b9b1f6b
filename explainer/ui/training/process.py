"""A training service's process, seen from the window: `TrainingProcess` spawns it, sends it
commands and delivers its messages in the GUI thread.

Commands are the service's method names (`process.call("train", 300)` runs `service.train(300)`
in the child) and go out through a writer thread, so the GUI thread never blocks on a send. A poll
timer reads the messages that came back and emits each as `received(kind, payload)`; for the
`latest_only` kinds, only the newest that arrived since the last poll. A message of kind "failed"
becomes `failed(text)`, and a child that ends without being asked `exited(code)`; the next call
starts a new one. Spawning re-imports the main module in the child, so the app's entry script
guards its start with `if __name__ == "__main__":` (`python -m explainer` and `explainer` do).
"""
from __future__ import annotations

import multiprocessing
import queue
import threading

from PySide6 import QtCore

from ...training.service import STOP, serve

POLL_MS = 15                 # how often the GUI thread looks for messages (cheap: one poll())
MAX_MESSAGES_PER_POLL = 200  # one poll never holds the GUI thread for long
STOP_TIMEOUT_S = 2.0         # closing waits this long for the child to end by itself, then ends it
# The training process yields the CPU to the window when both want it (a busy or single-core
# machine); on an idle machine with two or more cores it changes nothing.
TRAINING_NICE = 5


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


class TrainingProcess(QtCore.QObject):
    """`service` (a `training.service.Service` subclass) in a child process; lives in, and signals
    to, the GUI thread."""

    received = QtCore.Signal(str, object)   # kind, payload (but "failed", which is `failed`)
    failed = QtCore.Signal(str)
    exited = QtCore.Signal(int)             # the process ended without being asked (exit code)

    def __init__(self, service: type, latest_only=(), name: str = "training",
                 nice: int = TRAINING_NICE, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.service, self.commands = service, service.commands()
        self.latest_only = frozenset(latest_only)
        self.name, self.nice = name, int(nice)
        self._args: tuple = ()
        self._process = None
        self._conn = None
        self._writer: _Writer | None = None
        self._poll = QtCore.QTimer(self, interval=POLL_MS, timeout=self._drain)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def start(self, *args) -> None:
        """Start the child, which builds `service(emit, *args)` (no args given: those of the last
        start); spawned: a fresh interpreter, safe with Qt and torch threads. Nothing if it runs."""
        if self._process is not None:
            return
        self._args = args or self._args
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(theirs, self.service, self._args, self.nice),
                                  name=self.name, daemon=True)
        process.start()
        theirs.close()   # only the child holds its end: its exit shows up here as EOF
        self._process, self._conn = process, ours
        self._writer = _Writer(ours)
        self._poll.start()

    def call(self, name: str, *args) -> None:
        """Run service.name(*args) in the child (starting it if needed); returns at once: the
        writer thread sends it, never the GUI thread."""
        if name not in self.commands:
            raise ValueError(f"{self.service.__name__} has no command {name!r}")
        self.start()
        self._writer.send((name, args))

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Ask the child to end, wait for it, terminate it if it does not."""
        process, conn, writer = self._process, self._conn, self._writer
        if process is None:
            return
        self._poll.stop()
        self._process = self._conn = self._writer = None
        writer.send((STOP, ()))
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
        newest = {kind: index for index, (kind, _payload) in enumerate(messages)
                  if kind in self.latest_only}
        for index, (kind, payload) in enumerate(messages):
            if kind in newest and newest[kind] != index:
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
