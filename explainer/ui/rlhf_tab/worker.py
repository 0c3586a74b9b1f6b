"""Stage 1 and stage 3 compute in their own process; the GUI thread only renders what comes back.

Tiny-model training is bound by Python overhead, so a worker *thread* held the GIL most of the
time and every Qt call the GUI thread made waited for it: painting one chunk's plots took
100–300 ms. Instead `RLHFService` runs in a child process (see `..threads.ProcessWorker`) and owns
the `RLHFSession`, so torch is only ever imported and touched there. `RLHFProcess` is its handle in
the GUI thread: the controller calls its methods and connects to its signals (the same ones the
worker thread had); the service answers with immutable, picklable records (`RLHFRecord`, `Series`,
`CompareRow`, `SFTResult`, `Answer`, `Feedback`).

Training runs one policy update per slice, so Pause, a setting or a preset is handled before the
next update; while training, the newest record, series and progress are sent about five times a
second (the views render at most that often anyway), and always after the last update.

The process starts on the first `warm_up` (the tab's first show) or the first command, whichever
comes first; it builds the fine-tuned model and the Reward model at once. If it ever ends without
being asked (`exited`), the next command starts a new one.

Sessions: once the models exist the service sends their `manifest` (tensor names and shapes), so
the window can check saved weights without torch. `request_state` asks for the models' state as
plain data (answered between two updates, so training goes on; while the process is busy building,
fine-tuning or retraining, the answer waits for that to end), `open_state` puts a saved one in place
instead of training again, or puts the run shown back if the process refuses it.
"""
from __future__ import annotations

import time
from contextlib import contextmanager

from PySide6 import QtCore

from ...core.rlhf_settings import DEFAULT_SEED

from ..state_exchange import StateExchange
from ..threads import ProcessWorker

# Seconds between two progress messages while training: the GUI renders at most five a second.
SEND_SECONDS = 0.2
# The training process yields the CPU to the window when both want it (a busy or single-core
# machine); on an idle machine with two or more cores it changes nothing.
TRAINING_NICE = 5
# Closing the tab waits this long for the process to end by itself, then ends it.
STOP_TIMEOUT_S = 2.0
BUILDING = "Building the fine-tuned model and the Reward model…"


class RLHFService:
    """Runs in the training process: the session (SFT model, Reward model, the run) and its messages.

    Messages: ready (settings, (tuned prompts, new prompts)), manifest (the models' tensor
    shapes), exported ((request, state)), busy (text, "" when done),
    record, series, compare, progress ((done, asked)), running (bool), settings, sft_epoch
    ((epoch, loss)), sft_done, answers, base_report, candidates ((feedback, added)), fixed
    ((feedback, added)).
    """

    def __init__(self, emit, seed: int = DEFAULT_SEED) -> None:
        self.emit = emit
        self.seed = int(seed)
        self.session = None
        self._running = False
        self._remaining = self._asked = self._done = 0
        self._last_sent = 0.0

    # --- lifecycle ---------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Build the session (imports torch) and say so; nothing to do if it exists."""
        if self.session is not None:
            return
        from ...core.rlhf_session import RLHFSession, sft_prompts  # torch: only in this process
        with self._busy(BUILDING):
            session = RLHFSession(self.seed)
            session.start_run()
            self.session = session
        self.emit("ready", (dict(session.settings), sft_prompts()))
        self.emit("manifest", session.manifest())
        self._emit_run_state()

    def _ensure(self):
        self.warm_up()
        return self.session

    def _emit_run_state(self) -> None:
        self.emit("record", self.session.run.current)
        self.emit("series", self.session.series())
        self.emit("compare", self.session.compare())

    # --- sessions ----------------------------------------------------------------------------
    def export_state(self, request: int) -> None:
        """The models' state as plain data (between two updates; training goes on)."""
        state = self.session.export_state() if self.session is not None else None
        self.emit("exported", (request, state))

    def open_state(self, seed: int, settings: dict, state) -> None:
        """A saved run (seed, settings, models) in place of this one, all or nothing: what the
        window's checks let through and this process still refuses puts the run shown before back,
        and `open_failed` ((seed before, why)) says so."""
        session = self._ensure()
        self.pause()
        before = (session.seed, dict(session.settings), session.export_state())
        try:
            session.seed = int(seed)
            session.start_run()
            session.set(**settings)
            session.import_state(state)
        except Exception as error:  # noqa: BLE001 - any refusal rolls back, then is reported
            session.seed, session.settings = before[0], before[1]
            session.start_run()
            if before[2] is not None:
                session.import_state(before[2])
            self.emit("open_failed", (before[0], str(error) or type(error).__name__))
        self.emit("settings", dict(session.settings))
        self._emit_run_state()

    # --- stage 0 -----------------------------------------------------------------------------
    def base_report(self, seed: int) -> None:
        from ...core.stage0 import base_model_report
        with self._busy("Sampling the pre-trained base model…"):
            report = base_model_report(seed=int(seed))
        self.emit("base_report", report)

    # --- stage 1 -----------------------------------------------------------------------------
    def run_sft(self) -> None:
        session = self._ensure()
        with self._busy("Fine-tuning on the demonstrations…"):
            result = session.fine_tune(lambda epoch, loss: self.emit("sft_epoch", (epoch, loss)))
        self.emit("sft_done", result)

    def sample(self, prompt: str, temperature: float, seed: int) -> None:
        self.emit("answers", self._ensure().sample_answers(prompt, temperature, seed=seed))

    def candidates(self, prompt_id: str, prompt: str, temperature: float, seed: int,
                   feedback) -> None:
        """Sampled responses to prompt, added to feedback (the rankings as the GUI has them)."""
        from ...core.rlhf_session import with_candidates
        texts = self._ensure().candidates(prompt, temperature=temperature, seed=seed)
        self.emit("candidates", with_candidates(feedback, prompt_id, texts))

    # --- stage 3: one phase at a time ----------------------------------------------------------
    def step(self) -> None:
        session = self._ensure()
        if self._running:  # the GUI asked before it heard of the run: answer with what is shown
            self.emit("record", session.run.current)
            return
        record = session.step()
        self.emit("record", record)
        if record.phase == "update":
            self.emit("series", session.series())
            self.emit("compare", session.compare())

    def back(self) -> None:
        session = self._ensure()
        self.emit("record", session.run.current if self._running else session.back())

    def set_settings(self, settings: dict) -> None:
        session = self._ensure()
        try:
            session.set(**settings)
        finally:  # a rejected value snaps the controls back
            self.emit("settings", dict(session.settings))

    def preset(self, name: str) -> None:
        session = self._ensure()
        self.pause()
        self.emit("settings", session.preset(name))
        self._emit_run_state()

    def reset(self, seed: int) -> None:
        session = self._ensure()
        self.pause()
        session.seed = int(seed)
        session.start_run()
        self._emit_run_state()

    def fix_hacking(self, feedback, updates: int) -> None:
        session = self._ensure()
        self.pause()
        with self._busy("Retraining the Reward model with the new rankings…"):
            result = session.fix_hacking(feedback)
        self.emit("fixed", result)
        self._emit_run_state()
        self.train(updates)

    # --- stage 3: many updates, one per slice ---------------------------------------------------
    def train(self, updates: int) -> None:
        updates = int(updates)
        if updates <= 0:
            return
        self._ensure()
        if not self._running:
            self._running = True
            self._asked = self._done = 0
            self._last_sent = 0.0   # the first update is shown at once
            self.emit("running", True)
        self._remaining += updates
        self._asked += updates

    def pause(self) -> None:
        self._remaining = 0
        if self._running:
            self._finish()

    def pending(self) -> bool:
        return self._running

    def work(self) -> None:
        try:
            if self.session.train(1):
                self._remaining -= 1
                self._done += 1
            else:
                self._remaining = 0
        except Exception:
            self._remaining = 0
            raise
        finally:
            if self._remaining <= 0:
                self._finish()
            elif time.perf_counter() - self._last_sent >= SEND_SECONDS:
                self._send_progress()

    def _send_progress(self) -> None:
        self._last_sent = time.perf_counter()
        self.emit("record", self.session.run.current)
        self.emit("series", self.session.series())
        self.emit("progress", (self._done, self._asked))

    def _finish(self) -> None:
        """The last update's record, series and before/after, then "stopped"."""
        self._running = False
        self._remaining = 0
        try:
            self._send_progress()
            self.emit("compare", self.session.compare())
        finally:
            self.emit("running", False)

    @contextmanager
    def _busy(self, what: str):
        self.emit("busy", what)
        try:
            yield
        finally:
            self.emit("busy", "")


class RLHFProcess(QtCore.QObject):
    """The training process's handle in the GUI thread: the calls and signals the worker had."""

    ready = QtCore.Signal(dict, object)       # settings of the first run, (tuned, new) prompts
    record_ready = QtCore.Signal(object)      # RLHFRecord or None
    series_ready = QtCore.Signal(object)      # Series
    compare_ready = QtCore.Signal(object)     # tuple[CompareRow, ...]
    progress = QtCore.Signal(int, int)        # updates done, asked for
    settings_ready = QtCore.Signal(dict)
    sft_epoch = QtCore.Signal(int, float)
    sft_done = QtCore.Signal(object)          # SFTResult
    answers_ready = QtCore.Signal(object)     # tuple[Answer, ...]
    base_report_ready = QtCore.Signal(object) # stage0.BaseModelReport
    candidates_ready = QtCore.Signal(object, int)   # new Feedback, responses added
    fixed = QtCore.Signal(object, int)        # new Feedback, comparisons added
    running_changed = QtCore.Signal(bool)
    busy_changed = QtCore.Signal(str)         # what the process is doing, "" when idle
    failed = QtCore.Signal(str)
    exited = QtCore.Signal(int)               # the process ended without being asked
    open_failed = QtCore.Signal(int, str)     # a saved run refused: the seed shown before, why

    def __init__(self, seed: int = DEFAULT_SEED, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.seed = int(seed)
        self.running = False
        self.busy = ""
        self.process = ProcessWorker(RLHFService, self.seed, name="rlhf-training",
                                     latest_only={"record", "series", "progress"},
                                     nice=TRAINING_NICE, parent=self)
        self.states = StateExchange(self.process)   # saved models in and out
        self.process.received.connect(self._on_message)
        self.process.failed.connect(self.failed)
        self.process.exited.connect(self._on_exited)

    # --- commands (each starts the process if needed) -------------------------------------------
    def warm_up(self) -> None:
        if not self.process.running:
            self._start()

    def base_report(self, seed: int) -> None:
        self._call("base_report", int(seed))

    def run_sft(self) -> None:
        self._call("run_sft")

    def sample(self, prompt: str, temperature: float, seed: int) -> None:
        self._call("sample", prompt, float(temperature), int(seed))

    def candidates(self, prompt_id: str, prompt: str, temperature: float, seed: int,
                   feedback) -> None:
        self._call("candidates", prompt_id, prompt, float(temperature), int(seed), feedback)

    def step(self) -> None:
        self._call("step")

    def back(self) -> None:
        self._call("back")

    def set_settings(self, settings: dict) -> None:
        self._call("set_settings", dict(settings))

    def preset(self, name: str) -> None:
        self._call("preset", name)

    def reset(self, seed: int) -> None:
        self._call("reset", int(seed))

    def train(self, updates: int) -> None:
        self._call("train", int(updates))

    def pause(self) -> None:
        if self.process.running:   # nothing runs in a process that is not there
            self.process.call("pause")

    def fix_hacking(self, feedback, updates: int) -> None:
        self._call("fix_hacking", feedback, int(updates))

    @property
    def manifest(self) -> dict | None:
        return self.states.manifest

    def request_state(self, callback) -> bool:
        """Ask for the models' state; callback(state) follows (None if the process ended first).
        False (and no callback) when the models do not exist yet: nothing was trained to save."""
        return self.states.request(callback)

    def open_state(self, seed: int, settings: dict, state) -> None:
        """A saved run in place of this one, or the one before back (`open_failed`)."""
        self._call("open_state", int(seed), dict(settings), state)

    def stop(self) -> None:
        """End the process (Pause first, so a run ends at its next update)."""
        self.pause()
        self.process.stop(STOP_TIMEOUT_S)
        self._set_idle()
        self.states.answer_all(None)

    # --- plumbing --------------------------------------------------------------------------------
    def _call(self, name: str, *args) -> None:
        if not self.process.running:
            self._start()
        self.process.call(name, *args)

    def _start(self) -> None:
        """A new process; it builds the models at once (the GUI shows what it is doing)."""
        self.process.args = (self.seed,)
        self.process.start()
        self.process.call("warm_up")

    def _on_message(self, kind: str, payload) -> None:
        if kind == "record":
            self.record_ready.emit(payload)
        elif kind == "series":
            self.series_ready.emit(payload)
        elif kind == "progress":
            self.progress.emit(*payload)
        elif kind == "compare":
            self.compare_ready.emit(payload)
        elif kind == "running":
            self.running = bool(payload)
            self.running_changed.emit(self.running)
        elif kind == "busy":
            self.busy = payload
            self.busy_changed.emit(payload)
        elif kind == "settings":
            self.settings_ready.emit(dict(payload))
        elif kind == "sft_epoch":
            self.sft_epoch.emit(*payload)
        elif kind == "sft_done":
            self.sft_done.emit(payload)
        elif kind == "answers":
            self.answers_ready.emit(payload)
        elif kind == "base_report":
            self.base_report_ready.emit(payload)
        elif kind == "candidates":
            self.candidates_ready.emit(*payload)
        elif kind == "fixed":
            self.fixed.emit(*payload)
        elif kind == "ready":
            self.ready.emit(*payload)
        elif kind == "open_failed":
            self.open_failed.emit(*payload)
        else:
            self.states.handle(kind, payload)

    def _set_idle(self) -> None:
        if self.running:
            self.running = False
            self.running_changed.emit(False)
        if self.busy:
            self.busy = ""
            self.busy_changed.emit("")

    def _on_exited(self, code: int) -> None:
        self._set_idle()
        self.states.answer_all(None)
        self.exited.emit(code)
