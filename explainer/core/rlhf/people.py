"""Stage 2's human feedback, simulated: people rank several of the SFT model's own answers.

As in InstructGPT, the answers to rank are sampled from the SFT model on the prompts the policy will
practise on (the world's "rl" prompts). Each person values an answer by the ground truth plus a
little Gaussian noise (seeded); answers they value within TIE of each other are called a tie and
give no pair. Rankings the room made in tab 3 join these, and where the room compared the same two
answers, the room's verdict overrides the simulated one.
"""
from __future__ import annotations

import random
from collections.abc import Sequence

import torch

from explainer.core.rlhf.ground_truth import noisy_scores
from explainer.core.language.language_model import LanguageModel
from explainer.core.rlhf.batch import MAX_TOKENS, sample_batch
from explainer.core.language.text import Vocabulary

Triple = tuple[str, str, str]
ANSWERS_PER_PROMPT = 8    # sampled per ranked prompt (fewer distinct ones if the model repeats itself)
NOISE = 0.05              # the spread of a person's judgement around the true score
TIE = 0.05                # valued closer than this: "about the same", no pair


def simulated_rankings(model: LanguageModel, vocab: Vocabulary, prompts: Sequence[str],
                       per_prompt: int = ANSWERS_PER_PROMPT, seed: int = 0,
                       noise: float = NOISE, temperature: float = 1.0) -> list[Triple]:
    """(prompt, better, worse) for every pair of distinct sampled answers people told apart."""
    generator, rng = torch.Generator().manual_seed(seed), random.Random(seed)
    batch = [p for p in prompts for _ in range(per_prompt)]
    responses = sample_batch(model, vocab, batch, temperature, MAX_TOKENS, generator)
    answers: dict[str, list[str]] = {p: [] for p in prompts}
    for r in responses:
        if r.text.strip() and r.text not in answers[r.prompt]:
            answers[r.prompt].append(r.text)
    out = []
    for prompt, texts in answers.items():
        ranked = sorted(zip(noisy_scores(prompt, texts, rng, noise), texts), reverse=True)
        out += [(prompt, b, w) for i, (vb, b) in enumerate(ranked)
                for vw, w in ranked[i + 1:] if vb - vw > TIE]
    return out


def joined(simulated: Sequence[Triple], room: Sequence[Triple]) -> list[Triple]:
    """The room's pairs, then the simulated ones the room did not compare itself."""
    compared = {(p, frozenset((b, w))) for p, b, w in room}
    return list(room) + [t for t in simulated if (t[0], frozenset(t[1:])) not in compared]
