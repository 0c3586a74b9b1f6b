"""Does a Reward model tell polite from rude on prompts nobody ranked? The same correct answer to
each evaluation prompt, said politely and rudely, and the share a model scores the polite one
higher (tests and benchmarks measure tab 3's Reward model with it)."""
from __future__ import annotations

import random

from explainer.core.language.world import world


def tone_pairs(seed: int) -> list[tuple[str, str, str]]:
    """(prompt, polite, rude) for each evaluation prompt: with an opener, with a closer, with
    both — three draws of each."""
    w, rng = world(), random.Random(seed)
    out = []
    for q in (q for q in w.questions if q.split == "eval"):
        for _ in range(3):
            po, pc = rng.choice(w.openers["polite"]), rng.choice(w.closers["polite"])
            ro, rc = rng.choice(w.openers["rude"]), rng.choice(w.closers["rude"])
            out += [(q.prompt, f"{po} {q.fact}", f"{ro} {q.fact}"),
                    (q.prompt, f"{q.fact} {pc}", f"{q.fact} {rc}"),
                    (q.prompt, f"{po} {q.fact} {pc}", f"{ro} {q.fact} {rc}")]
    return out


def polite_share(model, pairs) -> float:
    """The share of pairs whose polite answer the model scores above the rude one."""
    return sum(model.score(p, polite) > model.score(p, rude) for p, polite, rude in pairs) / len(pairs)
