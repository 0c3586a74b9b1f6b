"""The RLHF tab's headless session: SFT, sampling, runs, series, and rankings edited like a person."""
import pytest

from explainer.core.language import rankings
from explainer.core.rlhf.training import (RLHFSession, training_triples, with_candidates,
                                         with_worse_answers)


@pytest.fixture(scope="module")
def session(rlhf_session):
    s = rlhf_session()
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



# --- sessions: the models saved as data and opened without training ------------------------------
def _tensors(session):
    run = session.run
    named = {"sft": session.pipeline.model.state_dict(), "reference": run.reference.state_dict(),
             "policy": run.policy.state_dict(), "reward": session.pipeline.reward_model.state_dict()}
    out = {f"{part}.{k}": v for part, state in named.items() for k, v in state.items()}
    out |= {f"adam.mean.{i}": m for i, m in enumerate(run.optim.mean)}
    out |= {f"adam.square.{i}": m for i, m in enumerate(run.optim.square)}
    return out


def test_a_saved_state_opens_bit_identical_and_trains_on_identically(rlhf_session):
    import json

    import torch
    trained = rlhf_session()
    trained.start_run(batch_size=4)
    trained.train(3)
    saved = json.loads(json.dumps(trained.export_state(), allow_nan=False))
    opened = rlhf_session()
    opened.start_run(batch_size=4)
    assert not torch.equal(opened.run.policy.head.weight, trained.run.policy.head.weight)
    opened.import_state(saved)
    mine, theirs = _tensors(trained), _tensors(opened)
    assert mine.keys() == theirs.keys()
    assert all(torch.equal(mine[k], theirs[k]) for k in mine)
    assert opened.run.optim.t == trained.run.optim.t == 3
    assert opened.run.updates_done == 3 and opened.series() == trained.series()
    assert opened.run.current == trained.run.current and opened.run.current.phase == "update"
    assert opened.compare() == trained.compare()        # the policy's sampled answers, the same
    assert opened.sample_answers("how do i cook rice ?") == trained.sample_answers("how do i cook rice ?")
    # the next updates draw the same answers and step the same way: the generator came along
    assert opened.train(2) == trained.train(2)
    assert opened.series() == trained.series() and len(opened.series().update) == 5
    again = json.loads(json.dumps(opened.export_state()))   # a reopened run saves the whole run
    assert again["series"] == json.loads(json.dumps(trained.export_state()))["series"]


def test_a_saved_state_that_does_not_fit_changes_nothing(session):
    import copy
    import json

    from explainer.core.files.weights import WeightsError
    session.start_run(batch_size=4)
    good = json.loads(json.dumps(session.export_state()))
    before = {k: v.clone() for k, v in session.run.policy.state_dict().items()}
    run = session.run
    broken = copy.deepcopy(good)
    broken["policy"]["weights"]["head.bias"]["shape"] = [7]
    for state, message in ((broken, "shape"), (good | {"updates": -1}, "updates"),
                           (good | {"record": {"phase": "update"}}, "fields"),
                           ({k: v for k, v in good.items() if k != "sft"}, "needs")):
        with pytest.raises(WeightsError, match=message):
            session.import_state(state)
    assert session.run is run
    assert all(torch_equal(before[k], v) for k, v in session.run.policy.state_dict().items())


def torch_equal(a, b) -> bool:
    import torch
    return torch.equal(a, b)


@pytest.fixture(scope="module")
def saved_state(rlhf_session):
    import json
    s = rlhf_session()
    s.start_run(batch_size=2)
    s.train(1)
    return s.manifest(), json.loads(json.dumps(s.export_state()))


def test_retyped_records_and_series_are_refused_or_valid(saved_state):
    """The loader fuzz for the RLHF block's plain parts: any value replaced by one of another type
    gives WeightsError with a message, or a state that is still valid in every field."""
    import random

    from hypothesis import given, settings, strategies as st

    from explainer.core.rlhf.training import check_saved_state
    from explainer.core.files.weights import WeightsError
    manifest, good = saved_state

    def retyped(value, rng):
        if isinstance(value, dict) and value and "zlib" not in value:
            key = rng.choice(sorted(value))
            return value | {key: retyped(value[key], rng)}
        if isinstance(value, list) and value:
            i = rng.randrange(len(value))
            return value[:i] + [retyped(value[i], rng)] + value[i + 1:]
        return rng.choice([None, True, -1, 1e308, "x", [], {}, [[[]]], 0.5])

    @settings(max_examples=150, deadline=None)
    @given(seed=st.integers(0, 10**6), key=st.sampled_from(["record", "series", "updates",
                                                            "running_baseline"]))
    def check(seed, key):
        state = good | {key: retyped(good[key], random.Random(seed))}
        try:
            checked = check_saved_state(state, manifest, adam=True)
        except WeightsError as exc:
            assert str(exc)
        else:
            assert checked["updates"] >= len(checked["series"].update)
    check()
    assert check_saved_state(good, manifest, adam=True)["record"].phase == "update"


@pytest.mark.slow
def test_a_saved_state_keeps_the_degenerate_answers_for_the_fix(rlhf_session):
    """The fix ranks every degenerate answer seen as worse: after reopening, those seen before
    saving count too (not only those produced since)."""
    import json
    hacked = rlhf_session()
    hacked.preset("hacking")
    hacked.train(40)
    seen = hacked.degenerate_answers()
    assert seen, "β = 0 for 40 updates should produce degenerate answers"
    saved = json.loads(json.dumps(hacked.export_state(), allow_nan=False))
    assert [tuple(a) for a in saved["degenerate"]] == seen
    opened = rlhf_session()
    opened.preset("hacking")
    opened.import_state(saved)
    assert opened.degenerate_answers() == seen
    feedback = rankings.default_feedback()
    assert opened.fix_hacking(feedback)[1] == hacked.fix_hacking(feedback)[1] > 0


def test_a_state_saved_mid_update_reopens_at_the_same_phase_and_goes_on_identically(rlhf_session):
    import json
    first = rlhf_session()
    first.start_run(batch_size=4)
    first.train(2)
    for _ in range(3):                                     # Guess, Derivative, Reward
        first.step()
    first.back()                                           # the lecturer looks at Derivative
    shown = first.run.current
    assert shown.phase == "derivative"
    saved = json.loads(json.dumps(first.export_state(), allow_nan=False))
    assert saved["phases"] == 3 and saved["shown"] == 1 and saved["updates"] == 2
    opened = rlhf_session()
    opened.start_run(batch_size=4)
    opened.import_state(saved)
    assert opened.run.current == shown                     # the same phase, the same numbers
    assert [opened.step() for _ in range(2)] == [first.step() for _ in range(2)]   # Reward, Update
    assert opened.run.current.phase == "update" and opened.series() == first.series()
    assert opened.train(1) == first.train(1)               # and the next update draws the same
    # Saved again mid-update, the reopened run saves what it shows.
    opened.step()
    again = json.loads(json.dumps(opened.export_state()))
    assert again["phases"] == 1 and again["shown"] == 0


def test_saved_degenerate_answers_and_phases_are_checked_strictly(saved_state):
    from explainer.core.rlhf.training import check_saved_state
    from explainer.core.files.weights import WeightsError
    manifest, good = saved_state
    assert check_saved_state({k: v for k, v in good.items()
                              if k not in ("degenerate", "phases", "shown")}, manifest,
                             adam=True)["phases"] == 0           # older files still open
    for bad, message in (({"degenerate": "x"}, "list"), ({"degenerate": [["a"]]}, "prompt, answer"),
                         ({"degenerate": [["a", 3]]}, "texts"),
                         ({"degenerate": [["a", "b"], ["a", "b"]]}, "repeat"),
                         ({"degenerate": [["a", "b" * 501]]}, "500"),
                         ({"phases": 4}, "phases"), ({"phases": True}, "phases"),
                         ({"shown": 2}, "shown"), ({"shown": -1}, "shown"),
                         ({"extra": 1}, "may have")):
        with pytest.raises(WeightsError, match=message):
            check_saved_state(good | bad, manifest, adam=True)
