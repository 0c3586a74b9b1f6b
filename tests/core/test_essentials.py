import numpy as np
import pytest

from explainer.core.fries.essentials import EssentialsRun, target_for


def test_video_first_visit_norm_large_moves_p_to_045():
    run = EssentialsRun()
    guess, reward, update = run.visit(action="norm", outcome="large")
    assert guess.p_squatch == 0.5 and guess.p_norm == 0.5
    assert reward.target == 0.0 and reward.reward == 1.0  # a large order at Norm's backs Norm's
    assert update.step == pytest.approx(-0.05)
    assert update.p_squatch_after == pytest.approx(0.45)
    assert 1 - update.p_squatch_after == pytest.approx(0.55)


@pytest.mark.parametrize("action,outcome,target", [
    ("squatch", "large", 1.0), ("norm", "small", 1.0), ("squatch", "small", 0.0), ("norm", "large", 0.0)])
def test_targets_follow_more_fries_is_better(action, outcome, target):
    assert target_for(action, outcome) == target


def test_learning_rate_zero_changes_nothing_and_one_swings_all_the_way():
    run = EssentialsRun(learning_rate=0.0)
    assert run.visit(action="squatch", outcome="large")[-1].p_squatch_after == 0.5
    run = EssentialsRun(learning_rate=1.0)
    assert run.visit(action="squatch", outcome="large")[-1].p_squatch_after == 1.0


def test_u_at_or_below_p_chooses_squatch():
    run = EssentialsRun()
    assert run.visit(u=0.5)[0].action == "squatch"
    assert run.visit(u=0.99)[0].action == "norm"


def test_many_visits_settle_low_like_the_notebook():
    run = EssentialsRun(seed=1)
    ps = run.fast_forward(1000)
    share = np.mean([a == "squatch" for a in run.visits])
    assert 0.05 < share < 0.3  # the notebook's 1,000 visits average to about 18 %
    assert ps[-1] < 0.3


def test_back_and_forward_replay_the_same_records():
    run = EssentialsRun(seed=4)
    recs = [run.step() for _ in range(6)]
    assert run.back() is recs[4]
    assert run.step() is recs[5]


def test_slider_on_earlier_record_starts_a_branch():
    run = EssentialsRun(seed=4)
    for _ in range(6):
        run.step()
    run.seek(1)  # the first visit's reward phase
    rec = run.set(learning_rate=0.5)
    assert rec.phase == "reward" and rec.learning_rate == 0.5
    assert len(run.history) == 2 and run.episodes_done == 0
    assert run.step().step == pytest.approx(0.5 * (rec.target - rec.p_squatch))


def test_bad_values_are_rejected_and_change_nothing():
    run = EssentialsRun()
    with pytest.raises(ValueError):
        run.set(learning_rate=float("nan"))
    with pytest.raises(ValueError):
        run.set(p_squatch=2.0)
    assert run.learning_rate == 0.1 and run.p == 0.5


def test_fast_forward_equals_stepping_exactly():
    stepped, fast = EssentialsRun(seed=5), EssentialsRun(seed=5)
    updates = [r for r in (stepped.step() for _ in range(3 * 300)) if r.phase == "update"]
    ps = fast.fast_forward(300)
    assert list(ps) == [r.p_squatch_after for r in updates]
    assert fast.visits == [r.action for r in updates]
    # the newest visit is on screen, whole: its update is the record shown
    assert fast.current == updates[-1] and fast.current.episode == 299


def test_visits_run_from_an_earlier_phase_keep_every_computed_visit():
    run = EssentialsRun(seed=0)
    run.visit(action="norm", outcome="large", u=0.8)
    run.visit()
    run.seek(0)
    kept, shown = list(run.p_history), [run.history[i] for i in range(len(run.history))]
    run.fast_forward(100)
    assert run.episodes_done == 102 and list(run.p_history[:2]) == kept
    assert [run.history[i] for i in range(len(shown))] == shown   # both visits' phases stay
    assert run.current.episode == 101 and run.current.phase == run.phases[-1]
