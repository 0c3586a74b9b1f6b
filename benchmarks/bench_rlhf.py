"""Budgets of the RLHF loop: loading the base model, SFT, the Reward model, 200 policy updates,
the whole pipeline from a cold start, and the over-optimisation sweep.

Timed after `import torch` (paid once when the app starts), with one torch thread, on the default
seed (core.rlhf.settings.DEFAULT_SEED). The whole pipeline is measured first, in a fresh process, so
nothing it needs is cached yet. `explainer` is imported before torch, as in the app, so torch's
kernels are the pinned AVX2 ones (explainer/core/common/cpu_kernels.py).

Each figure is this process's CPU time (time.process_time): the machine is shared, and wall time
there also counts other processes' turns on the cores. Wall time is printed beside it.

Where an update's time goes (ms at load ~2, ~8 in all): ~22 sampling steps of one GRU cell, the
head and a draw each (~2.2); the REINFORCE gradient written out (core.rlhf.batch.reinforce_gradients,
~1.9; back-propagation through time is 3 operations a step); one joined GRU pass of the reference
and the Reward model (~1.5); the probe's forward pass (~0.8; its values are plotted for every
update); the derivative's logits (~0.5). Process CPU time grows with the machine's load (shared
cores and caches).

Pre-training itself (budget 15 CPU minutes) is not re-run here: `explainer pretrain` took 77 CPU s
for the shipped weights; the README records it.
"""
from __future__ import annotations

import time

LOAD_BUDGET_S = 0.5
SFT_BUDGET_S = 2.0
REWARD_MODEL_BUDGET_S = 1.0
UPDATES_BUDGET_S = 3.0
PIPELINE_BUDGET_S = 10.0
SWEEP_BUDGET_S = 60.0
UPDATES = 200
BATCH = 16


class _Clock:
    """CPU and wall seconds since construction."""

    def __init__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def read(self) -> tuple[float, float]:
        return time.process_time() - self.cpu, time.perf_counter() - self.wall


def _whole_pipeline() -> tuple[tuple[float, float], tuple[float, float], object]:
    from explainer.core.rlhf.run import DEFAULT_SEED, RLHFRun, build_pipeline
    clock = _Clock()
    pipeline = build_pipeline(seed=DEFAULT_SEED)
    built = clock.read()
    RLHFRun(seed=DEFAULT_SEED, pipeline=pipeline, batch_size=BATCH).train(UPDATES)
    return clock.read(), built, pipeline


def _load_base_model() -> tuple[float, float]:
    from explainer.core.language import pretraining
    pretraining._shipped.cache_clear()   # read and checked from the file again
    clock = _Clock()
    pretraining.pretrained_model()
    return clock.read()


def _sft() -> tuple[tuple[float, float], int]:
    from explainer.core.language.language_model import base_model, fine_tune, load_demonstrations
    model, vocab = base_model()
    clock = _Clock()
    losses = fine_tune(model, vocab, load_demonstrations())
    return clock.read(), len(losses)


def _reward_model(pipeline) -> tuple[tuple[float, float], int]:
    from explainer.core.rlhf.pipeline import fit_reward_model
    clock = _Clock()
    _model, trainer = fit_reward_model(pipeline.model, pipeline.vocab, pipeline.pairs)
    return clock.read(), trainer.steps


def _sweep(pipeline) -> tuple[tuple[float, float], object]:
    from explainer.core.rlhf.overoptimisation import sweep
    from explainer.core.rlhf.run import DEFAULT_SEED
    clock = _Clock()
    s = sweep(DEFAULT_SEED, pipeline=pipeline)
    return clock.read(), s


def _updates(pipeline, objective: str = "reinforce") -> tuple[float, float]:
    from explainer.core.rlhf.run import DEFAULT_SEED, RLHFRun
    run = RLHFRun(seed=DEFAULT_SEED, pipeline=pipeline, batch_size=BATCH, objective=objective)
    run.train(2)  # the first optimiser step and the first autograd pass warm up
    clock = _Clock()
    run.train(UPDATES)
    return clock.read()


def _row(name: str, seconds: tuple[float, float], budget: float) -> dict:
    cpu, wall = seconds
    return {"name": f"{name} [wall {wall:.2f} s]", "value": round(cpu, 3), "unit": "CPU s",
            "budget": budget, "ok": cpu <= budget, "wall_s": round(wall, 3)}


def measure() -> list[dict]:
    import explainer  # noqa: F401  (pins torch's CPU kernels: it must come before torch)
    import torch
    torch.set_num_threads(1)
    pipeline_s, built_s, pipeline = _whole_pipeline()
    load_s = _load_base_model()
    sft_s, epochs = _sft()
    rm_s, rm_steps = _reward_model(pipeline)
    updates_s = _updates(pipeline)
    ppo_s = _updates(pipeline, "ppo")
    sweep_s, swept = _sweep(pipeline)
    return [
        _row("RLHF: loading the pre-trained base model", load_s, LOAD_BUDGET_S),
        _row(f"RLHF: SFT from the base model ({epochs} epochs)", sft_s, SFT_BUDGET_S),
        _row(f"RLHF: Reward model on {len(pipeline.pairs)} ranked pairs ({rm_steps} steps)",
             rm_s, REWARD_MODEL_BUDGET_S),
        _row(f"RLHF: {UPDATES} REINFORCE updates of {BATCH} answers", updates_s, UPDATES_BUDGET_S),
        _row(f"RLHF: {UPDATES} PPO updates of {BATCH} answers (4 epochs; no budget of its own)",
             ppo_s, 4 * UPDATES_BUDGET_S),
        _row(f"RLHF: SFT + reward model + {UPDATES} updates (SFT + reward model alone: "
             f"CPU {built_s[0]:.2f} s)", pipeline_s, PIPELINE_BUDGET_S),
        _row(f"RLHF: over-optimisation sweep ({len(swept.points) - 1} runs of {swept.updates} "
             "updates, each measured)", sweep_s, SWEEP_BUDGET_S),
    ]


if __name__ == "__main__":
    for row in measure():
        print(f"{'ok ' if row['ok'] else 'OVER'} {row['name']}: {row['value']} {row['unit']} "
              f"(budget {row['budget']})")
