"""Budgets of the RLHF loop: SFT to plateau, 200 policy updates, and the whole pipeline.

Timed after `import torch` (paid once when the app starts), with one torch thread. The whole
pipeline is measured first, in a fresh process, so nothing it needs is cached yet.

Each figure is this process's CPU time (time.process_time): the machine is shared, and wall time
there also counts other processes' turns on the cores. Wall time is printed beside it.

Measured on the shared 2-core machine (CPU s, one thread, load 1.5–3.5): SFT to plateau 0.38–0.68
(36 epochs); 200 REINFORCE updates 3.5–4.3 (~19 ms each: sampling ~5, derivative ~3.7, reward
~3.6, update ~6.5); SFT + reward model 4.4–5.3 (the reward model's 129 full-batch steps on 488
sequences ~4.3 of it); whole pipeline 8.1–9.2. With the hand-written GRU derivative switched on
(language_model.HAND_BACKWARD_MAX_ROWS) 200 updates took ~3.25 CPU s, but see the note there.
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
