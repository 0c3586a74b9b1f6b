"""The rankings (`rankings.Feedback`) as policy optimisation needs them.

    triples(feedback)            (prompt, better, worse) texts of the training pairs
    held_out_prompts(feedback)   prompts whose pairs the Reward model never trains on
    best_answers(feedback)       prompt → the response its ordering puts first
    with_pairs(feedback, extra)  new Feedback with extra (prompt, better, worse) comparisons
"""
from __future__ import annotations

from collections.abc import Iterable

from explainer.core.language.rankings import MAX_RESPONSES, Feedback, default_feedback

Triple = tuple[str, str, str]


def _or_default(feedback: Feedback | None) -> Feedback:
    return default_feedback() if feedback is None else feedback


def triples(feedback=None) -> list[Triple]:
    """Training pairs of a Feedback (held-out prompts left out), or triples given as they are."""
    if feedback is None or isinstance(feedback, Feedback):
        return [p.triple() for p in _or_default(feedback).pairs(held_out=False)]
    return [(str(p), str(b), str(w)) for p, b, w in feedback]


def held_out_prompts(feedback: Feedback | None = None) -> list[str]:
    return [p.text for p in _or_default(feedback).prompts if p.held_out]


def best_answers(feedback: Feedback | None = None) -> dict[str, str]:
    feedback = _or_default(feedback)
    out = {}
    for p in feedback.prompts:
        order = feedback.orderings.get(p.id, ())
        if order:
            out[p.text] = p.response(order[0]).text
    return out


def with_pairs(feedback: Feedback | None, extra: Iterable[Triple]) -> Feedback:
    """feedback plus one comparison per triple; prompts and responses are added where missing.

    A Feedback holds no empty text and at most MAX_RESPONSES answers a prompt: such triples are
    left out here (train on `triples(feedback) + extra` to keep them).
    """
    feedback = _or_default(feedback)
    for prompt, better, worse in extra:
        if not worse.strip() or not _room(feedback, prompt):
            continue
        feedback, prompt_id = _prompt_id(feedback, prompt)
        feedback, better_id = _response_id(feedback, prompt_id, better)
        feedback, worse_id = _response_id(feedback, prompt_id, worse)
        feedback = feedback.add_comparison(prompt_id, better_id, worse_id)
    return feedback


def _room(feedback: Feedback, prompt: str) -> bool:
    counts = [len(p.responses) for p in feedback.prompts if p.text == prompt.strip()]
    return not counts or counts[0] + 2 <= MAX_RESPONSES


def _prompt_id(feedback: Feedback, text: str) -> tuple[Feedback, str]:
    for p in feedback.prompts:
        if p.text == text.strip():
            return feedback, p.id
    feedback = feedback.add_prompt(text)
    return feedback, feedback.prompts[-1].id


def _response_id(feedback: Feedback, prompt_id: str, text: str) -> tuple[Feedback, str]:
    for r in feedback.prompt(prompt_id).responses:
        if r.text == text.strip():
            return feedback, r.id
    feedback = feedback.add_response(prompt_id, text)
    return feedback, feedback.prompt(prompt_id).responses[-1].id
