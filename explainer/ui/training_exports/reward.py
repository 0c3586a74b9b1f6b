"""Tab 3's (Reward model) run log and exports: `RewardRunLog` writes down how the Reward model was
trained, `RewardExports` gives its history as CSV, its training as an animation and the run as code.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from PySide6 import QtCore, QtGui

from ...core.files import export_code_rlhf as gen
from .frames import _Exports, _training_triples

REWARD_FRAME = QtCore.QSize(1100, 440)   # two plots side by side


class RewardRunLog(QtCore.QObject):
    """How the Reward model in tab 3 was trained: segments of steps with one set of rankings,
    optimizer and learning rate each, read from the training process's snapshots."""

    def __init__(self, tab) -> None:
        super().__init__(tab.controller)
        self.tab, self.controller = tab, tab.controller
        self.running = False
        self.last = None   # the newest snapshot the process sent
        self._start(self.controller.feedback, None, [])
        self.controller.process.received.connect(self._on_message)
        self.controller.feedback_changed.connect(self._on_feedback)

    def _start(self, feedback, snapshot, notes: list[str]) -> None:
        self.rankings = [feedback]
        config = (snapshot.optimizer, snapshot.learning_rate) if snapshot is not None else (None, None)
        self.segments = [dict(rankings=0, optimizer=config[0], learning_rate=config[1],
                              new_trainer=True, steps=0)]
        self.notes = list(notes)

    def _on_message(self, kind: str, payload) -> None:
        if kind == "running":
            self.running = bool(payload)
        elif kind == "snapshot":
            self._on_snapshot(payload)

    def _on_snapshot(self, s) -> None:
        prev, self.last = self.last, s
        if s.step == 0 or (prev is not None and s.step < prev.step):
            self._start(self.controller.feedback, s, [])   # built, or reset
            return
        if prev is None or (s.step > prev.step and not self.running):
            self._start(self.controller.feedback, s, [
                f"the Reward model's {s.step} steps were not trained while the tab was watched "
                "(opened from a session file, or trained before): the script trains them anew"])
            self.segments[0]["steps"] = s.step
            return
        segment = self.segments[-1]
        if segment["optimizer"] is None:
            segment["optimizer"], segment["learning_rate"] = s.optimizer, s.learning_rate
        done = s.step - prev.step
        if (s.optimizer, s.learning_rate) != (segment["optimizer"], segment["learning_rate"]):
            if done > 1:
                self.notes.append(f"the learning rate or optimizer changed while training, "
                                  f"somewhere between steps {prev.step} and {s.step}; the script "
                                  f"changes it after step {prev.step}")
            segment = self._new_segment(segment["rankings"],
                                        new_trainer=s.optimizer != segment["optimizer"])
            segment["optimizer"], segment["learning_rate"] = s.optimizer, s.learning_rate
        segment["steps"] += done

    def _new_segment(self, rankings: int, new_trainer: bool) -> dict:
        """The next segment, or the current one if it has no steps yet (the same thing)."""
        last = self.segments[-1]
        if last["steps"] == 0:
            last["rankings"] = rankings
            last["new_trainer"] = last["new_trainer"] or new_trainer
            return last
        segment = dict(last, rankings=rankings, new_trainer=new_trainer, steps=0)
        self.segments.append(segment)
        return segment

    def _on_feedback(self, feedback) -> None:
        old = self.rankings[self.segments[-1]["rankings"]]
        if feedback == old:
            return
        if self.running:
            step = self.last.step if self.last is not None else 0
            self.notes.append(f"the rankings changed while the Reward model trained (about step "
                              f"{step}); the script changes them after step {step}")
        self.rankings.append(feedback)
        self._new_segment(len(self.rankings) - 1,
                          new_trainer=_training_triples(feedback) != _training_triples(old))

    # --- what the exports read ---------------------------------------------------------------
    def state(self) -> dict:
        snapshot = self.controller.snapshot
        if not snapshot.history.steps and snapshot.step == 0 and not snapshot.rewards:
            raise ValueError("The Reward model is not built yet: show the tab and train it first.")
        used = sorted({s["rankings"] for s in self.segments})
        index = {old: new for new, old in enumerate(used)}
        segments = [dict(s, rankings=index[s["rankings"]]) for s in self.segments]
        for s in segments:   # a segment's settings are known once a snapshot showed them
            if s["optimizer"] is None:
                s["optimizer"], s["learning_rate"] = snapshot.optimizer, snapshot.learning_rate
        notes = list(self.notes)
        counted = sum(s["steps"] for s in segments)
        if counted != snapshot.step:
            notes.append(f"the log counted {counted} steps, the tab shows {snapshot.step}")
        return dict(seed=0, rankings=[self.rankings[i].to_json().strip() for i in used],
                    segments=segments, held_out_at=list(snapshot.history.held_steps),
                    prompt_id=self.controller.selected_prompt_id, notes=notes)


class RewardExports(_Exports):
    """Tab 3's history, animation and code."""
    kind = "reward"
    log_kind = RewardRunLog

    @property
    def snapshot(self):
        return self.tab.controller.snapshot

    def history_columns(self) -> dict:
        """One row per training step shown (and step 0 if the held-out pairs were measured
        before training): the loss, the training pairs' accuracy, the held-out pairs' accuracy
        where the tab measured it."""
        h = self.snapshot.history
        if not h.steps:
            raise ValueError("No training steps yet: train the Reward model first.")
        loss = dict(zip(h.steps, h.loss))
        train = dict(zip(h.steps, h.train_accuracy))
        held = dict(zip(h.held_steps, h.held_accuracy))
        steps = sorted(set(h.steps) | set(held))
        column = lambda values: np.array([values.get(s) for s in steps], dtype=object)  # noqa: E731
        return {"step": np.array(steps), "loss": column(loss), "training_accuracy": column(train),
                "held_out_accuracy": column(held)}

    def frames(self, scale: float = 1.0) -> list[QtGui.QImage]:
        """The loss and accuracy plots as they grew, step by step."""
        from ...core.language.reward_training import History
        from ..reward_tab.plots import TrainingPlots
        h = self.snapshot.history
        if not h.steps:
            raise ValueError("No training steps yet: train the Reward model first.")
        feed = SimpleNamespace(snapshot=SimpleNamespace(history=History()),
                               on_snapshot=lambda render: None)
        plots = TrainingPlots(feed)

        def draw(n: int) -> str:
            step = h.steps[n - 1]
            held = sum(1 for s in h.held_steps if s <= step)
            feed.snapshot = SimpleNamespace(history=History(
                h.steps[:n], h.loss[:n], h.train_accuracy[:n], h.held_steps[:held],
                h.held_accuracy[:held]))
            plots.render()
            text = (f"step {step}: loss {h.loss[n - 1]:.3f}, training pairs ordered right "
                    f"{h.train_accuracy[n - 1]:.0%}")
            return text + (f", held-out pairs {h.held_accuracy[held - 1]:.0%}" if held else "")
        return self._animate(plots, REWARD_FRAME, "Training the Reward model on −log σ(R_better − "
                             "R_worse)", len(h.steps), draw, scale)

    def expected_lines(self) -> list[str]:
        """What the exported script prints when it repeats the run exactly (for tests)."""
        s = self.snapshot
        return gen.expected_reward_lines(s.history, s.rewards, s.step,
                                         self.tab.controller.selected_prompt_id)
