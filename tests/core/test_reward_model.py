import json
import math

import pytest
import torch
import torch.nn.functional as F

from explainer.core.language.language_model import fine_tuned_model
from explainer.core.language.rankings import default_feedback, parse_feedback
from explainer.core.language.reward_model import RewardModel, RewardTrainer, _EncodedPairs, pairwise_loss
from explainer.core.language.shipped_data import feedback_data
from explainer.core.language.tone_pairs import polite_share, tone_pairs

D = [-3.0, -0.5, 0.0, 0.25, 2.0, 7.0]


def test_pairwise_loss_is_minus_log_sigmoid_of_the_difference():
    r_worse = torch.tensor([0.5, -1.0, 2.0, 0.0, 1.0, -3.0], dtype=torch.float64)
    r_better = r_worse + torch.tensor(D, dtype=torch.float64)
    by_hand = sum(-math.log(1.0 / (1.0 + math.exp(-d))) for d in D) / len(D)
    loss = pairwise_loss(r_better, r_worse)
    assert loss.item() == pytest.approx(by_hand, rel=1e-12)
    assert loss.item() == pytest.approx((-F.logsigmoid(r_better - r_worse).mean()).item(), rel=1e-12)
    assert pairwise_loss(torch.tensor([1.0]), torch.tensor([1.0])).item() == pytest.approx(math.log(2))


def test_pairwise_loss_is_finite_for_huge_differences():
    for d in (1e4, -1e4, 1e3, -1e3):
        loss = pairwise_loss(torch.tensor([d]), torch.tensor([0.0]))
        assert math.isfinite(loss.item())
    assert pairwise_loss(torch.tensor([-1e4]), torch.tensor([0.0])).item() == pytest.approx(1e4)
    assert pairwise_loss(torch.tensor([1e4]), torch.tensor([0.0])).item() == 0.0


def test_gradient_wrt_r_better_is_minus_sigmoid_of_minus_d_over_n():
    d = torch.tensor(D, dtype=torch.float64)
    r_better = d.clone().requires_grad_(True)
    pairwise_loss(r_better, torch.zeros_like(d)).backward()
    expected = [-(1.0 / (1.0 + math.exp(x))) / len(D) for x in D]   # −σ(−d) / n
    assert r_better.grad.tolist() == pytest.approx(expected, rel=1e-12)


@pytest.fixture(scope="module")
def trained():
    lm, vocab = fine_tuned_model()
    model = RewardModel.from_language_model(lm, vocab)
    feedback = default_feedback()
    train = [p.triple() for p in feedback.pairs(held_out=False)]
    trainer = RewardTrainer(model, train)
    history = trainer.fit(max_steps=300)
    return lm, model, trainer, history, [p.triple() for p in feedback.pairs(held_out=True)]


def test_reward_model_keeps_the_lm_body_and_has_one_output(trained):
    lm, vocab = fine_tuned_model()
    model = RewardModel.from_language_model(lm, vocab)
    for name in ("embedding", "body"):
        for (k, a), b in zip(getattr(lm, name).state_dict().items(),
                             getattr(model, name).state_dict().values()):
            assert torch.equal(a, b), k
    assert model.embedding.weight.data_ptr() != lm.embedding.weight.data_ptr()   # a copy
    assert model.head.out_features == 1
    assert model.score("how do i boil an egg ?", "sure !") == 0.0   # head starts at zero


def test_training_reaches_every_training_pair_and_generalises(trained):
    _, model, trainer, history, held_out = trained
    assert history[0].loss == pytest.approx(math.log(2))
    assert history[-1].accuracy == 1.0 and trainer.accuracy() == 1.0
    assert len(history) < 100
    # The held-out pairs mostly differ in which fact is right, which does not carry over from 26
    # prompts (measured 0.43–0.67 on draws 0–5 of the rankings); tone does, tested below.
    d = trainer.differences(held_out)
    assert len(d) == 60 and trainer.accuracy(held_out) == pytest.approx(sum(x > 0 for x in d) / 60)


def test_typed_in_polite_answers_score_above_rude_ones_on_prompts_nobody_ranked(trained):
    # Tab 3's Reward model learns tone from 26 ranked prompts and carries it to new ones. Measured
    # on the shipped rankings: 0.87–0.93 of 243 polite/rude pairs (RM seeds 0–1, 25–300 steps).
    model = trained[1]
    assert polite_share(model, tone_pairs(0)) >= 0.75


@pytest.mark.slow
def test_tone_carries_to_new_prompts_from_any_draw_of_the_rankings():
    # The shipped rankings are one draw (seed 0) of `shipped_data.feedback_data`; the claim is about
    # how they are made. Measured on draws 0–6: 0.73–0.93. Needs 0.7 on 4 of draws 1–5.
    lm, vocab = fine_tuned_model()
    shares = []
    for seed in range(1, 6):
        feedback = parse_feedback(json.dumps(feedback_data(seed=seed)))
        model = RewardModel.from_language_model(lm, vocab)
        RewardTrainer(model, [p.triple() for p in feedback.pairs(held_out=False)]).fit(max_steps=300)
        shares.append(polite_share(model, tone_pairs(seed)))
    assert sum(share >= 0.7 for share in shares) >= 4, shares


def test_step_record_matches_its_own_loss(trained):
    _, model, _, _, _ = trained
    pairs = default_feedback().pairs(held_out=False)[:12]
    trainer = RewardTrainer(model, [p.triple() for p in pairs], lr=0.001)
    step = trainer.step()
    d = torch.tensor(step.differences)
    assert step.step == 1 and len(step.differences) == 12
    assert step.loss == pytest.approx(pairwise_loss(d, torch.zeros_like(d)).item(), rel=1e-5)
    assert step.accuracy == pytest.approx(float((d > 0).float().mean()))
    trainer.reset()
    assert trainer.steps == 0 and trainer.step().differences == pytest.approx(step.differences)


def test_contradictions_and_duplicates_stay_finite():
    lm, vocab = fine_tuned_model()
    p = "how do i boil an egg ?"
    a, b, c = "sure ! boil it .", "put it in water .", "no ."
    pairs = [(p, a, b), (p, b, c), (p, c, a), (p, a, b), (p, a, b), (p, a, a)]
    for optimizer in ("adam", "sgd"):
        trainer = RewardTrainer(RewardModel.from_language_model(lm, vocab), pairs,
                                optimizer=optimizer, batch_size=2)
        trainer.set_learning_rate(0.5)
        for _ in range(30):
            step = trainer.step()
            assert math.isfinite(step.loss) and all(map(math.isfinite, step.differences))
        assert step.loss > 0.3   # a cycle can never be satisfied


def test_bad_settings_are_refused():
    lm, vocab = fine_tuned_model()
    model = RewardModel.from_language_model(lm, vocab)
    with pytest.raises(ValueError):
        RewardTrainer(model, [], optimizer="rmsprop")
    with pytest.raises(ValueError):
        RewardTrainer(model, [], lr=float("nan"))
    with pytest.raises(ValueError, match="no pairs"):
        RewardTrainer(model, []).step()
    assert RewardTrainer(model, []).accuracy() == 0.0


def test_reading_each_prompt_once_gives_the_whole_sequences_rewards_and_gradients():
    lm, vocab = fine_tuned_model()
    model = RewardModel.from_language_model(lm, vocab)
    torch.nn.init.normal_(model.head.weight, generator=torch.Generator().manual_seed(0))
    encoded = _EncodedPairs(vocab, [p.triple() for p in default_feedback().pairs(held_out=False)])
    shared = encoded.rewards(model)
    whole = model(*encoded.batch)
    assert torch.allclose(shared, whole, atol=1e-5)
    grads = [torch.autograd.grad(r.sum(), list(model.parameters())) for r in (shared, whole)]
    for a, b in zip(*grads):
        assert torch.allclose(a, b, rtol=1e-4, atol=1e-6)
