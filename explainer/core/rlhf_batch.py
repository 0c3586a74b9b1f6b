"""The policy's arithmetic on a batch of responses: sampling, log-probabilities, logit gradients.

`language_model.sample` draws one response at a time; a policy update needs 16 at once, so here the
GRU reads all prompts together and then draws every response's next token in one step. The
distribution is the same: softmax(logits / temperature) with the special tokens never drawn.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from .language_model import LanguageModel, gru_features, pad_batch
from .rlhf_records import LogitEntry, Response, TokenGradient
from .text import BOS, EOS, PAD, SEP, UNK, Vocabulary

MAX_TOKENS = 22  # the longest shipped demonstration is 20 tokens, 21 with <eos>
NEVER_SAMPLED = (PAD, UNK, BOS, SEP)


def prefix_ids(vocab: Vocabulary, prompt: str) -> list[int]:
    """<bos> prompt <sep>: what the policy reads before it answers."""
    return [BOS, *vocab.encode(prompt), SEP]


def allowed_logits(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Logits / temperature with the special tokens impossible (−inf): the policy's distribution."""
    scaled = logits if temperature == 1.0 else logits / temperature  # one op fewer at T = 1
    return scaled + _never_mask(logits.shape[-1])


@lru_cache(maxsize=4)
def _never_mask(vocab_size: int) -> torch.Tensor:
    # Added, not assigned in place: one cached tensor instead of an index tensor built per step.
    mask = torch.zeros(vocab_size)
    mask[list(NEVER_SAMPLED)] = -math.inf
    return mask


def _read_prefixes(model: LanguageModel, prefixes: list[list[int]]) -> torch.Tensor:
    """The GRU state [1, B, H] after each prefix; packing makes padding invisible to short ones."""
    ids, lengths = pad_batch(prefixes)
    packed = pack_padded_sequence(model.embedding(ids), lengths, batch_first=True,
                                  enforce_sorted=False)
    return model.body(packed)[1]


@torch.inference_mode()
def sample_batch(model: LanguageModel, vocab: Vocabulary, prompts: Sequence[str],
                 temperature: float = 1.0, max_tokens: int = MAX_TOKENS,
                 generator: torch.Generator | None = None) -> tuple[Response, ...]:
    """One response per prompt, all drawn token by token together."""
    gru = model.body
    weights = (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)
    hidden = _read_prefixes(model, [prefix_ids(vocab, p) for p in prompts])[0]
    logits = model.head(hidden)
    drawn, probs, done = [], [], torch.zeros(len(prompts), dtype=torch.bool)
    for _ in range(int(max_tokens)):
        p = torch.softmax(allowed_logits(logits, temperature), dim=-1)
        token = draw(p, generator)
        drawn.append(token)
        probs.append(p.gather(1, token[:, None])[:, 0])
        done |= token == EOS
        if bool(done.all()):
            break
        # One GRU step by hand: nn.GRU called on one token costs ~3× as much.
        hidden = torch.gru_cell(model.embedding.weight[token], hidden, *weights)
        logits = model.head(hidden)
    return _responses(vocab, prompts, torch.stack(drawn, 1), torch.stack(probs, 1))


def draw(p: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """One token per row of p: where a uniform draw u falls on the 0–1 line cut into P(token)s.

    The same 0–1 line as the fries lesson; ~10× faster than torch.multinomial for one draw.
    A token of probability 0 has no segment, so it is never drawn.
    """
    u = torch.rand(p.shape[0], 1, generator=generator, dtype=p.dtype)
    token = torch.searchsorted(p.cumsum(1), u, right=True)[:, 0]
    return token.clamp_(max=p.shape[1] - 1)


def _responses(vocab, prompts, ids: torch.Tensor, probs: torch.Tensor) -> tuple[Response, ...]:
    out, words = [], vocab.tokens
    for prompt, row, p in zip(prompts, ids.tolist(), probs.tolist()):
        n = row.index(EOS) + 1 if EOS in row else len(row)  # keep <eos>, drop what came after
        tokens = tuple(words[i] for i in row[:n])
        text = " ".join(words[i] for i in row[:n] if i != EOS)  # as vocab.decode, a little faster
        out.append(Response(prompt, text, tokens, tuple(row[:n]), tuple(p[:n])))
    return tuple(out)


@dataclass
class BatchLogits:
    """The policy's view of a batch of responses, computed with gradients."""
    logits: torch.Tensor   # [B, L, V] allowed logits at each response position
    logp: torch.Tensor     # [B, L] log P(sampled token); 0 where mask is False
    mask: torch.Tensor     # [B, L] True on real response tokens

    def sequence_logp(self) -> torch.Tensor:
        """[B] Σ log P(token): minus the cross entropy of each guess."""
        return self.logp.sum(1)


def batch_logits(model: LanguageModel, vocab: Vocabulary, responses: Sequence[Response],
                 temperature: float = 1.0) -> BatchLogits:
    """Teacher-forced logits and log P(token) for every response token (one forward pass)."""
    prefixes = [prefix_ids(vocab, r.prompt) for r in responses]
    rows = [pre + list(r.token_ids) for pre, r in zip(prefixes, responses)]
    width = max(1, max(len(r.token_ids) for r in responses))
    features = gru_features(model.body, model.embedding(_padded(rows, max(map(len, rows)) - 1)))
    # The features that predict response token k sit at position len(prefix) − 1 + k; the
    # head runs on those positions only (the vocabulary is ten times wider than the features).
    k = torch.arange(width)
    at = (torch.tensor([len(p) - 1 for p in prefixes])[:, None] + k[None, :])
    at = at.clamp(max=features.shape[1] - 1)
    picked = features.gather(1, at[:, :, None].expand(-1, -1, features.shape[2]))
    logits = allowed_logits(model.head(picked), temperature)
    targets = _padded([r.token_ids for r in responses], width, EOS)
    mask = k[None, :] < torch.tensor([len(r.token_ids) for r in responses])[:, None]
    logp = torch.log_softmax(logits, -1).gather(2, targets[:, :, None])[:, :, 0]
    return BatchLogits(logits, torch.where(mask, logp, torch.zeros_like(logp)), mask)


def _padded(rows: Sequence[Sequence[int]], width: int, fill: int = PAD) -> torch.Tensor:
    """[B, width] ids, each row cut or padded to width."""
    out = np.full((len(rows), width), fill, dtype=np.int64)
    for i, row in enumerate(rows):
        n = min(width, len(row))
        out[i, :n] = row[:n]
    return torch.from_numpy(out)


def full_sequences(vocab: Vocabulary, responses: Sequence[Response]) -> tuple[torch.Tensor, torch.Tensor]:
    """<bos> prompt <sep> response <eos> as padded ids [B, T] and lengths [B] (the Reward model's
    input), straight from the sampled ids; a response cut off at max_tokens still gets its <eos>."""
    rows = [prefix_ids(vocab, r.prompt) + list(r.token_ids) for r in responses]
    rows = [row if row[-1] == EOS else row + [EOS] for row in rows]
    lengths = torch.tensor([len(row) for row in rows])
    return _padded(rows, int(lengths.max())), lengths


# --- the derivative of the guess -----------------------------------------------------------------
def token_logit_gradient(logits: torch.Tensor, token: int) -> tuple[torch.Tensor, torch.Tensor]:
    """softmax(logits) and ∂C/∂logits for C = −log softmax(logits)[token]: softmax − one-hot.

    The same chain rule as the policy-gradient lesson: with two logits [X, 0] the softmax is
    [σ(X), 1 − σ(X)] and the gradient's first entry is σ(X) − 1 (chose the first) or σ(X).
    """
    p = torch.softmax(logits, dim=-1)
    one_hot = torch.zeros_like(p)
    one_hot[token] = 1.0
    return p, p - one_hot


def token_gradients(vocab: Vocabulary, response: Response, logits: torch.Tensor,
                    top: int = 4) -> tuple[TokenGradient, ...]:
    """The derivative at every position of one response: the sampled token and `top` others."""
    n = len(response.token_ids)
    if n == 0:
        return ()
    with torch.no_grad():
        p = torch.softmax(logits[:n].double(), dim=-1)
        p_top, i_top = p.topk(top + 1, dim=-1)
    tokens = response.token_ids
    p_rows = p.gather(1, torch.tensor(tokens)[:, None])[:, 0].tolist()
    out = []
    for k, (token, p_token, ps, ids) in enumerate(zip(tokens, p_rows, p_top.tolist(), i_top.tolist())):
        others = [(i, q) for i, q in zip(ids, ps) if i != token][:top]
        entries = (LogitEntry(vocab.tokens[token], p_token, 1.0, p_token - 1.0),
                   *(LogitEntry(vocab.tokens[i], q, 0.0, q) for i, q in others))
        out.append(TokenGradient(k, vocab.tokens[token], p_token,
                                 -math.log(max(p_token, 1e-300)), entries))
    return tuple(out)
