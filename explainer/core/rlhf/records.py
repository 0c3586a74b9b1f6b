"""The immutable records of one RLHF policy update: the policy-gradient lesson's four phases, on text.

    guess       sample a batch of responses token by token; each sampled token is guessed right
    derivative  cross entropy of the guess, C = −Σ log P(token), and its gradient w.r.t. the logits,
                softmax − one-hot (shown for the first response's tokens)
    reward      the Reward model scores each response; shaped reward = R − β × KL − baseline;
                derivative × shaped reward
    update      step = learning rate × derivative × reward, applied to every parameter

As in `policy_gradient.PhaseRecord`, one record type grows phase by phase (`dataclasses.replace`),
so the record shown at any phase holds every number computed so far. Fields hold plain floats,
strings and tuples: never a tensor, so a record can be kept, compared and exported safely.
"""
from __future__ import annotations

from dataclasses import dataclass

PHASES = ("guess", "derivative", "reward", "update")


@dataclass(frozen=True, slots=True)
class Response:
    """One sampled response: its tokens and the probability each had when it was drawn."""
    prompt: str
    text: str
    tokens: tuple[str, ...]         # "<eos>" last if the policy chose to stop
    token_ids: tuple[int, ...]
    probs: tuple[float, ...]        # P(token) under the policy at sampling time


@dataclass(frozen=True, slots=True)
class LogitEntry:
    """One entry of ∂C/∂logits for one position: the softmax minus the guess's one-hot."""
    token: str
    p: float            # softmax probability of this token
    ideal: float        # the guess: 1 for the sampled token, 0 for every other
    dloss_dlogit: float  # p − ideal


@dataclass(frozen=True, slots=True)
class TokenGradient:
    """The derivative at one position of the first response: the sampled token and the top entries."""
    position: int
    token: str
    p_token: float
    loss: float                      # −log P(token)
    entries: tuple[LogitEntry, ...]  # the sampled token first, then the largest other entries


@dataclass(frozen=True, slots=True)
class RLHFRecord:
    phase: str
    update: int                          # 0-based index of the policy update
    # settings in force for this update
    objective: str                       # "reinforce" or "ppo"
    learning_rate: float
    optimizer: str                       # "adam" or "sgd"
    beta: float                          # weight of the KL penalty
    baseline_kind: str                   # "batch", "running" or "none"
    clip: float                          # PPO clip range ε
    temperature: float
    # guess
    responses: tuple[Response, ...]
    # derivative
    cross_entropy: tuple[float, ...] | None = None        # C_i = −Σ log P(token), per response
    token_gradients: tuple[TokenGradient, ...] | None = None  # first response only
    # reward
    rm_scores: tuple[float, ...] | None = None            # R_i from the Reward model
    logp: tuple[float, ...] | None = None                 # Σ log π(token), per response
    logp_ref: tuple[float, ...] | None = None             # Σ log π_ref(token), per response
    kl: tuple[float, ...] | None = None                   # Σ (log π − log π_ref)
    baseline: float | None = None
    shaped_rewards: tuple[float, ...] | None = None       # R − β × KL − baseline
    updated_cross_entropy: tuple[float, ...] | None = None  # C_i × shaped reward_i
    true_scores: tuple[float, ...] | None = None          # the rubric: never seen by the policy
    # update
    loss: float | None = None               # the objective minimised: mean of C_i × reward_i (REINFORCE)
    grad_norm: float | None = None          # ‖derivative × reward‖ over all parameters
    step_norm: float | None = None          # ‖parameters after − parameters before‖
    epochs: int | None = None               # PPO passes over the batch (1 for REINFORCE)
    clip_fraction: float | None = None      # share of PPO token ratios outside [1 − ε, 1 + ε]
    logp_after: tuple[float, ...] | None = None   # Σ log π(token) per response after the update
    mean_reward: float | None = None        # mean R of the batch (the learned reward)
    mean_true_score: float | None = None    # mean rubric score of the batch
    mean_kl: float | None = None
    probe_logp_polite: float | None = None  # log P(a fixed polite answer | held-out prompt), after
    probe_logp_rude: float | None = None    # log P(a fixed rude answer | the same prompt), after

    @property
    def phase_index(self) -> int:
        return PHASES.index(self.phase)

    @property
    def answers(self) -> tuple[tuple[str, str], ...]:
        """(prompt, response text) of every sampled response."""
        return tuple((r.prompt, r.text) for r in self.responses)


UpdateRecord = RLHFRecord  # the record of the "update" phase: what `RLHFRun.train` returns


# --- stage 1: what SFT does on the prompts it was tuned on and on others -------------------------
@dataclass(frozen=True)
class PromptSetReport:
    """What the SFT model does on a set of prompts (made by `pipeline.sft_report`)."""
    prompts: tuple[str, ...]
    answers: tuple[str, ...]        # one sampled answer per prompt and sample
    mean_true_score: float          # the rubric's score of those answers
    mean_token_logp: float          # mean log P of each answer token: how sure the model is


@dataclass(frozen=True)
class SFTReport:
    seen: PromptSetReport           # the prompts of the demonstrations
    unseen: PromptSetReport         # prompts no demonstration contains
