"""Lessons of the Reward model and RLHF tabs: the shipped ones parse, a bad one is refused with a
message saying where and why, and the RLHF checkpoints behind Back restore a step exactly."""
import json

import pytest

from explainer.core.files.pipeline_walkthrough import (PLACEHOLDERS, PipelineWalkthrough, fill)
from explainer.core.files.walkthrough import LessonError, load_lesson, parse_lesson, shipped_lessons
from explainer.core.rlhf.settings import DEFAULTS

NOTES_WORDS = ("Reward model", "Pairwise ranking loss", "SFT", "Policy", "Reward", "KL penalty",
               "Reward hacking")


def test_the_shipped_lessons_parse_with_their_actions():
    reward, = shipped_lessons("reward")
    rlhf, = shipped_lessons("rlhf")
    assert isinstance(reward, PipelineWalkthrough) and reward.lesson == "reward"
    assert [a.op for a in reward.actions_until(4)].count("train") == 2
    assert sum(a.args["steps"] for a in reward.actions_until(4) if a.op == "train") == 25
    ops = [a.op for a in rlhf.actions_until(len(rlhf.steps) - 1)]
    assert ops.count("step") == 4 and "run_sft" in ops and "fix_hacking" in ops
    presets = [a.args["name"] for a in rlhf.actions_until(len(rlhf.steps) - 1) if a.op == "preset"]
    assert presets == ["hacking", "kl_penalty"]
    # optional arguments get their defaults; given ones are kept
    sample = next(a for a in rlhf.steps[2].actions if a.op == "sample")
    assert dict(sample.args) == {"prompt": "which city is the capital of italy ?", "temperature": 1.0, "seed": 1}
    # the other tabs' lessons are unchanged
    assert [w.lesson for w in shipped_lessons("policy")] == ["policy"]


def test_the_lessons_speak_the_notes_words():
    text = " ".join(s.caption for kind in ("reward", "rlhf") for w in shipped_lessons(kind)
                    for s in w.steps)
    for word in NOTES_WORDS:
        assert word in text, word


def test_captions_fill_their_live_values_and_mark_unknown_ones():
    assert fill("R = {r_better}, loss {pair_loss}", {"r_better": "+1.200"}) \
        == "R = +1.200, loss —"
    assert fill("a {{brace}} stays", {}) == "a {brace} stays"
    walk, = shipped_lessons("reward")
    assert walk.caption(5, {"held_out_accuracy": "62.5 %"}).count("62.5 %") == 1


BASE = {"format": "explainer-lesson", "version": 1, "lesson": "reward", "title": "t",
        "steps": [{"caption": "c", "do": []}]}


def step(*actions, caption="c"):
    return {"steps": [{"caption": caption, "do": list(actions)}]}


@pytest.mark.parametrize("change, says", [
    (step({"op": "exec"}), "unknown action 'exec'"),
    (step({"op": "train"}), "needs 'steps'"),
    (step({"op": "train", "args": {"steps": 0}}), "'steps' must be a whole number from 1"),
    (step({"op": "train", "args": {"steps": True}}), "'steps' must be a whole number"),
    (step({"op": "train", "args": {"steps": 2.5}}), "'steps' must be a whole number"),
    (step({"op": "train", "args": {"steps": 5, "fast": 1}}), "unknown argument 'fast'"),
    (step({"op": "select_prompt", "args": {"prompt": "p99"}}), "no prompt 'p99'"),
    (step({"op": "select_pair", "args": {"prompt": "p01", "better": "p01-a", "worse": "p01-z"}}),
     "has no response 'p01-z'"),
    (step({"op": "select_pair", "args": {"prompt": "p01", "better": "p01-f", "worse": "p01-a"}}),
     "not a pair of the rankings"),
    (step({"op": "show", "args": {"view": "table"}}), "'view' must be one of"),
    (step(caption="Accuracy {accuracy}"), "unknown live value {accuracy}"),
    (step(caption="Accuracy {held_out_accuracy:.2f}"), "unknown live value"),
    (step(caption="a { brace"), "braces in the caption"),
    (step(caption=""), "needs a 'caption'"),
    ({"init": {"seed": 1}}, "take no 'init'"),
    ({"lesson": "rlhf"} | step({"op": "preset", "args": {"name": "cheat"}}), "'name' must be one of"),
    ({"lesson": "rlhf"} | step({"op": "set", "args": {"name": "beta", "value": -1}}),
     "beta must be a finite number"),
    ({"lesson": "rlhf"} | step({"op": "sample", "args": {"prompt": "who are you ?"}}),
     "is not one of stage 1's prompts"),
    ({"lesson": "rlhf"} | step({"op": "train", "args": {"updates": 10**6}}), "from 1 to 400"),
    ({"lesson": "rlhf"} | step({"op": "train", "args": {"updates": 5}},
                               caption="Held-out {held_out_accuracy}"), "unknown live value"),
])
def test_malformed_lessons_are_rejected_with_a_message(change, says):
    with pytest.raises(LessonError) as error:
        parse_lesson(json.dumps(BASE | change), "mine.json")
    message = str(error.value)
    assert message.startswith("mine.json") and says in message
    if "steps" in change:
        assert message.startswith("mine.json, step 1: ")   # where the lecturer should look


def test_a_pair_named_later_must_exist_when_it_is_named():
    """Ids are checked against the rankings as the earlier actions left them."""
    order = {"op": "order", "args": {"prompt": "p01", "order": ["p01-f", "p01-a"]}}
    pair = {"op": "select_pair", "args": {"prompt": "p01", "better": "p01-f", "worse": "p01-a"}}
    walk = parse_lesson(json.dumps(BASE | {"steps": [{"caption": "rank", "do": [order]},
                                                     {"caption": "show", "do": [pair]}]}))
    assert [a.op for a in walk.actions_until(1)] == ["order", "select_pair"]
    with pytest.raises(LessonError, match="step 1: select_pair"):
        parse_lesson(json.dumps(BASE | {"steps": [{"caption": "show", "do": [pair]}]}))


def test_a_lesson_file_for_tab_3_loads(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(BASE | step({"op": "train", "args": {"steps": 3}})))
    walk = load_lesson(path)
    assert walk.lesson == "reward" and walk.steps[0].actions[0].args["steps"] == 3
    assert walk.steps[0].calls == ({"op": "train", "args": {"steps": 3}},)


def test_every_placeholder_of_the_shipped_lessons_is_known():
    import string
    for kind in ("reward", "rlhf"):
        for walk in shipped_lessons(kind):
            for s in walk.steps:
                names = {n for _, n, _, _ in string.Formatter().parse(s.caption) if n}
                assert names <= set(PLACEHOLDERS[kind])


# Fuzzed files (truncated, hostile, wrong-typed): tests/core/test_loader_fuzz.py covers both lessons.


# --- the checkpoints behind the RLHF tab's Back -----------------------------------------------------
@pytest.fixture(scope="module")
def session(rlhf_session):
    s = rlhf_session()
    s.start_run()
    return s


def test_a_checkpoint_restores_a_run_that_then_repeats_itself(session):
    from explainer.core.rlhf.checkpoints import capture, restore
    session.train(2)
    saved = capture(session)
    first = [r.mean_reward for r in session.train(2)]
    session.preset("hacking")                  # a new run and settings in between
    restore(session, saved)
    assert session.settings["beta"] == pytest.approx(DEFAULTS["beta"]) and len(session.series().update) == 2
    again = [r.mean_reward for r in session.train(2)]
    assert again == first                      # the same weights, optimiser and random draws
    restore(session, saved)                    # a checkpoint can be restored again
    assert len(session.series().update) == 2 and session.run.updates_done == 2


def test_a_checkpoint_between_phases_replays_them_from_the_update_start(session):
    from explainer.core.rlhf.checkpoints import CheckpointError, capture, restore
    session.start_run()
    start = capture(session)
    guess = session.step()
    derivative = session.step()
    with pytest.raises(CheckpointError):
        capture(session)                       # tensors of a graph cannot be copied
    mid = capture(session, start)
    assert mid.replay == 2
    update = session.run.update()
    restore(session, mid)
    assert session.run.current.phase == "derivative"
    assert session.run.current.cross_entropy == derivative.cross_entropy
    assert session.run.history[0].responses == guess.responses
    assert session.run.update().mean_reward == update.mean_reward
