"""A training service and the loop that serves it in its own process.

Tiny-model training is bound by Python overhead, so next to the window in a thread it would hold
the GIL and stall every repaint; in a spawned child it cannot. The window sends commands (a
service's public method names, with arguments) and the service answers with `emit(kind, payload)`:
small immutable records, each kind listed in the service's `MESSAGES` table. Long work runs in
slices (`train`: one step per `work()`), so a command such as Pause is handled between two steps.
"""
from __future__ import annotations

import os
import sys
import time
import traceback
import types
from multiprocessing.reduction import ForkingPickler

# Seconds between two progress messages while training: the window renders at most five a second,
# and every message costs the trainer (a scoring pass, a pickled record).
SEND_SECONDS = 0.2
STOP = "__stop__"   # the command that ends the loop
LOOP_METHODS = frozenset({"pending", "work", "close", "emit", "commands"})   # not commands


def _read_only(mapping: dict) -> types.MappingProxyType:
    return types.MappingProxyType(mapping)


def _reduce_mappingproxy(proxy):
    return _read_only, (dict(proxy),)


def allow_pickling_read_only_mappings() -> None:
    """Records use MappingProxyType for read-only dicts; send them over pipes as copies."""
    ForkingPickler.register(types.MappingProxyType, _reduce_mappingproxy)


allow_pickling_read_only_mappings()


class Service:
    """The commands every training service answers, and its slices of training.

    A subclass lists what it sends in MESSAGES, keeps its core object in `session`, and says what
    one training step is (`_step`) and what is sent while (`_send_progress`) and after
    (`_send_last`) training."""

    MESSAGES: dict[str, str] = {
        "running": "True when training starts; False after its last step's messages",
        "exported": "(request, state): the models' state as plain data, None before they exist",
        "synced": "token: every command sent before sync(token) has been handled",
        "failed": "text: a command or step raised (the loop sends it; the service keeps serving)",
    }

    def __init__(self, emit) -> None:
        self._send = emit
        self.session = None
        self._running = False
        self._remaining = self._asked = self._done = 0
        self._last_sent = 0.0   # when progress was last sent (subclasses set it when they send)

    @classmethod
    def commands(cls) -> frozenset[str]:
        """What the window may call: the public methods, but for the loop's own."""
        return frozenset(name for name in dir(cls) if not name.startswith("_")
                         and callable(getattr(cls, name)) and name not in LOOP_METHODS)

    def emit(self, kind: str, payload=None) -> None:
        if kind not in self.MESSAGES:
            raise KeyError(f"{type(self).__name__} has no message kind {kind!r} in MESSAGES")
        self._send(kind, payload)

    # --- commands --------------------------------------------------------------------------------
    def sync(self, token: int) -> None:
        """Answer `token` (a walkthrough waits for it): every command before it was handled."""
        self.emit("synced", token)

    def export_state(self, request: int) -> None:
        """The models' state as plain data (between two training steps; training goes on)."""
        state = self.session.export_state() if self.session is not None else None
        self.emit("exported", (request, state))

    def train(self, steps: int) -> None:
        """`steps` more training steps, one per slice; the first is sent at once."""
        steps = int(steps)
        if steps <= 0:
            return
        self._prepare()
        if not self._running:
            self._running = True
            self._asked = self._done = 0
            self._last_sent = 0.0
            self.emit("running", True)
        self._remaining += steps
        self._asked += steps

    def pause(self) -> None:
        self._remaining = 0
        if self._running:
            self._finish()

    # --- the loop's side -------------------------------------------------------------------------
    def pending(self) -> bool:
        return self._running

    def work(self) -> None:
        """One training step; progress at most every SEND_SECONDS, everything after the last."""
        try:
            if self._step():
                self._remaining -= 1
                self._done += 1
            else:
                self._remaining = 0   # nothing (left) to learn from
        except Exception:
            self._remaining = 0
            raise
        finally:
            if self._remaining <= 0:
                self._finish()
            elif time.perf_counter() - self._last_sent >= SEND_SECONDS:
                self._send_progress()

    def _finish(self) -> None:
        """The last step's messages, then "stopped" (even if sending them failed)."""
        self._running = False
        self._remaining = 0
        try:
            self._send_last()
        finally:
            self.emit("running", False)

    # --- what a subclass fills in ----------------------------------------------------------------
    def _prepare(self) -> None:
        """Before training starts (e.g. build the models)."""

    def _step(self) -> bool:
        """One training step; False when there was nothing to do."""
        raise NotImplementedError

    def _send_progress(self) -> None:
        """What the window shows while training."""

    def _send_last(self) -> None:
        self._send_progress()


# --- the child process ---------------------------------------------------------------------------
def serve(conn, service: type, args: tuple, nice: int = 0) -> None:
    """The child's entry point: serve, then leave at once. (A spawned child otherwise ends with a
    full interpreter shutdown, which with torch loaded takes most of a second; nothing in a
    service needs it, so the window does not wait for it when a tab closes.)"""
    code = 0
    if nice and hasattr(os, "nice"):   # the window wins the CPU when both want it
        try:
            os.nice(nice)
        except OSError:
            pass
    try:
        _serve_commands(conn, service, args)
    except BaseException:  # noqa: BLE001 - already reported where it could be
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _serve_commands(conn, service_class: type, args: tuple) -> None:
    """Commands in, training slices between them, messages out. An exception in a command or a
    slice is printed here and sent as `failed`; the loop keeps serving."""
    def send(kind: str, payload=None) -> None:
        conn.send((kind, payload))

    def guarded(action, *action_args) -> None:
        try:
            action(*action_args)
        except Exception as error:  # noqa: BLE001 - reported to the window
            traceback.print_exc()
            send("failed", f"{type(error).__name__}: {error}")

    try:
        service = service_class(send, *args)
    except Exception as error:  # noqa: BLE001
        traceback.print_exc()
        send("failed", f"{type(error).__name__}: {error}")
        raise
    try:
        while True:
            busy = bool(service.pending())
            # Idle: block until a command arrives. Busy: take whatever is queued, then one slice.
            while conn.poll(0 if busy else None):
                name, command_args = conn.recv()
                if name == STOP:
                    return
                guarded(getattr(service, name), *command_args)
                busy = bool(service.pending())
            if busy:
                guarded(service.work)
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the window's process went away (or closed the pipe): nothing left to serve
    finally:
        close = getattr(service, "close", None)
        if close is not None:
            close()
