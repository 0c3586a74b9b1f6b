"""The Reward model tab's guided walkthrough: its actions, and the live values its captions name.

A lesson starts from the shipped rankings (one Undo step: Undo brings the lecturer's own back) and
an untrained Reward model with the default learning rate and Adam. Back rebuilds the earlier step
from that start: the Reward model is small and seeded, so replaying a lesson's few dozen training
steps shows exactly what was shown before, in about 2 s (most of it the views redrawing).
"""
from __future__ import annotations

from PySide6 import QtCore

from ...core.language import rankings
from ...core.language.reward_training import DEFAULT_LEARNING_RATE
from ..widgets.format import num
from ..training.pipeline_walk import Actor
from .training_controls import position_from_lr


class RewardActor(Actor):
    # Training steps add up in the process and every other action is the window's own: a step's
    # actions are issued at once, and the player waits once, for all of them.
    sync_each_job = False

    def __init__(self, tab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.controller = c = tab.controller
        self._first = True
        c.process.received.connect(self._on_message)
        c.process.exited.connect(lambda code: self.lost.emit(
            f"the Reward model's training process stopped (exit code {code})"))

    def _on_message(self, kind: str, payload) -> None:
        if kind == "synced":
            self.synced.emit(payload)

    # --- the lesson's start -------------------------------------------------------------------------
    def begin(self) -> None:
        self._first = True

    def restart_jobs(self) -> list:
        return [self._restart]

    def _restart(self) -> str:
        c, t = self.controller, self.tab
        c.pause()
        # The lecturer's own rankings are one Undo away; rebuilding for Back adds no Undo steps.
        c.replace_feedback(rankings.default_feedback(), undoable=self._first)
        self._first = False
        t.controls.lr_slider.setValue(position_from_lr(DEFAULT_LEARNING_RATE))
        t.controls.optimizer.setCurrentIndex(t.controls.optimizer.findData("adam"))
        self._set_probe("")
        t.ranking_tabs.setCurrentIndex(0)
        c.reset_model()
        c.select_prompt(c.feedback.prompts[0].id)
        return "Loading the shipped rankings, untrained Reward model…"

    # --- actions ------------------------------------------------------------------------------------
    def run(self, action) -> str:
        with self.controller.unlocked():   # the lecturer's edits wait; the lesson's own go through
            return self._run(action)

    def _run(self, action) -> str:
        c, a = self.controller, action.args
        if action.op == "reset_model":
            c.reset_model()
        elif action.op == "select_prompt":
            c.select_prompt(a["prompt"])
        elif action.op == "select_pair":
            c.select_pair(a["prompt"], a["better"], a["worse"])
        elif action.op == "order":
            c.apply("set_ordering", a["prompt"], list(a["order"]))
        elif action.op == "compare":
            c.apply("add_comparison", a["prompt"], a["better"], a["worse"])
        elif action.op == "held_out":
            c.apply("set_held_out", a["prompt"], a["held_out"])
        elif action.op == "train":
            c.train(a["steps"])
            return f"Training the Reward model for {a['steps']} batch{'es' if a['steps'] > 1 else ''}…"
        elif action.op == "probe":
            self._set_probe(a["text"])
        elif action.op == "show":
            self.tab.ranking_tabs.setCurrentWidget(self.tab.compare if a["view"] == "compare"
                                                   else self.tab.ranking_tabs.widget(0))
        return ""

    def _set_probe(self, text: str) -> None:
        edit = self.tab.probe.edit
        with QtCore.QSignalBlocker(edit):   # no second, delayed request from typing
            edit.setText(text)
        self.controller.set_probe(text)

    # --- waiting --------------------------------------------------------------------------------------
    def sync(self, token: int) -> None:
        self.controller.command("sync", token)

    def settled(self) -> bool:
        return self.controller.settled()

    # --- what captions may name ---------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        c = self.controller
        snap = c.snapshot
        values = {"step": str(snap.step),
                  "train_accuracy": _percent(snap.accuracy(False)),
                  "held_out_accuracy": _percent(snap.accuracy(True)),
                  "mean_loss": num(snap.mean_loss(False), 3),
                  "held_out_loss": num(snap.mean_loss(True), 3)}
        row = snap.row(*c.selected_pair) if c.selected_pair else None
        if row is not None:
            values.update(r_better=num(row.r_better, 3, signed=True),
                          r_worse=num(row.r_worse, 3, signed=True), d=num(row.d, 3, signed=True),
                          sigma_d=num(row.sigma_d, 3), pair_loss=num(row.loss, 3))
        if snap.probe is not None and snap.probe.text == c.probe_text:
            values["probe_reward"] = num(snap.probe.reward, 3, signed=True)
        return values


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"
