"""Stage 0 of RLHF: pre-training, next-token prediction on the world's text (`world.corpus`).

    explainer pretrain                  trains the base model and writes resources/rlhf/base-model.npz
    pretrained_model()                  a fresh copy of the shipped base model and its vocabulary

The text is drawn anew for every batch from the grammar (the "web" never runs out), so the model
learns the grammar's distribution: fluent answers, right and wrong, polite and rude, sometimes
padded. It is not yet aligned: that is what SFT and RLHF are for.

The weights ship as numpy .npz (never pickle) with a manifest: the world file's SHA-256, the
generator's version and the settings used, so a test can prove they were trained on this corpus.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F

from explainer.paths import read_text, resource
from explainer.core.files.jsonfile import atomic_write
from explainer.core.language.language_model import Adam, LanguageModel, encode_pair, pad_batch, use_one_thread
from explainer.core.language.text import PAD, Vocabulary
from explainer.core.language.world import GENERATOR_VERSION, corpus, world_vocabulary

WEIGHTS_FILE = ("rlhf", "base-model.npz")
HELD_OUT_SEED = 10_000_019   # the held-out text's corpus seed: never a training batch's


@dataclass(frozen=True)
class PretrainSettings:
    dim: int = 64
    steps: int = 4000
    batch_size: int = 64
    lr: float = 0.01
    final_lr: float = 0.001   # the learning rate decays linearly to this
    seed: int = 0


def world_sha256() -> str:
    return hashlib.sha256(read_text("rlhf", "world.json").encode("utf-8")).hexdigest()


def _batch(vocab: Vocabulary, pairs) -> tuple[torch.Tensor, torch.Tensor]:
    return pad_batch([encode_pair(vocab, p, r) for p, r in pairs])


def next_token_loss(model: LanguageModel, ids: torch.Tensor) -> torch.Tensor:
    """Mean cross entropy of every next token (padding left out)."""
    logits = model(ids[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1),
                           ignore_index=PAD)


def held_out_perplexity(model: LanguageModel, vocab: Vocabulary, size: int = 2000) -> float:
    """exp(mean next-token cross entropy) on text no training batch drew."""
    ids, _ = _batch(vocab, corpus(size, HELD_OUT_SEED))
    with torch.no_grad():
        return math.exp(float(next_token_loss(model, ids)))


def pretrain(settings: PretrainSettings = PretrainSettings(),
             on_step: Callable[[int, float], None] | None = None) -> tuple[LanguageModel, Vocabulary]:
    """Train a base model from scratch, reproducibly (one thread, seeded weights and text)."""
    use_one_thread()
    vocab = world_vocabulary()
    torch.manual_seed(settings.seed)
    model = LanguageModel(len(vocab), settings.dim)
    optim = Adam(model.parameters(), settings.lr)
    model.train()
    for step in range(settings.steps):
        optim.lr = settings.lr + (settings.final_lr - settings.lr) * step / max(1, settings.steps - 1)
        ids, _ = _batch(vocab, corpus(settings.batch_size, seed=settings.seed * 1_000_003 + step))
        loss = next_token_loss(model, ids)
        optim.zero_grad()
        loss.backward()
        optim.step()
        if on_step is not None:
            on_step(step, loss.item())
    model.train(False)
    return model, vocab


# --- the shipped file ---------------------------------------------------------------------------
def manifest(settings: PretrainSettings, perplexity: float, vocab: Vocabulary) -> dict:
    return {"format": "explainer-base-model", "version": 1, "world_sha256": world_sha256(),
            "generator_version": GENERATOR_VERSION, "settings": asdict(settings),
            "held_out_perplexity": perplexity, "tokens": vocab.tokens}


def save(model: LanguageModel, vocab: Vocabulary, settings: PretrainSettings, path) -> dict:
    meta = manifest(settings, held_out_perplexity(model, vocab), vocab)
    arrays = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, manifest=np.array(json.dumps(meta)), **arrays)
    atomic_write(path, buffer.getvalue(), OSError)  # a killed run never leaves half a file
    return meta


@lru_cache(maxsize=1)
def _shipped() -> tuple[dict, dict[str, torch.Tensor]]:
    with resource(*WEIGHTS_FILE).open("rb") as f:
        data = np.load(io.BytesIO(f.read()), allow_pickle=False)
        meta = json.loads(str(data["manifest"]))
        state = {k: torch.from_numpy(data[k].copy()) for k in data.files if k != "manifest"}
    return meta, state


def shipped_manifest() -> dict:
    return dict(_shipped()[0])


def pretrained_model() -> tuple[LanguageModel, Vocabulary]:
    """A fresh copy of the shipped base model (stage 0), and the world's vocabulary."""
    meta, state = _shipped()
    vocab = Vocabulary(meta["tokens"][5:])
    model = LanguageModel(len(vocab), int(meta["settings"]["dim"]))
    model.load_state_dict(state)
    model.train(False)
    return model, vocab


def main(argv: list[str] | None = None) -> int:
    """`explainer pretrain [--steps N] [--out FILE]`: train the base model and write its file."""
    import argparse
    p = argparse.ArgumentParser(prog="explainer pretrain", description=main.__doc__)
    p.add_argument("--steps", type=int, default=PretrainSettings.steps)
    p.add_argument("--dim", type=int, default=PretrainSettings.dim)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="default: the package's resources/rlhf/base-model.npz")
    args = p.parse_args(argv)
    if not (1 <= args.steps <= 1_000_000 and 4 <= args.dim <= 512):
        p.error("--steps must be 1 to 1,000,000 and --dim 4 to 512")
    settings = PretrainSettings(dim=args.dim, steps=args.steps, seed=args.seed)
    start = time.process_time()
    def report(step: int, loss: float) -> None:
        if step % 250 == 0 or step == settings.steps - 1:
            print(f"step {step + 1}/{settings.steps}  loss {loss:.3f}", flush=True)
    model, vocab = pretrain(settings, report)
    out = args.out or str(resource(*WEIGHTS_FILE))
    meta = save(model, vocab, settings, out)
    print(f"held-out perplexity {meta['held_out_perplexity']:.3f}; "
          f"{time.process_time() - start:.0f} CPU s; wrote {out}")
    return 0
