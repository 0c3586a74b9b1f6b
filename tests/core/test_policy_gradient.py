import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from explainer.core.fries.policy_gradient import PHASES, PolicyGradientRun, compute_episode
from explainer.core.fries.environment import FriesEnvironment

FIELDS = ["phase", "x", "p_a", "p_b", "u", "action", "outcome", "loss", "dloss_dp", "dp_dx",
          "dx_db", "dloss_db", "reward", "updated_dloss_db", "learning_rate", "step_size",
          "bias_before", "bias_after", "dx_dw", "dloss_dw", "weight_before", "weight_after"]


def video_run():
    run = PolicyGradientRun()
    first = run.episode(x=0.0, action="squatch", outcome="small", u=0.2)
    second = run.episode(x=0.0, action="norm", outcome="large", u=0.9)
    return first, second


def test_defaults_are_the_videos():
    run = PolicyGradientRun()
    assert (run.seed, run.learning_rate, run.weight, run.bias, run.train_weight) == (0, 1.0, 20.0, 0.0, False)


def test_record_fields_are_named_after_the_notes():
    rec = video_run()[0][-1]
    for name in FIELDS:
        assert getattr(rec, name) is not None, name


def test_video_episode_one_by_hand():
    guess, deriv, reward, update = video_run()[0]
    assert [r.phase for r in (guess, deriv, reward, update)] == list(PHASES)
    assert guess.p_a == 0.5 and guess.p_b == 0.5 and guess.u == 0.2 and guess.action == "squatch"
    assert deriv.loss == pytest.approx(math.log(2))          # −log(1 − 0.5)
    assert deriv.dloss_dp == pytest.approx(2.0)              # 1 / (1 − P)
    assert deriv.dp_dx == pytest.approx(0.25)                # P (1 − P)
    assert deriv.dx_db == 1.0 and deriv.dloss_db == pytest.approx(0.5)
    assert reward.outcome == "small" and reward.reward == 1.0
    assert reward.updated_dloss_db == pytest.approx(0.5)
    assert update.step_size == pytest.approx(0.5) and update.bias_after == pytest.approx(-0.5)


def test_video_episode_two_by_hand_negative_reward_flips():
    guess, deriv, reward, update = video_run()[1]
    p = 1 / (1 + math.exp(0.5))
    assert guess.p_a == pytest.approx(p) and round(guess.p_a, 1) == 0.4
    assert guess.u == 0.9 and guess.action == "norm"
    assert deriv.dloss_db == pytest.approx(p - 1) and round(deriv.dloss_db, 1) == -0.6
    assert reward.outcome == "large" and reward.reward == -1.0
    assert reward.updated_dloss_db == pytest.approx(1 - p)    # the sign flipped
    assert update.bias_after == pytest.approx(-0.5 - (1 - p)) and round(update.bias_after, 1) == -1.1


@pytest.mark.parametrize("action", ["norm", "squatch"])
@pytest.mark.parametrize("x,w,b", [(0.0, 20.0, 0.0), (0.7, 20.0, -3.0), (0.3, -4.0, 2.5)])
def test_chain_rule_matches_torch_autograd(action, x, w, b):
    rec = compute_episode(0, x, 0.5, 0.5, w, b, 1.0, FriesEnvironment(), True, action=action)[1]
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    logit = wt * x + bt
    loss = -torch.nn.functional.logsigmoid(logit if action == "norm" else -logit)
    loss.backward()
    assert rec.loss == pytest.approx(loss.item(), rel=1e-12)
    assert rec.dloss_db == pytest.approx(bt.grad.item(), rel=1e-12, abs=1e-15)
    assert rec.dloss_dw == pytest.approx(wt.grad.item(), rel=1e-12, abs=1e-15)
    assert rec.dloss_dp * rec.dp_dx * rec.dx_db == pytest.approx(rec.dloss_db, rel=1e-12)


def test_derivative_matches_a_finite_difference():
    h = 1e-6
    def loss(b):
        return compute_episode(0, 0.3, 0.99, 0.5, 20.0, b, 1.0, FriesEnvironment(), False, "norm")[1].loss
    rec = compute_episode(0, 0.3, 0.99, 0.5, 20.0, -5.0, 1.0, FriesEnvironment(), False, "norm")[1]
    assert rec.dloss_db == pytest.approx((loss(-5.0 + h) - loss(-5.0 - h)) / (2 * h), rel=1e-6)


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(x=st.floats(0, 1), w=st.floats(-300, 300), b=st.floats(-300, 300), lr=st.floats(0, 100),
       u=st.floats(0, 1), v=st.floats(0, 1), rfit=st.floats(-100, 100), rmis=st.floats(-100, 100),
       train_w=st.booleans())
def test_no_slider_value_gives_nan_inf_or_raises(x, w, b, lr, u, v, rfit, rmis, train_w):
    env = FriesEnvironment(reward_fit=rfit, reward_misfit=rmis)
    for rec in compute_episode(0, x, u, v, w, b, lr, env, train_w):
        for name in FIELDS[1:]:
            value = getattr(rec, name)
            if isinstance(value, float):
                assert math.isfinite(value), (name, value)
        assert 0.0 <= rec.p_a <= 1.0 and 0.0 <= rec.p_b <= 1.0


@settings(max_examples=300, deadline=None)
@given(x=st.floats(0, 1), b=st.floats(-20, 20), u=st.floats(0, 1), v=st.floats(0, 1),
       lr=st.floats(0.001, 1.0))
def test_update_moves_the_logit_toward_rewarded_action_and_away_from_punished(x, b, u, v, lr):
    g, *_, up = compute_episode(0, x, u, v, 20.0, b, lr, FriesEnvironment(), True)
    logit_after = up.weight_after * x + up.bias_after
    toward_norm = 1 if g.action == "norm" else -1
    assert toward_norm * up.reward * (logit_after - g.logit) >= 0
    if g.p_a not in (0.0, 1.0) and 1e-6 < g.p_a < 1 - 1e-6:
        p_chosen_before = g.p_a if g.action == "norm" else g.p_b
        p_chosen_after = up.p_a_after if g.action == "norm" else 1 - up.p_a_after
        assert (p_chosen_after - p_chosen_before) * up.reward > 0


def test_trained_long_the_policy_goes_to_norms_when_hungry_and_squatchs_when_not():
    run = PolicyGradientRun(seed=2)
    run.fast_forward(20_000)
    p = lambda x: 1 / (1 + math.exp(-(run.weight * x + run.bias)))
    assert p(0.9) > 0.9 and p(0.1) < 0.1
    switch = -run.bias / run.weight
    assert 0.35 < switch < 0.65


def test_fast_forward_equals_stepping_exactly():
    stepped, fast = PolicyGradientRun(seed=7, train_weight=True), PolicyGradientRun(seed=7, train_weight=True)
    updates = [r for r in (stepped.step() for _ in range(4 * 300)) if r.phase == "update"]
    out = fast.fast_forward(300)
    assert set(out) >= {"x", "action", "reward", "p_a", "bias", "weight"}
    assert np.array_equal(out["bias"], [r.bias_after for r in updates])
    assert np.array_equal(out["weight"], [r.weight_after for r in updates])
    assert np.array_equal(out["reward"], [r.reward for r in updates])
    assert np.allclose(out["p_a"], [r.p_a_after for r in updates], rtol=1e-12)
    # the newest episode is on screen, whole: its update is the record shown
    assert fast.current == updates[-1] and fast.current.episode == 299
    assert stepped.step().bias_before == fast.step().bias_before


def test_seeded_runs_reproduce():
    a = [PolicyGradientRun(seed=5).step() for _ in range(1)]
    b = [PolicyGradientRun(seed=5).step() for _ in range(1)]
    assert a == b
    assert PolicyGradientRun(seed=6).step() != a[0]


def test_back_shows_the_earlier_record_and_next_replays_it():
    run = PolicyGradientRun(seed=1)
    recs = [run.step() for _ in range(6)]
    assert run.back() is recs[4] and run.back() is recs[3]
    assert run.step() is recs[4]
    run.reset()
    assert run.current is None and run.bias == 0.0


def test_slider_at_an_earlier_record_branches_and_recomputes_the_shown_record():
    run = PolicyGradientRun(seed=1)
    for _ in range(12):
        run.step()
    run.seek(5)  # episode 1, derivative
    shown = run.current
    rec = run.set(bias=2.0)
    assert rec.phase == "derivative" and rec.episode == 1
    assert rec.bias_before == 2.0 and rec.u == shown.u
    assert len(run.history) == 6 and run.episodes_done == 1
    rec = run.set(learning_rate=0.25)
    assert rec.learning_rate == 0.25 and rec.bias_before == 2.0
    run.step(); up = run.step()
    assert up.step_size == pytest.approx(0.25 * up.dloss_db * up.reward)


def test_hunger_slider_holds_hunger():
    run = PolicyGradientRun(seed=1)
    run.step()
    assert run.set(hunger=0.8).x == 0.8
    run.fast_forward(3)
    assert np.all(run.trace.array("x") == 0.8)


def test_bad_parameters_raise_and_change_nothing():
    run = PolicyGradientRun()
    run.step()
    before = run.current
    for bad in ({"learning_rate": float("nan")}, {"bias": float("inf")}, {"hunger": 1.5},
                {"p_large_norm": -0.1}, {"nonsense": 1}):
        with pytest.raises(ValueError):
            run.set(**bad)
    assert run.current is before and run.learning_rate == 1.0
    with pytest.raises(ValueError):
        run.episode(action="fries")


def test_history_keeps_inputs_not_records_and_rebuilds_them_exactly():
    run = PolicyGradientRun(seed=9)
    first = [run.step() for _ in range(4 * 200)]
    rebuilt = [run.history[i] for i in range(len(run.history))]  # most are rebuilt, not cached
    assert rebuilt == first
    run.seek(2)
    run.set(bias=1.0)
    assert len(run.history) == 3 and run.history[2].bias_before == 1.0


def test_a_run_refuses_to_grow_past_its_history_limit(monkeypatch):
    import explainer.core.common.stepper as stepper
    monkeypatch.setattr(stepper, "MAX_EPISODES", 100)
    run = PolicyGradientRun()
    run.fast_forward(90)
    with pytest.raises(ValueError, match="at most 100"):
        run.fast_forward(20)
    assert run.episodes_done == 90


def test_running_episodes_from_an_earlier_phase_keeps_every_computed_episode():
    """From episode 1's Guess with two episodes computed (the worked example), "Run 1,000" showed
    episode 1,001's Guess and never episode 1's other phases: the history had been cut at the
    shown phase while the trace kept both episodes."""
    run = PolicyGradientRun(seed=0)
    run.episode(x=0.0, action="squatch", outcome="small", u=0.2)
    run.episode(x=0.0, action="norm", outcome="large", u=0.9)
    run.seek(0)                                    # episode 1's Guess, as after one Next
    before = [run.history[i] for i in range(len(run.history))]
    run.fast_forward(1000)
    assert run.episodes_done == 1002
    assert [run.history[i] for i in range(8)] == before   # both episodes' phases stay
    assert run.current.phase == "update" and run.current.episode == 1001   # the newest, whole
    assert [run.history[i].episode for i in range(8, 12)] == [1001] * 4
    assert run.current.bias_after == run.bias and run.trace.array("bias", 0)[-1] == run.bias


def test_a_scripted_episode_from_an_earlier_phase_comes_after_the_computed_ones():
    run = PolicyGradientRun(seed=0)
    run.step()
    run.step()
    run.step()                                     # episode 0's Reward, its Update still to come
    run.seek(0)
    added = run.episode(x=0.5)
    assert [r.episode for r in added] == [1] * 4 and run.episodes_done == 2
    assert run.history[3].phase == "update" and run.history[3].episode == 0
