"""Tab 4's (RLHF) run log and exports: `RLHFRunLog` writes down how the policy run came about,
`RLHFExports` gives its history (and SFT loss) as CSV, its updates as an animation and the run as
code.
"""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from ...core.files import export_code_rlhf as gen
from ...core.files.export_code_rlhf import PHASES_PER_UPDATE
from .frames import _Exports, _training_triples

RLHF_FRAME = QtCore.QSize(1400, 500)     # three plots side by side


class RLHFRunLog(QtCore.QObject):
    """How the RLHF tab's policy run came about: the Reward model's pipeline (seed, rankings), the
    run's seed and settings, and each setting changed since, at the phase it was changed (four
    phases make one update; the records the process sends say how far the run has got)."""

    def __init__(self, tab) -> None:
        super().__init__(tab.controller)
        self.tab, self.controller = tab, tab.controller
        self.running = False
        self.settings = dict(self.controller.settings)
        self.pipeline = dict(seed=self.controller.pipeline_seed, triples=None)
        self._fresh()
        self.controller.process.received.connect(self._on_message)

    def _fresh(self) -> None:
        """A new run of the Policy from the fine-tuned model."""
        self.seed = self.controller.seed
        self.start_settings = dict(self.settings)
        self.changes: list[tuple[int, dict]] = []   # (phases done, settings changed then)
        self.furthest = (-1, PHASES_PER_UPDATE - 1)  # (update, phase index) reached: none yet
        self.answers: dict[int, tuple[str, str]] = {}
        self.notes: list[str] = []
        self.series = None

    @property
    def phases_done(self) -> int:
        update, phase = self.furthest
        return update * PHASES_PER_UPDATE + phase + 1

    def _on_message(self, kind: str, payload) -> None:
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(payload)

    def _on_ready(self, payload) -> None:   # a (new) process built the models
        self.settings = dict(payload[0])
        self.pipeline = dict(seed=self.controller.pipeline_seed, triples=None)
        self._fresh()

    def _on_running(self, running) -> None:
        self.running = bool(running)

    def _on_fixed(self, payload) -> None:
        feedback, _added = payload
        self.pipeline = dict(seed=self.controller.seed, triples=_training_triples(feedback))
        self._fresh()

    def _on_settings(self, settings) -> None:
        settings = dict(settings)
        changed = {k: v for k, v in settings.items() if self.settings.get(k) != v}
        self.settings = settings
        if not changed:
            return
        done = self.phases_done
        if self.running:
            update = done // PHASES_PER_UPDATE + 1
            self.notes.append(f"settings changed while training ({_names(changed)} near update "
                              f"{update}); the script changes them before update {update}")
        if done == 0:
            self.start_settings.update(changed)   # before the first phase: the run's own
        elif self.changes and self.changes[-1][0] == done:
            self.changes[-1][1].update(changed)
        else:
            self.changes.append((done, changed))

    def _on_record(self, record) -> None:
        if record is None:   # a fresh Policy (reset, preset, a walkthrough's start, a fix)
            if getattr(self.tab, "walk", None) is not None:
                self.pipeline = dict(seed=self.controller.pipeline_seed, triples=None)
            self._fresh()
            return
        if record.responses:
            self.answers.setdefault(record.update, (record.responses[0].prompt,
                                                    record.responses[0].text))
        self.furthest = max(self.furthest, (record.update, record.phase_index))

    def _on_series(self, series) -> None:
        old, self.series = self.series, series
        before = len(old.update) if old is not None else 0
        grown = len(series.update) - before
        if (old is not None and (grown < 0 or series.reward[:before] != old.reward
                                 or series.kl[:before] != old.kl)) \
                or (grown > 1 and not self.running):
            self._replaced(series)

    def _replaced(self, series) -> None:
        notes = [f"the run shown ({len(series.update)} updates) replaced the one the tab was "
                 "training (opened from a session file, or a walkthrough went back): the script "
                 "repeats the tab's seed and settings from the start"]
        self._fresh()
        self.series = series
        self.furthest = (len(series.update) - 1, PHASES_PER_UPDATE - 1)
        self.notes = notes

    # --- what the exports read ---------------------------------------------------------------
    def settings_at(self, update: int) -> dict:
        """The settings in force when update `update` (counted from 1) began."""
        settings = dict(self.start_settings)
        for done, changed in self.changes:
            if done < (update - 1) * PHASES_PER_UPDATE + 1:
                settings.update(changed)
        return settings

    def state(self) -> dict:
        series = self.controller.series
        if series is None:
            raise ValueError("The RLHF models are not built yet: show the tab first.")
        notes = list(self.notes)
        done = self.phases_done
        if done // PHASES_PER_UPDATE != len(series.update):
            notes.append(f"the log counted {done // PHASES_PER_UPDATE} updates, the tab shows "
                         f"{len(series.update)}")
        marks = [0] + [at for at, _ in self.changes] + [done]
        segments = [dict(set={}, phases=marks[1] - marks[0])]
        segments += [dict(set=dict(changed), phases=marks[i + 2] - marks[i + 1])
                     for i, (_, changed) in enumerate(self.changes)]
        return dict(pipeline_seed=self.pipeline["seed"], triples=self.pipeline["triples"],
                    seed=self.seed, settings=dict(self.start_settings), segments=segments,
                    notes=notes)


def _names(changed: dict) -> str:
    return ", ".join(f"{k} = {v}" for k, v in changed.items())


class RLHFExports(_Exports):
    """Tab 4's history (and SFT loss), animation and code."""
    kind = "rlhf"
    log_kind = RLHFRunLog

    def _series(self):
        series = self.tab.controller.series
        if series is None or not series.update:
            raise ValueError("No policy updates yet: run some updates first.")
        return series

    def history_columns(self) -> dict:
        """One row per policy update, the numbers the plots over updates show."""
        s = self._series()
        return {"update": np.array(s.update), "mean_learned_reward": np.array(s.reward),
                "mean_true_score": np.array(s.true_score), "kl": np.array(s.kl),
                "logp_polite": np.array(s.logp_polite), "logp_rude": np.array(s.logp_rude),
                "logp_gap": np.array(s.probe_gap)}

    def sft_columns(self) -> dict | None:
        """The SFT loss per epoch, if stage 1 was run (it is shown in its own plot)."""
        losses = self.tab.controller.sft_losses
        if not losses:
            return None
        return {"epoch": np.arange(1, len(losses) + 1), "sft_loss": np.array(losses)}

    def frames(self, scale: float = 1.0) -> list[QtGui.QImage]:
        """Learned reward above true score, KL and the polite − rude gap as they grew, update by update, with a
        sampled answer of that update where the tab received one."""
        from ...core.rlhf.training import Series
        from ..rlhf_tab.plots import UpdatePlots
        s = self._series()
        plots = UpdatePlots()
        plots.expect(0, len(s.update))

        def draw(n: int) -> str:
            plots.show_series(Series(*(values[:n] for values in (
                s.update, s.reward, s.true_score, s.kl, s.logp_polite, s.logp_rude))))
            settings = self.log.settings_at(n)
            text = (f"update {s.update[n - 1]} (β = {settings.get('beta', '?')}, learning "
                    f"rate {settings.get('learning_rate', '?')}): learned reward "
                    f"{s.reward[n - 1]:+.2f}, true score {s.true_score[n - 1]:.2f}, "
                    f"KL {s.kl[n - 1]:.2f} nats")
            answer = self._answer(n - 1)
            return text + (f"\n{answer[0]} → {answer[1]}" if answer is not None else "")
        return self._animate(plots, RLHF_FRAME, "RLHF: the Policy learns from the Reward model",
                             len(s.update), draw, scale)

    def _answer(self, update: int):
        """A sampled answer of the newest update at or before `update` the tab received."""
        seen = [u for u in self.log.answers if u <= update]
        return self.log.answers[max(seen)] if seen else None

    def expected_lines(self) -> list[str]:
        s = self._series()
        return [gen.update_line(*row) for row in zip(s.update, s.reward, s.true_score, s.kl,
                                                     s.logp_polite, s.logp_rude)] \
            + [f"updates done: {len(s.update)}"]
