"""Stages 1 and 2 feeding stage 3: the SFT model, the Reward model, the prompts, and what they show.

    build_pipeline(seed)        SFT on the demonstrations + a Reward model on the rankings
    sft_report(model, vocab)    SFT answers the prompts it was tuned on well, new ones poorly
    generate_candidates(...)    distinct sampled responses for people to rank
    degenerate_pairs(...)       the fix for reward hacking: rank what the policy produced as worse
"""
from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import torch

from .language_model import (LanguageModel, Sample, fine_tuned_model, load_demonstrations,
                             unseen_prompts)
from .rankings import Feedback
from .reward_model import RewardModel, RewardTrainer
from .rlhf_batch import MAX_TOKENS, batch_logits, sample_batch
from .rlhf_records import Response
from .rlhf_settings import DEFAULT_SEED
from .rubric import score as rubric_score, true_score
from .text import EOS, Vocabulary
from . import rlhf_feedback as feedback_io

RM_MAX_STEPS = 300
# A hacked answer is often fluent but off the question (rubric 0.6) rather than "! !" (0.0):
# below 0.65 catches both, and no on-topic answer (0.8 and up).
DEGENERATE_BELOW = 0.65
OFF_TOPIC_PER_PROMPT = 8  # 4 left the Reward model too blind to the question (true score fell)


@dataclass(frozen=True)
class Probe:
    """A fixed polite and a fixed rude answer to a held-out prompt, to watch their probabilities."""
    prompt: str
    polite: str
    rude: str


PROBE = Probe("what is the largest planet ?",
              "the largest planet is jupiter . it is much bigger than the earth . great question !",
              "look it up yourself , stupid .")


@dataclass
class Pipeline:
    """What policy optimisation starts from. `model` is the SFT model; runs copy it, never train it."""
    model: LanguageModel
    vocab: Vocabulary
    reward_model: RewardModel
    train_prompts: list[str]                 # prompts the policy practises on
    held_out_prompts: list[str]              # held out of SFT and Reward-model training
    references: dict[str, str] = field(default_factory=dict)  # prompt → a good answer (rubric only)
    rm_accuracy: float = math.nan            # share of training pairs the Reward model orders right
    pairs: list[tuple[str, str, str]] = field(default_factory=list)


def build_pipeline(seed: int = DEFAULT_SEED, feedback=None, rm_steps: int = RM_MAX_STEPS,
                   off_topic: int = OFF_TOPIC_PER_PROMPT) -> Pipeline:
    """SFT on the shipped demonstrations, then a Reward model trained on `feedback`'s pairs.

    feedback: a rankings `Feedback`, or (prompt, better, worse) triples; None uses the shipped
    rankings. The Reward model starts as a copy of the SFT model with its next-token layer
    replaced by one output, and trains until it orders every training pair right.

    off_topic: how many pairs per demonstration say "another question's good answer is worse than
    this question's own" (see `off_topic_pairs`); 0 trains on the rankings alone.
    """
    model, vocab = fine_tuned_model(seed)
    pairs = feedback_io.triples(feedback) + off_topic_pairs(off_topic, seed)
    reward_model = RewardModel.from_language_model(model, vocab)
    trainer = RewardTrainer(reward_model, pairs, seed=seed)
    trainer.fit(max_steps=rm_steps)
    reward_model.train(False)
    # Stage 3 practises on new prompts too: the Reward model answers for them, which is how the
    # policy learns what no demonstration showed. "New" = in no demonstration, no training pair.
    rankings = feedback if isinstance(feedback, Feedback) else None
    new = unseen_prompts() + feedback_io.held_out_prompts(rankings)
    train = [d.prompt for d in load_demonstrations()] + new
    return Pipeline(model, vocab, reward_model, train, new, _references(rankings),
                    trainer.accuracy(), pairs)


def off_topic_pairs(per_prompt: int = OFF_TOPIC_PER_PROMPT, seed: int = 0) -> list[tuple[str, str, str]]:
    """(prompt, its demonstration, another prompt's demonstration) triples.

    Every shipped ranking compares answers to the same question, so a Reward model trained on
    them alone never needs to read the question: it pays for "i hope this helps !" whatever was
    asked, and the policy learns to give one favourite answer to everything. People writing the
    demonstrations said which answer fits which question; these pairs pass that on.
    """
    demos = load_demonstrations()
    generator = torch.Generator().manual_seed(seed)
    out = []
    for i, d in enumerate(demos):
        others = [j for j in torch.randperm(len(demos), generator=generator).tolist() if j != i]
        out += [(d.prompt, d.response, demos[j].response) for j in others[:per_prompt]]
    return out


def _references(rankings: Feedback | None = None) -> dict[str, str]:
    """A good answer per prompt where one exists: the demonstrations, then the top-ranked answers."""
    refs = feedback_io.best_answers(rankings)
    refs.update({d.prompt: d.response for d in load_demonstrations()})
    return refs


def probe_responses(vocab: Vocabulary, probe: Probe = PROBE) -> tuple[Response, Response]:
    """The probe's polite and rude answers as responses ending in <eos>, to score their log P."""
    def as_response(text: str) -> Response:
        return Response(probe.prompt, text, (), (*vocab.encode(text), EOS), ())
    return as_response(probe.polite), as_response(probe.rude)


# --- stage 1: what SFT does and does not learn ---------------------------------------------------
@dataclass(frozen=True)
class PromptSetReport:
    prompts: tuple[str, ...]
    answers: tuple[str, ...]        # one sampled answer per prompt and sample
    mean_true_score: float          # the rubric's score of those answers
    mean_token_logp: float          # mean log P of each answer token: how sure the model is


@dataclass(frozen=True)
class SFTReport:
    seen: PromptSetReport           # the prompts of the demonstrations
    unseen: PromptSetReport         # prompts no demonstration contains


def sft_report(model: LanguageModel, vocab: Vocabulary, samples_per_prompt: int = 2,
               seed: int = 0, temperature: float = 1.0) -> SFTReport:
    """SFT answers the prompts it was tuned on well, and generalises poorly to unseen prompts."""
    seen = [d.prompt for d in load_demonstrations()]
    refs = _references()
    def report(prompts: list[str]) -> PromptSetReport:
        batch = [p for p in prompts for _ in range(samples_per_prompt)]
        responses = _sample(model, vocab, batch, temperature, seed)
        scores = [rubric_score(r.prompt, r.text, refs.get(r.prompt)) for r in responses]
        logp = [math.log(p) for r in responses for p in r.probs]
        return PromptSetReport(tuple(prompts), tuple(r.text for r in responses),
                               _mean(scores), _mean(logp))
    return SFTReport(report(seen), report(unseen_prompts()))


def generate_candidates(model: LanguageModel, vocab: Vocabulary, prompt: str, n: int = 4,
                        temperature: float = 1.0, seed: int = 0, max_tokens: int = MAX_TOKENS,
                        ) -> list[Sample]:
    """Up to n distinct sampled responses to prompt, for people to rank (stage 2's raw material).

    Draws 4n at a time, a few times at most: a confident model repeats itself, and a ranking
    needs different answers.
    """
    generator, found = torch.Generator().manual_seed(seed), {}
    for _ in range(4):
        for r in sample_batch(model, vocab, [prompt] * (4 * n), temperature, max_tokens, generator):
            found.setdefault(r.text, Sample(r.text, r.tokens, r.token_ids, r.probs))
        if len(found) >= n:
            break
    return list(found.values())[:n]


# --- evaluation --------------------------------------------------------------------------------
def evaluate(policy: LanguageModel, reference: LanguageModel, pipeline: Pipeline,
             prompts: Sequence[str], samples_per_prompt: int = 4, seed: int = 1,
             temperature: float = 1.0, max_tokens: int = MAX_TOKENS) -> dict[str, float]:
    """Mean Reward-model score, rubric score and KL to the reference of sampled answers."""
    batch = [p for p in prompts for _ in range(samples_per_prompt)]
    responses = _sample(policy, pipeline.vocab, batch, temperature, seed, max_tokens)
    rm = pipeline.reward_model.scores([(r.prompt, r.text) for r in responses])
    true = [rubric_score(r.prompt, r.text, pipeline.references.get(r.prompt)) for r in responses]
    with torch.no_grad():
        kl = (batch_logits(policy, pipeline.vocab, responses).sequence_logp()
              - batch_logits(reference, pipeline.vocab, responses).sequence_logp())
    return {"reward": _mean(rm), "true_score": _mean(true), "kl": float(kl.mean()),
            "empty": _mean([float(not r.text.strip()) for r in responses])}


def _sample(model, vocab, prompts, temperature, seed, max_tokens=MAX_TOKENS):
    generator = torch.Generator().manual_seed(seed)
    return sample_batch(model, vocab, prompts, temperature, max_tokens, generator)


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else math.nan


# --- the fix for reward hacking ------------------------------------------------------------------
def degenerate_pairs(answers: Iterable[tuple[str, str]], references: dict[str, str] | None = None,
                     threshold: float = DEGENERATE_BELOW) -> list[tuple[str, str, str]]:
    """(prompt, good answer, degenerate answer) triples: what people do once they see the hack.

    An answer is degenerate when the rubric scores it below threshold; each distinct one becomes
    "worse" than the prompt's reference answer, so a retrained Reward model stops paying for it.
    """
    references = _references() if references is None else references
    out, seen = [], set()
    for prompt, answer in answers:
        good = references.get(prompt)
        if good is None or (prompt, answer) in seen or answer == good:
            continue
        if true_score(prompt, answer, good).score < threshold:
            seen.add((prompt, answer))
            out.append((prompt, good, answer))
    return out


def add_degenerate_as_worse(feedback, answers: Iterable[tuple[str, str]],
                            threshold: float = DEGENERATE_BELOW):
    """New rankings: `feedback` plus every degenerate answer ranked below a good one."""
    return feedback_io.with_pairs(feedback, degenerate_pairs(answers, threshold=threshold))
