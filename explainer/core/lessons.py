"""The lessons, one `LessonSpec` each, in tab order: what the window, sessions, walkthroughs, the
CLI and "Export as code" read instead of naming the lessons themselves.

Adding a lesson is its core module, its tab package and one `register(LessonSpec(...))` here.
Headless: a spec names its tab and its Qt-side exports as "module:attribute" text, resolved only
by the Qt layer (`explainer.ui.shell.lesson_tabs`) when it builds them, so the core never imports Qt and
the window's first paint imports only the first lesson's tab. Nor torch: the trained lessons' runs
live in their training processes, so their specs hold no run class.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache

from explainer.core.common.stepper import operations

STEPPED_EXPORT_OPTIONS = ("--worked-example", "--walkthrough", "--step", "--steps", "--episodes",
                          "--seed")


@dataclass(frozen=True)
class LessonSpec:
    key: str      # `--lesson`, lesson files' "lesson", exported code; the window's `<key>_tab`
    title: str    # the tab's title after its number ("Policy gradients")
    tab: str      # "module:callable" building the tab (a QWidget class, or a function given
    #               the window's tab lookup, key -> tab)
    session_key: str = ""    # its part in a session file ("" for the key itself)
    # a stepped lesson's `Stepper` subclass, or its "module:Class" (imported when first asked for,
    # so the first paint imports only the first lesson's run): its @logged calls are the log
    run: type | str | None = None
    fields: tuple[str, ...] = ()   # record fields an exported script prints, named as in the notes
    model_name: str = ""     # a trained lesson's models, as messages name them
    training_exports: str = ""    # "module:class" of a trained lesson's export adapter
    walkthrough: str = ""    # "calls" (scripting-API calls) or "actions" (the tab's actions)
    export_options: tuple[str, ...] = STEPPED_EXPORT_OPTIONS   # `explainer export` options it takes
    short_title: str = ""    # the tab's title where the full ones do not fit ("" for the title)

    @property
    def part(self) -> str:
        """Its key in a session file's parts."""
        return self.session_key or self.key

    @property
    def tab_title(self) -> str:
        """The title a narrow row of tabs shows."""
        return self.short_title or self.title

    @property
    def run_class(self) -> type | None:
        return _resolved(self.run) if isinstance(self.run, str) else self.run

    @property
    def stepped(self) -> bool:
        return self.run is not None


@lru_cache(maxsize=None)
def _resolved(path: str) -> type:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


_LESSONS: dict[str, LessonSpec] = {}


def register(spec: LessonSpec) -> None:
    """Add a lesson after the others (its tab last, its Ctrl+N key the next number)."""
    taken = {s.part for s in _LESSONS.values()}
    if spec.key in _LESSONS or spec.part in taken:
        raise ValueError(f"a lesson {spec.key!r} (session part {spec.part!r}) is registered")
    if spec.walkthrough not in ("", "calls", "actions"):
        raise ValueError(f"lesson {spec.key}: walkthrough must be 'calls' or 'actions'")
    _LESSONS[spec.key] = spec


def unregister(key: str) -> None:
    del _LESSONS[key]


def all_lessons() -> tuple[LessonSpec, ...]:
    return tuple(_LESSONS.values())


def lesson(key: str) -> LessonSpec:
    """The spec of lesson `key`; KeyError if there is none."""
    return _LESSONS[key]


def find(key: str) -> LessonSpec | None:
    return _LESSONS.get(key)


def number(key: str) -> int:
    """Its tab's number, 1 for the first."""
    return list(_LESSONS).index(key) + 1


def stepped() -> dict[str, LessonSpec]:
    """The lessons whose runs step in the window (sessions replay their logs)."""
    return {key: spec for key, spec in _LESSONS.items() if spec.stepped}


def with_part(part: str) -> LessonSpec | None:
    """The lesson saved as session part `part`."""
    return next((spec for spec in _LESSONS.values() if spec.part == part), None)


def ops(key: str) -> dict[str, frozenset[str]]:
    """A stepped lesson's loggable calls and their arguments, read off its run class."""
    return operations(lesson(key).run_class)


register(LessonSpec(
    key="essentials", title="RL essentials", tab="explainer.ui.essentials_tab.tab:EssentialsTab",
    run="explainer.core.fries.essentials:EssentialsRun", walkthrough="calls",
    fields=("p_squatch", "u", "action", "outcome", "target", "learning_rate", "step",
            "p_squatch_after")))
register(LessonSpec(
    key="policy", title="Policy gradients", tab="explainer.ui.policy_tab.tab:PolicyTab",
    run="explainer.core.fries.policy_gradient:PolicyGradientRun", walkthrough="calls",
    fields=("x", "p_a", "p_b", "u", "action", "loss", "dloss_dp", "dp_dx", "dloss_db", "outcome",
            "reward", "updated_dloss_db", "learning_rate", "step_size", "bias_before",
            "bias_after", "weight_after")))
register(LessonSpec(
    key="reward", title="Reward model", tab="explainer.ui.reward_tab.tab:RewardTab",
    session_key="reward_model", model_name="the Reward model", walkthrough="actions",
    training_exports="explainer.ui.training_exports.reward:RewardExports",
    export_options=("--train-steps",)))
register(LessonSpec(
    key="rlhf", title="RLHF: SFT and policy optimisation", short_title="RLHF", tab="explainer.ui.rlhf_tab.tab:for_window",
    model_name="the RLHF models", walkthrough="actions",
    training_exports="explainer.ui.training_exports.rlhf:RLHFExports",
    export_options=("--updates", "--sft", "--seed")))
