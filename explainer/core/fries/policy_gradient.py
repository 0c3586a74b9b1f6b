"""Lesson 2: policy gradients with the videos' tiny network as the Policy.

    hunger x ──(× weight)──▶ X = weight·x + bias ──sigmoid──▶ P(Norm's) = p_a ;  P('Squatch's) = p_b = 1 − p_a

An episode has four phases, each an immutable `PhaseRecord` holding every number a panel shows:
  guess       draw u on the 0–1 line ('Squatch's segment first) and assume the chosen place was right
  derivative  cross entropy of that guess, C = −log P(chosen), and its chain rule dC/dP · dP/dX · dX/db
  reward      the Environment draws the order size and answers ±1; derivative × reward (−1 flips it)
  update      step size = learning rate × derivative × reward; new bias = bias − step size

Everything is computed from the logit X (never from a rounded probability), so no input yields NaN/inf.
"""
from __future__ import annotations

import math
from array import array
from dataclasses import asdict, dataclass, replace

import numpy as np

from explainer.core.common.checks import seed_number
from explainer.core.common.draws import episode_draws
from explainer.core.fries.environment import LARGE, NORM, SMALL, SQUATCH, FriesEnvironment
from explainer.core.common.stable import PARAM_LIMIT, clamp_param, require_finite, sigmoid, softplus
from explainer.core.fries.history import CompactHistory
from explainer.core.common.stepper import Stepper, check_room, logged

PHASES = ("guess", "derivative", "reward", "update")
LEARNING_RATE_LIMIT = 100.0


@dataclass(frozen=True, slots=True)
class PhaseRecord:
    phase: str
    episode: int
    # parameters in force for this episode
    learning_rate: float
    train_weight: bool
    environment: FriesEnvironment
    # guess
    x: float
    hungry: bool
    weight_before: float
    bias_before: float
    logit: float            # X = weight·x + bias
    p_a: float              # P(Norm's), the network's output
    p_b: float              # P('Squatch's) = 1 − p_a
    u: float                # the Agent's draw on the 0–1 line
    action: str
    ideal_p_chosen: float = 1.0   # the guess: the chosen place was the right one
    ideal_p_a: float = math.nan   # the guess as the network's ideal output, P(Norm's) = 1 or 0
    # derivative
    loss: float | None = None       # cross entropy of the guess, −log P(chosen)
    dloss_dp: float | None = None   # ∂C/∂P(Norm's)
    dp_dx: float | None = None      # ∂P/∂X = P(1 − P)
    dx_db: float | None = None      # ∂X/∂bias = 1
    dx_dw: float | None = None      # ∂X/∂weight = x
    dloss_db: float | None = None   # product of the three
    dloss_dw: float | None = None
    # reward
    v: float | None = None          # the Environment's draw for the order size
    p_large: float | None = None
    outcome: str | None = None
    fits: bool | None = None
    reward: float | None = None
    updated_dloss_db: float | None = None  # derivative × reward
    updated_dloss_dw: float | None = None
    # update
    step_size: float | None = None         # learning rate × derivative × reward
    step_size_w: float | None = None
    bias_after: float | None = None
    weight_after: float | None = None
    p_a_after: float | None = None         # P(Norm's) at the same hunger after the update

    @property
    def phase_index(self) -> int:
        return PHASES.index(self.phase)


def _choose(p_b: float, u: float) -> str:
    # The video's 0–1 line puts 'Squatch's segment first: u < P('Squatch's) → 'Squatch's.
    return SQUATCH if u < p_b else NORM


def _u_for(action: str, p_b: float, u: float) -> float:
    """Map a draw into the forced action's segment, so the 0–1 line still tells the truth."""
    if _choose(p_b, u) == action:
        return u
    return u * p_b if action == SQUATCH else p_b + u * (1.0 - p_b)


def compute_episode(episode: int, x: float, u: float, v: float, weight: float, bias: float,
                    learning_rate: float, environment: FriesEnvironment, train_weight: bool,
                    action: str | None = None, outcome: str | None = None) -> tuple[PhaseRecord, ...]:
    """The four phase records of one episode (pure: the same inputs give the same records)."""
    env = environment
    logit = weight * x + bias
    p_a, p_b = sigmoid(logit), sigmoid(-logit)
    if action is not None:
        u = _u_for(action, p_b, u)
    action = _choose(p_b, u)
    guess = PhaseRecord(
        "guess", episode, learning_rate, train_weight, env, x, env.is_hungry(x), weight, bias,
        logit, p_a, p_b, u, action, 1.0, 1.0 if action == NORM else 0.0)

    # Cross entropy of the guess and its chain rule; the product is P − 1 (Norm's) or P ('Squatch's).
    # P − 1 is computed as −P('Squatch's): the same number, without cancellation near P = 1.
    if action == NORM:
        loss, dloss_dp, dloss_db = softplus(-logit), -math.exp(softplus(-logit)), -p_b
    else:
        loss, dloss_dp, dloss_db = softplus(logit), math.exp(softplus(logit)), p_a
    derivative = replace(guess, phase="derivative", loss=loss, dloss_dp=dloss_dp, dp_dx=p_a * p_b,
                         dx_db=1.0, dx_dw=x, dloss_db=dloss_db, dloss_dw=dloss_db * x)

    p_large = env.p_large(action)
    if outcome is not None and env.outcome(action, v) != outcome:
        v = v * p_large if outcome == LARGE else p_large + v * (1.0 - p_large)
    outcome = env.outcome(action, v)
    reward = env.reward(x, outcome)
    rewarded = replace(derivative, phase="reward", v=v, p_large=p_large, outcome=outcome,
                       fits=env.fits(x, outcome), reward=reward,
                       updated_dloss_db=dloss_db * reward, updated_dloss_dw=dloss_db * reward * x)

    # Multiplied in the order of _loop, so stepping and fast_forward agree to the last bit.
    step = learning_rate * (dloss_db * reward)
    step_w = learning_rate * (dloss_db * reward * x) if train_weight else 0.0
    bias_after, weight_after = clamp_param(bias - step), clamp_param(weight - step_w)
    update = replace(rewarded, phase="update", step_size=step, step_size_w=step_w,
                     bias_after=bias_after, weight_after=weight_after,
                     p_a_after=sigmoid(weight_after * x + bias_after))
    return guess, derivative, rewarded, update


def _build_episode(inputs: tuple) -> tuple[PhaseRecord, ...]:
    return compute_episode(*inputs)


# the environment's values `set` may change
_ENV_KEYS = ("p_large_norm", "p_large_squatch", "hungry_above", "reward_fit", "reward_misfit")


@dataclass(frozen=True)
class _Script:
    """What a lesson forces for one episode instead of the random draws."""
    x: float | None = None
    action: str | None = None
    outcome: str | None = None
    u: float | None = None
    v: float | None = None


class PolicyGradientRun(Stepper[PhaseRecord]):
    """A seeded, reproducible run of the policy-gradient lesson, one phase at a time."""

    phases = PHASES
    settable = ("learning_rate", "weight", "bias", "hunger", "train_weight", "seed", *_ENV_KEYS)
    episode_calls = ("episode",)

    def __init__(self, seed: int = 0, learning_rate: float = 1.0, weight: float = 20.0,
                 bias: float = 0.0, train_weight: bool = False, hunger: float | None = None,
                 environment: FriesEnvironment | None = None) -> None:
        super().__init__()
        self.seed = seed_number(seed)
        self.learning_rate = _check_lr(learning_rate)
        self.initial_weight = _check_param("weight", weight)
        self.initial_bias = _check_param("bias", bias)
        self.train_weight = bool(train_weight)
        self.hunger = None if hunger is None else require_finite("hunger", hunger, 0.0, 1.0)
        if isinstance(environment, dict):  # as stored in init_args / a session file
            environment = FriesEnvironment(**environment)
        self.environment = environment or FriesEnvironment()
        self._scripts: dict[int, _Script] = {}
        self.history = CompactHistory(len(PHASES), _build_episode)
        self.init_args = {"seed": self.seed, "learning_rate": self.learning_rate,
                          "weight": self.initial_weight, "bias": self.initial_bias,
                          "train_weight": self.train_weight, "hunger": self.hunger,
                          "environment": asdict(self.environment)}
        self.reset()
        self.log.clear()

    # --- state ----------------------------------------------------------------------------------
    @logged
    def reset(self) -> None:
        super().reset()
        self._pending: list[PhaseRecord] = []
        self.weight, self.bias = self.initial_weight, self.initial_bias  # what the next episode uses
        self.trace = _Trace()

    @property
    def episodes_done(self) -> int:
        return len(self.trace)

    # --- stepping -------------------------------------------------------------------------------
    def _compute_next(self) -> PhaseRecord:
        if not self._pending:
            self._pending = list(self._compute(self.episodes_done, self.weight, self.bias))
        record = self._pending.pop(0)
        if record.phase == "update":
            self._finish(record)
        return record

    def _finish(self, update: PhaseRecord) -> None:
        self.weight, self.bias = update.weight_after, update.bias_after
        self.trace.append(update)

    def _compute(self, episode: int, weight: float, bias: float) -> tuple[PhaseRecord, ...]:
        draws = episode_draws(self.seed, episode, 1)[:, 0]
        script = self._scripts.get(episode, _Script())
        x = script.x if script.x is not None else self.hunger if self.hunger is not None else draws[0]
        u = script.u if script.u is not None else draws[1]
        v = script.v if script.v is not None else draws[2]
        inputs = (episode, float(x), float(u), float(v), weight, bias, self.learning_rate,
                  self.environment, self.train_weight, script.action, script.outcome)
        records = _build_episode(inputs)
        self.history.expect(inputs, records)
        return records

    @logged
    def episode(self, x: float | None = None, action: str | None = None,
                outcome: str | None = None, u: float | None = None,
                v: float | None = None) -> tuple[PhaseRecord, ...]:
        """Run a whole new episode; any argument given replaces that random draw."""
        _check_script(x, action, outcome, u, v)
        self._finish_computed()
        self._scripts[self.episodes_done] = _Script(x, action, outcome, u, v)
        return self._step_episode()

    # --- parameters (a change at an earlier record starts a new branch there) -------------------
    @logged
    def set(self, **params) -> PhaseRecord | None:
        """Change learning_rate, weight, bias, hunger, train_weight, seed or environment values."""
        shown = self.current
        changes = _validated(params, self.environment)
        for name in ("learning_rate", "train_weight", "hunger", "environment"):
            if name in changes:
                setattr(self, name, changes[name])
        if "seed" in changes:
            self.seed = changes["seed"]
            return self._restart()
        if shown is None:
            self.initial_weight = changes.get("weight", self.initial_weight)
            self.initial_bias = changes.get("bias", self.initial_bias)
            return self._restart()
        return self._recompute_shown(shown, changes)

    def _restart(self) -> None:
        self._scripts.clear()
        self.reset()
        return None

    def _recompute_shown(self, shown: PhaseRecord, changes: dict) -> PhaseRecord:
        first = self.cursor - shown.phase_index  # the shown episode's guess record
        del self.history[first:]
        self.trace.truncate(shown.episode)
        if "hunger" in changes and shown.episode in self._scripts:
            self._scripts[shown.episode] = replace(self._scripts[shown.episode], x=None)
        weight = changes.get("weight", shown.weight_before)
        bias = changes.get("bias", shown.bias_before)
        records = self._compute(shown.episode, weight, bias)
        self.cursor = first - 1
        self.weight, self.bias = weight, bias
        self._pending = list(records)
        for _ in range(shown.phase_index + 1):
            self.step()
        return self.current

    # --- many episodes at once ------------------------------------------------------------------
    @logged
    def fast_forward(self, n: int) -> dict[str, np.ndarray]:
        """Run n episodes without per-phase records; returns per-episode arrays after each update."""
        n = check_room(self.episodes_done, n)
        self._finish_computed()
        start = self.episodes_done
        bulk = max(n - 1, 0)
        draws = episode_draws(self.seed, start, bulk) if bulk else np.zeros((3, 0))
        xs = np.full(bulk, self.hunger) if self.hunger is not None else draws[0]
        out = _fast_loop(xs, draws[1], draws[2], self.weight,
                         self.bias, self.learning_rate, self.environment, self.train_weight)
        self.trace.extend(start, out)
        if bulk:
            self.weight, self.bias = float(out["weight"][-1]), float(out["bias"][-1])
        if n:
            # The newest episode is stepped phase by phase, so the screen shows it, not one from
            # before the run (the same arithmetic: compute_episode is what _fast_loop repeats).
            self._step_episode()
        return {key: self.trace.array(key, start) for key in _Trace.KEYS}


def _fast_loop(xs: np.ndarray, us: np.ndarray, vs: np.ndarray, w: float, b: float, lr: float,
               env: FriesEnvironment, train_w: bool) -> dict[str, np.ndarray]:
    """The arithmetic of compute_episode in one tight loop (>10⁶ episodes/s).

    What does not depend on the policy (the reward each place would earn) is vectorised first;
    the loop keeps only what must be sequential: P(Norm's), the choice, the update.
    """
    hungry = xs > env.hungry_above
    fit = {a: hungry == (vs < env.p_large(a)) for a in (NORM, SQUATCH)}
    r_norm = np.where(fit[NORM], env.reward_fit, env.reward_misfit)
    r_squatch = np.where(fit[SQUATCH], env.reward_fit, env.reward_misfit)
    bs, ws, squatch = _loop(xs.tolist(), us.tolist(), r_norm.tolist(), r_squatch.tolist(),
                            w, b, lr, train_w)
    acts = squatch.astype(float)
    out = {"x": xs, "action": acts, "reward": np.where(squatch, r_squatch, r_norm),
           "bias": np.frombuffer(array("d", bs)),
           "weight": np.frombuffer(array("d", ws)) if train_w else np.full(len(xs), w)}
    out["p_a"] = _sigmoid_array(out["weight"] * out["x"] + out["bias"])
    return out


def _loop(xs, us, r_norm, r_squatch, w, b, lr, train_w):
    exp, lim, n = math.exp, PARAM_LIMIT, len(xs)
    bs, ws, squatch = [0.0] * n, ([0.0] * n if train_w else []), bytearray(n)
    i = 0
    for x, u, rn, rs in zip(xs, us, r_norm, r_squatch):
        logit = w * x + b
        # The same sigmoid as stable.sigmoid, so records and this loop agree to the last bit.
        if logit >= 0:
            e = exp(-logit)
            if u < e / (1.0 + e):  # 'Squatch's: dC/db = P(Norm's)
                g_r = 1.0 / (1.0 + e) * rs
                squatch[i] = 1
            else:                  # Norm's: dC/db = P(Norm's) − 1 = −P('Squatch's)
                g_r = -(e / (1.0 + e)) * rn
        else:
            e = exp(logit)
            if u < 1.0 / (1.0 + e):
                g_r = e / (1.0 + e) * rs
                squatch[i] = 1
            else:
                g_r = -(1.0 / (1.0 + e)) * rn
        b -= lr * g_r
        if not -lim <= b <= lim:  # builtin min/max would cost a third of the loop
            b = lim if b > 0 else -lim
        bs[i] = b
        if train_w:
            w -= lr * (g_r * x)
            if not -lim <= w <= lim:
                w = lim if w > 0 else -lim
            ws[i] = w
        i += 1
    return bs, ws, np.frombuffer(squatch, dtype=np.uint8).astype(bool)


def _sigmoid_array(logit: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * logit))  # never overflows


class _Trace:
    """Per-episode columns for the history plot: stepped and fast-forwarded episodes alike.

    `action` is 0 for Norm's and 1 for 'Squatch's; p_a, bias and weight are after the update.
    """

    KEYS = ("x", "action", "reward", "p_a", "bias", "weight")

    def __init__(self) -> None:
        self.columns = {k: array("d") for k in self.KEYS}
        self.reward_sum = array("d")  # running sum, so the running mean is O(1) per episode

    def __len__(self) -> int:
        return len(self.columns["x"])

    def append(self, r: PhaseRecord) -> None:
        row = (r.x, float(r.action == SQUATCH), r.reward, r.p_a_after, r.bias_after, r.weight_after)
        for key, value in zip(self.KEYS, row):
            self.columns[key].append(value)
        self.reward_sum.append((self.reward_sum[-1] if self.reward_sum else 0.0) + r.reward)

    def extend(self, start: int, cols: dict[str, np.ndarray]) -> None:
        assert start == len(self)
        for key in self.KEYS:
            self.columns[key].frombytes(np.ascontiguousarray(cols[key], dtype=float).tobytes())
        total = self.reward_sum[-1] if self.reward_sum else 0.0
        self.reward_sum.frombytes((np.cumsum(cols["reward"]) + total).tobytes())

    def truncate(self, n: int) -> None:
        for col in (*self.columns.values(), self.reward_sum):
            del col[n:]

    def array(self, key: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """A copy of column[start:stop] (only that part is copied): a view would pin the buffer,
        and the column could no longer grow."""
        if not len(self):
            return np.zeros(0)
        return np.frombuffer(self.columns[key], dtype=float)[start:stop].copy()

    def running_mean_reward(self) -> np.ndarray:
        if not len(self):
            return np.zeros(0)
        return np.frombuffer(self.reward_sum, dtype=float) / np.arange(1, len(self) + 1)  # a new array


def _check_lr(value: float) -> float:
    return require_finite("learning rate", value, 0.0, LEARNING_RATE_LIMIT)


def _check_param(name: str, value: float) -> float:
    return require_finite(name, value, -PARAM_LIMIT, PARAM_LIMIT)


def _check_script(x, action, outcome, u, v) -> None:
    if x is not None:
        require_finite("hunger", x, 0.0, 1.0)
    if action not in (None, NORM, SQUATCH):
        raise ValueError(f"action must be 'norm' or 'squatch', got {action!r}")
    if outcome not in (None, LARGE, SMALL):
        raise ValueError(f"outcome must be 'large' or 'small', got {outcome!r}")
    for name, value in (("u", u), ("v", v)):
        if value is not None:
            require_finite(name, value, 0.0, 1.0)


def _validated(params: dict, environment: FriesEnvironment) -> dict:
    unknown = set(params) - set(PolicyGradientRun.settable)
    if unknown:
        raise ValueError(f"unknown parameter(s): {sorted(unknown)}")
    out: dict = {}
    if "learning_rate" in params:
        out["learning_rate"] = _check_lr(params["learning_rate"])
    for name in ("weight", "bias"):
        if name in params:
            out[name] = _check_param(name, params[name])
    if "hunger" in params:
        h = params["hunger"]
        out["hunger"] = None if h is None else require_finite("hunger", h, 0.0, 1.0)
    if "train_weight" in params:
        out["train_weight"] = bool(params["train_weight"])
    if "seed" in params:
        out["seed"] = seed_number(params["seed"])
    env_changes = {k: params[k] for k in _ENV_KEYS if k in params}
    if env_changes:
        out["environment"] = environment.with_values(**env_changes)
    return out
