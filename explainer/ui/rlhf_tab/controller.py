"""The RLHF tab's controller: user intent in, records out.

It forwards every request to the training process (`training.rlhf_service.RLHFService`, started on
the tab's first show or the first command) and keeps the latest record, series and settings it
answered with; views render those and never compute a number themselves. Play steps one phase at a
time on a timer, never asking for a phase before the last one arrived (no pile-up).

What the views draw is published through the `Staggered` queue: the record, the plots and the
before/after each render (and repaint) in an event-loop turn of their own, so no single turn is
long. While training, the newest of each is published at most every RENDER_INTERVAL_MS (what
arrives faster is coalesced), the record (caption, equations, tokens) at most every
RECORD_INTERVAL_MS (the costliest to draw, and unreadable at 5 Hz anyway), and nothing while the
stage-3 views are hidden (they catch up when shown). `record`, `series`, `compare` change when
their signal is emitted, so what they hold is what the views show.
"""
from __future__ import annotations

import time

from PySide6 import QtCore

from ...core.rlhf.settings import DEFAULT_SEED
from ...training.rlhf_service import RLHFService
from ..training.responsive import freeze_long_lived_objects
from ..training.controller import RENDER_INTERVAL_MS, TrainingController
from .feedback_link import FeedbackLink

UPDATES_PER_RUN = 60
FIX_UPDATES = 60
RECORD_INTERVAL_MS = 1000
# Between two view parts: time for the repaint one caused to run before the next part is drawn.
PART_SPACING_MS = 6
VIEW_KINDS = ("progress", "record", "series", "compare")   # published in this order


class RLHFController(TrainingController):
    ready = QtCore.Signal()
    record_changed = QtCore.Signal(object)      # RLHFRecord or None
    series_changed = QtCore.Signal(object)      # Series
    compare_changed = QtCore.Signal(object)     # tuple[CompareRow, ...]
    settings_changed = QtCore.Signal(dict)
    sft_epoch = QtCore.Signal(int, float)
    sft_done = QtCore.Signal(object)
    answers_changed = QtCore.Signal(object)
    base_report_changed = QtCore.Signal(object)  # stage0.BaseModelReport
    progress = QtCore.Signal(int, int)
    playing_changed = QtCore.Signal(bool)
    busy_changed = QtCore.Signal(str)
    seed_changed = QtCore.Signal(int)
    open_failed = QtCore.Signal(str)            # a saved run was refused; the one before is back

    def __init__(self, link: FeedbackLink | None = None,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(RLHFService, latest_only={"record", "series", "progress"},
                         name="rlhf-training", render_spacing_ms=PART_SPACING_MS, parent=parent)
        self.link = link or FeedbackLink(parent=self)
        self.record = self.series = self.compare = self.sft = self.base_report = None
        self.progress_done: tuple[int, int] = (0, 0)
        self.settings: dict = {}
        self.prompts: tuple[list[str], list[str]] = ([], [])   # SFT prompts: (tuned, new)
        self.sft_losses: list[float] = []
        self.is_ready = False
        self.busy = ""
        self.seed = DEFAULT_SEED   # the seed on which the lesson's claims were measured
        self.pipeline_seed = DEFAULT_SEED   # the process builds its models with this one
        self._pending = False      # a phase was asked for and has not arrived yet
        self._draws = 0            # each Sample / Generate press draws anew
        self._arrived: dict = {}   # view kind → newest value not yet published
        self._queued: dict = {}    # view kind → the value its queued render will publish
        self._published_at = 0.0
        self._record_at = 0.0      # when a record was last published
        self._unshown: set = set() # kinds published while the views were hidden
        self._render_timer = QtCore.QTimer(self, singleShot=True, timeout=self._publish)
        self._play = QtCore.QTimer(self, interval=900, timeout=self.next)

    # --- the training process --------------------------------------------------------------------
    def _message_handlers(self) -> dict:
        return {"ready": self._on_ready, "record": self._on_record,
                "series": lambda series: self._arrive("series", series),
                "compare": lambda rows: self._arrive("compare", rows),
                "progress": lambda done_asked: self._arrive("progress", tuple(done_asked)),
                "settings": self._on_settings, "sft_epoch": self._on_sft_epoch,
                "sft_done": self._on_sft_done, "answers": self.answers_changed.emit,
                "base_report": self._on_base_report, "candidates": self._on_candidates,
                "fixed": self._on_fixed, "busy": self._on_busy,
                "open_failed": self._on_open_failed}

    def _service_args(self) -> tuple:
        return (self.pipeline_seed,)

    # --- intent --------------------------------------------------------------------------------
    def request_base_report(self) -> None:
        """Stage 0: the base model's answers to the evaluation prompts, sampled and scored."""
        self.command("base_report", int(self.seed))

    def _on_base_report(self, report) -> None:
        self.base_report = report
        self.base_report_changed.emit(report)

    def run_sft(self) -> None:
        self.sft_losses = []
        self.command("run_sft")

    def sample(self, prompt: str, temperature: float) -> None:
        self._draws += 1
        self.command("sample", prompt, float(temperature), self._draws)

    def generate_candidates(self, prompt_id: str, temperature: float) -> None:
        feedback = self.link.feedback()
        prompt = next((p.text for p in feedback.prompts if p.id == prompt_id), None)
        if prompt is not None:
            self._draws += 1
            self.command("candidates", prompt_id, prompt, float(temperature), self._draws,
                       feedback)

    def next(self) -> None:
        if not self.running and not self._pending:
            self._pending = True
            self.command("step")

    def previous(self) -> None:
        if not self.running:
            self.pause_play()
            self.command("back")

    def set_setting(self, name: str, value) -> None:
        self.command("set_settings", {name: value})

    def apply_preset(self, name: str) -> None:
        self.stop()
        self.command("preset", name)

    def reset(self, seed: int | None = None) -> None:
        self.stop()
        self.seed = self.seed if seed is None else int(seed)
        self.command("reset", self.seed)
        self.seed_changed.emit(self.seed)

    def train(self, updates: int = UPDATES_PER_RUN) -> None:
        self.pause_play()
        self.command("train", int(updates))

    def stop(self) -> None:
        """Pause training: the process stops before its next update."""
        self.pause_play()
        self._send("pause")   # nothing runs in a process that is not there

    def fix_hacking(self, updates: int = FIX_UPDATES) -> None:
        self.stop()
        self.command("fix_hacking", self.link.feedback(), int(updates))

    # --- play ----------------------------------------------------------------------------------
    def play(self) -> None:
        if self.is_ready and not self.running and not self._play.isActive():
            self._play.start()
            self.playing_changed.emit(True)

    def pause_play(self) -> None:
        if self._play.isActive():
            self._play.stop()
            self.playing_changed.emit(False)

    def toggle_play(self) -> None:
        self.pause_play() if self._play.isActive() else self.play()

    @property
    def playing(self) -> bool:
        return self._play.isActive()

    def set_speed(self, phases_per_second: float) -> None:
        self._play.setInterval(int(1000 / max(phases_per_second, 0.1)))

    # --- what the views draw: one kind per event-loop turn, at most 5 Hz while training ----------
    def _on_record(self, record) -> None:
        self._pending = False
        self._arrive("record", record)

    def _arrive(self, kind: str, value) -> None:
        """Published on the next turn (all that came in one batch together); while training at
        most every RENDER_INTERVAL_MS, keeping the newest of each kind."""
        self._arrived[kind] = value
        if not self._render_timer.isActive():
            wait = 0.0
            if self.running:
                wait = RENDER_INTERVAL_MS - (time.perf_counter() - self._published_at) * 1000
            self._render_timer.start(max(0, round(wait)))

    def _publish(self) -> None:
        self._render_timer.stop()
        arrived, self._arrived = self._arrived, {}
        if arrived:
            self._published_at = time.perf_counter()
        self._hold_back_record(arrived)
        for kind in VIEW_KINDS:
            if kind not in arrived:
                continue
            if self._rendering:
                self._queued[kind] = arrived[kind]
                self.renders.schedule(lambda kind=kind: self._show(kind), key=kind)
            else:   # nothing to draw now: keep the value, emit it when the views are shown
                self._store(kind, arrived[kind])
                self._unshown.add(kind)

    def _hold_back_record(self, arrived: dict) -> None:
        """While training, a record less than RECORD_INTERVAL_MS after the last one waits (the
        newest is kept) for a later publish; the last one is published when training stops."""
        if "record" not in arrived:
            return
        now = time.perf_counter()
        recent = (now - self._record_at) * 1000 < RECORD_INTERVAL_MS
        if self.running and not self._stopping and recent:
            self._arrived["record"] = arrived.pop("record")
        else:
            self._record_at = now

    def _show(self, kind: str) -> None:
        """Runs in its own turn: the newest value of kind becomes current and is drawn."""
        if kind not in self._queued:
            return
        value = self._queued.pop(kind)
        self._store(kind, value)
        if kind == "progress":
            self.progress.emit(*value)
        else:
            {"record": self.record_changed, "series": self.series_changed,
             "compare": self.compare_changed}[kind].emit(value)

    def _store(self, kind: str, value) -> None:
        if kind == "progress":
            self.progress_done = value
        else:
            setattr(self, kind, value)

    def _publish_now(self) -> None:
        self._publish()

    def _catch_up(self) -> None:
        for kind in VIEW_KINDS:
            if kind in self._unshown and kind not in self._queued:
                value = self.progress_done if kind == "progress" else getattr(self, kind)
                self._queued[kind] = value
                self.renders.schedule(lambda kind=kind: self._show(kind), key=kind)
        self._unshown.clear()

    def _keep_undrawn(self) -> None:
        for kind, value in self._queued.items():   # not drawn: stored, drawn when shown
            self._store(kind, value)
            self._unshown.add(kind)
        self._queued.clear()

    # --- other answers from the process ---------------------------------------------------------
    def _on_ready(self, payload) -> None:
        settings, prompts = payload   # the first run's settings, the SFT prompts (tuned, new)
        # The tab is built and shown: its objects are long-lived. Left out of collections, a
        # full one no longer stalls the window while records arrive.
        freeze_long_lived_objects()
        self.is_ready = True
        self.prompts = (list(prompts[0]), list(prompts[1]))
        self._on_settings(settings)
        self.ready.emit()

    def _on_settings(self, settings: dict) -> None:
        self.settings = dict(settings)
        self.settings_changed.emit(self.settings)

    def _on_sft_epoch(self, payload) -> None:
        epoch, loss = payload
        self.sft_losses.append(loss)
        self.sft_epoch.emit(epoch, loss)

    def _on_sft_done(self, result) -> None:
        self.sft = result
        self.sft_losses = list(result.losses)
        self.sft_done.emit(result)

    def _on_candidates(self, payload) -> None:
        feedback, added = payload
        if added:
            self.link.set_feedback(feedback)
        self.message.emit(f"Added {added} sampled responses to rank in tab 3 (Reward model)."
                          if added else "No new responses: the model repeated itself.", "info")

    def _on_fixed(self, payload) -> None:
        feedback, added = payload
        self.link.set_feedback(feedback)
        self.message.emit(f"Ranked {added} degenerate answers as worse, retrained the Reward model;"
                          " running again.", "info")

    def _on_busy(self, what: str) -> None:
        self.busy = what
        self.busy_changed.emit(what)

    def _on_failed(self, text: str) -> None:
        self._pending = False   # a failed step must not block the next one
        super()._on_failed(text)

    def _process_lost(self, code: int) -> None:
        """The process crashed (or was killed): say so; the next command starts a new one."""
        if self.busy:
            self._on_busy("")
        self._pending = False
        self.pause_play()
        self._arrived.clear()
        self._render_timer.stop()
        was_ready, self.is_ready = self.is_ready, False
        if self._stopping:
            self._finish_stopping()
        self.message.emit(f"The training process stopped unexpectedly (exit code {code}). "
                          + ("Starting it again: the Policy starts afresh from the fine-tuned "
                             "model." if was_ready else "Next or Run updates starts it again."),
                          "error")
        if was_ready:   # it had built the models once: build them again (a crash while
            self.warm_up()  # building is not retried on its own, it would likely crash again)

    # --- sessions: the models, saved and opened as data ----------------------------------------
    def check_state(self, state, settings: dict) -> None:
        """A saved state checked against these models before anything changes (SessionError);
        `settings`: the saved ones, which the run will use."""
        from ...core.files.session import SessionError
        from ...core.files.weights import WeightsError
        from ...core.rlhf.training import check_saved_state
        if self.weights_manifest is None:
            raise SessionError("RLHF: the models are not built yet, their weights cannot be "
                               "checked")
        adam = {**self.settings, **settings}.get("optimizer", "adam") == "adam"
        try:
            check_saved_state(state, self.weights_manifest, adam)
        except WeightsError as exc:
            raise SessionError(f"RLHF: {exc}") from None

    def open_state(self, seed: int, settings: dict, state) -> None:
        """A checked saved run (seed, settings, models) replaces this one in one command: if the
        training process still refuses it, it puts this run back (`open_failed`)."""
        self.stop()
        self.seed = int(seed)
        self.command("open_state", self.seed, dict(settings), state)
        self.seed_changed.emit(self.seed)

    def _on_open_failed(self, payload) -> None:
        seed, why = payload   # the seed shown before, why the saved run was refused
        self.seed = int(seed)
        self.seed_changed.emit(self.seed)
        text = (f"The session's RLHF run could not be loaded ({why}), so tab 4 shows the run it "
                "showed before.")
        self.message.emit(text, "error")
        self.open_failed.emit(text)

    def shutdown(self) -> None:
        self._play.stop()
        self._render_timer.stop()
        super().shutdown()
        if self.busy:
            self._on_busy("")

    # --- the guided walkthrough (rlhf_tab/walkthrough.py) ------------------------------------------
    def sample_seeded(self, prompt: str, temperature: float, seed: int) -> None:
        """Sample answers with a given seed (a walkthrough shows the same answers every time)."""
        self.command("sample", prompt, float(temperature), int(seed))

    def settled(self) -> bool:
        """Nothing is computing or training, and every view has drawn what arrived."""
        return super().settled() and not (self._pending or self.busy or self._arrived
                                          or self._queued or self._render_timer.isActive())
