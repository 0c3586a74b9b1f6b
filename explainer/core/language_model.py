"""The small language model of the RLHF lesson, and its supervised fine-tuning (SFT).

    token ids ──embedding──▶ vectors ──body (GRU)──▶ features ──head──▶ logits over the vocabulary
                                                                         (the next-token output layer)

A prompt and its response are read as one sequence:  <bos> prompt <sep> response <eos>.
Different responses to the same prompt come from sampling each next token from the softmax,
not from always taking the most probable one.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import torch
import torch.nn.functional as F
from torch import nn

from ..paths import read_text
from .text import BOS, EOS, PAD, SEP, UNK, Vocabulary

DIM = 32                # embedding and GRU width: ~30k parameters with the shipped vocabulary
SFT_EPOCHS = 80         # full-batch Adam steps: the demonstrations are memorised by then
SFT_LR = 0.05
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
        return self.body(self.embedding(ids))[0]

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """[B, T] token ids → [B, T, V] logits of the next token after each position."""
        return self.head(self.features(ids))

    def step(self, ids: torch.Tensor, hidden: torch.Tensor | None = None):
        """Logits after ids, and the GRU state to continue from (for token-by-token sampling)."""
        out, hidden = self.body(self.embedding(ids), hidden)
        return self.head(out[:, -1]), hidden


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
    return [BOS, *vocab.encode(prompt), SEP, *vocab.encode(response), EOS]


def pad_batch(sequences: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad with PAD: ids [B, T] and lengths [B]. The GRU reads left to right, so the padding
    after a sequence never changes what it computed for the sequence's own tokens."""
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)
    ids = torch.full((len(sequences), int(lengths.max())), PAD, dtype=torch.long)
    for row, seq in enumerate(sequences):
        ids[row, :len(seq)] = torch.tensor(seq, dtype=torch.long)
    return ids, lengths


# --- sampling -----------------------------------------------------------------------------------
_NEVER_SAMPLED = (PAD, UNK, BOS, SEP)


@torch.no_grad()
def sample(model: LanguageModel, vocab: Vocabulary, prompt: str, temperature: float = 1.0,
           max_tokens: int = 20, generator: torch.Generator | None = None) -> Sample:
    """Draw one response token by token from softmax(logits / temperature).

    Stops when <eos> is drawn or after max_tokens tokens (then the response has no <eos>)."""
    if not math.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    use_one_thread()
    logits, hidden = model.step(torch.tensor([[BOS, *vocab.encode(prompt), SEP]]))
    ids, probs = [], []
    for _ in range(int(max_tokens)):
        logits[0, list(_NEVER_SAMPLED)] = -math.inf
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
    prefix = [BOS, *vocab.encode(prompt), SEP]
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
        for p in self.params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-self.lr)


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
        for p, m, v in zip(self.params, self.mean, self.square):
            if p.grad is None:
                continue
            m.mul_(self.beta1).add_(p.grad, alpha=1 - self.beta1)
            v.mul_(self.beta2).addcmul_(p.grad, p.grad, value=1 - self.beta2)
            denom = (v / correction2).sqrt_().add_(self.eps)
            p.addcdiv_(m, denom, value=-self.lr / correction1)


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
    model.eval()
    return losses


# --- shipped data -------------------------------------------------------------------------------
def parse_demonstrations(text: str, source: str = "demonstrations") -> tuple[list[Demonstration],
                                                                              list[str]]:
    """Demonstrations and unseen prompts from explainer-demonstrations JSON."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DemonstrationError(f"{source}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != DEMONSTRATIONS_FORMAT \
            or data.get("version") != 1:
        raise DemonstrationError(f"{source}: not an {DEMONSTRATIONS_FORMAT} file of version 1")
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


def shipped_texts() -> list[str]:
    """Every prompt and response the app ships (feedback, demonstrations, unseen prompts)."""
    feedback = json.loads(read_text("rlhf", "feedback.json"))
    texts = [t for p in feedback["prompts"] for t in (p["text"], *(r["text"] for r in p["responses"]))]
    demos, unseen = _shipped()
    return texts + [t for d in demos for t in (d.prompt, d.response)] + list(unseen)


@lru_cache(maxsize=1)
def _vocabulary_tokens() -> tuple[str, ...]:
    return tuple(Vocabulary.from_texts(shipped_texts()).tokens)


def shipped_vocabulary() -> Vocabulary:
    return Vocabulary(_vocabulary_tokens()[len(Vocabulary().tokens):])


@lru_cache(maxsize=4)
def _fine_tuned_state(seed: int) -> dict[str, torch.Tensor]:
    vocab = shipped_vocabulary()
    model = new_model(vocab, seed)
    fine_tune(model, vocab, load_demonstrations(), seed=seed)
    return {k: v.clone() for k, v in model.state_dict().items()}


def fine_tuned_model(seed: int = 0) -> tuple[LanguageModel, Vocabulary]:
    """A fresh copy of the SFT model on the shipped demonstrations (trained once per seed)."""
    vocab = shipped_vocabulary()
    model = LanguageModel(len(vocab))
    model.load_state_dict(_fine_tuned_state(seed))
    model.eval()
    return model, vocab
