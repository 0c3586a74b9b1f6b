"""Writes the two people-made data files of the RLHF lesson from the world's grammar:

    resources/rlhf/demonstrations.json  SFT: two polite, correct answers to each SFT prompt, and
                                        the evaluation prompts (no stage ever trains on them)
    resources/rlhf/feedback.json        tab 3's starting rankings: six answers, as pre-training
                                        text says them, to 30 of the RL prompts, ordered the way
                                        people order them (`ground_truth`); 4 prompts held out

    python -m explainer.core.language.shipped_data      (writes both; the tests check they are up to date)
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from explainer.core.rlhf.ground_truth import score
from explainer.core.files.jsonfile import atomic_write
from explainer.core.language.world import World, demonstrations, sample_answer, world

RANKED_PROMPTS = 30
ANSWERS_PER_PROMPT = 6
HELD_OUT_EVERY = 7   # prompts 7, 14, 21 … of the ranked ones are held out of the Reward model's training


def demonstrations_data(w: World | None = None) -> dict:
    w = w or world()
    return {"format": "explainer-demonstrations", "version": 1,
            "demonstrations": [{"prompt": p, "response": r} for p, r in demonstrations(w)],
            "unseen_prompts": w.prompts("eval")}


def feedback_data(w: World | None = None, seed: int = 0) -> dict:
    w, rng = w or world(), random.Random(seed)
    rl = [q for q in w.questions if q.split == "rl"]
    chosen = sorted(rng.sample(range(len(rl)), RANKED_PROMPTS))
    prompts, orderings = [], []
    for n, i in enumerate(chosen, 1):
        q, answers = rl[i], []
        while len(answers) < ANSWERS_PER_PROMPT:   # people were shown answers they could tell apart
            a = sample_answer(w, q, rng)
            if all(abs(score(q.prompt, a) - score(q.prompt, b)) > 0.01 for b in answers):
                answers.append(a)
        pid = f"p{n:02d}"
        ids = [f"{pid}-{chr(ord('a') + k)}" for k in range(len(answers))]
        prompts.append({"id": pid, "text": q.prompt, "held_out": n % HELD_OUT_EVERY == 0,
                        "responses": [{"id": r, "text": a} for r, a in zip(ids, answers)]})
        ranked = sorted(zip(ids, answers), key=lambda item: -score(q.prompt, item[1]))
        orderings.append({"prompt_id": pid, "order": [r for r, _ in ranked]})
    return {"format": "explainer-feedback", "version": 1, "prompts": prompts,
            "orderings": orderings, "comparisons": []}


def write(root) -> None:
    for name, data in (("demonstrations.json", demonstrations_data()),
                       ("feedback.json", feedback_data())):
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        atomic_write(Path(root) / "rlhf" / name, text.encode("utf-8"), OSError)


if __name__ == "__main__":
    from explainer.paths import resource_dir
    write(resource_dir())
