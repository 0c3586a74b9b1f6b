"""Stage 0, what pre-training gives: the shipped base model's answers to the evaluation prompts,
each with the ground truth's verdict, and how often they are rude, wrong or polite.

The record is plain data (no torch), so the window can show it; `base_model_report` builds it in
the training process. The base model is fluent (held-out perplexity from its manifest) but not
aligned: it says what pre-training text says, in every tone, right or wrong.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from explainer.core.rlhf.ground_truth import true_score


@dataclass(frozen=True)
class ScoredAnswer:
    prompt: str
    text: str
    score: float
    content: str                  # the ground truth's content verdict (correct, wrong, …)
    tone: str                     # polite, neutral or rude
    reasons: tuple[str, ...]      # the breakdown, one line per criterion


@dataclass(frozen=True)
class BaseModelReport:
    answers: tuple[ScoredAnswer, ...]
    perplexity: float             # on held-out pre-training text (the shipped manifest's figure)
    steps: int                    # pre-training steps
    batch_size: int               # answers per step
    width: int                    # the GRU's hidden size
    splits: tuple[tuple[str, int], ...] = ()   # (prompt set, how many prompts), world.SPLITS order

    def share(self, field: str, value: str) -> float:
        """The share of answers whose `field` ("tone" or "content") is value."""
        return Counter(getattr(a, field) for a in self.answers)[value] / max(1, len(self.answers))

    @property
    def mean_score(self) -> float:
        return sum(a.score for a in self.answers) / max(1, len(self.answers))


def scored(prompt: str, text: str) -> ScoredAnswer:
    b = true_score(prompt, text)
    return ScoredAnswer(prompt, text, b.score, b.content, b.tone, tuple(b.reasons()))


def base_model_report(samples_per_prompt: int = 2, seed: int = 0,
                      temperature: float = 1.0) -> BaseModelReport:
    """Answers of the shipped base model to every evaluation prompt, sampled and scored."""
    import torch

    from explainer.core.language.pretraining import pretrained_model, shipped_manifest
    from explainer.core.rlhf.batch import sample_batch
    from explainer.core.language.world import SPLITS, world
    model, vocab = pretrained_model()
    batch = [p for p in world().prompts("eval") for _ in range(samples_per_prompt)]
    generator = torch.Generator().manual_seed(seed)
    responses = sample_batch(model, vocab, batch, temperature, generator=generator)
    meta = shipped_manifest()
    return BaseModelReport(tuple(scored(r.prompt, r.text) for r in responses),
                           float(meta["held_out_perplexity"]), int(meta["settings"]["steps"]),
                           int(meta["settings"]["batch_size"]), int(meta["settings"]["dim"]),
                           tuple((split, len(world().prompts(split))) for split in SPLITS))
