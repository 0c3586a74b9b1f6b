"""Budgets of the reward-model lesson (tab 3): SFT from the base model, and the Reward model on the
shipped rankings to 100 % of their training pairs.

Timed after `import torch` (its 1–2 s import is paid once when the app starts), with one torch
thread. Beside the time, what the trained model carries to prompts nobody ranked: held-out pairs
mostly differ in which fact is right, which 26 ranked prompts do not teach (no budget: the lesson
says so); tone does (the share of polite-over-rude typed-in pairs, as
explainer/core/language/tone_pairs.py measures it).
"""
from __future__ import annotations

import time

SFT_BUDGET_S = 2.0
REWARD_BUDGET_S = 1.0
TONE_FLOOR = 0.75


def _sft_time() -> tuple[float, int]:
    from explainer.core.language.language_model import base_model, fine_tune, load_demonstrations
    model, vocab = base_model()
    start = time.perf_counter()
    losses = fine_tune(model, vocab, load_demonstrations())
    return time.perf_counter() - start, len(losses)


def _reward_time_to_full_accuracy() -> tuple[float, int, float, float]:
    from explainer.core.language.language_model import fine_tuned_model
    from explainer.core.language.rankings import default_feedback
    from explainer.core.language.reward_model import RewardModel, RewardTrainer
    from explainer.core.language.tone_pairs import polite_share, tone_pairs
    lm, vocab = fine_tuned_model()           # SFT is measured above, not here
    feedback = default_feedback()
    start = time.perf_counter()
    model = RewardModel.from_language_model(lm, vocab)
    trainer = RewardTrainer(model, [p.triple() for p in feedback.pairs(held_out=False)])
    history = trainer.fit(max_steps=300)
    elapsed = time.perf_counter() - start
    if history[-1].accuracy < 1.0:
        elapsed = float("inf")
    held_out = trainer.accuracy([p.triple() for p in feedback.pairs(held_out=True)])
    return elapsed, len(history), held_out, polite_share(model, tone_pairs(0))


def measure() -> list[dict]:
    import torch
    torch.set_num_threads(1)
    sft_s, epochs = _sft_time()
    rm_s, steps, held_out, tone = _reward_time_to_full_accuracy()
    return [
        {"name": f"SFT from the base model ({epochs} epochs)", "value": round(sft_s, 3),
         "unit": "s", "budget": SFT_BUDGET_S, "ok": sft_s <= SFT_BUDGET_S},
        {"name": f"reward model to 100 % training pairs ({steps} steps)", "value": round(rm_s, 3),
         "unit": "s", "budget": REWARD_BUDGET_S, "ok": rm_s <= REWARD_BUDGET_S},
        {"name": "reward model: polite over rude on prompts nobody ranked", "value": round(tone, 3),
         "unit": "fraction", "budget": TONE_FLOOR, "ok": tone >= TONE_FLOOR},
        {"name": "reward model: held-out pairs ordered right (no budget: facts do not carry)",
         "value": round(held_out, 3), "unit": "fraction", "budget": None, "ok": True},
    ]


if __name__ == "__main__":
    for row in measure():
        print(f"{'ok ' if row['ok'] else 'OVER'} {row['name']}: {row['value']} {row['unit']} "
              f"(budget {row['budget']})")
