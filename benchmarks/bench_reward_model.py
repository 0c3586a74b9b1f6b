"""Budgets of the reward-model lesson: SFT to plateau, and the reward model to 100 % training pairs.

Timed after `import torch` (its 1–2 s import is paid once when the app starts), with one torch thread.
"""
from __future__ import annotations

import time

SFT_BUDGET_S = 2.0
REWARD_BUDGET_S = 1.0
SFT_PLATEAU = 0.05      # nats per response token: the demonstrations are memorised (P ≈ 0.95 each)
HELD_OUT_FLOOR = 0.6


def _sft_time_to_plateau() -> tuple[float, int]:
    from explainer.core.language_model import fine_tune, load_demonstrations, new_model, shipped_vocabulary
    start = time.perf_counter()
    vocab = shipped_vocabulary()
    model = new_model(vocab)
    losses = fine_tune(model, vocab, load_demonstrations(), epochs=400,
                       on_epoch=lambda epoch, loss: loss >= SFT_PLATEAU)
    return time.perf_counter() - start, len(losses)


def _reward_time_to_full_accuracy() -> tuple[float, int, float]:
    from explainer.core.language_model import fine_tuned_model
    from explainer.core.rankings import default_feedback
    from explainer.core.reward_model import RewardModel, RewardTrainer
    lm, vocab = fine_tuned_model()           # SFT is measured above, not here
    feedback = default_feedback()
    start = time.perf_counter()
    trainer = RewardTrainer(RewardModel.from_language_model(lm, vocab),
                            [p.triple() for p in feedback.pairs(held_out=False)])
    history = trainer.fit(max_steps=300)
    elapsed = time.perf_counter() - start
    if history[-1].accuracy < 1.0:
        elapsed = float("inf")
    return elapsed, len(history), trainer.accuracy([p.triple() for p in feedback.pairs(held_out=True)])


def measure() -> list[dict]:
    import torch
    torch.set_num_threads(1)
    sft_s, epochs = _sft_time_to_plateau()
    rm_s, steps, held_out = _reward_time_to_full_accuracy()
    return [
        {"name": f"SFT to plateau (loss < {SFT_PLATEAU}, {epochs} epochs)", "value": round(sft_s, 3),
         "unit": "s", "budget": SFT_BUDGET_S, "ok": sft_s <= SFT_BUDGET_S},
        {"name": f"reward model to 100 % training pairs ({steps} steps)", "value": round(rm_s, 3),
         "unit": "s", "budget": REWARD_BUDGET_S, "ok": rm_s <= REWARD_BUDGET_S},
        {"name": "reward model held-out pair accuracy (at least)", "value": round(held_out, 3),
         "unit": "fraction", "budget": HELD_OUT_FLOOR, "ok": held_out >= HELD_OUT_FLOOR},
    ]


if __name__ == "__main__":
    for row in measure():
        print(f"{'ok ' if row['ok'] else 'OVER'} {row['name']}: {row['value']} {row['unit']} "
              f"(budget {row['budget']})")
