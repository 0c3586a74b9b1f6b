"""The settings of a policy-optimisation run: defaults, the two presets, and their validation."""
from __future__ import annotations

import math

OBJECTIVES = ("reinforce", "ppo")
OPTIMIZERS = ("adam", "sgd")  # names only: this module is read without importing torch
BASELINES = ("batch", "running", "none")
RUNNING_DECAY = 0.9  # the running-mean baseline remembers ~10 updates

DEFAULT_UPDATES = 200
DEFAULTS = dict(beta=0.1, learning_rate=0.003, batch_size=16, objective="reinforce", clip=0.2,
                ppo_epochs=4, optimizer="adam", baseline="batch", temperature=1.0)
PRESETS = {
    # β = 0 and a bold learning rate: nothing holds the policy near the SFT model, so within ~100
    # updates it finds what the Reward model over-pays; the learned reward soars while the
    # rubric's true score falls and the answers stop making sense. Measured, 120 updates, seeds
    # 0–4 (pipeline and run): the learned reward rose +5.3 to +7.9 on all five (at 0.01: +3.7 to
    # +8.0); the true score fell clearly only on seed 0 (−0.21), elsewhere it moved −0.01…+0.12.
    "hacking": dict(DEFAULTS, beta=0.0, learning_rate=0.02),
    # The KL penalty charges every nat the policy drifts from the SFT model, so the policy stays
    # near it (KL 7.5–9.4 nats after 200 updates instead of 15–43 at β = 0 after 120): the
    # learned reward still rises (+4.0 to +6.8 on seeds 0–4), but the true score rises on seed 2 only
    # (+0.09; seed 3 +0.02, seeds 0, 1, 4 −0.13…−0.04): so small a Reward model (held-out
    # accuracy 0.58–0.80) does not carry it. β = 0.2, 0.3 or 0.5 measured no better.
    "kl_penalty": dict(DEFAULTS),
}


def checked_setting(name: str, value):
    """Validate one setting; raises ValueError with a message a user can act on."""
    if name in ("objective", "baseline"):
        allowed = OBJECTIVES if name == "objective" else BASELINES
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
        return value
    if name == "optimizer":
        if value not in OPTIMIZERS:
            raise ValueError(f"optimizer must be 'adam' or 'sgd', got {value!r}")
        return value
    if name in ("batch_size", "ppo_epochs", "max_tokens"):
        if int(value) < 1:
            raise ValueError(f"{name} must be at least 1, got {value!r}")
        return int(value)
    limits = {"beta": (0.0, 100.0), "learning_rate": (0.0, 10.0), "clip": (0.0, 10.0),
              "temperature": (1e-3, 100.0)}
    if name not in limits:
        raise ValueError(f"unknown setting {name!r}")
    value, (low, high) = float(value), limits[name]
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be a finite number in [{low}, {high}], got {value!r}")
    return value
