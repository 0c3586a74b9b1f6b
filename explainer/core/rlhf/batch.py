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
import torch.nn.functional as F
from torch import nn

from explainer.core.language.language_model import LanguageModel, gru_features, gru_gradients, run_gru
from explainer.core.language.reward_model import response_mask
from explainer.core.rlhf.records import LogitEntry, Response, TokenGradient
from explainer.core.language.text import EOS, NEVER_SAMPLED, PAD, Vocabulary, prefix_ids

MAX_TOKENS = 30  # the longest answers of the world (padded ones) run to ~40 tokens: 30 cuts few


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


@dataclass
class SampledBatch:
    """Sampled responses and the policy's GRU states computed while drawing them.

    Row i of `ids` is what the policy read to predict response i's tokens: <bos> prompt <sep> and
    every response token but the last; `states` holds the GRU state after each of those tokens, so
    the derivative needs no second forward pass (see `sampled_logits`).
    """
    responses: tuple[Response, ...]
    ids: torch.Tensor      # [B, T] token ids, right-padded with PAD
    states: torch.Tensor   # [B, T, H]
    starts: torch.Tensor   # [B] position of the state that predicts each response's first token


def sample_batch(model: LanguageModel, vocab: Vocabulary, prompts: Sequence[str],
                 temperature: float = 1.0, max_tokens: int = MAX_TOKENS,
                 generator: torch.Generator | None = None) -> tuple[Response, ...]:
    """One response per prompt, all drawn token by token together."""
    return _sample(model, vocab, prompts, temperature, max_tokens, generator, False)


def sample_with_states(model: LanguageModel, vocab: Vocabulary, prompts: Sequence[str],
                       temperature: float = 1.0, max_tokens: int = MAX_TOKENS,
                       generator: torch.Generator | None = None) -> SampledBatch:
    """`sample_batch`'s responses (the same draws) and the states the policy read them with."""
    return _sample(model, vocab, prompts, temperature, max_tokens, generator, True)


def _sample(model, vocab, prompts, temperature, max_tokens, generator, keep_states):
    drawn = _draw_tokens(model, vocab, prompts, temperature, max_tokens, generator, keep_states)
    if not keep_states:
        return drawn[0]
    with torch.no_grad():  # outside inference mode: the derivative builds a graph on these
        return _with_states(*drawn)


@torch.inference_mode()
def _draw_tokens(model, vocab, prompts, temperature, max_tokens, generator, keep_states):
    gru, head = model.body, model.head
    weights = (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)
    embedded = model.embedding.weight
    prefixes = [prefix_ids(vocab, p) for p in prompts]
    starts = torch.tensor([len(p) - 1 for p in prefixes])
    # All prefixes at once, right-padded: what follows a prefix never changes its own states.
    prefix_states = run_gru(gru, F.embedding(_padded(prefixes, int(starts.max()) + 1), embedded))
    hidden = prefix_states[torch.arange(len(prompts)), starts]
    # allowed_logits(head(hidden), temperature) as one multiply-add per token
    w = (head.weight.t() if temperature == 1.0 else head.weight.t() / temperature).contiguous()
    b = allowed_logits(head.bias, temperature)
    logits = torch.addmm(b, hidden, w)
    drawn, probs, states = [], [], []
    # Every u at once: max_tokens draws a row, whether or not the row stops earlier.
    draws = torch.rand(int(max_tokens), len(prompts), 1, generator=generator)
    talking = set(range(len(prompts)))  # rows that have not drawn <eos> yet
    for u in draws:
        # The fries lesson's 0–1 line, cut into P(token)s: the token is the segment u falls in
        # ([rows, 1] throughout; this loop is most of a guess's time). The last token's segment
        # ends the line, so only the cuts before it are searched.
        p = torch.softmax(logits, -1)
        token = torch.searchsorted(p[:, :-1].cumsum(1), u, right=True)
        drawn.append(token)
        probs.append(p.gather(1, token))
        token = token.view(-1)
        ids = token.tolist()
        talking = {row for row in talking if ids[row] != EOS}
        if not talking:
            break
        # One GRU step by hand: nn.GRU called on one token costs ~3× as much.
        hidden = torch.gru_cell(embedded.index_select(0, token), hidden, *weights)
        if keep_states:
            states.append(hidden)
        logits = torch.addmm(b, hidden, w)
    responses = _responses(vocab, prompts, torch.cat(drawn, 1), torch.cat(probs, 1))
    return (responses, prefixes, starts, prefix_states, states) if keep_states else (responses,)


def _with_states(responses, prefixes, starts, prefix_states, token_states) -> SampledBatch:
    """Each row's prefix states followed by the states after its response tokens, in one tensor."""
    rows = [pre + list(r.token_ids[:-1]) for pre, r in zip(prefixes, responses)]
    width = max(map(len, rows))
    # New tensors made here are ordinary ones (not inference-mode ones): autograd may keep them.
    if token_states:
        steps, size = len(token_states), prefix_states.shape[2]
        states = torch.cat((prefix_states, prefix_states.new_zeros(len(rows), steps, size)), 1)
        at = (starts[:, None] + 1 + torch.arange(steps)[None, :])[:, :, None].expand(-1, -1, size)
        states.scatter_(1, at, torch.stack(token_states, 1))  # response k's state at prefix + k
    else:
        states = prefix_states.clone()
    # Past a row's end the states are the GRU reading padding: finite, and never differentiated.
    return SampledBatch(responses, _padded(rows, width), states[:, :width], starts.clone())


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
    logits: torch.Tensor   # [N, V] allowed logits at every response token, response after response
    logp: torch.Tensor     # [B, L] log P(sampled token); 0 where mask is False
    mask: torch.Tensor     # [B, L] True on real response tokens
    rows: torch.Tensor | None = None       # [N] the response of each of the N tokens
    positions: torch.Tensor | None = None  # [N] the state (column of the features) predicting it
    targets: torch.Tensor | None = None    # [N] its token id

    def sequence_logp(self) -> torch.Tensor:
        """[B] Σ log P(token): minus the cross entropy of each guess."""
        return self.logp.sum(1)

    def response_logits(self, row: int) -> torch.Tensor:
        """[L_row, V] the allowed logits at each token of response `row`."""
        start = int(self.mask[:row].sum())
        return self.logits[start:start + int(self.mask[row].sum())]


def batch_logits(model: LanguageModel, vocab: Vocabulary, responses: Sequence[Response],
                 temperature: float = 1.0) -> BatchLogits:
    """Teacher-forced logits and log P(token) for every response token (one forward pass)."""
    prefixes = [prefix_ids(vocab, r.prompt) for r in responses]
    rows = [pre + list(r.token_ids) for pre, r in zip(prefixes, responses)]
    features = gru_features(model.body, model.embedding(_padded(rows, max(map(len, rows)) - 1)))
    starts = torch.tensor([len(p) - 1 for p in prefixes])
    return _logits_at(model, features, starts, responses, temperature)


def sampled_logits(model: LanguageModel, batch: SampledBatch, temperature: float = 1.0) -> BatchLogits:
    """`batch_logits` of a sampled batch from the states read while sampling: the same numbers
    (to float rounding) without a second forward pass; the derivative flows through the GRU."""
    if torch.is_grad_enabled():
        features = gru_features(model.body, model.embedding(batch.ids), out=batch.states)
    else:
        features = batch.states  # nothing to differentiate: the states are the features
    return _logits_at(model, features, batch.starts, batch.responses, temperature)


def _logits_at(model, features, starts, responses, temperature) -> BatchLogits:
    # The features that predict response token k sit at position len(prefix) − 1 + k; the head
    # runs on the real response tokens only: the vocabulary is ten times wider than the features,
    # and padding the batch's responses to the longest one would add ~30 % to that work.
    lengths = torch.tensor([len(r.token_ids) for r in responses])
    mask = torch.arange(max(1, int(lengths.max())))[None, :] < lengths[:, None]
    rows, cols = mask.nonzero(as_tuple=True)
    positions = starts[rows] + cols
    logits = allowed_logits(model.head(features[rows, positions]), temperature)
    targets = torch.tensor([t for r in responses for t in r.token_ids], dtype=torch.long)
    logp = torch.log_softmax(logits, -1).gather(1, targets[:, None])[:, 0]
    return BatchLogits(logits, logp.new_zeros(mask.shape).masked_scatter(mask, logp), mask,
                       rows, positions, targets)


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


@torch.no_grad()
def reinforce_gradients(model: LanguageModel, batch: SampledBatch, view: BatchLogits,
                        shaped: torch.Tensor, temperature: float = 1.0
                        ) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(parameter, gradient) of `objective.reinforce_loss` for a sampled batch, written out.

    At every response token ∂loss/∂logits = (softmax − one-hot) × A_i / B: the derivative phase's
    numbers times the shaped reward. The chain rule then runs back through the head, the GRU
    (through time, from the states read while sampling) and the embedding. The same numbers as
    autograd on the loss (to float rounding), without recording a graph. `view` is
    `sampled_logits` of the batch, with or without a graph.
    """
    rows, positions, targets = view.rows, view.positions, view.targets
    if rows is None:
        rows, cols = view.mask.nonzero(as_tuple=True)
        positions = batch.starts[rows] + cols
        targets = torch.tensor([t for r in batch.responses for t in r.token_ids], dtype=torch.long)
    d_logits = torch.softmax(view.logits.detach(), -1)
    d_logits[torch.arange(len(rows)), targets] -= 1.0
    # logits = head(features) / temperature: the 1/temperature joins the reward's factor
    d_logits *= (shaped.detach()[rows] / (len(batch.responses) * temperature))[:, None]
    head, body, embedding = model.head, model.body, model.embedding
    d_states = torch.zeros_like(batch.states)
    d_states[rows, positions] = d_logits @ head.weight
    d_x, d_body = gru_gradients(body, embedding(batch.ids), batch.states, d_states)
    size = d_x.shape[-1]
    d_embedding = torch.zeros_like(embedding.weight).index_add_(
        0, batch.ids.reshape(-1), d_x.reshape(-1, size))
    if embedding.padding_idx is not None:
        d_embedding[embedding.padding_idx] = 0.0   # as nn.Embedding: padding is never trained
    picked = batch.states[rows, positions]
    return [(embedding.weight, d_embedding),
            *zip((body.weight_ih_l0, body.weight_hh_l0, body.bias_ih_l0, body.bias_hh_l0), d_body),
            (head.weight, d_logits.t() @ picked), (head.bias, d_logits.sum(0))]


# --- the frozen models read each batch together --------------------------------------------------
class FrozenReaders:
    """log π_ref of each response and the Reward model's score of it, from one GRU pass.

    Both models stay frozen during policy optimisation, so their GRUs are joined side by side into
    one of twice the width with block-diagonal weights: each half computes its own model's states
    (the other half's weights are zeros), and one pass over a batch of 16 costs ~0.7 of two. The
    joined weights are rebuilt whenever either model's weights change (sessions load weights in
    place). A Reward model without an embedding and a GRU body is called as it is.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._joined: tuple[torch.Tensor, list[torch.Tensor]] | None = None

    def __call__(self, reference: LanguageModel, reward_model, vocab: Vocabulary,
                 responses: Sequence[Response], temperature: float = 1.0
                 ) -> tuple[torch.Tensor, torch.Tensor]:
        """([B] Σ log π_ref(token), [B] reward) of each response."""
        ids, lengths = full_sequences(vocab, responses)
        if not _joinable(reference, reward_model):
            return (batch_logits(reference, vocab, responses, temperature).sequence_logp(),
                    reward_model(ids, lengths))
        embedding, weights = self._weights(reference, reward_model)
        rows, size = ids.shape[0], reference.body.hidden_size + reward_model.body.hidden_size
        features = torch.gru(F.embedding(ids, embedding), ids.new_zeros(1, rows, size,
                             dtype=embedding.dtype), weights, True, 1, 0.0, False, False, True)[0]
        ref_features, rm_features = features.split(reference.body.hidden_size, 2)
        starts = torch.tensor([len(prefix_ids(vocab, r.prompt)) - 1 for r in responses])
        logp_ref = _logits_at(reference, ref_features, starts, responses, temperature)
        return logp_ref.sequence_logp(), reward_model.read(rm_features, response_mask(ids, lengths))

    def _weights(self, reference, reward_model):
        models = (reference.embedding, reference.body, reward_model.embedding, reward_model.body)
        key = tuple((id(p), p._version) for m in models for p in m.parameters())
        if key != self._key:
            with torch.inference_mode(False), torch.no_grad():
                self._joined = (torch.cat((reference.embedding.weight,
                                           reward_model.embedding.weight), 1),
                                _join(reference.body, reward_model.body))
            self._key = key
        return self._joined


def _joinable(reference, reward_model) -> bool:
    body, embedding = getattr(reward_model, "body", None), getattr(reward_model, "embedding", None)
    return (isinstance(body, nn.GRU) and isinstance(embedding, nn.Embedding)
            and hasattr(reward_model, "read")
            and body.num_layers == reference.body.num_layers == 1 and body.bias
            and embedding.num_embeddings == reference.embedding.num_embeddings)


def _join(a: nn.GRU, b: nn.GRU) -> list[torch.Tensor]:
    """Weights of one GRU computing a's states beside b's: gate rows [r_a r_b z_a z_b n_a n_b]."""
    ha, hb, ia = a.hidden_size, b.hidden_size, a.input_size
    size = ha + hb
    w_ih = a.weight_ih_l0.new_zeros(3 * size, ia + b.input_size)
    w_hh = a.weight_hh_l0.new_zeros(3 * size, size)
    b_ih, b_hh = a.bias_ih_l0.new_zeros(3 * size), a.bias_hh_l0.new_zeros(3 * size)
    for gate in range(3):
        rows_a, rows_b = slice(gate * size, gate * size + ha), slice(gate * size + ha, (gate + 1) * size)
        from_a, from_b = slice(gate * ha, (gate + 1) * ha), slice(gate * hb, (gate + 1) * hb)
        w_ih[rows_a, :ia], w_ih[rows_b, ia:] = a.weight_ih_l0[from_a], b.weight_ih_l0[from_b]
        w_hh[rows_a, :ha], w_hh[rows_b, ha:] = a.weight_hh_l0[from_a], b.weight_hh_l0[from_b]
        b_ih[rows_a], b_ih[rows_b] = a.bias_ih_l0[from_a], b.bias_ih_l0[from_b]
        b_hh[rows_a], b_hh[rows_b] = a.bias_hh_l0[from_a], b.bias_hh_l0[from_b]
    return [w_ih, w_hh, b_ih, b_hh]


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
