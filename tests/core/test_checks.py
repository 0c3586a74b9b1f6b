"""Numbers from files and the keyboard: refused with a message, never an OverflowError or a run
that eats the machine (10**400, inf, a batch of 10**9 answers)."""
import pytest

from explainer.core.common.checks import brief, is_finite_number, seed_number, whole_number
from explainer.core.fries.essentials import EssentialsRun
from explainer.core.files.pipeline_walkthrough import ActionError, checked_action
from explainer.core.fries.policy_gradient import PolicyGradientRun
from explainer.core.files.record_json import RecordError, from_plain
from explainer.core.rlhf.training import Series
from explainer.core.rlhf.settings import WHOLE_LIMITS, checked_setting
from explainer.core.common.stable import require_finite

HUGE = 10**400


def test_finite_numbers_are_real_numbers_that_fit_a_float():
    assert is_finite_number(3) and is_finite_number(-2.5)
    for bad in (HUGE, float("inf"), float("nan"), True, "1", None):
        assert not is_finite_number(bad)
    assert whole_number("n", 4.0, 1, 5) == 4 and whole_number("n", 5, 1, 5) == 5
    for bad in (4.5, 0, 6, HUGE, float("inf"), True, "3"):
        with pytest.raises(ValueError, match="n must be a whole number from 1 to 5"):
            whole_number("n", bad, 1, 5)
    assert brief(HUGE).endswith("…") and len(brief(HUGE)) == 21


def test_rlhf_settings_are_bounded():
    assert checked_setting("batch_size", 256) == 256 and checked_setting("ppo_epochs", 3.0) == 3
    for name, top in WHOLE_LIMITS.items():
        for bad in (top + 1, 10**9, float("inf"), HUGE, 0):
            with pytest.raises(ValueError, match=f"{name} must be a whole number"):
                checked_setting(name, bad)
    for bad in (HUGE, float("nan"), True):
        with pytest.raises(ValueError, match="beta must be a finite number"):
            checked_setting("beta", bad)


def test_records_lessons_and_runs_refuse_huge_numbers():
    with pytest.raises(RecordError, match="must be a finite number"):
        from_plain(Series, {"update": [1], "reward": [HUGE], "true_score": [0.5], "kl": [0.0],
                            "logp_polite": [-1.0], "logp_rude": [-2.0]}, "series")
    with pytest.raises(ActionError, match="'temperature' must be a number"):
        checked_action("rlhf", {"op": "sample", "args": {"prompt": "what is two plus two ?",
                                                         "temperature": HUGE}})
    with pytest.raises(ActionError):
        checked_action("rlhf", {"op": "set", "args": {"name": "batch_size", "value": 10**9}})
    for bad in (-1, 1e20, float("inf"), HUGE, 2.5):
        with pytest.raises(ValueError, match="seed must be a whole number"):
            PolicyGradientRun(seed=bad)
        with pytest.raises(ValueError, match="seed must be a whole number"):
            EssentialsRun(seed=bad)
    assert seed_number(7.0) == 7 and PolicyGradientRun(seed=3).seed == 3
    with pytest.raises(ValueError, match="hunger must be a finite number"):
        require_finite("hunger", HUGE, 0.0, 1.0)


def test_counts_and_cursors_refuse_infinity_and_a_lesson_version_of_true():
    import json

    from explainer.core.files.walkthrough import LessonError, parse_lesson
    run = PolicyGradientRun(seed=0)
    for bad in (float("inf"), HUGE, 2.5, -1):
        with pytest.raises(ValueError, match="the number of episodes must be a whole number"):
            run.fast_forward(bad)
        with pytest.raises(ValueError, match="the number of episodes"):
            EssentialsRun(seed=0).fast_forward(bad)
    with pytest.raises(ValueError, match="seek needs a whole number"):
        run.seek(float("inf"))
    with pytest.raises(LessonError, match="version 1"):
        parse_lesson(json.dumps({"format": "explainer-lesson", "version": True, "lesson": "policy",
                                 "title": "t", "steps": [{"caption": "c", "do": []}]}))


def test_a_session_log_is_budgeted_by_the_work_it_replays():
    from explainer.core.files.session import MAX_EPISODES, MAX_STEPS, SessionError, restore_lesson
    episodes = MAX_STEPS // 4 + 1            # each runs the policy lesson's four phases
    for log, says in (([{"op": "episode", "count": episodes}], "more work than"),
                      ([{"op": "visit", "count": MAX_STEPS // 3 + 1}], "more work than"),
                      ([{"op": "fast_forward", "args": {"n": 1999999.0}}], "'n' must be a whole"),
                      ([{"op": "fast_forward", "args": {"n": MAX_EPISODES}, "count": 2}],
                       "more work than")):
        lesson = "essentials" if log[0]["op"] == "visit" else "policy"
        with pytest.raises(SessionError, match=says):
            restore_lesson(lesson, {"init": {}, "log": log})
    assert restore_lesson("policy", {"init": {}, "log": [{"op": "episode", "count": 3}]}) \
        .episodes_done == 3


def test_a_save_removes_temporaries_a_killed_save_left_and_no_other(tmp_path):
    import os
    import time

    from explainer.core.files import jsonfile
    target = tmp_path / "lecture.explainer.json"
    stale = tmp_path / ".lecture.explainer.json.abc123.tmp"
    fresh = tmp_path / ".lecture.explainer.json.def456.tmp"   # a save still writing it
    other = tmp_path / ".notes.json.abc123.tmp"
    for f in (stale, fresh, other):
        f.write_bytes(b"x" * 1000)
    old = time.time() - jsonfile.STALE_TEMPORARY_S - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    jsonfile.atomic_write(target, b"{}", ValueError)
    assert target.read_bytes() == b"{}" and not stale.exists()
    assert fresh.exists() and other.exists()



def test_environment_values_from_files_are_numbers_or_refused():
    from explainer.core.fries.environment import FriesEnvironment
    for bad in ("0.5", True, HUGE, float("nan")):
        with pytest.raises(ValueError, match="p_large_norm must be a finite number"):
            FriesEnvironment(p_large_norm=bad)
        with pytest.raises(ValueError, match="p_large_norm must be a finite number"):
            PolicyGradientRun().set(p_large_norm=bad)
    assert FriesEnvironment(p_large_norm=1).p_large_norm == 1
