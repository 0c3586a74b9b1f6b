import numpy as np

from explainer.core.curves import loss_curve, policy_curve
from explainer.core.policy_gradient import PolicyGradientRun


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
