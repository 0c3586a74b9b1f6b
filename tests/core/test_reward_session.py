"""RewardSession: the numbers every panel of the Reward model tab shows, checked against torch."""
import math

import pytest
import torch
import torch.nn.functional as F

from explainer.core.language import rankings
from explainer.core.language.reward_training import (RewardSession, loss_curve, pair_row, unjudged_pairs)


def test_pair_row_matches_the_notes_formula_and_torch():
    pair = rankings.Pair("p", "prompt", "b", "better", "w", "worse", "ordering")
    for r_better, r_worse in ((1.5, -0.5), (-3.0, 2.0), (800.0, -800.0), (-800.0, 800.0)):
        row = pair_row(pair, r_better, r_worse, held_out=False)
        d = torch.tensor(r_better - r_worse, dtype=torch.float64)
        assert row.d == pytest.approx(r_better - r_worse)
        assert row.sigma_d == pytest.approx(torch.sigmoid(d).item())
        assert row.loss == pytest.approx(-F.logsigmoid(d).item(), rel=1e-9)
        assert math.isfinite(row.loss) and row.correct == (row.d > 0)


def test_loss_curve_is_minus_log_sigmoid():
    ds, losses = loss_curve(-4, 4, 9)
    assert ds[4] == 0 and losses[4] == pytest.approx(math.log(2))
    assert losses == sorted(losses, reverse=True)


def test_unjudged_pairs_skip_ordered_compared_tied_and_skipped():
    fb = rankings.Feedback().add_prompt("q ?")
    for text in ("a .", "b .", "c .", "d ."):
        fb = fb.add_response("p01", text)
    ids = [r.id for r in fb.prompt("p01").responses]
    assert len(unjudged_pairs(fb)) == 6
    fb = fb.set_ordering("p01", ids[:2]).add_tie("p01", ids[2], ids[3])
    left = unjudged_pairs(fb, frozenset({("p01", ids[0], ids[2])}))
    assert len(left) == 3 and ("p01", ids[0], ids[2]) not in left


def test_session_trains_to_full_accuracy_and_resets():
    session = RewardSession(rankings.default_feedback())
    assert session.snapshot().pairs == ()            # no model yet: nothing computed, no torch
    session.ensure_model()
    start = session.snapshot()
    assert start.step == 0 and start.accuracy() == 0.0   # zero head: every d is 0
    session.train(150)
    trained = session.snapshot()
    assert trained.accuracy(held_out=False) == 1.0
    assert trained.mean_loss() < start.mean_loss()
    assert len(trained.history.steps) == 150 and trained.history.held_steps
    session.reset()
    assert session.snapshot().step == 0
    assert all(v == pytest.approx(0.0) for v in session.snapshot().rewards.values())


def test_session_survives_contradictions_and_no_pairs():
    fb = rankings.default_feedback()
    order = fb.orderings["p01"]
    session = RewardSession(fb.add_comparison("p01", order[-1], order[0]))
    session.train(5)
    assert session.snapshot().accuracy() < 1.0
    empty = RewardSession(rankings.Feedback().add_prompt("q ?"))
    assert empty.train(3) == 0 and empty.snapshot().pairs == ()


def test_a_saved_state_opens_bit_identical_and_trains_on_identically():
    import json

    from explainer.core.files.weights import WeightsError
    trained = RewardSession(rankings.default_feedback())
    trained.train(7)
    before = trained.snapshot()
    saved = json.loads(json.dumps(trained.export_state(), allow_nan=False))
    opened = RewardSession(rankings.default_feedback())
    opened.import_state(saved)
    for a, b in zip(trained.model.state_dict().values(), opened.model.state_dict().values()):
        assert torch.equal(a, b)
    assert opened._trainer.optimizer.t == 7
    for a, b in zip(trained._trainer.optimizer.square, opened._trainer.optimizer.square):
        assert torch.equal(a, b)
    shown = opened.snapshot()
    assert shown.step == 7 and shown.rewards == before.rewards and shown.pairs == before.pairs
    assert shown.history == before.history
    trained.train(3)
    opened.train(3)
    assert opened.snapshot() == trained.snapshot()     # Adam's moments came along
    sgd = RewardSession(rankings.default_feedback(), optimizer="sgd")
    with pytest.raises(WeightsError, match="optimiser"):
        sgd.import_state(saved)
    assert sgd.step_count == 0 and sgd.snapshot().accuracy() == 0.0
