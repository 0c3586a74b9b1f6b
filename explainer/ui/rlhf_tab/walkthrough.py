"""The RLHF tab's guided walkthrough: its actions, its Back, and the live values captions name.

A lesson starts from the fine-tuned Policy with seed 0, the default settings and the Reward model
first built (on the shipped rankings), even after a fix retrained another one. After each step
the training process keeps a checkpoint of stage 3 (`training.rlhf_service`), and this side keeps
what the window showed around it (the stage, the preset's note, the shared rankings, which a fix
changes); Back restores both in a few milliseconds. Only if the process was restarted since (its
checkpoints are gone) does Back rebuild the step from the start, replaying its actions.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...core.rlhf.settings import DEFAULT_SEED
from ..widgets.format import num
from ..training.pipeline_walk import Actor
from .sft_panel import SFTShown


@dataclass(frozen=True)
class _Shown:
    """What the window showed after a step, beside the process's checkpoint."""
    stage: int
    preset_note: str
    feedback: object
    sft: SFTShown   # stage 1: its loss curve, report and answers (none before the SFT step)


class RLHFActor(Actor):
    def __init__(self, tab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.controller = c = tab.controller
        self._shown: dict[int, _Shown] = {}
        c.process.received.connect(self._on_message)
        c.process.exited.connect(self._on_exited)

    def _on_message(self, kind: str, payload) -> None:
        if kind == "synced":
            self.synced.emit(payload)

    def _on_exited(self, code: int) -> None:
        self._shown.clear()   # the process's checkpoints went with it
        self.lost.emit(f"the training process stopped (exit code {code})")

    # --- the lesson's start ---------------------------------------------------------------------
    def begin(self) -> None:
        self._shown.clear()

    def restart_jobs(self) -> list:
        return [self._restart]

    def _restart(self) -> str:
        c, p = self.controller, self.tab.policy
        c.reset(DEFAULT_SEED)          # the controller's seed too
        self.controller.command("start_lesson", DEFAULT_SEED)
        p.preset_caption.hide()
        self.tab.sft.show_shown(SFTShown())   # no fine-tuning shown until the lesson's SFT step
        return "Starting from the fine-tuned Policy (the first time, building the models)…"

    # --- actions ----------------------------------------------------------------------------------
    def run(self, action) -> str:
        c, t, a = self.controller, self.tab, action.args
        if action.op == "stage":
            t.stages.setCurrentWidget({"pretraining": t.stage0, "sft": t.sft, "policy": t.policy,
                                       "results": t.results}[a["stage"]])
        elif action.op == "run_sft":
            t.stages.setCurrentWidget(t.sft)
            c.run_sft()
            return "Fine-tuning on the demonstrations (SFT)…"
        elif action.op == "sample":
            t.stages.setCurrentWidget(t.sft)
            t.sft.temperature.set_value(a["temperature"])
            c.sample_seeded(a["prompt"], a["temperature"], a["seed"])
            return "Sampling four answers…"
        elif action.op == "step":
            t.stages.setCurrentWidget(t.policy)
            c.next()
        elif action.op == "train":
            t.stages.setCurrentWidget(t.results)   # many updates are watched on their plots
            c.train(a["updates"])
            return f"Training {a['updates']} policy updates…"
        elif action.op == "preset":
            t.policy.apply_preset(a["name"])
        elif action.op == "set":
            c.set_setting(a["name"], a["value"])
        elif action.op == "fix_hacking":
            t.stages.setCurrentWidget(t.results)
            c.fix_hacking(a["updates"])
            return ("Ranking the degenerate answers as worse, retraining the Reward model, then "
                    f"{a['updates']} updates…")
        return ""

    def after_step(self, index: int) -> list:
        return [lambda: self._checkpoint(index)]

    def _checkpoint(self, index: int) -> str:
        t = self.tab
        note = t.policy.preset_caption.text() if t.policy.preset_caption.isVisibleTo(t) else ""
        self._shown = {k: v for k, v in self._shown.items() if k < index}
        self._shown[index] = _Shown(t.stages.currentIndex(), note, self.controller.link.feedback(),
                                    t.sft.shown())
        self.controller.command("checkpoint", index)
        return ""

    # --- back -------------------------------------------------------------------------------------
    def back_jobs(self, walk, index: int) -> list:
        if index not in self._shown:   # no checkpoint (the process was restarted): rebuild
            return super().back_jobs(walk, index) + self.after_step(index)
        return [lambda: self._restore(index)]

    def _restore(self, index: int) -> str:
        c, t, shown = self.controller, self.tab, self._shown[index]
        c.stop()
        self._shown = {k: v for k, v in self._shown.items() if k <= index}
        if c.link.feedback() is not shown.feedback:   # a fix since then changed the rankings
            c.link.set_feedback(shown.feedback)
        t.stages.setCurrentIndex(shown.stage)
        t.sft.show_shown(shown.sft)
        t.policy.preset_caption.setText(shown.preset_note)
        t.policy.preset_caption.setVisible(bool(shown.preset_note))
        self.controller.command("restore", index)
        return ""

    # --- waiting ----------------------------------------------------------------------------------
    def sync(self, token: int) -> None:
        self.controller.command("sync", token)

    def settled(self) -> bool:
        return self.controller.settled()

    # --- what captions may name -----------------------------------------------------------------
    def values(self) -> dict[str, str]:
        c = self.controller
        r, s, settings = c.record, c.series, c.settings
        values = {"beta": num(settings.get("beta"), 2),
                  "learning_rate": num(settings.get("learning_rate"), 4)}
        if s is not None and s.update:
            values.update(update=str(s.update[-1]), mean_reward=num(s.reward[-1], 3),
                          true_score=num(s.true_score[-1], 3), kl=num(s.kl[-1], 3))
        if r is not None:
            values.update(update=str(r.update + 1), phase=r.phase.capitalize())
            if r.rm_scores:
                values["rm_score"] = num(r.rm_scores[0], 3)
            if r.shaped_rewards:
                values["shaped_reward"] = num(r.shaped_rewards[0], 3, signed=True)
        losses = c.sft.losses if c.sft is not None else c.sft_losses
        if losses:
            values["sft_loss"] = num(losses[-1], 3)
        return values
