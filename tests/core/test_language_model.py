import torch

from explainer.core.language.language_model import (
    LanguageModel, encode_pair, fine_tune, fine_tuned_model, load_demonstrations, new_model,
    response_log_probs, sample, shipped_vocabulary, unseen_prompts)
from explainer.core.language.text import BOS, EOS, SEP, tokenize


def test_shipped_data_fits_a_tiny_model():
    vocab, demos = shipped_vocabulary(), load_demonstrations()
    assert 200 <= len(vocab) <= 500
    assert 20 <= len(demos) <= 60
    assert all(len(tokenize(d.response)) <= 24 for d in demos)
    seen = {d.prompt for d in demos}
    assert len(unseen_prompts()) >= 8 and not seen & set(unseen_prompts())


def test_model_shapes_and_the_pair_encoding():
    vocab = shipped_vocabulary()
    model = new_model(vocab)
    ids = torch.tensor([encode_pair(vocab, "what is the capital of france ?", "sure !")])
    assert ids[0, 0] == BOS and ids[0, -1] == EOS and SEP in ids[0].tolist()
    assert model(ids).shape == (1, ids.shape[1], len(vocab))
    assert model.features(ids).shape == (1, ids.shape[1], 64)
    assert isinstance(model.head, torch.nn.Linear) and model.head.out_features == len(vocab)


def test_sft_loss_falls_and_can_stop_early():
    vocab = shipped_vocabulary()
    model, demos = new_model(vocab), load_demonstrations()[:10]
    losses = fine_tune(model, vocab, demos, epochs=30)
    assert losses[-1] < 0.5 * losses[0]
    seen = []
    assert len(fine_tune(model, vocab, demos, epochs=30,
                         on_epoch=lambda e, loss: seen.append(e) or e < 4)) == 5 == len(seen)


def test_fine_tuned_model_repeats_its_demonstrations():
    model, vocab = fine_tuned_model()
    demo = load_demonstrations()[1]  # shorter than max_tokens, so the model stops by itself
    cold = sample(model, vocab, demo.prompt, temperature=0.05, generator=torch.Generator().manual_seed(0))
    assert cold.text == demo.response
    assert cold.tokens[-1] == "<eos>" and len(cold.probs) == len(cold.token_ids)
    assert all(p > 0.5 for p in cold.probs)


def test_samples_differ_with_temperature():
    model, vocab = fine_tuned_model()
    prompt = unseen_prompts()[0]

    def texts(temperature):
        g = torch.Generator().manual_seed(1)
        return {sample(model, vocab, prompt, temperature, generator=g).text for _ in range(12)}

    assert len(texts(0.05)) == 1
    assert len(texts(3.0)) >= 6
    s = sample(model, vocab, prompt, 3.0, max_tokens=5, generator=torch.Generator().manual_seed(2))
    assert len(s.token_ids) <= 5 and all(0.0 < p <= 1.0 for p in s.probs)


def test_response_log_probs_match_the_sampled_probabilities():
    model, vocab = fine_tuned_model()
    prompt = "what is the capital of france ?"
    s = sample(model, vocab, prompt, generator=torch.Generator().manual_seed(3))
    log_p = response_log_probs(model, vocab, prompt, s.token_ids)
    assert torch.allclose(log_p.exp(), torch.tensor(s.probs), atol=1e-5)
    assert log_p.requires_grad


def test_language_model_is_small():
    assert sum(p.numel() for p in LanguageModel(400).parameters()) < 80_000   # 64 wide: 76,560
