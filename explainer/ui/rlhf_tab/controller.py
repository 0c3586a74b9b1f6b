"""The RLHF tab's controller: user intent in, records out.

It forwards every request to the worker thread and keeps the latest record, series and settings it
answered with; views render those and never compute a number themselves. Play steps one phase at
a time on a timer, never asking for a phase before the last one arrived (no pile-up).
"""
from __future__ import annotations

from PySide6 import QtCore

from .feedback_link import FeedbackLink
from .worker import WorkerThread

UPDATES_PER_RUN = 60
FIX_UPDATES = 60


class RLHFController(QtCore.QObject):
    ready = QtCore.Signal()
    record_changed = QtCore.Signal(object)      # RLHFRecord or None
    series_changed = QtCore.Signal(object)      # Series
    compare_changed = QtCore.Signal(object)     # tuple[CompareRow, ...]
    settings_changed = QtCore.Signal(dict)
    sft_epoch = QtCore.Signal(int, float)
    sft_done = QtCore.Signal(object)
    answers_changed = QtCore.Signal(object)
    progress = QtCore.Signal(int, int)
    running_changed = QtCore.Signal(bool)
    playing_changed = QtCore.Signal(bool)
    busy_changed = QtCore.Signal(str)
    message = QtCore.Signal(str, str)           # text, level: "info" | "error"

    # queued into the worker thread
    _warm_up = QtCore.Signal()
    _run_sft = QtCore.Signal()
    _sample = QtCore.Signal(str, float, int)
    _candidates = QtCore.Signal(str, str, float, int)
    _step = QtCore.Signal()
    _back = QtCore.Signal()
    _set = QtCore.Signal(dict)
    _preset = QtCore.Signal(str)
    _reset = QtCore.Signal(int)
    _train = QtCore.Signal(int)
    _pause = QtCore.Signal()
    _fix = QtCore.Signal(object, int)

    def __init__(self, link: FeedbackLink | None = None,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.link = link or FeedbackLink(parent=self)
        self.record = self.series = self.compare = self.sft = None
        self.settings: dict = {}
        self.sft_losses: list[float] = []
        self.is_ready = self.running = False
        self.busy = ""
        self.seed = 0
        self._pending = False      # a phase was asked for and has not arrived yet
        self._draws = 0            # each Sample / Generate press draws anew
        self._thread = WorkerThread(self)
        self._connect(self._thread.worker)
        self._play = QtCore.QTimer(self, interval=900, timeout=self.next)

    def _connect(self, w) -> None:
        for signal, slot in ((self._warm_up, w.warm_up), (self._run_sft, w.run_sft),
                             (self._sample, w.sample), (self._candidates, w.candidates),
                             (self._step, w.step), (self._back, w.back), (self._set, w.set_settings),
                             (self._preset, w.preset), (self._reset, w.reset), (self._train, w.train),
                             (self._pause, w.pause), (self._fix, w.fix_hacking)):
            signal.connect(slot)
        w.ready.connect(self._on_ready)
        w.record_ready.connect(self._on_record)
        w.series_ready.connect(self._on_series)
        w.compare_ready.connect(self._on_compare)
        w.settings_ready.connect(self._on_settings)
        w.sft_epoch.connect(self._on_sft_epoch)
        w.sft_done.connect(self._on_sft_done)
        w.answers_ready.connect(self.answers_changed)
        w.candidates_ready.connect(self._on_candidates)
        w.fixed.connect(self._on_fixed)
        w.progress.connect(self.progress)
        w.running_changed.connect(self._on_running)
        w.busy_changed.connect(self._on_busy)
        w.failed.connect(lambda text: self.message.emit(text, "error"))

    @property
    def worker(self):
        return self._thread.worker

    # --- intent --------------------------------------------------------------------------------
    def warm_up(self) -> None:
        self._warm_up.emit()

    def run_sft(self) -> None:
        self.sft_losses = []
        self._run_sft.emit()

    def sample(self, prompt: str, temperature: float) -> None:
        self._draws += 1
        self._sample.emit(prompt, float(temperature), self._draws)

    def generate_candidates(self, prompt_id: str, temperature: float) -> None:
        prompt = next((p.text for p in self.link.feedback().prompts if p.id == prompt_id), None)
        if prompt is not None:
            self._draws += 1
            self._candidates.emit(prompt_id, prompt, float(temperature), self._draws)

    def next(self) -> None:
        if self.is_ready and not self.running and not self._pending:
            self._pending = True
            self._step.emit()

    def previous(self) -> None:
        if self.is_ready and not self.running:
            self.pause_play()
            self._back.emit()

    def set_setting(self, name: str, value) -> None:
        self._set.emit({name: value})

    def apply_preset(self, name: str) -> None:
        self.stop()
        self._preset.emit(name)

    def reset(self, seed: int | None = None) -> None:
        self.stop()
        self.seed = self.seed if seed is None else int(seed)
        self._reset.emit(self.seed)

    def train(self, updates: int = UPDATES_PER_RUN) -> None:
        self.pause_play()
        self._train.emit(int(updates))

    def stop(self) -> None:
        """Pause training now: the running chunk ends at its next update."""
        self.pause_play()
        self.worker.stop = True
        self._pause.emit()

    def fix_hacking(self, updates: int = FIX_UPDATES) -> None:
        self.stop()
        self._fix.emit(self.link.feedback(), int(updates))

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

    # --- answers from the worker ---------------------------------------------------------------
    def _on_ready(self, settings: dict) -> None:
        self.is_ready = True
        self._on_settings(settings)
        self.ready.emit()

    def _on_record(self, record) -> None:
        self._pending = False
        self.record = record
        self.record_changed.emit(record)

    def _on_series(self, series) -> None:
        self.series = series
        self.series_changed.emit(series)

    def _on_compare(self, rows) -> None:
        self.compare = rows
        self.compare_changed.emit(rows)

    def _on_settings(self, settings: dict) -> None:
        self.settings = dict(settings)
        self.settings_changed.emit(self.settings)

    def _on_sft_epoch(self, epoch: int, loss: float) -> None:
        self.sft_losses.append(loss)
        self.sft_epoch.emit(epoch, loss)

    def _on_sft_done(self, result) -> None:
        self.sft = result
        self.sft_done.emit(result)

    def _on_candidates(self, prompt_id: str, texts) -> None:
        from ...core.rlhf_session import with_candidates  # the worker has imported it already
        feedback, added = with_candidates(self.link.feedback(), prompt_id, texts)
        if added:
            self.link.set_feedback(feedback)
        self.message.emit(f"Added {added} sampled responses to rank in tab 3 (Reward model)."
                          if added else "No new responses: the model repeated itself.", "info")

    def _on_fixed(self, feedback, added: int) -> None:
        self.link.set_feedback(feedback)
        self.message.emit(f"Ranked {added} degenerate answers as worse, retrained the Reward model;"
                          " running again.", "info")

    def _on_running(self, running: bool) -> None:
        self.running = running
        self.running_changed.emit(running)

    def _on_busy(self, what: str) -> None:
        self.busy = what
        self.busy_changed.emit(what)

    def drawn(self) -> None:
        """The views drew what the worker last sent: it may compute the next chunk."""
        self.worker.gui_idle.set()

    def shutdown(self) -> None:
        self._play.stop()
        self.drawn()
        self._thread.stop()
