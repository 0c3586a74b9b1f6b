import json
import math

import numpy as np
import torch

from explainer.__main__ import main
from explainer.core.language import pretraining
from explainer.core.rlhf.ground_truth import true_score
from explainer.core.language.pretraining import (PretrainSettings, held_out_perplexity, pretrain,
                                        pretrained_model, shipped_manifest, world_sha256)
from explainer.core.rlhf.batch import sample_batch
from explainer.core.language.world import GENERATOR_VERSION, world, world_vocabulary

STATED_PERPLEXITY = 1.9   # measured 1.819 on the shipped weights


def test_the_shipped_weights_were_trained_on_the_shipped_world_and_generator():
    meta = shipped_manifest()
    assert meta["world_sha256"] == world_sha256()
    assert meta["generator_version"] == GENERATOR_VERSION
    assert meta["tokens"] == world_vocabulary().tokens
    assert meta["settings"] == vars(PretrainSettings())   # `explainer pretrain` makes it again


def test_the_shipped_base_model_reaches_its_stated_held_out_perplexity():
    model, vocab = pretrained_model()
    perplexity = held_out_perplexity(model, vocab)
    assert perplexity < STATED_PERPLEXITY
    assert math.isclose(perplexity, shipped_manifest()["held_out_perplexity"], rel_tol=1e-3)


def test_the_base_model_is_fluent_but_not_aligned():
    model, vocab = pretrained_model()
    prompts = [p for p in world().prompts("eval") for _ in range(8)]
    answers = sample_batch(model, vocab, prompts, generator=torch.Generator().manual_seed(0))
    verdicts = [true_score(a.prompt, a.text) for a in answers]
    garbled = sum(s.kind == "garbled" for v in verdicts for s in v.sentences)
    assert garbled / sum(len(v.sentences) for v in verdicts) < 0.05          # fluent
    assert sum(v.tone == "rude" for v in verdicts) / len(verdicts) > 0.2     # not yet polite
    assert sum(v.content != "correct" for v in verdicts) / len(verdicts) > 0.3


def test_pretraining_at_a_tiny_size_learns_and_writes_a_file_without_pickle(tmp_path):
    losses = []
    model, vocab = pretrain(PretrainSettings(dim=8, steps=40, batch_size=16, lr=0.03),
                            lambda step, loss: losses.append(loss))
    assert len(losses) == 40 and sum(losses[-5:]) < 0.8 * sum(losses[:5])   # measured: 5.4 → 3.8
    out = tmp_path / "base.npz"
    assert main(["explainer", "pretrain", "--steps", "3", "--dim", "8", "--out", str(out)]) == 0
    data = np.load(out, allow_pickle=False)
    meta = json.loads(str(data["manifest"]))
    assert meta["settings"]["steps"] == 3 and meta["world_sha256"] == world_sha256()
    assert data["head.weight"].shape == (len(vocab), 8)


def test_the_same_settings_pretrain_the_same_weights_on_one_machine():
    settings = PretrainSettings(dim=8, steps=5, batch_size=8)
    a, _ = pretrain(settings)
    b, _ = pretrain(settings)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
