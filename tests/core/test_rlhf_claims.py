"""The RLHF lesson's three claims, each tested on seeds 0–9: each must hold on at least 9 of 10.

Measured on seeds 0–9 (200 updates each; 8 answers to each of the 27 evaluation prompts, which no
stage trains on) — the figures are in README's "What the RLHF lesson shows".
"""
import pytest

from explainer.core.rlhf.run import DEFAULT_UPDATES, RLHFRun

pytestmark = pytest.mark.slow   # ten seeds, each a pipeline and 800 policy updates

SEEDS = range(10)
NEEDED = 9


def _runs(seed: int, pipeline) -> dict:
    out = {"before": RLHFRun(pipeline=pipeline, seed=seed).evaluate()}
    for name, overrides in (("default", {}), ("hacking", {}), ("strong", {"beta": 1.0})):
        preset = "hacking" if name == "hacking" else "kl_penalty"
        run = RLHFRun.preset(preset, pipeline=pipeline, seed=seed, **overrides)
        records = run.train(DEFAULT_UPDATES)
        out[name] = run.evaluate()
        out[name]["records"] = records
    return out


@pytest.fixture(scope="module")
def seeds(pipelines):
    return {seed: _runs(seed, pipelines(seed)) for seed in SEEDS}


def _table(seeds, *names) -> str:
    return "\n".join(f"seed {s}: " + "  ".join(
        f"{n} R {r[n]['reward']:+.2f} T {r[n]['true_score']:.3f} KL {r[n]['kl']:.1f}" for n in names)
        for s, r in seeds.items())


def test_a_at_the_default_beta_the_true_score_on_never_seen_prompts_rises_with_the_reward(seeds):
    holds = [r["default"]["true_score"] > r["before"]["true_score"] + 0.01
             and r["default"]["reward"] > r["before"]["reward"] + 0.5 for r in seeds.values()]
    assert sum(holds) >= NEEDED, _table(seeds, "before", "default")
    rises = [r["default"]["true_score"] - r["before"]["true_score"] for r in seeds.values()]
    assert sum(rises) / len(rises) > 0.05


def test_b_at_beta_zero_the_reward_is_over_optimised_and_the_true_score_falls(seeds):
    def holds(r):
        hacked, default, before = r["hacking"], r["default"], r["before"]
        return (hacked["reward"] > default["reward"]
                and hacked["true_score"] < min(default["true_score"], before["true_score"]) - 0.1)
    assert sum(map(holds, seeds.values())) >= NEEDED, _table(seeds, "before", "default", "hacking")


def test_c_a_larger_beta_keeps_kl_smaller(seeds):
    holds = [r["strong"]["kl"] < r["default"]["kl"] < r["hacking"]["kl"] for r in seeds.values()]
    assert sum(holds) >= NEEDED, _table(seeds, "strong", "default", "hacking")
