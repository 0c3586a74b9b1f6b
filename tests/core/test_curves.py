import numpy as np

from explainer.core.fries.curves import loss_curve, policy_curve
from explainer.core.fries.policy_gradient import PolicyGradientRun


def test_policy_curve_is_the_sigmoid_and_stays_in_range():
    xs = np.array([0.0, 0.5, 1.0])
    assert np.allclose(policy_curve(20.0, -10.0, xs), 1 / (1 + np.exp(-(20 * xs - 10))))
    extreme = policy_curve(300.0, 300.0, xs)
    assert np.all(np.isfinite(extreme)) and extreme.max() <= 1.0


def test_loss_curve_passes_through_the_record_with_the_derivative_as_slope():
    run = PolicyGradientRun(seed=3)
    run.step()
    record = run.step()  # derivative phase
    biases, losses, tb, tc = loss_curve(record)
    mid = int(np.argmin(np.abs(biases - record.bias_before)))
    assert biases[0] <= record.bias_before <= biases[-1]
    assert np.isclose(np.interp(record.bias_before, biases, losses), record.loss, atol=1e-3)
    numeric_slope = (losses[mid + 1] - losses[mid - 1]) / (biases[mid + 1] - biases[mid - 1])
    assert np.isclose(numeric_slope, record.dloss_db, atol=1e-3)
    assert np.isclose((tc[1] - tc[0]) / (tb[1] - tb[0]), record.dloss_db)


def test_loss_axis_top_is_a_round_value_just_above_the_curve():
    from explainer.core.fries.curves import loss_axis_top

    assert loss_axis_top(np.array([0.0, 2.93e-6])) == 1.0   # a confident guess: the floor
    assert loss_axis_top(np.array([0.5, 0.96])) == 2.0       # 0.96 · 1.05 > 1
    assert loss_axis_top(np.array([3.0, 19.9])) == 50.0     # 19.9 · 1.05 = 20.9
    assert loss_axis_top(np.array([3.0, 4.7])) == 5.0
    assert loss_axis_top(np.array([np.inf])) == 1.0 and loss_axis_top(np.zeros(0)) == 1.0
    run = PolicyGradientRun(seed=3)
    run.step()
    run.step()
    tops = set()
    for hunger in np.linspace(0.0, 1.0, 41):
        _, losses, _, _ = loss_curve(run.set(hunger=float(hunger)))
        top = loss_axis_top(losses)
        assert losses.max() <= top <= 2.5 * max(losses.max() * 1.05, 1.0)
        tops.add(top)
    assert len(tops) <= 5   # 41 hunger steps from 0 to 1 move the axis only a few times
