"""Budgets of the RLHF loop: SFT to plateau, 200 policy updates, and the whole pipeline.

Timed after `import torch` (paid once when the app starts), with one torch thread, on the default
seed (rlhf_settings.DEFAULT_SEED). The whole pipeline is measured first, in a fresh process, so
nothing it needs is cached yet. `explainer` is imported before torch, as in the app, so torch's
kernels are the pinned AVX2 ones (explainer/core/cpu_kernels.py).

Each figure is this process's CPU time (time.process_time): the machine is shared, and wall time
there also counts other processes' turns on the cores. Wall time is printed beside it.

Measured on the shared 2-core machine (CPU s, one thread): 200 updates interleaved in one process
with the code before, 10 updates of each in turn, at load 1.6–2.5: seed 8 1.41 / 1.67 / 2.04
against 1.49 / 1.70 / 2.19, seed 0 1.88 / 2.15 against 2.19 / 2.22 (0.86–0.98 of the time). On
the default seed 8 at load 2.4, through `python -m benchmarks`: updates 1.78, SFT to plateau 0.30,
whole pipeline 6.2 (seed 8's Reward model takes 190 full-batch steps to order every training
pair, seed 0's 89).

What changed: full garbage collections during training skip the ~190k objects that existed before
it (one such collection took ~0.12 s inside the 200 updates), the sampler's draw is written inline
with one search fewer, the GRU kernel is called without nn.GRU's checks, and the REINFORCE
derivative reuses the logits' token indices instead of rebuilding them: the seeded numbers are the
same as before to the last bit. Keeping each prompt's state in the frozen readers saved ~0.3 ms an
update more but was left out: read in a batch, a prompt's state depends on which prompts came first
(an opened session then drifts from the saved one); read alone, it rounds differently from the
whole-batch pass, which moves every seeded run (on seed 8 the default β's true-score rise fell
from +0.050 to +0.012).

Where an update's time goes (ms at load ~2, ~8 in all): ~22 sampling steps of one GRU cell, the
head and a draw each (~2.2); the REINFORCE gradient written out (rlhf_batch.reinforce_gradients,
~1.9; back-propagation through time is 3 operations a step); one joined GRU pass of the reference
and the Reward model (~1.5); the probe's forward pass (~0.8; its values are plotted for every
update); the derivative's logits (~0.5). Process CPU time grows with the machine's load (shared
cores and caches): earlier runs measured 2.9–4.1 CPU s for the same 200 updates at load 3–4.5.
"""
from __future__ import annotations

import time

SFT_BUDGET_S = 2.0
UPDATES_BUDGET_S = 3.0
PIPELINE_BUDGET_S = 10.0
UPDATES = 200
BATCH = 16
SFT_PLATEAU = 0.05  # nats per response token: the demonstrations are memorised


class _Clock:
    """CPU and wall seconds since construction."""

    def __init__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def read(self) -> tuple[float, float]:
        return time.process_time() - self.cpu, time.perf_counter() - self.wall


def _whole_pipeline() -> tuple[tuple[float, float], tuple[float, float], object]:
    from explainer.core.rlhf import DEFAULT_SEED, RLHFRun, build_pipeline
    clock = _Clock()
    pipeline = build_pipeline(seed=DEFAULT_SEED)
    built = clock.read()
    RLHFRun(seed=DEFAULT_SEED, pipeline=pipeline, batch_size=BATCH).train(UPDATES)
    return clock.read(), built, pipeline


def _sft_to_plateau() -> tuple[tuple[float, float], int]:
    from explainer.core.language_model import fine_tune, load_demonstrations, new_model, shipped_vocabulary
    clock = _Clock()
    vocab = shipped_vocabulary()
    losses = fine_tune(new_model(vocab), vocab, load_demonstrations(), epochs=400,
                       on_epoch=lambda epoch, loss: loss >= SFT_PLATEAU)
    return clock.read(), len(losses)


def _updates(pipeline, objective: str = "reinforce") -> tuple[float, float]:
    from explainer.core.rlhf import DEFAULT_SEED, RLHFRun
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
    sft_s, epochs = _sft_to_plateau()
    updates_s = _updates(pipeline)
    ppo_s = _updates(pipeline, "ppo")
    return [
        _row(f"RLHF: SFT to plateau (loss < {SFT_PLATEAU}, {epochs} epochs)", sft_s, SFT_BUDGET_S),
        _row(f"RLHF: {UPDATES} REINFORCE updates of {BATCH} answers", updates_s, UPDATES_BUDGET_S),
        _row(f"RLHF: {UPDATES} PPO updates of {BATCH} answers (4 epochs; no budget of its own)",
             ppo_s, 4 * UPDATES_BUDGET_S),
        _row(f"RLHF: SFT + reward model + {UPDATES} updates (SFT + reward model alone: "
             f"CPU {built_s[0]:.2f} s)", pipeline_s, PIPELINE_BUDGET_S),
    ]


if __name__ == "__main__":
    for row in measure():
        print(f"{'ok ' if row['ok'] else 'OVER'} {row['name']}: {row['value']} {row['unit']} "
              f"(budget {row['budget']})")
