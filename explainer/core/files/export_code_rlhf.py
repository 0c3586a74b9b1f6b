"""'Export as code' for tabs 3 and 4: a Python script (or a notebook) that rebuilds the Reward model,
or runs RLHF, through the scripting API with the tab's seed, rankings and settings, and prints
the numbers the tab showed, one line per training step or policy update. It needs no display.

A state is plain data (what the tab recorded, see `explainer.ui.training_exports`):

    reward: {"seed", "rankings": [Feedback JSON text, …], "segments": [{"rankings": index,
             "optimizer", "learning_rate", "new_trainer", "steps"}, …], "held_out_at": [step, …],
             "prompt_id", "notes": [why the numbers may differ, …]}
    rlhf:   {"pipeline_seed", "triples": None (the shipped rankings) or [[prompt, better, worse], …],
             "seed", "settings", "segments": [{"set": {changed settings}, "phases"}, …],
             "notes"} — each segment's settings are set, then its phases run (four phases are
             one policy update), so a setting changed between two phases is changed there too

The lines are written by the functions below, in the script and in the app alike; floats print
as repr, which reads back as the same float, so equal lines mean equal numbers, bit for bit.
"""
from __future__ import annotations

from explainer.core.files.export_code import notebook_of
from explainer.core.language.rankings import parse_feedback

PHASES_PER_UPDATE = 4   # guess, derivative, reward, update
SCRIPT_NOTE = ("Run it with the explainer package installed (no display needed); it prints the same\n"
               "numbers the app displayed.")


# --- the printed lines ---------------------------------------------------------------------------
def step_line(step: int, loss: float, accuracy: float) -> str:
    """One Reward model training step: its loss and the training pairs' accuracy before it."""
    return f"step={step} loss={float(loss)!r} accuracy={float(accuracy)!r}"


def held_out_line(step: int, accuracy: float) -> str:
    return f"held_out step={step} accuracy={float(accuracy)!r}"


def reward_line(prompt_id: str, response_id: str, reward: float) -> str:
    return f"reward prompt={prompt_id} response={response_id} R={float(reward)!r}"


def update_line(update: int, reward: float, true_score: float, kl: float, logp_polite: float,
                logp_rude: float) -> str:
    """One policy update (counted from 1, as the plots count them)."""
    return (f"update={update} mean_reward={float(reward)!r} true_score={float(true_score)!r} "
            f"kl={float(kl)!r} logp_polite={float(logp_polite)!r} logp_rude={float(logp_rude)!r}")


def _notes(notes: list[str]) -> str:
    if not notes:
        return ""
    lines = ["# NOT EXACT: the app's numbers came about in a way this script cannot repeat:"]
    lines += [f"#  - {note}" for note in notes]
    lines.append("# The script does what the tab's rankings and settings say; its numbers may differ.")
    return "\n".join(lines) + "\n\n"


# --- tab 3: the Reward model -----------------------------------------------------------------------
def reward_code_cells(state: dict) -> list[str]:
    rankings = "\n".join(f'RANKINGS.append(parse_feedback(r"""{text}"""))'
                         for text in state["rankings"])
    setup = (_notes(state.get("notes", []))
             + "from explainer.core.files.export_code_rlhf import held_out_line, reward_line, step_line\n"
             "from explainer.core.language.language_model import fine_tuned_model\n"
             "from explainer.core.language.rankings import parse_feedback\n"
             "from explainer.core.language.reward_model import RewardModel, RewardTrainer\n\n"
             f"SEED = {state['seed']!r}\n"
             "RANKINGS = []   # the rankings as the tab had them (explainer-feedback JSON)\n"
             f"{rankings}\n"
             "# The steps at which the tab measured the held-out pairs' accuracy.\n"
             f"HELD_OUT_AT = {list(state['held_out_at'])!r}\n\n"
             "lm, vocab = fine_tuned_model(seed=SEED)            # the language model after SFT\n"
             "rm = RewardModel.from_language_model(lm, vocab)  # its next-token layer -> one "
             "reward")
    helpers = (
        "def training_pairs(feedback):\n"
        "    return [p.triple() for p in feedback.pairs(held_out=False)]\n\n\n"
        "def rewards(feedback):\n"
        "    \"\"\"Every response's reward, scored in one batch as the tab scores them.\"\"\"\n"
        "    keys = [(p.id, r.id) for p in feedback.prompts for r in p.responses]\n"
        "    texts = [(p.text, r.text) for p in feedback.prompts for r in p.responses]\n"
        "    return dict(zip(keys, rm.scores(texts)))\n\n\n"
        "def held_out_accuracy(feedback):\n"
        "    \"\"\"Share of held-out pairs whose better response gets the larger reward.\"\"\"\n"
        "    r = rewards(feedback)\n"
        "    held = {p.id for p in feedback.prompts if p.held_out}\n"
        "    right = [r[(p.prompt_id, p.better_id)] - r[(p.prompt_id, p.worse_id)] > 0\n"
        "             for p in feedback.pairs() if p.prompt_id in held]\n"
        "    return sum(right) / len(right) if right else None\n\n\n"
        "step = 0\n\n\n"
        "def train(trainer, feedback, steps):\n"
        "    global step\n"
        "    for _ in range(steps):\n"
        "        result = trainer.step()   # one update on every training pair\n"
        "        step += 1\n"
        "        print(step_line(step, result.loss, result.accuracy))\n"
        "        if step in HELD_OUT_AT and held_out_accuracy(feedback) is not None:\n"
        "            print(held_out_line(step, held_out_accuracy(feedback)))")
    lines = ["if 0 in HELD_OUT_AT and held_out_accuracy(RANKINGS[0]) is not None:\n"
             "    print(held_out_line(0, held_out_accuracy(RANKINGS[0])))"]
    shown, rate, trainable = None, None, [bool(parse_feedback(text).pairs(held_out=False))
                                          for text in state["rankings"]]
    for segment in state["segments"]:
        if segment["rankings"] != shown:
            shown = segment["rankings"]
            lines.append(f"feedback = RANKINGS[{shown}]")
        if not trainable[shown]:
            lines.append("trainer = None   # no training pairs in these rankings: nothing trains")
            continue
        if segment["new_trainer"]:
            lines.append(f"trainer = RewardTrainer(rm, training_pairs(feedback), "
                         f"lr={segment['learning_rate']!r},\n"
                         f"                        optimizer={segment['optimizer']!r}, seed=SEED)")
        elif segment["learning_rate"] != rate:
            lines.append(f"trainer.set_learning_rate({segment['learning_rate']!r})")
        rate = segment["learning_rate"]
        if segment["steps"]:
            lines.append(f"train(trainer, feedback, {segment['steps']})")
    calls = "\n".join(lines)
    printout = ("# The rewards of the selected prompt's responses, as the tab shows them now.\n"
                "final = rewards(feedback)\n"
                f"for prompt_id, response_id in final:\n"
                f"    if prompt_id == {state['prompt_id']!r}:\n"
                "        print(reward_line(prompt_id, response_id, final[prompt_id, response_id]))\n"
                "print(f'steps done: {step}')")
    return [setup, helpers, calls, printout]


# --- tab 4: RLHF policy optimisation -------------------------------------------------------------
def rlhf_code_cells(state: dict) -> list[str]:
    triples = state["triples"]
    if triples is None:
        pipeline = (f"pipeline = build_pipeline({state['pipeline_seed']!r})   # SFT, then a Reward "
                    "model on the shipped rankings")
    else:
        pipeline = ("# The rankings' (prompt, better, worse) pairs the Reward model was retrained on\n"
                    "# (the tab's 'fix reward hacking' added the Policy's degenerate answers as worse).\n"
                    f"TRIPLES = json.loads(r\"\"\"{_json(triples)}\"\"\")\n"
                    f"pipeline = build_pipeline({state['pipeline_seed']!r}, feedback=[tuple(t) for "
                    "t in TRIPLES])")
    settings = "".join(f",\n             {k}={v!r}" for k, v in state["settings"].items())
    setup = (_notes(state.get("notes", []))
             + ("import json\n\n" if triples is not None else "")
             + "from explainer.core.files.export_code_rlhf import update_line\n"
             "from explainer.core.rlhf.run import RLHFRun, build_pipeline\n\n"
             f"SEED = {state['seed']!r}\n"
             f"{pipeline}\n"
             f"run = RLHFRun(seed=SEED, pipeline=pipeline{settings})")
    lines, done = ["records = []"], 0
    for segment in state["segments"]:
        if segment.get("set"):
            lines.append("run.set(" + ", ".join(f"{k}={v!r}" for k, v in segment["set"].items())
                         + ")")
        lines += _advance(done, segment["phases"])
        done += segment["phases"]
    if any(line.startswith("records += advance(") for line in lines):
        setup += ("\n\n\ndef advance(phases):\n"
                  "    \"\"\"Step phase by phase (guess, derivative, reward, update), as the tab's "
                  "Next did;\n    returns the records of the updates finished.\"\"\"\n"
                  "    records = [run.step() for _ in range(phases)]\n"
                  "    return [r for r in records if r.phase == \"update\"]")
    printout = ("for r in records:\n"
                "    print(update_line(r.update + 1, r.mean_reward, r.mean_true_score, r.mean_kl,\n"
                "                      r.probe_logp_polite, r.probe_logp_rude))\n"
                "print(f'updates done: {len(records)}')")
    return [setup, "\n".join(lines), printout]


def _advance(done: int, phases: int) -> list[str]:
    """Lines that run `phases` phases from `done` phases into the run: whole updates through
    run.train, a partial one phase by phase."""
    lines = []
    first = min(phases, -done % PHASES_PER_UPDATE)   # the rest of an unfinished update
    updates, rest = divmod(phases - first, PHASES_PER_UPDATE)
    if first:
        lines.append(f"records += advance({first})   # the rest of update "
                     f"{done // PHASES_PER_UPDATE + 1}")
    if updates:
        lines.append(f"records += run.train({updates})   # whole policy updates")
    if rest:
        lines.append(f"records += advance({rest})   # into update "
                     f"{(done + phases) // PHASES_PER_UPDATE + 1}: phases stepped with Next")
    return lines


# --- scripts and notebooks -----------------------------------------------------------------------
KINDS = {   # kind: (what the script's docstring says it reproduces, the notebook's heading, cells)
    "reward": ("(tab 3, the Reward model): the rankings, the\ntraining steps and the rewards.",
               "# Reproducing explainer's Reward model\n\nThe rankings, the training steps and "
               "the rewards", reward_code_cells),
    "rlhf": ("(tab 4, RLHF): policy optimisation against the\nReward model, one line per policy "
             "update.", "# Reproducing explainer's RLHF run\n\nThe fine-tuned model, the Reward "
             "model and every policy update", rlhf_code_cells),
}


def script(kind: str, state: dict) -> str:
    """The exported Python script of tab `kind` ("reward" or "rlhf")."""
    what, _, cells = KINDS[kind]
    head = f'"""Reproduces what explainer showed {what}\n\n{SCRIPT_NOTE}"""\n'
    return head + "\n\n\n".join(cells(state)) + "\n"


def notebook(kind: str, state: dict) -> str:
    _, heading, cells = KINDS[kind]
    return notebook_of(heading + ", computed by the same code the app uses.", cells(state))


def expected_reward_lines(history, rewards, step: int, prompt_id) -> list[str]:
    """What a Reward model script prints for a tab that showed `history` (a reward_training
    History), `rewards` ((prompt id, response id) → reward) after `step` steps."""
    held = dict(zip(history.held_steps, history.held_accuracy))
    lines = [held_out_line(0, held[0])] if 0 in held else []
    for n, loss, accuracy in zip(history.steps, history.loss, history.train_accuracy):
        lines.append(step_line(n, loss, accuracy))
        if n in held:
            lines.append(held_out_line(n, held[n]))
    lines += [reward_line(p, r, value) for (p, r), value in rewards.items() if p == prompt_id]
    return lines + [f"steps done: {step}"]


def _json(data) -> str:
    import json
    return json.dumps(data, ensure_ascii=False)
