"""Stage 3 of RLHF: the fine-tuned model is the Policy and the Reward model is its environment.

One policy update walks the policy-gradient lesson's four phases, on text (records in
`records`):

    guess       sample a batch of responses token by token; assume each sampled token was right
    derivative  cross entropy of the guess, C = −Σ log P(token); ∂C/∂logits = softmax − one-hot
    reward      R from the Reward model; shaped reward = R − β × KL − baseline, where
                KL = Σ (log π − log π_ref) compares the policy with a frozen copy of the SFT model
    update      step = learning rate × derivative × shaped reward, applied to every parameter

In a notebook::

    from explainer.core.rlhf.run import RLHFRun
    run = RLHFRun()                      # seed 8: SFT model + Reward model on the shipped rankings
    records = run.train(200)             # one UpdateRecord per policy update
    records[-1].mean_reward, records[-1].mean_true_score, records[-1].mean_kl

Every call does bounded work (one phase, or the updates asked for), so a training process can run
training in chunks while a window stays responsive, and stop between any two updates.
"""
from __future__ import annotations

import copy
import gc
import math
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace

import torch

from explainer.core.language.language_model import SGD, Adam, LanguageModel, use_one_thread
from explainer.core.rlhf.batch import (MAX_TOKENS, BatchLogits, FrozenReaders, SampledBatch, batch_logits,
                         reinforce_gradients, sample_with_states, sampled_logits, token_gradients)
from explainer.core.rlhf.objective import ppo_loss, reinforce_loss, shaped_rewards
from explainer.core.rlhf.pipeline import (PROBE, Pipeline, add_degenerate_as_worse, build_pipeline,
                            degenerate_pairs, evaluate, generate_candidates, probe_responses,
                            sft_report)
from explainer.core.rlhf.records import PHASES, RLHFRecord, UpdateRecord
from explainer.core.rlhf.settings import (BASELINES, DEFAULT_SEED, DEFAULT_UPDATES, DEFAULTS, OBJECTIVES,
                            OPTIMIZERS, PRESETS, RUNNING_DECAY, checked_setting)
from explainer.core.rlhf.ground_truth import score as true_score_of
from explainer.core.common.stepper import Stepper

__all__ = ["RLHFRun", "RLHFRecord", "UpdateRecord", "PRESETS", "DEFAULTS", "DEFAULT_UPDATES",
           "DEFAULT_SEED", "OBJECTIVES", "BASELINES", "PROBE", "Pipeline", "build_pipeline", "sft_report",
           "generate_candidates", "evaluate", "degenerate_pairs", "add_degenerate_as_worse"]

_OPTIMIZERS = {"adam": Adam, "sgd": SGD}


@dataclass
class _Work:
    """What an update in progress carries between phases (tensors never reach a record)."""
    record: RLHFRecord
    sampled: SampledBatch | None = None
    versions: tuple[int, ...] = ()   # the policy's parameters' versions when it drew the guess
    logits: BatchLogits | None = None
    shaped: torch.Tensor | None = None


class RLHFRun(Stepper[RLHFRecord]):
    """A seeded policy-optimisation run, one phase (`step`) or one update (`update`) at a time."""

    phases = PHASES

    def __init__(self, seed: int = DEFAULT_SEED, beta: float = DEFAULTS["beta"],
                 learning_rate: float = DEFAULTS["learning_rate"], batch_size: int = 16,
                 objective: str = "reinforce", clip: float = 0.2, ppo_epochs: int = 4,
                 optimizer: str = "adam", baseline: str = "batch", temperature: float = 1.0,
                 max_tokens: int = MAX_TOKENS, pipeline: Pipeline | None = None) -> None:
        """Start from `pipeline` (an SFT model and a trained Reward model), or build one for seed."""
        super().__init__()
        use_one_thread()
        self.seed = int(seed)
        self.pipeline = pipeline if pipeline is not None else build_pipeline(self.seed)
        self.set(beta=beta, learning_rate=learning_rate, batch_size=batch_size,
                 objective=objective, clip=clip, ppo_epochs=ppo_epochs, optimizer=optimizer,
                 baseline=baseline, temperature=temperature, max_tokens=max_tokens)
        self.vocab = self.pipeline.vocab
        self.reward_model = self.pipeline.reward_model
        self.reference = _frozen(self.pipeline.model)   # π_ref: the SFT model, never trained
        self._probe = None                               # PROBE's answers, encoded on first use
        self._frozen_readers = FrozenReaders()           # π_ref and the Reward model, in one pass
        self.policy = copy.deepcopy(self.pipeline.model)
        self.reset()

    @classmethod
    def preset(cls, name: str, **overrides) -> RLHFRun:
        """A run with one of PRESETS ("hacking" or "kl_penalty"), any setting overridden."""
        return cls(**{**PRESETS[name], **overrides})

    # --- settings -----------------------------------------------------------------------------
    def set(self, **settings) -> None:
        """Change settings; each phase reads them when it runs, and its record shows the values."""
        checked = {name: checked_setting(name, value) for name, value in settings.items()}
        for name, value in checked.items():  # all valid: a bad value changes nothing
            setattr(self, name, value)
        if hasattr(self, "optim"):
            if "optimizer" in checked:
                self.optim = _OPTIMIZERS[self.optimizer](self.policy.parameters(), self.learning_rate)
            self.optim.lr = self.learning_rate

    def reset(self) -> None:
        """Back to the SFT policy, a fresh optimiser and the seed's first draw; history cleared."""
        super().reset()
        self.policy.load_state_dict(self.pipeline.model.state_dict())
        self.policy.train(False)
        self.optim = _OPTIMIZERS[self.optimizer](self.policy.parameters(), self.learning_rate)
        self.generator = torch.Generator().manual_seed(self.seed)
        self.running_baseline: float | None = None
        self.updates_done = 0
        self._work: _Work | None = None

    @property
    def phase_in_progress(self) -> str | None:
        """The last phase computed of an update not finished yet; None between updates."""
        return None if self._work is None else self._work.record.phase

    # --- moving -------------------------------------------------------------------------------
    def update(self) -> UpdateRecord:
        """Step to the end of the next update (finishing the one in progress, if any)."""
        while True:
            record = self.step()
            if record.phase == "update":
                return record

    def train(self, n: int, should_stop: Callable[[], bool] | None = None) -> list[UpdateRecord]:
        """Run n whole updates from the newest record on; returns their update records.

        should_stop() is asked before each update: the training process pauses through it.
        """
        self.seek(len(self.history) - 1)
        out = []
        with _long_lived_frozen():
            for _ in range(int(n)):
                if should_stop is not None and should_stop():
                    break
                out.append(self.update())
        return out

    def _compute_next(self) -> RLHFRecord:
        phase = self.phase_in_progress
        if phase is None:
            return self._guess()
        return {"guess": self._derivative, "derivative": self._reward,
                "reward": self._update}[phase]()

    # --- the four phases ----------------------------------------------------------------------
    def _guess(self) -> RLHFRecord:
        prompts = self.pipeline.train_prompts
        picks = torch.randint(len(prompts), (self.batch_size,), generator=self.generator)
        sampled = sample_with_states(self.policy, self.vocab, [prompts[i] for i in picks.tolist()],
                                     self.temperature, self.max_tokens, self.generator)
        record = RLHFRecord("guess", self.updates_done, self.objective, self.learning_rate,
                            self.optimizer, self.beta, self.baseline, self.clip,
                            self.temperature, sampled.responses)
        self._work = _Work(record, sampled, _versions(self.policy))
        return record

    def _derivative(self) -> RLHFRecord:
        work = self._work
        if work.versions == _versions(self.policy):
            # Unchanged since it drew the guess: the states it read then are its states now.
            # REINFORCE's derivative is then written out (`reinforce_gradients`): no graph needed.
            with torch.set_grad_enabled(self.objective == "ppo"):
                work.logits = sampled_logits(self.policy, work.sampled, work.record.temperature)
        else:  # weights loaded in between: read the responses again
            work.sampled = None
            work.logits = batch_logits(self.policy, self.vocab, work.record.responses,
                                       work.record.temperature)
        first = work.record.responses[0]
        work.record = replace(
            work.record, phase="derivative",
            cross_entropy=tuple((-work.logits.sequence_logp()).tolist()),
            token_gradients=token_gradients(self.vocab, first, work.logits.response_logits(0)))
        return work.record

    def _reward(self) -> RLHFRecord:
        work, rec = self._work, self._work.record
        logp = work.logits.sequence_logp().detach()
        with torch.inference_mode():  # no autograd bookkeeping: these numbers get no derivative
            logp_ref, rm = self._frozen_readers(self.reference, self.reward_model, self.vocab,
                                                rec.responses, rec.temperature)
        kl = logp - logp_ref
        penalised = shaped_rewards(rm, kl, self.beta, 0.0)   # R − β × KL, before the baseline
        baseline = self._baseline(float(penalised.mean()))
        work.shaped = penalised - baseline
        work.record = replace(
            rec, phase="reward", beta=self.beta, baseline_kind=self.baseline,
            rm_scores=_floats(rm), logp=_floats(logp), logp_ref=_floats(logp_ref), kl=_floats(kl),
            baseline=baseline, shaped_rewards=_floats(work.shaped),
            updated_cross_entropy=tuple(c * a for c, a in zip(rec.cross_entropy, _floats(work.shaped))),
            true_scores=tuple(self._true_score(p, a) for p, a in rec.answers))
        return work.record

    def _update(self) -> RLHFRecord:
        work, rec = self._work, self._work.record
        before = torch._foreach_mul(self.optim.params, 1.0)  # a copy, one call for all tensors
        self.optim.lr = self.learning_rate
        if self.objective == "ppo":
            loss, grad_norm, clip_fraction, epochs = self._ppo_epochs(work)
        else:
            loss, grad_norm = self._reinforce(work)
            clip_fraction, epochs = None, 1
        with torch.no_grad():
            step_norm = _norm(torch._foreach_sub(self.optim.params, before))
        self.updates_done += 1
        self._work = None
        return replace(rec, phase="update", learning_rate=self.learning_rate, objective=self.objective,
                       clip=self.clip, loss=loss, grad_norm=grad_norm, step_norm=step_norm,
                       epochs=epochs, clip_fraction=clip_fraction, **self._after(rec))

    # --- pieces -------------------------------------------------------------------------------
    def _baseline(self, batch_mean: float) -> float:
        if self.baseline == "none":
            return 0.0
        if self.baseline == "batch" or self.running_baseline is None:
            used = batch_mean
        else:
            used = self.running_baseline
        previous = batch_mean if self.running_baseline is None else self.running_baseline
        self.running_baseline = RUNNING_DECAY * previous + (1 - RUNNING_DECAY) * batch_mean
        return used

    def _descend(self, loss: torch.Tensor) -> tuple[float, float]:
        """One optimiser step on loss; returns the loss and the gradient's norm."""
        self.optim.zero_grad()
        loss.backward()
        norm = _norm([p.grad for p in self.optim.params if p.grad is not None])
        self.optim.step()
        return float(loss.detach()), norm

    def _reinforce(self, work: _Work) -> tuple[float, float]:
        """One REINFORCE step: derivative × shaped reward, by hand when the guess's states are valid."""
        view, temperature = work.logits, work.record.temperature
        if work.sampled is None:
            return self._descend(reinforce_loss(view.sequence_logp(), work.shaped))
        self.optim.zero_grad()
        for parameter, gradient in reinforce_gradients(self.policy, work.sampled, view,
                                                       work.shaped, temperature):
            parameter.grad = gradient
        norm = _norm([p.grad for p in self.optim.params if p.grad is not None])
        self.optim.step()
        return float(reinforce_loss(view.sequence_logp().detach(), work.shaped)), norm

    def _ppo_epochs(self, work: _Work) -> tuple[float, float, float, int]:
        old = work.logits.logp.detach()
        logits = work.logits
        for epoch in range(self.ppo_epochs):
            if epoch or not logits.logp.requires_grad:  # else reuse the derivative's forward pass
                logits = batch_logits(self.policy, self.vocab, work.record.responses,
                                      work.record.temperature)
            loss, fraction = ppo_loss(logits.logp, old, logits.mask, work.shaped, self.clip)
            value, norm = self._descend(loss)
            if epoch == 0:
                first = (value, norm)
        return first[0], first[1], fraction, self.ppo_epochs

    @torch.inference_mode()
    def _after(self, rec: RLHFRecord) -> dict:
        """The update's summary: batch means and what the policy now gives the probe answers."""
        if self._probe is None:
            self._probe = probe_responses(self.vocab)
        check = batch_logits(self.policy, self.vocab, (*self._probe, rec.responses[0]),
                             rec.temperature)
        polite, rude, first = check.sequence_logp().tolist()
        return dict(logp_after=(first,), mean_reward=_mean(rec.rm_scores),
                    mean_true_score=_mean(rec.true_scores), mean_kl=_mean(rec.kl),
                    probe_logp_polite=polite, probe_logp_rude=rude)

    def _true_score(self, prompt: str, answer: str) -> float:
        return true_score_of(prompt, answer)   # cached there: a policy repeats its answers

    # --- evaluation ----------------------------------------------------------------------------
    def evaluate(self, prompts: list[str] | None = None, samples_per_prompt: int = 8,
                 seed: int = 1) -> dict[str, float]:
        """Mean Reward-model score, true score and KL on held-out prompts (never trained on)."""
        return evaluate(self.policy, self.reference, self.pipeline,
                        prompts if prompts is not None else self.pipeline.held_out_prompts,
                        samples_per_prompt, seed, self.temperature, self.max_tokens)


@contextmanager
def _long_lived_frozen():
    """While training, the garbage collector's full collections walk only what training made.

    torch's import leaves ~190k tracked objects; a full collection walks them all (~0.12 s, one
    or two in 200 updates). `gc.freeze` parks everything that exists now in a generation no
    collection visits, and `gc.unfreeze` puts it back afterwards: nothing is lost, old garbage is
    collected at the next full collection after training. Where something else froze objects
    already (the app's window does, once it is built), that freeze is left as it is.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _frozen(model: LanguageModel) -> LanguageModel:
    reference = copy.deepcopy(model)
    for p in reference.parameters():
        p.requires_grad_(False)
    return reference.train(False)


def _versions(model: LanguageModel) -> tuple[int, ...]:
    """Every parameter's in-place change counter: equal tuples mean unchanged weights."""
    return tuple(p._version for p in model.parameters())


def _norm(tensors: list[torch.Tensor]) -> float:
    """‖all the tensors as one vector‖ (one call per step instead of three per tensor)."""
    if not tensors:
        return 0.0
    return float(torch.linalg.vector_norm(torch.stack(torch._foreach_norm(tensors))))


def _floats(t: torch.Tensor) -> tuple[float, ...]:
    return tuple(float(x) for x in t.tolist())


def _mean(values) -> float:
    return sum(values) / len(values) if values else math.nan
