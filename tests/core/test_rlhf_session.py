"""The RLHF tab's headless session: SFT, sampling, runs, series, and rankings edited like a person."""
import pytest

from explainer.core import rankings
from explainer.core.rlhf_session import (RLHFSession, training_triples, with_candidates,
                                         with_worse_answers)


@pytest.fixture(scope="module")
def session():
    s = RLHFSession(seed=0)
    s.start_run(batch_size=4)
    return s


def test_sft_loss_falls_and_new_prompts_score_lower():
    result = RLHFSession(seed=0).fine_tune(on_epoch=lambda epoch, loss: epoch < 9)
    assert len(result.losses) == 10
    assert result.losses[-1] < result.losses[0]


def test_sampled_answers_carry_token_probabilities(session):
    answers = session.sample_answers("how do i cook rice ?", temperature=1.0, n=3)
    assert len(answers) == 3
    for a in answers:
        assert len(a.tokens) == len(a.probs) and all(0 < p <= 1 for p in a.probs)
        assert 0.0 <= a.true_score <= 1.0


def test_series_grows_one_value_per_update(session):
    session.train(2)
    series = session.series()
    assert series.update[-2:] == (series.update[-1] - 1, series.update[-1])
    assert len(series.reward) == len(series.kl) == len(series.logp_polite) == len(series.update)
    assert all(lp < 0 for lp in series.logp_polite + series.logp_rude)


def test_stepping_phase_by_phase_adds_the_update_once(session):
    before = len(session.series().update)
    phases = [session.step().phase for _ in range(4)]
    assert phases == ["guess", "derivative", "reward", "update"]
    session.back()
    session.step()  # replays the kept record
    assert len(session.series().update) == before + 1


def test_compare_rows_hold_before_and_after(session):
    rows = session.compare(2)
    assert len(rows) == 2 and all(r.prompt in session.pipeline.held_out_prompts for r in rows)


def test_presets_set_beta(session):
    assert session.preset("hacking")["beta"] == 0.0
    assert session.run.beta == 0.0
    assert session.preset("kl_penalty")["beta"] > 0.0


def test_worse_answers_become_comparisons_with_new_prompts():
    feedback = rankings.default_feedback()
    new, added = with_worse_answers(feedback, [("a brand new prompt ?", "a good answer .", "! !")])
    assert added == 1
    assert ("a brand new prompt ?", "a good answer .", "! !") in training_triples(new)
    assert len(training_triples(new)) == len(training_triples(feedback)) + 1


def test_candidates_are_added_once():
    feedback = rankings.default_feedback()
    pid = feedback.prompts[0].id
    new, added = with_candidates(feedback, pid, ["one answer .", "one answer .", "another ."])
    assert added == 2 and len(new.prompt(pid).responses) == len(feedback.prompt(pid).responses) + 2

