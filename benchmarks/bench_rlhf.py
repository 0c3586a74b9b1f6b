"""Budgets of the RLHF loop: SFT to plateau, 200 policy updates, and the whole pipeline.

Timed after `import torch` (paid once when the app starts), with one torch thread. The whole
pipeline is measured first, in a fresh process, so nothing it needs is cached yet.

Each figure is this process's CPU time (time.process_time): the machine is shared, and wall time
there also counts other processes' turns on the cores. Wall time is printed beside it.

Measured on the shared 2-core machine (CPU s, one thread, load 2.9–4.2, three runs): SFT to
plateau 0.44–0.57 (36 epochs); 200 REINFORCE updates 2.88–3.96; SFT + reward model 3.2–4.3 (89
full-batch steps on 488 sequences); whole pipeline 6.8–7.9. A fourth run at load 4.2–4.8: 3.88
for the updates, 9.17 for the pipeline. The code before (autograd through
nn.GRU for the derivative, separate reference and Reward-model passes, every sequence read whole)
took 4.9 for 200 updates and 11.2–11.7 for the pipeline at load ~1.7. Run side by side with it
(load 4–6, ms per update, best of ten chunks of 20): guess 5.3 vs 8.0, derivative 1.6 vs 5.4,
reward 3.7 vs 6.1, update 6.4 vs 11.0 — 17 vs 30 ms, 0.56 of the time.

Where an update's time goes now: ~22 sampling steps of one GRU cell, the head and a draw each;
one joined GRU pass of the reference and the Reward model; the REINFORCE gradient written out
(rlhf_batch.reinforce_gradients; back-propagation through time is 3 operations a step); the
probe's forward pass (~1 ms). Process CPU time grows with the machine's load (shared cores and
caches): the 3 s budget was met in 1 of these 4 runs. One gen-2 garbage collection
(~0.12 s, 190k objects tracked after importing torch) falls within the 200 updates.
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
    from explainer.core.rlhf import RLHFRun, build_pipeline
    clock = _Clock()
    pipeline = build_pipeline(seed=0)
    built = clock.read()
    RLHFRun(pipeline=pipeline, batch_size=BATCH).train(UPDATES)
    return clock.read(), built, pipeline


def _sft_to_plateau() -> tuple[tuple[float, float], int]:
    from explainer.core.language_model import fine_tune, load_demonstrations, new_model, shipped_vocabulary
    clock = _Clock()
    vocab = shipped_vocabulary()
    losses = fine_tune(new_model(vocab), vocab, load_demonstrations(), epochs=400,
                       on_epoch=lambda epoch, loss: loss >= SFT_PLATEAU)
    return clock.read(), len(losses)


def _updates(pipeline, objective: str = "reinforce") -> tuple[float, float]:
    from explainer.core.rlhf import RLHFRun
    run = RLHFRun(pipeline=pipeline, batch_size=BATCH, objective=objective)
    run.train(2)  # the first optimiser step and the first autograd pass warm up
    clock = _Clock()
    run.train(UPDATES)
    return clock.read()


def _row(name: str, seconds: tuple[float, float], budget: float) -> dict:
    cpu, wall = seconds
    return {"name": f"{name} [wall {wall:.2f} s]", "value": round(cpu, 3), "unit": "CPU s",
            "budget": budget, "ok": cpu <= budget, "wall_s": round(wall, 3)}


def measure() -> list[dict]:
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
