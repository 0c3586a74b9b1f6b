"""The settings of a policy-optimisation run: defaults, the two presets, and their validation."""
from __future__ import annotations

from explainer.core.common.checks import brief, is_finite_number, whole_number

OBJECTIVES = ("reinforce", "ppo")
OPTIMIZERS = ("adam", "sgd")  # names only: this module is read without importing torch
BASELINES = ("batch", "running", "none")
RUNNING_DECAY = 0.9  # the running-mean baseline remembers ~10 updates

DEFAULT_UPDATES = 200
# No seed is chosen to make the lesson hold: every claim is tested on seeds 0–9
# (tests/core/test_rlhf_claims.py), and a run starts from seed 0 unless told otherwise.
DEFAULT_SEED = 0
# β weighs KL (nats) against the Reward model's output, which `pipeline.normalise` scales to
# spread 1 on the ranked answers: at β = 0.3 a nat of drift costs 0.3 of that spread.
DEFAULTS = dict(beta=0.3, learning_rate=0.003, batch_size=16, objective="reinforce", clip=0.2,
                ppo_epochs=4, optimizer="adam", baseline="batch", temperature=1.0)
PRESETS = {
    # β = 0 and a bold learning rate: nothing holds the policy near the SFT model, so it drifts to
    # what the Reward model over-pays far from the answers people ranked: the learned reward ends
    # higher than with the penalty while the true score falls to ~0 (repeated phrases, "plus plus
    # plus …", one favourite sentence for every question).
    "hacking": dict(DEFAULTS, beta=0.0, learning_rate=0.02),
    # The KL penalty charges every nat the policy drifts from the SFT model: the policy stays near
    # it, where the Reward model judges as people do, and answers to never-seen prompts improve.
    "kl_penalty": dict(DEFAULTS),
}


# Whole-number settings and their largest values: a session asking for a batch of 10^9 answers
# took the training process past 2 GB within seconds, 10^6 PPO epochs never ended.
WHOLE_LIMITS = {"batch_size": 256, "ppo_epochs": 20, "max_tokens": 64}


def checked_setting(name: str, value):
    """Validate one setting; raises ValueError with a message a user can act on."""
    if name in ("objective", "baseline"):
        allowed = OBJECTIVES if name == "objective" else BASELINES
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, got {brief(value)}")
        return value
    if name == "optimizer":
        if value not in OPTIMIZERS:
            raise ValueError(f"optimizer must be 'adam' or 'sgd', got {brief(value)}")
        return value
    if name in WHOLE_LIMITS:
        return whole_number(name, value, 1, WHOLE_LIMITS[name])
    limits = {"beta": (0.0, 100.0), "learning_rate": (0.0, 10.0), "clip": (0.0, 10.0),
              "temperature": (1e-3, 100.0)}
    if name not in limits:
        raise ValueError(f"unknown setting {name!r}")
    low, high = limits[name]
    if not is_finite_number(value) or not low <= value <= high:
        raise ValueError(f"{name} must be a finite number in [{low}, {high}], got {brief(value)}")
    return float(value)
