"""The base of tabs 3 and 4's controllers: a tab's training process, what it answers, "stopped",
and its models' state for sessions.

A subclass names its service, the arguments a new process starts with, and a table from message
kind to handler; this base starts the process on first use, sends commands (`_call` starts it,
`_send` only reaches a running one), reports "stopped" (`running_changed(False)`) only after the
views have drawn the last step, hands `manifest` / `exported` to a `StateExchange`, and ends the
process on shutdown. Views draw in a `Staggered` queue, one part per event-loop turn, and nothing
while the tab is hidden (`set_rendering`).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore

from .responsive import Staggered
from .process import TrainingProcess
from .state_exchange import StateExchange

# Views render the newest value at most this often while training: what arrives faster is
# coalesced, so the GUI thread never queues up renders and always has time for the lecturer.
RENDER_INTERVAL_MS = 200


class TrainingController(QtCore.QObject):
    running_changed = QtCore.Signal(bool)
    message = QtCore.Signal(str, str)   # text, level: "info" | "error"

    def __init__(self, service: type, *, latest_only=(), name: str, render_spacing_ms: int = 0,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.running = False
        self._rendering = True    # False while the views are hidden: nothing to draw
        self._stopping = False    # "stopped" arrived; reported once the last renders are done
        self.renders = Staggered(self, interval_ms=render_spacing_ms)
        self.process = TrainingProcess(service, latest_only=latest_only, name=name, parent=self)
        self.states = StateExchange(self.process)   # saved models in and out
        self._handlers: dict[str, Callable] = {"running": self._on_running,
                                               **self._message_handlers()}
        self.process.received.connect(self._on_message)
        self.process.failed.connect(self._on_failed)
        self.process.exited.connect(self._on_exited)

    # --- what a subclass fills in ----------------------------------------------------------------
    def _message_handlers(self) -> dict[str, Callable]:
        """Message kind → handler(payload), for the kinds this controller follows."""
        return {}

    def _service_args(self) -> tuple:
        """The arguments a new process builds its service with (the settings now)."""
        return ()

    def _on_start(self) -> None:
        """Commands a new process needs before it builds its models."""

    def _publish_now(self) -> None:
        """Training stopped: publish what arrived and waits for its render turn."""

    def _catch_up(self) -> None:
        """The views are shown again: draw what arrived while they were hidden."""

    def _keep_undrawn(self) -> None:
        """The views are hidden: keep what is queued for them to draw when shown."""

    def _process_lost(self, code: int) -> None:
        """The process ended without being asked (exit code)."""

    # --- the process -----------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Start the training process; it builds the models there (torch is imported there only)."""
        if not self.process.running:
            self._start()

    def command(self, name: str, *args) -> None:
        """A command for the training process; it starts the process if it is not running
        (the command waits behind the models' build)."""
        if not self.process.running:
            self._start()
        self.process.call(name, *args)

    def _send(self, name: str, *args) -> None:
        """A command for a running process only (settings: a new one starts with them anyway)."""
        if self.process.running:
            self.process.call(name, *args)

    def _start(self) -> None:
        self.process.start(*self._service_args())
        self._on_start()
        self.process.call("warm_up")

    def _on_message(self, kind: str, payload) -> None:
        if not self.states.handle(kind, payload):
            handler = self._handlers.get(kind)
            if handler is not None:
                handler(payload)

    def _on_failed(self, text: str) -> None:
        self.message.emit(text, "error")

    def _on_exited(self, code: int) -> None:
        self.states.answer_all(None)
        self._went_idle()
        self._process_lost(code)

    def _went_idle(self) -> None:
        """The process ended: a run it was training ended with it."""
        if self.running and not self._stopping:
            self._on_running(False)

    def shutdown(self) -> None:
        """End the process (the tab closes); open state requests are answered with None."""
        self.renders.clear()
        self.process.stop()
        self._went_idle()
        self.states.answer_all(None)

    # --- "running" and "stopped" -----------------------------------------------------------------
    def _on_running(self, running: bool) -> None:
        if running:
            self._stopping = False
            self._set_running(True)
            return
        # Training stopped: publish what is left now (not at the next render tick), and report
        # "stopped" after the views have drawn it, so what is shown is never behind.
        self._stopping = True
        self._publish_now()
        if self._rendering:
            self.renders.schedule(self._finish_stopping, key="stopped")
        else:
            self._finish_stopping()

    def _finish_stopping(self) -> None:
        if self._stopping and self.renders.busy:   # views queued more parts: after them
            self.renders.schedule(self._finish_stopping, key="stopped")
        elif self._stopping:
            self._stopping = False
            self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.running_changed.emit(running)

    def set_rendering(self, rendering: bool) -> None:
        """The views are shown (draw what arrives) or hidden (keep it; draw when shown)."""
        if rendering == self._rendering:
            return
        self._rendering = rendering
        if rendering:
            self._catch_up()
        else:
            self._keep_undrawn()
            self.renders.clear()
            if self._stopping:
                self._finish_stopping()

    def settled(self) -> bool:
        """Nothing is training and every view has drawn what arrived."""
        return not (self.running or self._stopping or self.renders.busy)

    # --- sessions: the models, saved and opened as data ------------------------------------------
    @property
    def weights_manifest(self) -> dict | None:
        """The models' tensor shapes (None until the training process has built them)."""
        return self.states.manifest

    def request_state(self, callback) -> bool:
        """Ask the training process for the models' state; callback(state or None) follows.
        False when the models do not exist yet (nothing trained to save)."""
        return self.states.request(callback)
