"""Budgets of the RLHF loop: SFT to plateau, 200 policy updates, and the whole pipeline.

Timed after `import torch` (paid once when the app starts), with one torch thread. The whole
pipeline is measured first, in a fresh process, so nothing it needs is cached yet.
"""
from __future__ import annotations

import time

SFT_BUDGET_S = 2.0
UPDATES_BUDGET_S = 3.0
PIPELINE_BUDGET_S = 10.0
UPDATES = 200
BATCH = 16
SFT_PLATEAU = 0.05  # nats per response token: the demonstrations are memorised


def _whole_pipeline() -> tuple[float, object]:
    from explainer.core.rlhf import RLHFRun, build_pipeline
    start = time.perf_counter()
    pipeline = build_pipeline(seed=0)
    RLHFRun(pipeline=pipeline, batch_size=BATCH).train(UPDATES)
    return time.perf_counter() - start, pipeline


def _sft_to_plateau() -> tuple[float, int]:
    from explainer.core.language_model import fine_tune, load_demonstrations, new_model, shipped_vocabulary
    start = time.perf_counter()
    vocab = shipped_vocabulary()
    losses = fine_tune(new_model(vocab), vocab, load_demonstrations(), epochs=400,
                       on_epoch=lambda epoch, loss: loss >= SFT_PLATEAU)
    return time.perf_counter() - start, len(losses)


def _updates(pipeline, objective: str = "reinforce") -> float:
    from explainer.core.rlhf import RLHFRun
    run = RLHFRun(pipeline=pipeline, batch_size=BATCH, objective=objective)
    run.train(2)  # the first optimiser step and the first autograd pass warm up
    start = time.perf_counter()
    run.train(UPDATES)
    return time.perf_counter() - start


def _row(name: str, value: float, unit: str, budget: float) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "budget": budget,
            "ok": value <= budget}


def measure() -> list[dict]:
    import torch
    torch.set_num_threads(1)
    pipeline_s, pipeline = _whole_pipeline()
    sft_s, epochs = _sft_to_plateau()
    updates_s = _updates(pipeline)
    ppo_s = _updates(pipeline, "ppo")
    return [
        _row(f"RLHF: SFT to plateau (loss < {SFT_PLATEAU}, {epochs} epochs)", sft_s, "s", SFT_BUDGET_S),
        _row(f"RLHF: {UPDATES} REINFORCE updates of {BATCH} answers", updates_s, "s", UPDATES_BUDGET_S),
        _row(f"RLHF: {UPDATES} PPO updates of {BATCH} answers (4 epochs; no budget of its own)",
             ppo_s, "s", 4 * UPDATES_BUDGET_S),
        _row(f"RLHF: SFT + reward model + {UPDATES} updates", pipeline_s, "s", PIPELINE_BUDGET_S),
    ]


if __name__ == "__main__":
    for row in measure():
        print(f"{'ok ' if row['ok'] else 'OVER'} {row['name']}: {row['value']} {row['unit']} "
              f"(budget {row['budget']})")
