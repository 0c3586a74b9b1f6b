import dataclasses
import math

import pytest
import torch

from explainer.core.language import language_model
from explainer.core.fries.environment import FriesEnvironment
from explainer.core.language.language_model import SGD, response_log_probs
from explainer.core.fries.policy_gradient import compute_episode
from explainer.core.rlhf.run import (PRESETS, RLHFRun, add_degenerate_as_worse, build_pipeline,
                                 degenerate_pairs, generate_candidates, sft_report)
from explainer.core.rlhf.batch import (FrozenReaders, batch_logits, full_sequences, reinforce_gradients,
                                       sample_batch, sample_with_states, sampled_logits, token_logit_gradient)
from explainer.core.rlhf.objective import ppo_loss, reinforce_loss
from explainer.core.rlhf.records import PHASES


@pytest.fixture(scope="module")
def pipeline(seed0_pipeline):
    return seed0_pipeline()


@pytest.mark.slow
def test_a_new_build_is_bit_for_bit_the_pipeline_the_tests_share(seed0_pipeline):
    """The core tests share one build of seed 0's pipeline (tests/core/conftest.py), which is
    right only while a new build gives the same models, rankings and prompts."""
    import torch
    shared, again = seed0_pipeline(), build_pipeline(seed=0)
    for mine, theirs in ((shared.model, again.model), (shared.reward_model, again.reward_model)):
        a, b = mine.state_dict(), theirs.state_dict()
        assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert shared.vocab == again.vocab and shared.pairs == again.pairs
    assert shared.references == again.references and shared.rm_accuracy == again.rm_accuracy
    assert (shared.train_prompts, shared.held_out_prompts) == (again.train_prompts,
                                                              again.held_out_prompts)


# --- the derivative of the guess -------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
def test_logit_gradient_of_a_sampled_tokens_cross_entropy_is_softmax_minus_one_hot(seed):
    g = torch.Generator().manual_seed(seed)
    logits = (3 * torch.randn(50, generator=g, dtype=torch.float64)).requires_grad_()
    token = int(torch.randint(50, (1,), generator=g))
    (-torch.log_softmax(logits, -1)[token]).backward()
    p, grad = token_logit_gradient(logits.detach(), token)
    assert torch.allclose(grad, logits.grad, rtol=0, atol=1e-15)
    assert grad[token] == pytest.approx(float(p[token]) - 1.0) and float(grad.sum()) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("episode", [dict(bias=0.0, u=0.2, action="squatch", outcome="small"),
                                     dict(bias=-0.5, u=0.9, action="norm", outcome="large")])
def test_two_logits_are_the_policy_gradient_lessons_sigmoid_to_the_last_digit(episode):
    """One token, two actions: softmax([X, 0]) = [σ(X), 1 − σ(X)], so the text derivative and update
    are the video's episodes exactly (token 0 = Norm's, 1 = 'Squatch's; hunger 0, weight 20)."""
    *_, lesson = compute_episode(0, 0.0, episode["u"], 0.5, 20.0, episode["bias"], 1.0,
                                 FriesEnvironment(), False, episode["action"], episode["outcome"])
    bias = torch.tensor(episode["bias"], dtype=torch.float64, requires_grad=True)
    logits = torch.stack([20.0 * 0.0 + bias, torch.zeros((), dtype=torch.float64)])
    token = 0 if episode["action"] == "norm" else 1
    _, grad = token_logit_gradient(logits.detach(), token)
    assert float(grad[0]) == pytest.approx(lesson.dloss_db, rel=1e-15, abs=1e-16)  # ∂C/∂X·∂X/∂b, ∂X/∂b = 1
    logp = torch.log_softmax(logits, -1)[token][None]
    optimizer = SGD([bias], lr=1.0)
    reinforce_loss(logp, torch.tensor([lesson.reward], dtype=torch.float64)).backward()
    optimizer.step()
    assert float(bias.detach()) == pytest.approx(lesson.bias_after, rel=1e-15)


def test_ppo_first_pass_has_reinforces_gradient_and_clips_later():
    logp = torch.tensor([[-1.0, -2.0], [-0.5, -0.1]], requires_grad=True)
    mask, shaped = torch.ones(2, 2, dtype=torch.bool), torch.tensor([1.5, -0.7])
    loss, fraction = ppo_loss(logp, logp.detach(), mask, shaped, 0.2)
    (g_ppo,) = torch.autograd.grad(loss, logp)
    (g_rf,) = torch.autograd.grad(reinforce_loss(logp.sum(1), shaped), logp)
    assert torch.allclose(g_ppo, g_rf) and fraction == 0.0
    moved = logp.detach() + torch.tensor([[0.5, 0.5], [-0.5, -0.5]])  # both far in the rewarded direction
    loss, fraction = ppo_loss(moved.requires_grad_(), logp.detach(), mask, shaped, 0.2)
    assert fraction == 1.0 and torch.count_nonzero(torch.autograd.grad(loss, moved)[0]) == 0


# --- sampling a batch --------------------------------------------------------------------------------
def test_batch_sampling_records_the_probabilities_the_policy_gives(pipeline):
    prompts = pipeline.train_prompts[:6] + pipeline.held_out_prompts[:2]
    responses = sample_batch(pipeline.model, pipeline.vocab, prompts, generator=torch.Generator().manual_seed(3))
    view = batch_logits(pipeline.model, pipeline.vocab, responses)
    for row, r in enumerate(responses):
        alone = response_log_probs(pipeline.model, pipeline.vocab, r.prompt, r.token_ids)
        assert torch.allclose(view.logp[row, :len(r.token_ids)], alone, atol=1e-4)
        assert torch.allclose(torch.tensor(r.probs).log(), alone.double().float(), atol=1e-4)
        assert r.text == " ".join(t for t in r.tokens if t != "<eos>")


@pytest.mark.parametrize("temperature", [1.0, 1.6])
def test_the_states_read_while_sampling_give_autograds_numbers(pipeline, monkeypatch, temperature):
    """The derivative reuses the sampling pass's GRU states, and REINFORCE's gradient is written
    out (softmax − one-hot, × A_i / B, back through head, GRU and embedding): both against plain
    autograd through nn.GRU on a fresh forward pass."""
    monkeypatch.setattr(language_model, "HAND_BACKWARD_MAX_ROWS", 0)  # torch's own derivative
    model, vocab = pipeline.model, pipeline.vocab
    prompts = (pipeline.train_prompts[:5] + pipeline.held_out_prompts[:3]) * 2
    batch = sample_with_states(model, vocab, prompts, temperature, generator=torch.Generator().manual_seed(4))
    again = sample_batch(model, vocab, prompts, temperature, generator=torch.Generator().manual_seed(4))
    assert batch.responses == again  # keeping the states changes no draw
    shaped = torch.linspace(-2.0, 3.0, len(prompts))
    model.zero_grad()
    fresh = batch_logits(model, vocab, batch.responses, temperature)
    reinforce_loss(fresh.sequence_logp(), shaped).backward()
    with torch.no_grad():
        view = sampled_logits(model, batch, temperature)
    assert torch.allclose(view.logp, fresh.logp, atol=1e-5)
    hand = reinforce_gradients(model, batch, view, shaped, temperature)
    assert {id(p) for p, _ in hand} == {id(p) for p in model.parameters()}
    for parameter, gradient in hand:
        assert torch.allclose(gradient, parameter.grad, rtol=1e-4, atol=1e-6 * float(parameter.grad.abs().max()))
    model.zero_grad()


def test_the_frozen_models_read_together_give_each_models_own_numbers(pipeline):
    responses = sample_batch(pipeline.model, pipeline.vocab, pipeline.train_prompts[:6],
                             generator=torch.Generator().manual_seed(2))
    readers, rm = FrozenReaders(), pipeline.reward_model

    def separately():
        return (batch_logits(pipeline.model, pipeline.vocab, responses, 1.3).sequence_logp(),
                rm(*full_sequences(pipeline.vocab, responses)))

    with torch.no_grad():
        for got, want in zip(readers(pipeline.model, rm, pipeline.vocab, responses, 1.3), separately()):
            assert torch.allclose(got, want, atol=1e-5)
        saved = rm.body.weight_hh_l0.clone()
        rm.body.weight_hh_l0.mul_(0.5)          # weights loaded in place: the joined copy follows
        try:
            assert torch.allclose(readers(pipeline.model, rm, pipeline.vocab, responses, 1.3)[1],
                                  separately()[1], atol=1e-5)
        finally:
            rm.body.weight_hh_l0.copy_(saved)


# --- stepping ------------------------------------------------------------------------------------------
def test_one_update_is_four_immutable_phase_records(pipeline):
    run = RLHFRun(pipeline=pipeline, batch_size=4)
    records = [run.step() for _ in PHASES]
    assert [r.phase for r in records] == list(PHASES) and run.updates_done == 1
    guess, derivative, reward, update = records
    with pytest.raises(dataclasses.FrozenInstanceError):
        guess.phase = "update"
    assert len(guess.responses) == 4 and all(r.probs for r in guess.responses)
    assert derivative.cross_entropy == pytest.approx([-sum(map(math.log, r.probs)) for r in guess.responses], rel=1e-4)
    first = derivative.token_gradients[0]
    assert first.entries[0].dloss_dlogit == pytest.approx(first.p_token - 1.0)
    assert reward.kl == pytest.approx([0.0] * 4, abs=1e-4)  # the policy is still the reference
    assert reward.shaped_rewards == pytest.approx(
        [r - reward.beta * k - reward.baseline for r, k in zip(reward.rm_scores, reward.kl)])
    assert update.step_norm > 0 and update.mean_reward == pytest.approx(sum(reward.rm_scores) / 4)
    assert update.responses is guess.responses


def test_back_shows_earlier_records_and_step_replays_them(pipeline):
    run = RLHFRun(pipeline=pipeline, batch_size=2)
    records = [run.step() for _ in range(6)]
    assert run.back() is records[4] and run.back() is records[3]
    assert run.step() is records[4]
    assert run.update() is not None and run.updates_done == 2
    run.reset()
    assert run.current is None and run.step() == records[0]  # the same seed draws the same guess


def test_weights_loaded_between_guess_and_derivative_are_read_again(pipeline):
    run = RLHFRun(pipeline=pipeline, batch_size=3)
    guess = run.step()
    with torch.no_grad():
        run.policy.head.bias.add_(0.5)  # as a session loading weights in place
    derivative = run.step()
    fresh = batch_logits(run.policy, pipeline.vocab, guess.responses)
    assert derivative.cross_entropy == pytest.approx((-fresh.sequence_logp()).tolist(), rel=1e-5)
    assert run.update().step_norm > 0


def test_settings_are_checked_and_recorded(pipeline):
    run = RLHFRun(pipeline=pipeline, batch_size=2)
    for bad in (dict(beta=-1), dict(learning_rate=math.nan), dict(objective="a2c"), dict(batch_size=0),
                dict(baseline="median"), dict(nonsense=1)):
        with pytest.raises(ValueError):
            run.set(**bad)
    run.set(beta=0.5, learning_rate=0.001, optimizer="sgd")
    assert run.update().beta == 0.5 and run.current.optimizer == "sgd"


def test_ppo_runs_a_few_epochs_over_the_batch(pipeline):
    run = RLHFRun(pipeline=pipeline, batch_size=4, objective="ppo", ppo_epochs=3, clip=0.1,
                  learning_rate=0.01)
    records = run.train(3)
    assert all(r.objective == "ppo" and r.epochs == 3 for r in records)
    assert all(0.0 <= r.clip_fraction <= 1.0 for r in records)


# --- what the policy learns ----------------------------------------------------------------------------
class _ConstantReward(torch.nn.Module):
    """A stand-in Reward model that pays the same for every answer."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def forward(self, ids, lengths):
        return torch.full((len(lengths),), self.value)


def test_a_negative_reward_lowers_the_sampled_answers_probability(pipeline):
    stub = dataclasses.replace(pipeline, reward_model=_ConstantReward(-1.0))
    run = RLHFRun(pipeline=stub, batch_size=1, baseline="none", beta=0.0, optimizer="sgd",
                  learning_rate=0.05)
    *_, reward, update = [run.step() for _ in PHASES]
    assert reward.shaped_rewards == (-1.0,)
    assert update.logp_after[0] < reward.logp[0]
    run = RLHFRun(pipeline=dataclasses.replace(pipeline, reward_model=_ConstantReward(1.0)),
                  batch_size=1, baseline="none", beta=0.0, optimizer="sgd", learning_rate=0.05)
    *_, reward, update = [run.step() for _ in PHASES]
    assert update.logp_after[0] > reward.logp[0]


def test_with_adam_a_negative_reward_flips_the_first_step_and_its_size_cancels(pipeline):
    # Adam's first step is lr × m̂/√v̂ = lr × sign(g) per parameter (up to ε): the reward's sign
    # flips it exactly, and its size does not change it.
    steps = {}
    for reward in (-1.0, -5.0, 1.0):
        run = RLHFRun(pipeline=dataclasses.replace(pipeline, reward_model=_ConstantReward(reward)),
                      batch_size=1, baseline="none", beta=0.0, optimizer="adam", learning_rate=0.001)
        before = [p.detach().clone() for p in run.policy.parameters()]
        *_, reward_record, update = [run.step() for _ in PHASES]
        steps[reward] = torch.cat([(p.detach() - b).flatten() for p, b in zip(run.policy.parameters(), before)])
        assert (update.logp_after[0] < reward_record.logp[0]) == (reward < 0)
    assert torch.allclose(steps[-1.0], -steps[1.0], atol=1e-7)   # float32 rounding of p + step − p
    # equal wherever the gradient outweighs Adam's ε = 1e-8 in √v̂ + ε (the step is then ≈ lr)
    same = (steps[-1.0] - steps[-5.0]).abs() < 1e-6
    assert same.float().mean() > 0.8   # measured 0.86: the rest have gradients near ε
    assert steps[-1.0].abs().max() == pytest.approx(0.001, rel=1e-3)


# --- stages 1 and 2 --------------------------------------------------------------------------------------
def test_sft_answers_its_own_prompts_well_and_new_ones_poorly(pipeline):
    report = sft_report(pipeline.model, pipeline.vocab)
    assert report.seen.mean_true_score > report.unseen.mean_true_score + 0.15
    assert report.seen.mean_token_logp > report.unseen.mean_token_logp  # surer where it was tuned
    assert len(report.unseen.answers) == 2 * len(report.unseen.prompts)


def test_candidates_are_distinct_samples_to_rank(pipeline):
    candidates = generate_candidates(pipeline.model, pipeline.vocab, "how do i cook rice ?", n=3,
                                     temperature=1.5, seed=0)
    assert len(candidates) == 3 and len({c.text for c in candidates}) == 3
    assert all(len(c.probs) == len(c.token_ids) for c in candidates)
    again = generate_candidates(pipeline.model, pipeline.vocab, "how do i cook rice ?", n=3,
                                temperature=1.5, seed=0)
    assert [c.text for c in again] == [c.text for c in candidates]


def test_degenerate_answers_become_worse_than_a_good_one_in_new_feedback():
    from explainer.core.rlhf.pipeline import good_answers
    from explainer.core.language.rankings import default_feedback
    prompt = "what is two plus two ?"
    answers = [(prompt, "sure thing !"), (prompt, "! !"), (prompt, ""), (prompt, "sure thing !"),
               (prompt, "two plus two is four . let me know if you have more questions !")]
    triples = degenerate_pairs(answers)
    assert [w for _, _, w in triples] == ["sure thing !", "! !", ""]
    assert all(b == good_answers()[prompt] == "sure ! two plus two is four . let me know if you have more questions !"
               for _, b, _ in triples)
    before = default_feedback()
    after = add_degenerate_as_worse(before, answers)
    added = {(p.better, p.worse) for p in after.pairs()} - {(p.better, p.worse) for p in before.pairs()}
    assert {w for _, w in added} == {"sure thing !", "! !"}  # a Feedback holds no empty text
    assert len(before.pairs()) < len(after.pairs())


# --- the presets (their claims on seeds 0–9 are in test_rlhf_claims.py) ------------------------------
@pytest.fixture(scope="module")
def hacked(pipeline):
    run = RLHFRun.preset("hacking", pipeline=pipeline)
    return run.train(120)


def test_the_hacked_answers_become_pairs_to_retrain_the_reward_model_on(hacked):
    answers = [a for r in hacked[-10:] for a in r.answers]
    triples = degenerate_pairs(answers)
    assert len(triples) >= 5
    assert all(b != w for _, b, w in triples)


@pytest.mark.parametrize("temperature", (1.0, 0.7))
def test_the_sampler_draws_each_token_where_its_u_falls_on_the_0_1_line(pipeline, temperature):
    """The production sampler against the definition, as in the fries lesson: cut the 0–1 line into
    P(token)s (teacher-forced, the never-sampled tokens at 0) and take the segment u falls in."""
    from explainer.core.language.text import prefix_ids
    from explainer.core.rlhf.batch import MAX_TOKENS, allowed_logits
    prompts = pipeline.held_out_prompts[:6]
    responses = sample_batch(pipeline.model, pipeline.vocab, prompts, temperature=temperature,
                             generator=torch.Generator().manual_seed(3))
    u = torch.rand(MAX_TOKENS, len(prompts), 1, generator=torch.Generator().manual_seed(3))
    for row, response in enumerate(responses):
        ids = torch.tensor([prefix_ids(pipeline.vocab, response.prompt) + list(response.token_ids)])
        start = ids.shape[1] - len(response.token_ids) - 1
        with torch.no_grad():
            logits = allowed_logits(pipeline.model(ids)[0, start:-1], temperature)
        line = torch.softmax(logits.double(), -1).cumsum(-1)
        for step, token in enumerate(response.token_ids):
            segment = int(torch.searchsorted(line[step], u[step, row].double(), right=True))
            assert min(segment, line.shape[1] - 1) == token, (row, step)
            assert response.probs[step] == pytest.approx(float(line[step, token] - (line[step, token - 1] if token else 0)), abs=1e-5)

