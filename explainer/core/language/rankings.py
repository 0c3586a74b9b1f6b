"""Human feedback: prompts, candidate responses, and people's rankings of them.

An ordering best → worst of n responses implies n(n−1)/2 pairs (each response before another is
"better"); explicit comparisons add single pairs, and ties add none. The reward model trains on pairs.

Feedback is immutable: every edit returns a new Feedback, so the tab can keep an undo history.
Files are JSON only (never pickle or eval), validated field by field; anything malformed raises
FeedbackError with a message that says what is wrong and where. Saving is atomic.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from explainer.paths import read_text
from explainer.core.files.jsonfile import atomic_write, checked_header, parse_json, read_text_file

FORMAT = "explainer-feedback"
MAX_BYTES = 5 * 1024 * 1024
MAX_TEXT = 500          # characters in a prompt or response
MAX_RESPONSES = 20      # per prompt: an ordering of 20 already gives 190 pairs
MAX_PROMPTS = 1000


class FeedbackError(ValueError):
    pass


@dataclass(frozen=True)
class Response:
    id: str
    text: str


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str
    responses: tuple[Response, ...] = ()
    held_out: bool = False   # its pairs are kept for measuring the reward model, not training it

    def response(self, response_id: str) -> Response:
        for r in self.responses:
            if r.id == response_id:
                return r
        raise FeedbackError(f"prompt {self.id} has no response {response_id!r}")


@dataclass(frozen=True)
class Comparison:
    prompt_id: str
    better: str
    worse: str
    tie: bool = False        # then better/worse are just the two responses judged equal


@dataclass(frozen=True)
class Pair:
    prompt_id: str
    prompt: str
    better_id: str
    better: str
    worse_id: str
    worse: str
    source: str              # "ordering" or "comparison"

    def triple(self) -> tuple[str, str, str]:
        """(prompt, better, worse): what RewardTrainer reads."""
        return self.prompt, self.better, self.worse


@dataclass(frozen=True)
class Contradiction:
    prompt_id: str
    cycle: tuple[str, ...]   # response ids a > b > … > a, the first repeated at the end


@dataclass(frozen=True)
class Feedback:
    prompts: tuple[Prompt, ...] = ()
    orderings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    comparisons: tuple[Comparison, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "orderings", MappingProxyType(dict(self.orderings)))

    # --- reading --------------------------------------------------------------------------------
    def prompt(self, prompt_id: str) -> Prompt:
        for p in self.prompts:
            if p.id == prompt_id:
                return p
        raise FeedbackError(f"no prompt {prompt_id!r}")

    def pairs(self, held_out: bool | None = None) -> list[Pair]:
        """Every (better, worse) pair: from each ordering (i before j), then explicit comparisons.
        held_out=None gives all prompts' pairs, True only held-out prompts', False only the rest."""
        out = []
        for p in self.prompts:
            if held_out is None or p.held_out == held_out:
                out += self._pairs_of(p)
        return out

    def _pairs_of(self, p: Prompt) -> list[Pair]:
        text = {r.id: r.text for r in p.responses}

        def pair(b: str, w: str, source: str) -> Pair:
            return Pair(p.id, p.text, b, text[b], w, text[w], source)

        order = self.orderings.get(p.id, ())
        out = [pair(b, w, "ordering") for i, b in enumerate(order) for w in order[i + 1:]]
        return out + [pair(c.better, c.worse, "comparison")
                      for c in self.comparisons if c.prompt_id == p.id and not c.tie]

    def ties(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.tie]

    def contradictions(self) -> list[Contradiction]:
        """Preference cycles in each prompt's pairs: A > B with B > A, or A > B > C > A.

        An ordering alone never has one, so each cycle runs through an explicit comparison:
        for each comparison better > worse, the shortest chain worse > … > better closes a cycle.
        """
        out = []
        for p in self.prompts:
            pairs, seen = self._pairs_of(p), set()
            edges: dict[str, set[str]] = {}
            for pair in pairs:
                edges.setdefault(pair.better_id, set()).add(pair.worse_id)
            for pair in pairs:
                path = _shortest_path(edges, pair.worse_id, pair.better_id)
                if pair.source != "comparison" or path is None:
                    continue
                cycle = (pair.better_id, *path)
                key = min(cycle[i:-1] + cycle[:i] for i in range(len(cycle) - 1))
                if key not in seen:
                    seen.add(key)
                    out.append(Contradiction(p.id, cycle))
        return out

    def prompts_needing_feedback(self) -> list[Prompt]:
        """Prompts that give no pair yet, so the reward model learns nothing from them."""
        return [p for p in self.prompts if not self._pairs_of(p)]

    # --- editing (each returns a new, validated Feedback) ---------------------------------------
    def add_prompt(self, text: str, held_out: bool = False) -> Feedback:
        """The new prompt comes last, with id p01, p02, … (the next free number)."""
        numbers = [int(p.id[1:]) for p in self.prompts if p.id[:1] == "p" and p.id[1:].isdigit()]
        new = Prompt(f"p{max(numbers, default=0) + 1:02d}", _clean(text), (), bool(held_out))
        return self._with(prompts=(*self.prompts, new))

    def edit_prompt(self, prompt_id: str, text: str) -> Feedback:
        return self._with_prompt(replace(self.prompt(prompt_id), text=_clean(text)))

    def delete_prompt(self, prompt_id: str) -> Feedback:
        self.prompt(prompt_id)
        return self._with(prompts=tuple(p for p in self.prompts if p.id != prompt_id),
                          orderings={k: v for k, v in self.orderings.items() if k != prompt_id},
                          comparisons=tuple(c for c in self.comparisons if c.prompt_id != prompt_id))

    def set_held_out(self, prompt_id: str, held_out: bool) -> Feedback:
        return self._with_prompt(replace(self.prompt(prompt_id), held_out=bool(held_out)))

    def add_response(self, prompt_id: str, text: str) -> Feedback:
        """The new response comes last in its prompt, with id <prompt id>-a, -b, … (the next free)."""
        p = self.prompt(prompt_id)
        taken = {r.id for q in self.prompts for r in q.responses}
        new_id = next(i for i in _response_ids(prompt_id) if i not in taken)
        return self._with_prompt(replace(p, responses=(*p.responses, Response(new_id, _clean(text)))))

    def edit_response(self, prompt_id: str, response_id: str, text: str) -> Feedback:
        p = self.prompt(prompt_id)
        p.response(response_id)
        responses = tuple(Response(r.id, _clean(text)) if r.id == response_id else r
                          for r in p.responses)
        return self._with_prompt(replace(p, responses=responses))

    def delete_response(self, prompt_id: str, response_id: str) -> Feedback:
        """Also drops the response from its prompt's ordering and comparisons."""
        p = self.prompt(prompt_id)
        p.response(response_id)
        orderings = dict(self.orderings)
        if prompt_id in orderings:
            orderings[prompt_id] = tuple(i for i in orderings[prompt_id] if i != response_id)
        comparisons = tuple(c for c in self.comparisons
                            if c.prompt_id != prompt_id or response_id not in (c.better, c.worse))
        p = replace(p, responses=tuple(r for r in p.responses if r.id != response_id))
        return replace(self, orderings=orderings, comparisons=comparisons)._with_prompt(p)

    def set_ordering(self, prompt_id: str, ids: Iterable[str]) -> Feedback:
        """Rank some or all of a prompt's responses best → worst; an empty ordering removes it."""
        self.prompt(prompt_id)
        orderings = dict(self.orderings)
        orderings[prompt_id] = tuple(ids)
        if not orderings[prompt_id]:
            del orderings[prompt_id]
        return self._with(orderings=orderings)

    def add_comparison(self, prompt_id: str, better: str, worse: str) -> Feedback:
        return self._with(comparisons=(*self.comparisons, Comparison(prompt_id, better, worse)))

    def add_tie(self, prompt_id: str, first: str, second: str) -> Feedback:
        return self._with(comparisons=(*self.comparisons, Comparison(prompt_id, first, second, True)))

    def remove_last_comparison(self) -> Feedback:
        return self._with(comparisons=self.comparisons[:-1])

    def _with_prompt(self, new: Prompt) -> Feedback:
        return self._with(prompts=tuple(new if p.id == new.id else p for p in self.prompts))

    def _with(self, **changes) -> Feedback:
        feedback = replace(self, **changes)
        validate(feedback)
        return feedback

    # --- JSON -----------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "format": FORMAT, "version": 1,
            "prompts": [{"id": p.id, "text": p.text, "held_out": p.held_out,
                         "responses": [{"id": r.id, "text": r.text} for r in p.responses]}
                        for p in self.prompts],
            "orderings": [{"prompt_id": k, "order": list(v)} for k, v in self.orderings.items()],
            "comparisons": [{"prompt_id": c.prompt_id, "tie": [c.better, c.worse]} if c.tie else
                            {"prompt_id": c.prompt_id, "better": c.better, "worse": c.worse}
                            for c in self.comparisons],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"


def _response_ids(prompt_id: str):
    yield from (f"{prompt_id}-{chr(ord('a') + k)}" for k in range(26))
    k = 27
    while True:
        yield f"{prompt_id}-{k}"
        k += 1


def _clean(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise FeedbackError("a prompt or response needs some text")
    if len(text) > MAX_TEXT:
        raise FeedbackError(f"a prompt or response is limited to {MAX_TEXT} characters")
    return text.strip()


def _shortest_path(edges: dict[str, set[str]], start: str, goal: str) -> tuple[str, ...] | None:
    """start > … > goal along the fewest pairs (breadth first), or None if goal is not below start."""
    paths, frontier = {start: (start,)}, [start]
    while frontier:
        nxt = []
        for node in frontier:
            for w in sorted(edges.get(node, ())):
                if w not in paths:
                    paths[w] = paths[node] + (w,)
                    if w == goal:
                        return paths[w]
                    nxt.append(w)
        frontier = nxt
    return None


# --- validation -----------------------------------------------------------------------------------
def validate(feedback: Feedback) -> None:
    """Raise FeedbackError unless every id is unique and every reference points at a known id."""
    if len(feedback.prompts) > MAX_PROMPTS:
        raise FeedbackError(f"more than {MAX_PROMPTS} prompts")
    owner: dict[str, str] = {}
    prompt_ids: set[str] = set()
    for p in feedback.prompts:
        if p.id in prompt_ids:
            raise FeedbackError(f"prompt id {p.id!r} is used twice")
        prompt_ids.add(p.id)
        if len(p.responses) > MAX_RESPONSES:
            raise FeedbackError(f"prompt {p.id}: more than {MAX_RESPONSES} responses")
        for r in p.responses:
            if r.id in owner:
                raise FeedbackError(f"response id {r.id!r} is used twice")
            owner[r.id] = p.id
    for prompt_id, order in feedback.orderings.items():
        where = f"ordering of {prompt_id}"
        _check_refs(where, prompt_id, order, prompt_ids, owner)
        if len(set(order)) != len(order):
            raise FeedbackError(f"{where}: a response appears twice")
    for c in feedback.comparisons:
        where = f"comparison in {c.prompt_id}"
        _check_refs(where, c.prompt_id, (c.better, c.worse), prompt_ids, owner)
        if c.better == c.worse:
            raise FeedbackError(f"{where}: a response is compared with itself")


def _check_refs(where: str, prompt_id: str, ids: Iterable[str], prompt_ids: set[str],
                owner: dict[str, str]) -> None:
    if prompt_id not in prompt_ids:
        raise FeedbackError(f"{where}: unknown prompt id {prompt_id!r}")
    for i in ids:
        if owner.get(i) != prompt_id:
            raise FeedbackError(f"{where}: {i!r} is not a response of prompt {prompt_id}")


# --- files ----------------------------------------------------------------------------------------
def parse_feedback(text: str, source: str = "feedback") -> Feedback:
    data = checked_header(parse_json(text, source, FeedbackError), source, FeedbackError, FORMAT)
    try:
        feedback = Feedback(
            tuple(_prompt(p) for p in _list(data, "prompts")),
            _orderings(_list(data, "orderings", optional=True)),
            tuple(_comparison(c) for c in _list(data, "comparisons", optional=True)))
        validate(feedback)
    except FeedbackError as exc:
        raise FeedbackError(f"{source}: {exc}") from None
    return feedback


def load_feedback(path: str | Path) -> Feedback:
    path = Path(path)
    return parse_feedback(read_text_file(path, MAX_BYTES, FeedbackError, "a feedback file"), path.name)


def save_feedback(feedback: Feedback, path: str | Path) -> None:
    """Written atomically (see jsonfile.atomic_write)."""
    atomic_write(path, feedback.to_json().encode("utf-8"), FeedbackError)


def default_feedback() -> Feedback:
    """The rankings the app ships, so the reward-model tab works at once."""
    return parse_feedback(read_text("rlhf", "feedback.json"), "feedback.json")


def _list(data: dict, key: str, optional: bool = False) -> list:
    value = data.get(key, [] if optional else None)
    if not isinstance(value, list):
        raise FeedbackError(f"'{key}' must be a list")
    return value


def _string(obj: dict, key: str, where: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise FeedbackError(f"{where}: '{key}' must be a non-empty string")
    if len(value) > MAX_TEXT:
        raise FeedbackError(f"{where}: '{key}' is longer than {MAX_TEXT} characters")
    return value


def _prompt(obj) -> Prompt:
    pid = _string(obj, "id", "a prompt")
    held_out = obj.get("held_out", False)
    if not isinstance(held_out, bool):
        raise FeedbackError(f"prompt {pid}: 'held_out' must be true or false")
    responses = _list(obj, "responses")
    return Prompt(pid, _string(obj, "text", f"prompt {pid}"),
                  tuple(Response(_string(r, "id", f"a response of {pid}"),
                                 _string(r, "text", f"a response of {pid}")) for r in responses),
                  held_out)


def _orderings(items: list) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for obj in items:
        pid = _string(obj, "prompt_id", "an ordering")
        order = obj.get("order")
        if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
            raise FeedbackError(f"ordering of {pid}: 'order' must be a list of response ids")
        if pid in out:
            raise FeedbackError(f"prompt {pid} has two orderings")
        out[pid] = tuple(order)
    return out


def _comparison(obj) -> Comparison:
    pid = _string(obj, "prompt_id", "a comparison")
    if "tie" in obj:
        tie = obj["tie"]
        if not isinstance(tie, list) or len(tie) != 2 or not all(isinstance(i, str) for i in tie):
            raise FeedbackError(f"comparison in {pid}: 'tie' must be a list of two response ids")
        return Comparison(pid, tie[0], tie[1], True)
    where = f"comparison in {pid}"
    return Comparison(pid, _string(obj, "better", where), _string(obj, "worse", where))


