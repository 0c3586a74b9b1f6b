import json

import pytest
from hypothesis import given, settings, strategies as st

from explainer.core.files.walkthrough import LessonError, load_lesson, parse_lesson, shipped_lessons


def test_shipped_walkthroughs_reproduce_the_videos_numbers():
    walk = shipped_lessons("policy")[0]
    assert walk.run_at(4).current.bias_after == pytest.approx(-0.5)
    assert walk.run_at(8).current.bias_after == pytest.approx(-1.1224593, abs=1e-6)
    assert walk.run_at(9).episodes_done == 2002
    essentials = shipped_lessons("essentials")[0]
    assert essentials.run_at(3).current.p_squatch_after == pytest.approx(0.45)


def test_every_step_has_a_caption():
    for lesson in ("policy", "essentials"):
        for walk in shipped_lessons(lesson):
            assert all(len(step.caption) > 20 for step in walk.steps)


BASE = {"format": "explainer-lesson", "version": 1, "lesson": "policy", "title": "t",
        "steps": [{"caption": "c", "do": []}]}


@pytest.mark.parametrize("change", [
    {"lesson": "chess"}, {"title": ""}, {"steps": []}, {"steps": [{"do": []}]},
    {"steps": [{"caption": "c", "do": [{"op": "exec", "args": {}}]}]},
    {"steps": [{"caption": "c", "do": [{"op": "set", "args": {"learning_rate": -1}}]}]},
    {"steps": [{"caption": "c", "do": [{"op": "fast_forward", "args": {"n": 10**11}}]}]},
    {"version": 2}, {"init": {"seed": "zero"}}, {"steps": "many"},
])
def test_malformed_lessons_are_rejected_with_a_message(change):
    with pytest.raises(LessonError):
        parse_lesson(json.dumps(BASE | change))


@settings(max_examples=100, deadline=None)
@given(blob=st.binary(max_size=400))
def test_any_bytes_as_a_lesson_file_give_a_clear_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("lesson") / "l.json"
    path.write_bytes(blob)
    with pytest.raises(LessonError):
        load_lesson(path)


def test_deeply_nested_and_huge_lessons_are_rejected(tmp_path):
    with pytest.raises(LessonError):
        parse_lesson("[" * 50_000)
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps(BASE | {"pad": "x" * 400_000}))
    with pytest.raises(LessonError, match="larger"):
        load_lesson(huge)


def test_lesson_for_picks_the_tabs_first_shipped_lesson_a_file_or_refuses_another_tabs(tmp_path):
    from explainer.core.files.walkthrough import LessonError, lesson_for, shipped_lessons

    for kind in ("essentials", "policy", "reward", "rlhf"):
        if shipped_lessons(kind):
            assert lesson_for(kind) == shipped_lessons(kind)[0]
    rlhf = shipped_lessons("rlhf")[0]
    assert lesson_for("rlhf", rlhf) is rlhf
    with pytest.raises(LessonError, match="for the rlhf tab"):
        lesson_for("reward", rlhf)
    bad = tmp_path / "mine.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(LessonError):
        lesson_for("policy", str(bad))


def test_the_policy_walkthrough_ends_on_an_episode_that_still_teaches():
    """Its last step is an update near the learnt switch, where the derivative is large, not a
    confident episode whose update reads −9.513 → −9.513."""
    walk = shipped_lessons("policy")[0]
    last = walk.run_at(len(walk.steps) - 1).current
    assert last.phase == "update"
    assert 0.2 < last.p_a < 0.8                                 # the Policy is unsure here
    assert abs(last.bias_after - last.bias_before) > 0.25       # a quarter of the largest step
    assert f"{last.bias_before:.2f}".replace("-", "−") in walk.steps[-1].caption
    assert f"{last.bias_after:.2f}".replace("-", "−") in walk.steps[-1].caption
