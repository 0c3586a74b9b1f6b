"""Words as numbers: the word-level tokenizer and vocabulary of the RLHF lesson.

    "How do I boil an egg?"  ──tokenize──▶  how do i boil an egg ?  ──encode──▶  [143, 77, 139, …]

A word the vocabulary has never seen becomes UNK, so anything a user types can still be scored.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable

from explainer.core.files.jsonfile import checked_header

PAD, UNK, BOS, SEP, EOS = 0, 1, 2, 3, 4
SPECIALS = ("<pad>", "<unk>", "<bos>", "<sep>", "<eos>")
FORMAT = "explainer-vocabulary"
_ENCODED_KEPT = 4096  # texts whose ids a Vocabulary remembers

# A word is letters/digits (with inner apostrophes); every other visible character is its own token.
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*|[^\sa-z0-9]")


def tokenize(text: str) -> list[str]:
    """Lowercase words and punctuation as separate tokens: "Hi, you!" → ["hi", ",", "you", "!"]."""
    return _TOKEN.findall(text.lower())


class Vocabulary:
    """Token ↔ id; the ids 0–4 are the specials PAD, UNK, BOS, SEP, EOS."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.tokens: list[str] = list(SPECIALS)
        self._ids: dict[str, int] = {t: i for i, t in enumerate(SPECIALS)}
        self._encoded: dict[str, tuple[int, ...]] = {}  # the same prompts are read every update
        for word in words:
            if word not in self._ids:
                self._ids[word] = len(self.tokens)
                self.tokens.append(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        # Sorted, so the same texts give the same ids whatever order they come in.
        return cls(sorted({t for text in texts for t in tokenize(text)}))

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: str) -> bool:
        return token in self._ids

    def id(self, token: str) -> int:
        return self._ids.get(token, UNK)

    def encode(self, text: str) -> list[int]:
        ids = self._encoded.get(text)
        if ids is None:
            if len(self._encoded) >= _ENCODED_KEPT:
                self._encoded.clear()
            ids = self._encoded[text] = tuple(self._ids.get(t, UNK) for t in tokenize(text))
        return list(ids)

    def decode(self, ids: Iterable[int]) -> str:
        """Words joined by spaces; PAD, BOS, SEP and EOS are left out, unknown words show as <unk>."""
        hidden = (PAD, BOS, SEP, EOS)
        return " ".join(self.tokens[i] for i in map(int, ids) if i not in hidden)

    def unknown_words(self, text: str) -> list[str]:
        """The words of text this vocabulary does not know (they will be read as <unk>)."""
        return [t for t in tokenize(text) if t not in self._ids]

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "version": 1, "tokens": self.tokens[len(SPECIALS):]})

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        data = checked_header(json.loads(text), "vocabulary", ValueError, FORMAT)
        tokens = data.get("tokens")
        if not isinstance(tokens, list) or not all(isinstance(t, str) and t for t in tokens):
            raise ValueError(f"not an {FORMAT} file")
        if len(set(tokens)) != len(tokens) or set(tokens) & set(SPECIALS):
            raise ValueError("vocabulary tokens must be distinct and not specials")
        return cls(tokens)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and self.tokens == other.tokens

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} tokens)"


# Tokens a model reads but never writes: sampling gives them no probability.
NEVER_SAMPLED = (PAD, UNK, BOS, SEP)


def prefix_ids(vocab: Vocabulary, prompt: str) -> list[int]:
    """<bos> prompt <sep>: what every model of the RLHF lesson reads before an answer."""
    return [BOS, *vocab.encode(prompt), SEP]
