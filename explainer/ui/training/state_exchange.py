"""Saved-model handover with a training process: the process reports its models' `manifest`
(tensor shapes) once they exist, and answers numbered `export_state` requests between two training
steps."""
from __future__ import annotations

from collections.abc import Callable

from .process import TrainingProcess


class StateExchange:
    def __init__(self, process: TrainingProcess) -> None:
        self.process = process
        self.manifest: dict | None = None   # the models' tensor shapes, once they exist
        self._requests: dict[int, Callable] = {}   # request number → callback(state or None)
        self._next_request = 0

    def request(self, callback: Callable) -> bool:
        """Ask for the state; callback(state) follows (None if the process ended first).
        False (and no callback) when there is no model yet: nothing was trained to save."""
        if not self.process.running or self.manifest is None:
            return False
        self._next_request += 1
        self._requests[self._next_request] = callback
        self.process.call("export_state", self._next_request)
        return True

    def handle(self, kind: str, payload) -> bool:
        """Take the process's `manifest` and `exported` messages; False for any other kind."""
        if kind == "manifest":
            self.manifest = payload
        elif kind == "exported":
            request, state = payload
            callback = self._requests.pop(request, None)
            if callback is not None:
                callback(state)
        else:
            return False
        return True

    def answer_all(self, state) -> None:
        """The process ended or was stopped: every open request is answered with `state`."""
        requests, self._requests = self._requests, {}
        for callback in requests.values():
            callback(state)
