"""Guided walkthroughs of the RLHF pipeline: the Reward model tab ("reward") and the RLHF tab
("rlhf"). Same file format as the policy lessons (`explainer-lesson`, version 1, a caption per
step), but a step's "do" list holds *actions* of the tab's controller rather than calls of a
scripting API, because those tabs train torch models in a separate process:

    {"format": "explainer-lesson", "version": 1, "lesson": "reward", "title": "…",
     "steps": [{"caption": "Held-out accuracy: {held_out_accuracy}.",
                "do": [{"op": "train", "args": {"steps": 25}}]}]}

Every action is checked here, before anything runs in front of an audience: its name, its
arguments' names, types and ranges, and for the Reward model tab every prompt and response id
against the rankings as the earlier steps left them (a lesson starts from the shipped rankings and
an untrained Reward model; the RLHF lesson from the fine-tuned Policy with the default settings).
A caption may name live values in braces ({held_out_accuracy}); the tab fills them from the
records it shows. Headless: no Qt, no torch.
"""
from __future__ import annotations

import json
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from explainer.paths import read_text
from explainer.core.language import rankings
from explainer.core.common.checks import is_finite_number
from explainer.core.rlhf.settings import DEFAULTS as RLHF_DEFAULTS, PRESETS as RLHF_PRESETS, checked_setting

MAX_ACTIONS_PER_STEP = 20
MAX_TEXT = 200
MAX_REWARD_STEPS = 1000
MAX_UPDATES = 400
MISSING = "—"   # a live value not known yet (the model is still being built)

# Live values a caption may name, per tab (the tab fills them from its records).
PLACEHOLDERS = {
    "reward": ("step", "train_accuracy", "held_out_accuracy", "mean_loss", "held_out_loss",
               "r_better", "r_worse", "d", "sigma_d", "pair_loss", "probe_reward"),
    "rlhf": ("update", "phase", "mean_reward", "true_score", "kl", "beta", "learning_rate",
             "sft_loss", "rm_score", "shaped_reward"),
}


class ActionError(ValueError):
    """A bad action; the walkthrough loader reports it as a LessonError with its place."""


@dataclass(frozen=True)
class Action:
    op: str
    args: Mapping[str, object]


@dataclass(frozen=True)
class PipelineStep:
    caption: str
    actions: tuple[Action, ...]

    @property
    def calls(self) -> tuple[dict, ...]:
        """The actions as plain dicts, as a policy lesson's step lists its calls."""
        return tuple({"op": a.op, "args": dict(a.args)} for a in self.actions)


@dataclass(frozen=True)
class PipelineWalkthrough:
    title: str
    lesson: str          # "reward" or "rlhf"
    init: dict
    steps: tuple[PipelineStep, ...]

    def actions_until(self, index: int) -> list[Action]:
        """The actions of steps 1..index+1, in order: what rebuilds step `index` from the start."""
        return [a for step in self.steps[: index + 1] for a in step.actions]

    def caption(self, index: int, values: Mapping[str, str]) -> str:
        """Step `index`'s caption with its live values filled in ("—" where not known yet)."""
        return fill(self.steps[index].caption, values)


def fill(caption: str, values: Mapping[str, str]) -> str:
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(caption):
        out.append(literal)
        if name is not None:
            out.append(str(values.get(name, MISSING)))
    return "".join(out)


# --- arguments ------------------------------------------------------------------------------------
def _integer(low: int, high: int) -> Callable:
    def check(name, value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ActionError(f"'{name}' must be a whole number from {low} to {high}")
        return value
    return check


def _number(low: float, high: float) -> Callable:
    def check(name, value):
        if not is_finite_number(value) or not low <= value <= high:
            raise ActionError(f"'{name}' must be a number from {low} to {high}")
        return float(value)
    return check


def _choice(*allowed) -> Callable:
    def check(name, value):
        if not isinstance(value, str) or value not in allowed:
            raise ActionError(f"'{name}' must be one of {list(allowed)}")
        return value
    return check


def _text(name, value):
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise ActionError(f"'{name}' must be text of 1 to {MAX_TEXT} characters")
    return value


def _typed(name, value):
    """What the audience may type (empty clears it)."""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ActionError(f"'{name}' must be text of at most {MAX_TEXT} characters")
    return value


def _flag(name, value):
    if not isinstance(value, bool):
        raise ActionError(f"'{name}' must be true or false")
    return value


def _ids(name, value):
    if not isinstance(value, list) or not 2 <= len(value) <= 26 \
            or not all(isinstance(v, str) for v in value):
        raise ActionError(f"'{name}' must be a list of response ids")
    return tuple(value)


def _any_value(name, value):
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ActionError(f"'{name}' must be a number or a name")
    return value


# op → ({argument: check}, {optional argument: (check, default)})
REWARD_OPS: dict[str, tuple[dict, dict]] = {
    "reset_model": ({}, {}),
    "select_prompt": ({"prompt": _text}, {}),
    "select_pair": ({"prompt": _text, "better": _text, "worse": _text}, {}),
    "order": ({"prompt": _text, "order": _ids}, {}),
    "compare": ({"prompt": _text, "better": _text, "worse": _text}, {}),
    "held_out": ({"prompt": _text, "held_out": _flag}, {}),
    "train": ({"steps": _integer(1, MAX_REWARD_STEPS)}, {}),
    "probe": ({"text": _typed}, {}),
    "show": ({"view": _choice("drag", "compare")}, {}),
}
RLHF_OPS: dict[str, tuple[dict, dict]] = {
    "stage": ({"stage": _choice("pretraining", "sft", "policy", "results")}, {}),
    "run_sft": ({}, {}),
    "sample": ({"prompt": _text}, {"temperature": (_number(0.1, 2.0), 1.0),
                                   "seed": (_integer(0, 2**31 - 1), 1)}),
    "step": ({}, {}),
    "train": ({"updates": _integer(1, MAX_UPDATES)}, {}),
    "preset": ({"name": _choice(*RLHF_PRESETS)}, {}),
    "set": ({"name": _choice(*RLHF_DEFAULTS), "value": _any_value}, {}),
    "fix_hacking": ({"updates": _integer(0, MAX_UPDATES)}, {}),
}
OPS = {"reward": REWARD_OPS, "rlhf": RLHF_OPS}


def checked_action(kind: str, call) -> Action:
    """One {"op": name, "args": {...}} checked against the tab's actions (ActionError if bad)."""
    if not isinstance(call, dict) or not isinstance(call.get("op"), str):
        raise ActionError("an action needs an 'op' name")
    ops = OPS[kind]
    op, args = call["op"], call.get("args", {})
    if op not in ops:
        raise ActionError(f"unknown action {op!r} (one of {sorted(ops)})")
    if not isinstance(args, dict):
        raise ActionError(f"{op}: 'args' must be an object")
    unknown = set(call) - {"op", "args"}
    if unknown:
        raise ActionError(f"{op}: unknown key {sorted(unknown)[0]!r}")
    required, optional = ops[op]
    extra = set(args) - set(required) - set(optional)
    if extra:
        raise ActionError(f"{op}: unknown argument {sorted(extra)[0]!r}")
    checked = {}
    for name, check in required.items():
        if name not in args:
            raise ActionError(f"{op}: needs '{name}'")
        checked[name] = check(name, args[name])
    for name, (check, default) in optional.items():
        checked[name] = check(name, args[name]) if name in args else default
    if op == "set":
        try:
            checked["value"] = checked_setting(checked["name"], checked["value"])
        except (TypeError, ValueError) as exc:
            raise ActionError(f"set: {exc}") from None
    return Action(op, MappingProxyType(checked))


# --- what the actions change, checked as the lesson goes --------------------------------------
class _RewardState:
    """The rankings as a reward lesson leaves them step by step: ids must exist when named."""

    def __init__(self) -> None:
        self.feedback = rankings.default_feedback()

    def apply(self, action: Action) -> None:
        a, fb = action.args, self.feedback
        if "prompt" in a:
            try:
                prompt = fb.prompt(a["prompt"])
            except (KeyError, ValueError, rankings.FeedbackError):
                raise ActionError(f"{action.op}: no prompt {a['prompt']!r} in the rankings") from None
            ids = {r.id for r in prompt.responses}
            for name in ("better", "worse"):
                if name in a and a[name] not in ids:
                    raise ActionError(f"{action.op}: prompt {prompt.id} has no response {a[name]!r}")
        try:
            if action.op == "select_pair":
                pairs = {(p.prompt_id, p.better_id, p.worse_id) for p in fb.pairs()}
                if (a["prompt"], a["better"], a["worse"]) not in pairs:
                    raise ActionError(f"select_pair: {a['better']} ≻ {a['worse']} is not a pair "
                                      "of the rankings")
            elif action.op == "order":
                self.feedback = fb.set_ordering(a["prompt"], a["order"])
            elif action.op == "compare":
                self.feedback = fb.add_comparison(a["prompt"], a["better"], a["worse"])
            elif action.op == "held_out":
                self.feedback = fb.set_held_out(a["prompt"], a["held_out"])
        except ActionError:
            raise
        except (KeyError, ValueError, rankings.FeedbackError) as exc:
            raise ActionError(f"{action.op}: {exc}") from None


class _RLHFState:
    """What an RLHF lesson may sample: the prompts of stage 1 (fine-tuned and new ones)."""

    def __init__(self) -> None:
        self.prompts = sft_prompt_texts()

    def apply(self, action: Action) -> None:
        if action.op == "sample" and action.args["prompt"] not in self.prompts:
            raise ActionError(f"sample: {action.args['prompt']!r} is not one of stage 1's prompts")


def sft_prompt_texts() -> frozenset[str]:
    """The demonstrations' prompts and the unseen ones (read without torch)."""
    data = json.loads(read_text("rlhf", "demonstrations.json"))
    return frozenset([d["prompt"] for d in data["demonstrations"]] + list(data["unseen_prompts"]))


# --- the file --------------------------------------------------------------------------------------
def parse_pipeline_lesson(data: dict, source: str, error: type[Exception],
                          max_steps: int) -> PipelineWalkthrough:
    """A parsed `explainer-lesson` object whose lesson is "reward" or "rlhf", checked whole."""
    kind, title, init = data.get("lesson"), data.get("title"), data.get("init", {})
    if not isinstance(title, str) or not title.strip():
        raise error(f"{source}: needs a 'title'")
    if not isinstance(init, dict) or init:
        raise error(f"{source}: the {kind} tab's lessons take no 'init' (they start from the "
                    "shipped rankings and the default settings)")
    steps = data.get("steps")
    if not isinstance(steps, list) or not 1 <= len(steps) <= max_steps:
        raise error(f"{source}: 'steps' must be a list of 1 to {max_steps} steps")
    state = _RewardState() if kind == "reward" else _RLHFState()
    parsed = []
    for index, step in enumerate(steps):
        where = f"{source}, step {index + 1}"
        if not isinstance(step, dict) or not isinstance(step.get("caption"), str) \
                or not step["caption"].strip():
            raise error(f"{where}: needs a 'caption'")
        _check_placeholders(kind, step["caption"], where, error)
        calls = step.get("do", [])
        if not isinstance(calls, list) or len(calls) > MAX_ACTIONS_PER_STEP:
            raise error(f"{where}: 'do' must be a list of at most {MAX_ACTIONS_PER_STEP} actions")
        actions = []
        for call in calls:
            try:
                action = checked_action(kind, call)
                state.apply(action)
            except ActionError as exc:
                raise error(f"{where}: {exc}") from None
            actions.append(action)
        parsed.append(PipelineStep(step["caption"][:600], tuple(actions)))
    return PipelineWalkthrough(title[:120], kind, {}, tuple(parsed))


def _check_placeholders(kind: str, caption: str, where: str, error: type[Exception]) -> None:
    try:
        parts = list(string.Formatter().parse(caption))
    except ValueError as exc:
        raise error(f"{where}: braces in the caption ({exc}); write {{{{ for a brace") from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS[kind] or spec or conversion:
            raise error(f"{where}: unknown live value {{{name}}} (one of "
                        f"{', '.join(PLACEHOLDERS[kind])})")
