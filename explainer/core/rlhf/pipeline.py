"""Stages 1 and 2 feeding stage 3: the SFT model, the Reward model, the prompts, and what they show.

    build_pipeline(seed)        SFT on the demonstrations + a Reward model on the rankings
    sft_report(model, vocab)    SFT answers the prompts it was tuned on well, new ones poorly
    generate_candidates(...)    distinct sampled responses for people to rank
    degenerate_pairs(...)       the fix for reward hacking: rank what the policy produced as worse
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import torch

from explainer.core.rlhf import people
from explainer.core.rlhf.ground_truth import score as true_score_of, true_score
from explainer.core.language.language_model import LanguageModel, Sample, fine_tuned_model
from explainer.core.language.reward_model import RewardModel, RewardTrainer
from explainer.core.rlhf.batch import MAX_TOKENS, batch_logits, sample_batch
from explainer.core.rlhf.records import PromptSetReport, Response, SFTReport
from explainer.core.rlhf.settings import DEFAULT_SEED
from explainer.core.language.text import EOS, Vocabulary
from explainer.core.language.world import demonstration, world
from explainer.core.rlhf import feedback as feedback_io

RM_MAX_STEPS = 300
# Stage 2 stops once this share of the ranked pairs is ordered right. People's rankings are noisy
# (people.NOISE): fitting every pair memorises the noise, as InstructGPT avoids by training its
# reward model for one epoch. Measured on seeds 0-9: 16-18 full-batch Adam steps (~1 s), and the
# policy's true score rises further than with a model fitted to 100 % (0.50-0.63 against 0.48-0.58).
RM_TARGET_ACCURACY = 0.95
RM_LEARNING_RATE = 0.03
# Below this the ground truth calls an answer degenerate: wrong, off topic, rude or padded, and no
# correct polite answer (1.0) or correct plain one (0.875) is.
DEGENERATE_BELOW = 0.65


@dataclass(frozen=True)
class Probe:
    """The same correct answer to an evaluation prompt, said politely and rudely."""
    prompt: str
    polite: str
    rude: str


PROBE = Probe("which city is the capital of italy ?",
              "sure ! the capital of italy is rome . i hope this helps !",
              "ugh . the capital of italy is rome . now go away .")


@dataclass
class Pipeline:
    """What policy optimisation starts from. `model` is the SFT model; runs copy it, never train it."""
    model: LanguageModel
    vocab: Vocabulary
    reward_model: RewardModel
    train_prompts: list[str]                 # the RL prompts: ranked by people, practised on
    held_out_prompts: list[str]              # the evaluation prompts: no stage ever trains on them
    references: dict[str, str] = field(default_factory=dict)  # prompt → a good answer people wrote
    rm_accuracy: float = math.nan            # share of training pairs the Reward model orders right
    pairs: list[tuple[str, str, str]] = field(default_factory=list)


def build_pipeline(seed: int = DEFAULT_SEED, feedback=None, rm_steps: int = RM_MAX_STEPS,
                   answers_per_prompt: int = people.ANSWERS_PER_PROMPT) -> Pipeline:
    """SFT from the pre-trained base model, then a Reward model trained on people's rankings.

    The simulated people rank `answers_per_prompt` of the SFT model's own answers to every RL
    prompt (`people.simulated_rankings`, seeded by seed). feedback: the room's rankings (a
    `Feedback`, or (prompt, better, worse) triples), which join and override those; None uses
    the shipped ones. The Reward model starts as a copy of the SFT model with its next-token layer
    replaced by one output.
    """
    model, vocab = fine_tuned_model(seed)
    w = world()
    simulated = people.simulated_rankings(model, vocab, w.prompts("rl"), answers_per_prompt, seed)
    pairs = people.joined(simulated, feedback_io.triples(feedback))
    reward_model, trainer = fit_reward_model(model, vocab, pairs, seed, rm_steps)
    normalise(reward_model, [(prompt, answer) for prompt, *ranked in pairs for answer in ranked])
    return Pipeline(model, vocab, reward_model, w.prompts("rl"), w.prompts("eval"), good_answers(),
                    trainer.accuracy(), pairs)


def fit_reward_model(model: LanguageModel, vocab, pairs, seed: int = DEFAULT_SEED,
                     max_steps: int = RM_MAX_STEPS) -> tuple[RewardModel, RewardTrainer]:
    """Stage 2: a copy of the SFT model with one output, trained on the ranked pairs with Adam
    until RM_TARGET_ACCURACY of them are ordered right (or max_steps)."""
    reward_model = RewardModel.from_language_model(model, vocab)
    trainer = RewardTrainer(reward_model, pairs, lr=RM_LEARNING_RATE, seed=seed)
    trainer.fit(max_steps=max_steps, target_accuracy=RM_TARGET_ACCURACY)
    reward_model.train(False)
    return reward_model, trainer


@torch.no_grad()
def normalise(reward_model: RewardModel, items: list[tuple[str, str]]) -> None:
    """Shift and scale the Reward model's output so the ranked answers score mean 0, spread 1.

    The pairwise loss fixes only differences, so a Reward model's scale is arbitrary (it differs
    by seed); β × KL is then weighed against rewards of a known size, as InstructGPT's normalised
    reward does. Orders, and so every accuracy, are unchanged.
    """
    scores = torch.tensor(reward_model.scores(dict.fromkeys(items)))
    mean, spread = scores.mean(), scores.std().clamp(min=1e-6)
    reward_model.head.weight /= spread
    reward_model.head.bias.sub_(mean).div_(spread)


def good_answers() -> dict[str, str]:
    """A good answer people would write to every prompt of the world (for the hacking fix)."""
    w = world()
    return {q.prompt: demonstration(w, q, 0) for q in w.questions}


def probe_responses(vocab: Vocabulary, probe: Probe = PROBE) -> tuple[Response, Response]:
    """The probe's polite and rude answers as responses ending in <eos>, to score their log P."""
    def as_response(text: str) -> Response:
        return Response(probe.prompt, text, (), (*vocab.encode(text), EOS), ())
    return as_response(probe.polite), as_response(probe.rude)


# --- stage 1: what SFT does and does not learn ---------------------------------------------------
def sft_report(model: LanguageModel, vocab: Vocabulary, samples_per_prompt: int = 2,
               seed: int = 0, temperature: float = 1.0) -> SFTReport:
    """SFT answers the prompts it was tuned on well, and generalises poorly to unseen prompts."""
    w = world()
    def report(prompts: list[str]) -> PromptSetReport:
        batch = [p for p in prompts for _ in range(samples_per_prompt)]
        responses = _sample(model, vocab, batch, temperature, seed)
        scores = [true_score_of(r.prompt, r.text) for r in responses]
        logp = [math.log(p) for r in responses for p in r.probs]
        return PromptSetReport(tuple(prompts), tuple(r.text for r in responses),
                               float(_mean(scores)), float(_mean(logp)))
    return SFTReport(report(w.prompts("sft")), report(w.prompts("eval")))


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
    """Mean Reward-model score, true score and KL to the reference of sampled answers."""
    batch = [p for p in prompts for _ in range(samples_per_prompt)]
    responses = _sample(policy, pipeline.vocab, batch, temperature, seed, max_tokens)
    rm = pipeline.reward_model.scores([(r.prompt, r.text) for r in responses])
    true = [true_score_of(r.prompt, r.text) for r in responses]
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

    An answer is degenerate when the ground truth scores it below threshold; each distinct one becomes
    "worse" than the prompt's reference answer, so a retrained Reward model stops paying for it.
    """
    references = good_answers() if references is None else references
    out, seen = [], set()
    for prompt, answer in answers:
        good = references.get(prompt)
        if good is None or (prompt, answer) in seen or answer == good:
            continue
        if true_score(prompt, answer).score < threshold:
            seen.add((prompt, answer))
            out.append((prompt, good, answer))
    return out


def add_degenerate_as_worse(feedback, answers: Iterable[tuple[str, str]],
                            threshold: float = DEGENERATE_BELOW):
    """New rankings: `feedback` plus every degenerate answer ranked below a good one."""
    return feedback_io.with_pairs(feedback, degenerate_pairs(answers, threshold=threshold))
