"""The small language model of the RLHF lesson, and its supervised fine-tuning (SFT).

    token ids ──embedding──▶ vectors ──body (GRU)──▶ features ──head──▶ logits over the vocabulary
                                                                         (the next-token output layer)

A prompt and its response are read as one sequence:  <bos> prompt <sep> response <eos>.
Different responses to the same prompt come from sampling each next token from the softmax,
not from always taking the most probable one.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from explainer.paths import read_text
from explainer.core.files.jsonfile import checked_header, parse_json
from explainer.core.language.text import EOS, NEVER_SAMPLED, PAD, SEP, Vocabulary, prefix_ids

DIM = 64                # embedding and GRU width of the shipped base model (~58k parameters)
SFT_EPOCHS = 10         # full-batch Adam steps from the base model: the demonstrations are learnt
SFT_LR = 0.003          # by then, and answers to other prompts are only partly changed
DEMONSTRATIONS_FORMAT = "explainer-demonstrations"


class DemonstrationError(ValueError):
    pass


@dataclass(frozen=True)
class Demonstration:
    prompt: str
    response: str


@dataclass(frozen=True)
class Sample:
    text: str                      # the response as words (without <eos>)
    tokens: tuple[str, ...]        # every sampled token, "<eos>" last if the model chose to stop
    token_ids: tuple[int, ...]
    probs: tuple[float, ...]       # the probability each sampled token had when it was drawn


# --- the model ----------------------------------------------------------------------------------
class LanguageModel(nn.Module):
    def __init__(self, vocab_size: int, dim: int = DIM) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim, padding_idx=PAD)
        self.body = nn.GRU(dim, dim, batch_first=True)
        self.head = nn.Linear(dim, vocab_size)   # the next-token output layer

    def features(self, ids: torch.Tensor) -> torch.Tensor:
        """[B, T] token ids → [B, T, H]: what the body has read up to each token."""
        return gru_features(self.body, self.embedding(ids))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """[B, T] token ids → [B, T, V] logits of the next token after each position."""
        return self.head(self.features(ids))

    def step(self, ids: torch.Tensor, hidden: torch.Tensor | None = None):
        """Logits after ids, and the GRU state to continue from (for token-by-token sampling)."""
        out, hidden = self.body(self.embedding(ids), hidden)
        return self.head(out[:, -1]), hidden


# --- the body's derivative, written out -------------------------------------------------------
# Measured (one thread, B = 16, T = 35): nn.GRU's forward with autograd and its backward take
# ~6.0 ms, most of it per-operation overhead of ~12 recorded operations per time step. Here the
# forward is nn.GRU's own (no graph, ~1 ms, the same numbers), the gates are recomputed for all
# steps at once, and back-propagation through time runs 3 operations per step: ~3.3 ms. Above
# ~128 rows the work is memory-bound and torch's own backward is faster (B = 488: 27 vs 43 ms).
# Its gradients equal autograd's to float rounding (~1e-7 relative; tests/core/test_rlhf.py).
HAND_BACKWARD_MAX_ROWS = 128


def run_gru(gru: nn.GRU, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
    """gru(x, h0)[0] for a batch-first one-layer GRU (h0: [B, H] or None for zeros): the same
    kernel with the same arguments, without nn.GRU.forward's checks (~30 µs a call)."""
    h0 = x.new_zeros(1, x.shape[0], gru.hidden_size) if h0 is None else h0[None]
    return torch.gru(x, h0, gru._flat_weights, gru.bias, gru.num_layers, gru.dropout,
                     gru.training, gru.bidirectional, gru.batch_first)[0]


def gru_features(gru: nn.GRU, x: torch.Tensor, h0: torch.Tensor | None = None,
                 out: torch.Tensor | None = None) -> torch.Tensor:
    """gru(x, h0)[0] for a batch-first one-layer GRU, with a faster derivative for small batches.

    out: gru(x, h0)[0] if it is already known (the states read while sampling); then the forward
    pass is skipped and the derivative is always the hand-written one."""
    needs_grad = torch.is_grad_enabled() and (
        x.requires_grad or gru.weight_hh_l0.requires_grad or (h0 is not None and h0.requires_grad))
    if out is not None and (not needs_grad or x.shape[1] == 0):
        return out
    if out is None and (not needs_grad or x.shape[0] > HAND_BACKWARD_MAX_ROWS or x.shape[1] == 0):
        return run_gru(gru, x, h0)
    if h0 is None:
        h0 = x.new_zeros(x.shape[0], gru.hidden_size)
    if out is None:
        with torch.no_grad():
            out = run_gru(gru, x, h0)
    return _GRUThroughTime.apply(x, h0, out, gru.weight_ih_l0, gru.weight_hh_l0,
                                 gru.bias_ih_l0, gru.bias_hh_l0)


class _GRUThroughTime(torch.autograd.Function):
    """h_t = (1 − z) ⊙ n + z ⊙ h_{t−1},  n = tanh(W_in x + b_in + r ⊙ (W_hn h_{t−1} + b_hn)),
    r, z = σ(W_i{r,z} x + W_h{r,z} h_{t−1} + b): the chain rule through every step, by hand."""

    @staticmethod
    def forward(ctx, x, h0, out, w_ih, w_hh, b_ih, b_hh):
        ctx.save_for_backward(*_gates(x, h0, out, w_ih, w_hh, b_ih, b_hh))
        return out

    @staticmethod
    def backward(ctx, grad_out):
        grad_x, grad_h0, *grads = _through_time(ctx.saved_tensors, grad_out)
        return (grad_x, grad_h0, None, *grads)


def gru_gradients(gru: nn.GRU, x: torch.Tensor, out: torch.Tensor, grad_out: torch.Tensor
                  ) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """∂loss/∂x and ∂loss/∂(weight_ih, weight_hh, bias_ih, bias_hh) of a batch-first one-layer
    GRU started from zeros, given its states out = gru(x)[0] and ∂loss/∂out: the same chain rule as
    `gru_features`' derivative, called directly (no autograd graph)."""
    h0 = x.new_zeros(x.shape[0], gru.hidden_size)
    saved = _gates(x, h0, out, gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)
    grad_x, _, *grads = _through_time(saved, grad_out)
    return grad_x, grads


def _gates(x, h0, out, w_ih, w_hh, b_ih, b_hh) -> tuple[torch.Tensor, ...]:
    """What the derivative needs, recomputed for all steps at once from the known states."""
    steps, rows, size = out.shape[1], out.shape[0], out.shape[2]
    xt, h = x.transpose(0, 1), out.transpose(0, 1)                 # time-major
    h_prev = torch.cat((h0[None], h[:-1]), 0)
    gi = torch.addmm(b_ih, xt.reshape(steps * rows, -1), w_ih.t()).view(steps, rows, -1)
    gh = torch.addmm(b_hh, h_prev.reshape(steps * rows, size), w_hh.t()).view(steps, rows, -1)
    rz = (gi[..., :2 * size] + gh[..., :2 * size]).sigmoid_()
    r, z, hn = rz[..., :size], rz[..., size:], gh[..., 2 * size:]
    n = torch.addcmul(gi[..., 2 * size:], r, hn).tanh_()
    return xt, w_ih, w_hh, h_prev, r, z, n, hn


def _through_time(saved, grad_out) -> tuple[torch.Tensor, ...]:
    """∂loss/∂(x, h0, w_ih, w_hh, b_ih, b_hh) from ∂loss/∂ every state, last step first."""
    xt, w_ih, w_hh, h_prev, r, z, n, hn = saved
    steps, rows, size = n.shape
    dn = (1 - z) * (1 - n * n)                    # ∂h_t / ∂(n's input to tanh)
    # ∂h_t / ∂ each pre-activation that W_hh h_{t−1} + b_hh feeds: r's, z's, and n's
    k = torch.stack((dn * hn * r * (1 - r), (h_prev - n) * z * (1 - z), dn * r), 2)
    g = grad_out.transpose(0, 1)
    dh = torch.empty_like(n)                      # ∂loss/∂h_t, through the output and h_{t+1}
    dgh = torch.empty(steps, rows, 3, size, dtype=n.dtype)
    dh[-1] = g[-1]
    for t in range(steps - 1, -1, -1):
        torch.mul(dh[t].unsqueeze(1), k[t], out=dgh[t])
        carry = torch.addcmul(g[t - 1], z[t], dh[t], out=dh[t - 1]) if t else z[0] * dh[0]
        carry.addmm_(dgh[t].view(rows, 3 * size), w_hh)
    flat_gh = dgh.view(steps * rows, 3 * size)
    flat_gi = torch.cat((dgh[:, :, :2].reshape(steps, rows, 2 * size), dh * dn), 2
                        ).view(steps * rows, 3 * size)
    grad_x = (flat_gi @ w_ih).view(steps, rows, -1).transpose(0, 1)
    return (grad_x, carry, flat_gi.t() @ xt.reshape(steps * rows, -1),
            flat_gh.t() @ h_prev.reshape(steps * rows, size), flat_gi.sum(0), flat_gh.sum(0))


def new_model(vocab: Vocabulary, seed: int = 0, dim: int = DIM) -> LanguageModel:
    """A fresh, untrained model whose initial weights depend only on seed."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return LanguageModel(len(vocab), dim)


def use_one_thread() -> None:
    # Measured: one torch thread is fastest for models this small on a 2-core machine.
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def encode_pair(vocab: Vocabulary, prompt: str, response: str) -> list[int]:
    """<bos> prompt <sep> response <eos> as token ids."""
    return [*prefix_ids(vocab, prompt), *vocab.encode(response), EOS]


def pad_batch(sequences: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad with PAD: ids [B, T] and lengths [B]. The GRU reads left to right, so the padding
    after a sequence never changes what it computed for the sequence's own tokens."""
    lengths = [len(s) for s in sequences]
    ids = np.full((len(sequences), max(lengths)), PAD, dtype=np.int64)
    for row, seq in enumerate(sequences):
        ids[row, :len(seq)] = seq
    return torch.from_numpy(ids), torch.tensor(lengths, dtype=torch.long)


# --- sampling -----------------------------------------------------------------------------------


@torch.no_grad()
def sample(model: LanguageModel, vocab: Vocabulary, prompt: str, temperature: float = 1.0,
           max_tokens: int = 20, generator: torch.Generator | None = None) -> Sample:
    """Draw one response token by token from softmax(logits / temperature).

    Stops when <eos> is drawn or after max_tokens tokens (then the response has no <eos>)."""
    if not math.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    use_one_thread()
    logits, hidden = model.step(torch.tensor([prefix_ids(vocab, prompt)]))
    ids, probs = [], []
    for _ in range(int(max_tokens)):
        logits[0, list(NEVER_SAMPLED)] = -math.inf
        p = torch.softmax(logits[0] / temperature, dim=-1)
        token = int(torch.multinomial(p, 1, generator=generator))
        ids.append(token)
        probs.append(float(p[token]))
        if token == EOS:
            break
        logits, hidden = model.step(torch.tensor([[token]]), hidden)
    return Sample(vocab.decode(ids), tuple(vocab.tokens[i] for i in ids), tuple(ids), tuple(probs))


def response_log_probs(model: LanguageModel, vocab: Vocabulary, prompt: str,
                       token_ids: Sequence[int]) -> torch.Tensor:
    """log P(token) for each response token given the prompt and the tokens before it (with grad)."""
    prefix = prefix_ids(vocab, prompt)
    ids = torch.tensor([prefix + list(token_ids)])
    logits = model(ids)[0, len(prefix) - 1:-1]
    return torch.log_softmax(logits, dim=-1).gather(1, ids[0, len(prefix):, None])[:, 0]


# --- optimisers, written out (torch.optim's first use costs ~2 s of imports on this machine) ----
class SGD:
    """parameter ← parameter − learning rate × gradient."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float) -> None:
        self.params, self.lr = [p for p in params if p.requires_grad], lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        live = [p for p in self.params if p.grad is not None]
        if live:
            torch._foreach_add_(live, [p.grad for p in live], alpha=-self.lr)


class Adam(SGD):
    """Adam: each step is the running mean of the gradient over the running root mean square."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.beta1, self.beta2, self.eps, self.t = *betas, eps, 0
        self.mean = [torch.zeros_like(p) for p in self.params]
        self.square = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        self.t += 1
        correction1, correction2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t
        live = [i for i, p in enumerate(self.params) if p.grad is not None]
        if not live:
            return
        params = [self.params[i] for i in live]
        grads = [p.grad for p in params]
        m, v = [self.mean[i] for i in live], [self.square[i] for i in live]
        # The same arithmetic as a loop over parameters, one call per operation for all of
        # them (torch._foreach_*): 6 calls an update instead of 6 per parameter tensor.
        torch._foreach_mul_(m, self.beta1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta1)
        torch._foreach_mul_(v, self.beta2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta2)
        denom = torch._foreach_div(v, correction2)
        torch._foreach_sqrt_(denom)
        torch._foreach_add_(denom, self.eps)
        torch._foreach_addcdiv_(params, m, denom, value=-self.lr / correction1)


# --- supervised fine-tuning ---------------------------------------------------------------------
def _as_pair(item) -> tuple[str, str]:
    if isinstance(item, Demonstration):
        return item.prompt, item.response
    prompt, response = item
    return prompt, response


def response_mask(ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """[B, T−1]: True where the target ids[:, 1:] is a response token or the final <eos>."""
    positions = torch.arange(1, ids.shape[1])
    after_sep = (ids == SEP).long().cumsum(1)[:, :-1] > 0   # the token before the target is ≥ <sep>
    return after_sep & (positions[None, :] < lengths[:, None])


def fine_tune(model: LanguageModel, vocab: Vocabulary, demonstrations: Iterable,
              epochs: int = SFT_EPOCHS, lr: float = SFT_LR, seed: int = 0,
              on_epoch: Callable[[int, float], bool | None] | None = None) -> list[float]:
    """SFT: cross entropy of each response token of the demonstrations (the prompt is only read).

    One full-batch Adam step per epoch; returns the loss of every epoch. on_epoch(epoch, loss)
    is called after each; returning False stops early.
    """
    use_one_thread()
    pairs = [_as_pair(d) for d in demonstrations]
    if not pairs:
        return []
    torch.manual_seed(seed)  # dropout-free and full-batch: this only pins any future randomness
    ids, lengths = pad_batch([encode_pair(vocab, p, r) for p, r in pairs])
    mask, targets = response_mask(ids, lengths), ids[:, 1:]
    optimizer, losses = Adam(model.parameters(), lr), []
    model.train()
    for epoch in range(int(epochs)):
        logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits[mask], targets[mask])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if on_epoch is not None and on_epoch(epoch, losses[-1]) is False:
            break
    model.train(False)
    return losses


# --- shipped data -------------------------------------------------------------------------------
def parse_demonstrations(text: str, source: str = "demonstrations") -> tuple[list[Demonstration],
                                                                              list[str]]:
    """Demonstrations and unseen prompts from explainer-demonstrations JSON."""
    data = checked_header(parse_json(text, source, DemonstrationError), source, DemonstrationError,
                          DEMONSTRATIONS_FORMAT)
    demos, unseen = data.get("demonstrations"), data.get("unseen_prompts", [])
    if not isinstance(demos, list) or not all(
            isinstance(d, dict) and _text(d.get("prompt")) and _text(d.get("response"))
            for d in demos):
        raise DemonstrationError(f"{source}: 'demonstrations' must be a list of "
                                 "{{prompt, response}} objects with non-empty text")
    if not isinstance(unseen, list) or not all(_text(u) for u in unseen):
        raise DemonstrationError(f"{source}: 'unseen_prompts' must be a list of non-empty strings")
    return [Demonstration(d["prompt"], d["response"]) for d in demos], list(unseen)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[Demonstration, ...], tuple[str, ...]]:
    demos, unseen = parse_demonstrations(read_text("rlhf", "demonstrations.json"),
                                         "demonstrations.json")
    return tuple(demos), tuple(unseen)


def load_demonstrations() -> list[Demonstration]:
    """The shipped SFT data: good (polite, helpful, truthful) answers written by people."""
    return list(_shipped()[0])


def unseen_prompts() -> list[str]:
    """Prompts no demonstration contains: SFT answers these poorly."""
    return list(_shipped()[1])


def shipped_vocabulary() -> Vocabulary:
    """The world's vocabulary: every token its grammar can say (the base model's too)."""
    from explainer.core.language.world import world_vocabulary
    return world_vocabulary()


def base_model() -> tuple[LanguageModel, Vocabulary]:
    """A fresh copy of the pre-trained base model (stage 0), which SFT starts from."""
    from explainer.core.language.pretraining import pretrained_model
    return pretrained_model()


@lru_cache(maxsize=4)
def _fine_tuned_state(seed: int) -> dict[str, torch.Tensor]:
    model, vocab = base_model()
    fine_tune(model, vocab, load_demonstrations(), seed=seed)
    return {k: v.clone() for k, v in model.state_dict().items()}


def fine_tuned_model(seed: int = 0) -> tuple[LanguageModel, Vocabulary]:
    """A fresh copy of the SFT model on the shipped demonstrations (trained once per seed)."""
    model, vocab = base_model()
    model.load_state_dict(_fine_tuned_state(seed))
    model.train(False)
    return model, vocab
