"""The Reward model lesson's live state, headless: feedback in, immutable snapshots out.

A `RewardSession` owns the rankings (`Feedback`), the Reward model and its trainer. Every number the
Reward model tab shows comes from one `RewardSnapshot`: each response's reward, and for every pair

    d = R_better − R_worse,   σ(d),   Loss = −1 × log(σ(d)) = softplus(−d)

computed from d (never from a rounded σ), so no pair yields NaN or inf. torch is imported only when
the model is first built (`ensure_model`), so importing this module stays cheap.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from itertools import combinations
from types import MappingProxyType
from typing import Mapping

from explainer.core.files.record_json import RecordError, from_plain, to_plain
from explainer.core.common.stable import sigmoid, softplus
from explainer.core.files.weights import WeightsError, check_model, export_model, load_model, manifest

MAX_STEPS = 100_000   # training steps a session may hold

OPTIMIZERS = ("adam", "sgd")
# The same as reward_model.DEFAULT_LR, repeated so that choosing an optimizer needs no torch import.
DEFAULT_LEARNING_RATES = {"adam": 0.01, "sgd": 0.5}
DEFAULT_LEARNING_RATE = DEFAULT_LEARNING_RATES["adam"]


@dataclass(frozen=True, slots=True)
class PairRow:
    """One ranked pair and every number of its pairwise ranking loss."""
    prompt_id: str
    better_id: str
    worse_id: str
    r_better: float
    r_worse: float
    d: float          # R_better − R_worse
    sigma_d: float    # σ(d): how sure the Reward model is that "better" is better
    loss: float       # −log σ(d)
    held_out: bool
    source: str

    @property
    def correct(self) -> bool:
        return self.d > 0


def pair_row(pair, r_better: float, r_worse: float, held_out: bool) -> PairRow:
    d = r_better - r_worse
    return PairRow(pair.prompt_id, pair.better_id, pair.worse_id, r_better, r_worse, d,
                   sigmoid(d), softplus(-d), held_out, pair.source)


@dataclass(frozen=True, slots=True)
class History:
    """Per training step: the batch loss and accuracy; per snapshot: held-out accuracy."""
    steps: tuple[int, ...] = ()
    loss: tuple[float, ...] = ()
    train_accuracy: tuple[float, ...] = ()
    held_steps: tuple[int, ...] = ()
    held_accuracy: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Probe:
    """A response typed by the audience, scored by the current Reward model."""
    prompt_id: str
    text: str
    reward: float


@dataclass(frozen=True, slots=True)
class RewardSnapshot:
    step: int
    rewards: Mapping[tuple[str, str], float]   # (prompt_id, response_id) → reward
    pairs: tuple[PairRow, ...]
    history: History
    probe: Probe | None
    learning_rate: float
    optimizer: str

    def rows(self, held_out: bool) -> tuple[PairRow, ...]:
        return tuple(row for row in self.pairs if row.held_out == held_out)

    def accuracy(self, held_out: bool = False) -> float | None:
        rows = self.rows(held_out)
        return sum(row.correct for row in rows) / len(rows) if rows else None

    def mean_loss(self, held_out: bool = False) -> float | None:
        rows = self.rows(held_out)
        return sum(row.loss for row in rows) / len(rows) if rows else None

    def row(self, prompt_id: str, better_id: str, worse_id: str) -> PairRow | None:
        for row in self.pairs:
            if (row.prompt_id, row.better_id, row.worse_id) == (prompt_id, better_id, worse_id):
                return row
        return None


def loss_curve(d_low: float = -6.0, d_high: float = 6.0, n: int = 241):
    """Points (d, −log σ(d)) of the pairwise ranking loss as a function of d = R_better − R_worse."""
    ds = [d_low + (d_high - d_low) * i / (n - 1) for i in range(n)]
    return ds, [softplus(-d) for d in ds]


def empty_snapshot() -> RewardSnapshot:
    """What the tab shows before the Reward model exists (no torch needed)."""
    return RewardSnapshot(0, MappingProxyType({}), (), History(), None,
                          DEFAULT_LEARNING_RATE, "adam")


def held_out_ids(feedback) -> frozenset[str]:
    return frozenset(p.id for p in feedback.prompts if p.held_out)


def unjudged_pairs(feedback, skipped: frozenset = frozenset()) -> list[tuple[str, str, str]]:
    """(prompt_id, first_id, second_id) of every response pair nobody has judged yet, prompts in
    order; a pair implied by an ordering, compared, tied or skipped counts as judged."""
    judged = {frozenset((p.prompt_id, p.better_id, p.worse_id)) for p in feedback.pairs()}
    judged |= {frozenset((t.prompt_id, t.better, t.worse)) for t in feedback.ties()}
    judged |= {frozenset(s) for s in skipped}
    return [(prompt.id, a.id, b.id)
            for prompt in feedback.prompts
            for a, b in combinations(prompt.responses, 2)
            if frozenset((prompt.id, a.id, b.id)) not in judged]


class RewardSession:
    """Feedback + Reward model + trainer. Not thread-safe: one thread (the worker) drives it."""

    def __init__(self, feedback, seed: int = 0, learning_rate: float = DEFAULT_LEARNING_RATE,
                 optimizer: str = "adam") -> None:
        self.feedback = feedback
        self.seed = int(seed)
        self.learning_rate = _check_lr(learning_rate)
        self.optimizer = _check_optimizer(optimizer)
        self.model = None
        self._trainer = None
        self._initial_state = None
        self._probe: tuple[str, str] | None = None
        self._clear_history()

    # --- the model, built on first use ----------------------------------------------------------
    def ensure_model(self) -> None:
        if self.model is not None:
            return
        import torch  # first use only: importing torch costs ~1–2 s
        torch.set_num_threads(1)  # tiny model: a second thread only adds stalls
        from explainer.core.language.language_model import fine_tuned_model
        from explainer.core.language.reward_model import RewardModel
        lm, vocab = fine_tuned_model(seed=self.seed)
        self.model = RewardModel.from_language_model(lm, vocab)
        self._initial_state = copy.deepcopy(self.model.state_dict())
        self._rebuild_trainer()

    @property
    def ready(self) -> bool:
        return self.model is not None

    def _training_triples(self) -> list[tuple[str, str, str]]:
        return [(p.prompt, p.better, p.worse) for p in self.feedback.pairs(held_out=False)]

    def _rebuild_trainer(self) -> None:
        """A new trainer on the current pairs; the model's weights are kept."""
        if self.model is None:
            return
        from explainer.core.language.reward_model import RewardTrainer
        triples = self._training_triples()
        self._trainer = RewardTrainer(self.model, triples, lr=self.learning_rate,
                                      optimizer=self.optimizer, seed=self.seed) if triples else None

    # --- what the user changes -------------------------------------------------------------------
    def set_feedback(self, feedback) -> None:
        if feedback is self.feedback:
            return
        old_pairs = self._training_triples()
        self.feedback = feedback
        if self._training_triples() != old_pairs:
            self._rebuild_trainer()

    def set_learning_rate(self, learning_rate: float) -> None:
        self.learning_rate = _check_lr(learning_rate)
        if self._trainer is not None:
            self._trainer.set_learning_rate(self.learning_rate)

    def set_optimizer(self, optimizer: str) -> None:
        self.optimizer = _check_optimizer(optimizer)
        self._rebuild_trainer()

    def set_probe(self, prompt_id: str | None, text: str) -> None:
        self._probe = (prompt_id, text) if prompt_id is not None else None

    def reset(self) -> None:
        """Back to the untrained Reward model (a fresh copy of the fine-tuned model's body)."""
        if self.model is not None:
            self.model.load_state_dict(self._initial_state)
        self._clear_history()
        self._rebuild_trainer()

    def _clear_history(self) -> None:
        self.step_count = 0
        self._steps: list[int] = []
        self._loss: list[float] = []
        self._train_accuracy: list[float] = []
        self._held_steps: list[int] = []
        self._held_accuracy: list[float] = []

    # --- training --------------------------------------------------------------------------------
    def train(self, n: int = 1) -> int:
        """Run up to n optimizer steps; returns how many ran (0 when there are no training pairs)."""
        self.ensure_model()
        if self._trainer is None:
            return 0
        for _ in range(n):
            result = self._trainer.step()
            self.step_count += 1
            self._steps.append(self.step_count)
            self._loss.append(_finite(result.loss))
            self._train_accuracy.append(float(result.accuracy))
        return n

    # --- sessions: the trained model as plain data ----------------------------------------------
    def manifest(self) -> dict:
        """The Reward model's tensor names and shapes, for checking a saved state without torch."""
        self.ensure_model()
        return manifest(self.model)

    @property
    def uses_adam(self) -> bool:
        return self._trainer is not None and self.optimizer == "adam"

    def export_state(self) -> dict | None:
        """Weights, optimiser state, step count and loss history: `import_state` of this on a
        session with the same rankings and settings scores, and trains on, exactly as this one."""
        if self.model is None:
            return None
        optimizer = self._trainer.optimizer if self._trainer is not None else None
        return {"step": self.step_count, "model": export_model(self.model, optimizer),
                "history": to_plain(self._history())}

    def import_state(self, state) -> None:
        """The opposite of export_state; WeightsError (and nothing changed) if it does not fit."""
        step, checked, history = check_saved_state(state, self.manifest(), self.uses_adam)
        self._rebuild_trainer()   # a fresh optimiser, then the saved one's state
        load_model(self.model, self._trainer.optimizer if self._trainer else None, checked)
        if self._trainer is not None:
            self._trainer.steps = step
        self.step_count = step
        self._steps, self._loss = list(history.steps), list(history.loss)
        self._train_accuracy = list(history.train_accuracy)
        self._held_steps, self._held_accuracy = list(history.held_steps), list(history.held_accuracy)

    # --- the record the views render -------------------------------------------------------------
    def snapshot(self) -> RewardSnapshot:
        if self.model is None:
            return empty_snapshot()
        rewards = self._score_all()
        rows = self._rows(rewards)
        self._record_held_accuracy(rows)
        return RewardSnapshot(self.step_count, MappingProxyType(rewards), rows, self._history(),
                              self._probe_reward(), self.learning_rate, self.optimizer)

    def score(self, prompt: str, response: str) -> float:
        self.ensure_model()
        return _finite(self.model.score(prompt, response))

    def _score_all(self) -> dict[tuple[str, str], float]:
        keys, texts = [], []
        for prompt in self.feedback.prompts:
            for response in prompt.responses:
                keys.append((prompt.id, response.id))
                texts.append((prompt.text, response.text))
        values = self.model.scores(texts) if texts else []
        return {key: _finite(value) for key, value in zip(keys, values)}

    def _rows(self, rewards) -> tuple[PairRow, ...]:
        held = held_out_ids(self.feedback)
        return tuple(pair_row(p, rewards[(p.prompt_id, p.better_id)],
                              rewards[(p.prompt_id, p.worse_id)], p.prompt_id in held)
                     for p in self.feedback.pairs())

    def _record_held_accuracy(self, rows) -> None:
        held = [row.correct for row in rows if row.held_out]
        if not held or (self._held_steps and self._held_steps[-1] == self.step_count):
            return
        self._held_steps.append(self.step_count)
        self._held_accuracy.append(sum(held) / len(held))

    def _history(self) -> History:
        return History(tuple(self._steps), tuple(self._loss), tuple(self._train_accuracy),
                       tuple(self._held_steps), tuple(self._held_accuracy))

    def _probe_reward(self) -> Probe | None:
        if self._probe is None:
            return None
        prompt_id, text = self._probe
        prompt = next((p for p in self.feedback.prompts if p.id == prompt_id), None)
        if prompt is None:
            return None
        return Probe(prompt_id, text, self.score(prompt.text, text))


def check_saved_state(state, model_manifest: dict, adam: bool) -> tuple[int, dict, History]:
    """A saved Reward model state checked without torch: (step, checked model block, History).
    `adam`: the session it goes into trains with Adam (then the optimiser's moments must be there)."""
    if not isinstance(state, dict) or set(state) != {"step", "model", "history"}:
        raise WeightsError("the saved Reward model needs 'step', 'model' and 'history'")
    step = state["step"]
    if type(step) is not int or not 0 <= step <= MAX_STEPS:
        raise WeightsError(f"the saved Reward model's step must be a whole number from 0 to "
                           f"{MAX_STEPS}")
    checked = check_model(state["model"], model_manifest, adam, "Reward model")
    try:
        history = from_plain(History, state["history"], "Reward model history")
    except RecordError as exc:
        raise WeightsError(str(exc)) from None
    if not len(history.steps) == len(history.loss) == len(history.train_accuracy) <= step \
            or len(history.held_steps) != len(history.held_accuracy) \
            or any(not 0 <= n <= step for n in history.steps + history.held_steps):
        raise WeightsError("the saved Reward model's history does not fit its step count")
    return step, checked, history


def _finite(value: float) -> float:
    value = float(value)
    return value if math.isfinite(value) else math.copysign(1e6, value) if value == value else 0.0


def _check_lr(learning_rate: float) -> float:
    learning_rate = float(learning_rate)
    if not math.isfinite(learning_rate) or not 0 < learning_rate <= 10:
        raise ValueError(f"learning rate must be in (0, 10], got {learning_rate!r}")
    return learning_rate


def _check_optimizer(optimizer: str) -> str:
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    return optimizer
