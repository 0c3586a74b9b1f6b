"""Tab 4's training service: stage 0's report, stage 1 (SFT) and stage 3 (policy optimisation), in
the training process.

It owns the core `RLHFSession` (built on `warm_up`, which imports torch) and answers with
immutable records. Stage 3 trains one policy update per slice; while training, the newest record,
series and progress are sent about five times a second, and always after the last update. For the
guided walkthrough it keeps a checkpoint of stage 3 after each step (`checkpoint` / `restore`,
`core.rlhf.checkpoints`), so Back shows an earlier step at once.
"""
from __future__ import annotations

import time
from contextlib import contextmanager

from ..core.rlhf.settings import DEFAULT_SEED
from .service import Service

BUILDING = "Building the fine-tuned model and the Reward model…"


class RLHFService(Service):
    MESSAGES = {
        **Service.MESSAGES,
        "ready": "(settings, (tuned prompts, new prompts)): the models exist",
        "manifest": "the models' tensor names and shapes",
        "busy": "text: what a long command is doing; \"\" when it is done",
        "record": "the RLHFRecord shown (None: a fresh Policy)",
        "series": "Series: the plotted numbers per update",
        "compare": "tuple[CompareRow, ...]: answers before and after",
        "progress": "(updates done, updates asked for) in this run",
        "settings": "dict: the run's settings (also after a refused change)",
        "sft_epoch": "(epoch, loss) while fine-tuning",
        "sft_done": "SFTResult",
        "answers": "tuple[Answer, ...]: sampled answers",
        "base_report": "stage0.BaseModelReport",
        "candidates": "(feedback, added): the rankings with sampled responses added",
        "fixed": "(feedback, added): the rankings after the reward-hacking fix",
        "open_failed": "(seed shown before, why): a saved run was refused and rolled back",
    }

    def __init__(self, emit, seed: int = DEFAULT_SEED) -> None:
        super().__init__(emit)
        self.seed = int(seed)
        self._checkpoints: dict[int, object] = {}   # a walkthrough step's index → stage 3 then
        self._update_start = None    # stage 3 when the newest update began (see checkpoint)
        self._first_pipeline = None  # the Reward model built first, on the shipped rankings

    # --- lifecycle ---------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Build the session (imports torch) and say so; nothing to do if it exists."""
        if self.session is not None:
            return
        from ..core.rlhf.training import RLHFSession, sft_prompts  # torch: only in this process
        with self._busy(BUILDING):
            session = RLHFSession(self.seed)
            session.start_run()
            self.session = session
        self._first_pipeline = session.pipeline
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
    def open_state(self, seed: int, settings: dict, state) -> None:
        """A saved run (seed, settings, models) in place of this one, all or nothing: what the
        window's checks let through and this process still refuses puts the run shown before back,
        and `open_failed` says so."""
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
        from ..core.language.stage0 import base_model_report
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
        """Sampled responses to prompt, added to feedback (the rankings as the window has them)."""
        from ..core.rlhf.training import with_candidates
        texts = self._ensure().candidates(prompt, temperature=temperature, seed=seed)
        self.emit("candidates", with_candidates(feedback, prompt_id, texts))

    # --- stage 3: one phase at a time ----------------------------------------------------------
    def step(self) -> None:
        session = self._ensure()
        if self._running:  # the window asked before it heard of the run: answer with what is shown
            self.emit("record", session.run.current)
            return
        if session.run.phase_in_progress is None and session.run.at_end:   # an update begins
            from ..core.rlhf.checkpoints import capture
            self._update_start = capture(session)
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

    # --- stage 3: many updates, one per slice (Service.train / pause / work) -------------------
    def _prepare(self) -> None:
        self._ensure()

    def _step(self) -> bool:
        return bool(self.session.train(1))

    def _send_progress(self) -> None:
        self._last_sent = time.perf_counter()
        self.emit("record", self.session.run.current)
        self.emit("series", self.session.series())
        self.emit("progress", (self._done, self._asked))

    def _send_last(self) -> None:
        """The last update's record, series and before/after."""
        self._send_progress()
        self.emit("compare", self.session.compare())

    # --- the guided walkthrough ---------------------------------------------------------------
    def start_lesson(self, seed: int) -> None:
        """A walkthrough's start, however often it is started: the Reward model trained on the
        shipped rankings (not one a fix retrained since), the default settings, a fresh Policy."""
        from ..core.rlhf.settings import DEFAULTS
        session = self._ensure()
        self.pause()
        session.pipeline = self._first_pipeline
        session.sft_model = None   # stage 1 not run yet: the pipeline's (same, seeded) SFT model
        session.seed = int(seed)
        session.settings = dict(DEFAULTS)
        session.start_run()
        self.emit("settings", dict(session.settings))
        self._emit_run_state()

    def checkpoint(self, key: int) -> None:
        """Keep stage 3 as it is now under `key` (a step's index); later steps' are forgotten."""
        from ..core.rlhf.checkpoints import capture
        session = self._ensure()
        self._checkpoints = {k: v for k, v in self._checkpoints.items() if k < key}
        self._checkpoints[key] = capture(session, self._update_start)

    def restore(self, key: int) -> None:
        """Stage 3 as it was at checkpoint `key`; the views are sent its record, plots, settings."""
        from ..core.rlhf.checkpoints import restore
        session = self._ensure()
        self.pause()
        if key not in self._checkpoints:
            raise KeyError(f"no checkpoint for step {key + 1}")
        restore(session, self._checkpoints[key])
        self.emit("settings", dict(session.settings))
        self._emit_run_state()

    @contextmanager
    def _busy(self, what: str):
        self.emit("busy", what)
        try:
            yield
        finally:
            self.emit("busy", "")

