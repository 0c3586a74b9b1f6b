"""File-menu exports of tabs 3 (Reward model) and 4 (RLHF): the history as CSV, the training run as
an animation, and the run as code.

The tabs train in a process of their own, so what a script needs to repeat a run (the rankings
and settings in force at each step) is not in their records: a log per tab, attached when the tab
is built (`watch`), follows the messages of its training process and the rankings, and writes
down the run as segments — "these rankings and settings for n steps". A change it cannot place
exactly (a slider moved while training, a run opened from a session file, a walkthrough's Back)
becomes a note: the exported script says so and the status bar tells the user.

Numbers come from the records the tab already shows (`controller.snapshot`, `controller.series`);
frames are drawn from them by the tab's own plot classes, in widgets built for the export, never
by the live tab.
"""
from __future__ import annotations

import sys
from types import SimpleNamespace

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ..core import export_code_rlhf as gen
from ..core.export_code_rlhf import PHASES_PER_UPDATE
from . import style

MAX_FRAMES = 40     # a run's animation: at most this many distinct frames…
HOLD_FRAMES = 8     # …and its last frame held this long, so a looping slide pauses on it
REWARD_FRAME = QtCore.QSize(1100, 440)   # two plots side by side
RLHF_FRAME = QtCore.QSize(1400, 500)     # three


def _training_triples(feedback) -> list:
    return [p.triple() for p in feedback.pairs(held_out=False)]


def _frame_indices(n: int) -> list[int]:
    """Up to MAX_FRAMES counts from 1 to n, evenly spaced, ending at n."""
    if n <= MAX_FRAMES:
        return list(range(1, n + 1))
    return sorted({round(1 + (n - 1) * i / (MAX_FRAMES - 1)) for i in range(MAX_FRAMES)})


class _Offscreen:
    """A widget drawn for export only: laid out at a fixed size, never shown on screen."""

    def __init__(self, widget: QtWidgets.QWidget, size: QtCore.QSize) -> None:
        self.widget = widget
        widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.resize(size)
        widget.show()

    def grab(self, scale: float) -> QtGui.QImage:
        from .exporting import render_image
        QtWidgets.QApplication.sendPostedEvents()
        self.widget.layout().activate()
        return render_image(self.widget, scale)

    def close(self) -> None:
        self.widget.hide()
        self.widget.deleteLater()


def _frame_widget(title: QtWidgets.QLabel, body: QtWidgets.QWidget,
                  caption: QtWidgets.QLabel) -> QtWidgets.QWidget:
    frame = QtWidgets.QWidget()
    frame.setAutoFillBackground(True)
    palette = frame.palette()
    # The plots' own background and text colours (white and black in the light theme).
    palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(style.color("background")))
    palette.setColor(QtGui.QPalette.ColorRole.WindowText, QtGui.QColor(style.color("text")))
    frame.setPalette(palette)
    layout = QtWidgets.QVBoxLayout(frame)
    layout.addWidget(title)
    layout.addWidget(body, 1)
    layout.addWidget(caption)
    for label in (title, caption):
        label.setWordWrap(True)
        label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    caption.setFont(font)
    font.setBold(True)
    title.setFont(font)
    return frame


# --- tab 3 -------------------------------------------------------------------------------------
class RewardRunLog(QtCore.QObject):
    """How the Reward model in tab 3 was trained: segments of steps with one set of rankings,
    optimizer and learning rate each, read from the training process's snapshots."""

    def __init__(self, tab) -> None:
        super().__init__(tab.controller)
        self.tab, self.controller = tab, tab.controller
        self.running = False
        self.last = None   # the newest snapshot the process sent
        self._start(self.controller.feedback, None, [])
        self.controller.service.received.connect(self._on_message)
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


class _Exports:
    """What both tabs' adapters share: the code and its notes come from the log's state."""
    kind = ""

    def __init__(self, tab, log) -> None:
        self.tab, self.log = tab, log

    def code(self, as_notebook: bool = False) -> str:
        state = self.log.state()
        return gen.notebook(self.kind, state) if as_notebook else gen.script(self.kind, state)

    def notes(self) -> list[str]:
        return self.log.state()["notes"]

    @staticmethod
    def _animate(plots: QtWidgets.QWidget, size: QtCore.QSize, title: str, count: int, draw,
                 scale: float) -> list[QtGui.QImage]:
        """Frames of `plots` under `title`: draw(n) shows the first n records in them and returns
        the caption; n runs up to count (MAX_FRAMES of them at most), the last frame held."""
        heading, caption = QtWidgets.QLabel(title), QtWidgets.QLabel()
        frame = _Offscreen(_frame_widget(heading, plots, caption), size)
        images = []
        try:
            for n in _frame_indices(count):
                caption.setText(draw(n))
                images.append(frame.grab(scale))
        finally:
            frame.close()
        return images + [images[-1]] * HOLD_FRAMES


class RewardExports(_Exports):
    """Tab 3's history, animation and code."""
    kind = "reward"

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
        from ..core.reward_session import History
        from .reward_tab.plots import TrainingPlots
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
            plots._render()
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


# --- tab 4 -------------------------------------------------------------------------------------
class RLHFRunLog(QtCore.QObject):
    """How the RLHF tab's policy run came about: the Reward model's pipeline (seed, rankings), the
    run's seed and settings, and each setting changed since, at the phase it was changed (four
    phases make one update; the records the process sends say how far the run has got)."""

    def __init__(self, tab) -> None:
        super().__init__(tab.controller)
        self.tab, self.controller = tab, tab.controller
        self.running = False
        self.settings = dict(self.controller.settings)
        self.pipeline = dict(seed=self.controller.worker.seed, triples=None)
        self._fresh()
        self.controller.service.received.connect(self._on_message)

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
        self.pipeline = dict(seed=self.controller.worker.seed, triples=None)
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
                self.pipeline = dict(seed=self.controller.worker.seed, triples=None)
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
                "logp_polite": np.array(s.logp_polite), "logp_rude": np.array(s.logp_rude)}

    def sft_columns(self) -> dict | None:
        """The SFT loss per epoch, if stage 1 was run (it is shown in its own plot)."""
        losses = self.tab.controller.sft_losses
        if not losses:
            return None
        return {"epoch": np.arange(1, len(losses) + 1), "sft_loss": np.array(losses)}

    def frames(self, scale: float = 1.0) -> list[QtGui.QImage]:
        """Learned reward vs true score, KL and log P as they grew, update by update, with a
        sampled answer of that update where the tab received one."""
        from ..core.rlhf_session import Series
        from .rlhf_tab.plots import UpdatePlots
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


# --- which tab gets which ------------------------------------------------------------------------
def watch(tab) -> None:
    """Start logging tab's training runs (tabs 3 and 4; others are left alone). Idempotent."""
    controller = getattr(tab, "controller", None)
    if controller is None:
        return
    kind = _log_kind(tab)
    if kind is not None and controller.findChild(kind) is None:
        kind(tab)


def _log_kind(tab):
    # Looked up, not imported: a tab of a module nobody imported yet is not one of them, and the
    # window's first paint does not wait for tabs 3 and 4's modules.
    for module, name, kind in (("reward_tab.tab", "RewardTab", RewardRunLog),
                               ("rlhf_tab.tab", "RLHFTab", RLHFRunLog)):
        cls = getattr(sys.modules.get(f"{__package__}.{module}"), name, None)
        if cls is not None and isinstance(tab, cls):
            return kind
    return None


def exports_for(tab):
    """The export adapter of tab 3 or 4, or None for other tabs."""
    kind = _log_kind(tab)
    if kind is None:
        return None
    watch(tab)
    log = tab.controller.findChild(kind)
    return RewardExports(tab, log) if kind is RewardRunLog else RLHFExports(tab, log)
