"""What the people of the RLHF lesson really want: an explicit score of any answer in the small world.

Neither the Reward model nor the policy ever sees this score; the Reward model only sees people's
rankings, which this score makes (with a little noise, `noisy_scores`). It exists so the lesson can
show what the learned reward gets right and where it is gamed.

An answer is cut into sentences at ".", "!" and "?"; each is looked up in the world's grammar
(`world.py`) as correct, wrong, off_topic, dont_know, evasive, a polite / neutral / rude phrase,
or garbled (no sentence of the world). Then, in order of importance:

    content  (weight 0.60)  1 the prompt's correct fact; 0.5 an honest "i do not know";
                            0.25 evasive, or the correct fact beside a wrong one; 0 a wrong fact,
                            another question's fact, or nothing
    tone     (weight 0.25)  1 polite, 0.5 neutral, 0 any rude sentence
    clean    (weight 0.15)  said once and well formed: always earned ...
    padding  (−0.20 each)   ... minus 0.2 for every repeated sentence, garbled or off-topic
                            sentence, and polite phrase beyond the second

    readable                the share of the answer's tokens a reader can read: those not in
                            a garbled sentence (a reader gives word salad no marks)

    score = readable × max(0, 0.60 content + 0.25 tone + 0.15 − 0.20 padding), 0 if empty

So a correct plain answer (0.875) beats a polite wrong one (0.4), an honest "i do not know" beats
a wrong fact at the same tone, and a correct polite answer that says "i hope this helps !" three
times (0.6) falls below a correct plain one.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache

from explainer.core.language.text import tokenize
from explainer.core.language.world import Question, World, world

WEIGHTS = {"content": 0.60, "tone": 0.25, "clean": 0.15}
PADDING_COST = 0.20
POLITE_PHRASES_KEPT = 2
CONTENT_VALUE = {"correct": 1.0, "dont_know": 0.5, "evasive": 0.25, "mixed": 0.25, "wrong": 0.0,
                 "off_topic": 0.0, "none": 0.0}
_ENDS = frozenset(".!?")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    kind: str       # correct, wrong, off_topic, dont_know, evasive, polite, neutral, rude, garbled
    padding: bool   # counted as padding (repeated, garbled, off topic, a polite phrase too many)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The true score of one answer and why: every number a panel shows of it."""
    prompt: str
    answer: str
    sentences: tuple[Sentence, ...]
    content: str            # the content verdict: a key of CONTENT_VALUE
    content_value: float
    tone: str               # polite, neutral or rude
    tone_value: float
    padding: int
    readable: float         # share of the answer's tokens outside garbled sentences
    score: float

    def reasons(self) -> list[str]:
        """One line per criterion, as the app shows them."""
        return [f"content: {self.content.replace('_', ' ')} ({self.content_value:g} × {WEIGHTS['content']:g})",
                f"tone: {self.tone} ({self.tone_value:g} × {WEIGHTS['tone']:g})",
                f"padding: {self.padding} sentence(s) (−{PADDING_COST:g} each)",
                f"readable: {100 * self.readable:.0f} % of the words (× the rest)",
                f"score: {self.score:.3f}"]


def sentences(answer: str) -> list[str]:
    """The answer cut after every ".", "!" or "?" (an unfinished last sentence is kept as it is)."""
    out, current = [], []
    for token in tokenize(answer):
        current.append(token)
        if token in _ENDS:
            out.append(" ".join(current))
            current = []
    return out + ([" ".join(current)] if current else [])


@lru_cache(maxsize=4)
def _phrases(w: World) -> dict[str, str]:
    table = {}
    for tone in w.openers:
        table.update({s: tone for s in (*w.openers[tone], *w.closers[tone])})
    table.update({s: "dont_know" for s in w.dont_know})
    table.update({s: "evasive" for s in w.evasive})
    return table


@lru_cache(maxsize=4)
def _facts(w: World) -> dict[str, set[str]]:
    """Every fact sentence (right or wrong) → the x's it is a fact about (some topics' facts
    answer more than one x: "pour hot water over a tea bag and wait ." is a wrong way to wash)."""
    table: dict[str, set[str]] = {}
    for q in w.questions:
        for f in (q.fact, *q.wrong_facts):
            table.setdefault(f, set()).add(q.x)
    return table


def kind_of(sentence: str, q: Question | None, w: World) -> str:
    phrase = _phrases(w).get(sentence)
    if phrase is not None:
        return phrase
    about = _facts(w).get(sentence)
    if about is None:
        return "garbled"
    if q is None or q.x not in about:
        return "off_topic"
    return "correct" if sentence == q.fact else "wrong"


def true_score(prompt: str, answer: str, w: World | None = None) -> Breakdown:
    """Score an answer to a prompt of the world (a prompt outside it has no correct fact)."""
    w = w or world()
    q = w.question(" ".join(tokenize(prompt)))
    seen, polite, out = set(), 0, []
    for text in sentences(answer):
        kind = kind_of(text, q, w)
        polite += kind == "polite"
        padding = (text in seen or kind in ("garbled", "off_topic")
                   or (kind == "polite" and polite > POLITE_PHRASES_KEPT))
        seen.add(text)
        out.append(Sentence(text, kind, padding))
    return _scored(prompt, answer, tuple(out))


def _scored(prompt: str, answer: str, said: tuple[Sentence, ...]) -> Breakdown:
    kinds = {s.kind for s in said}
    content = ("mixed" if "correct" in kinds and "wrong" in kinds else
               next((k for k in ("correct", "wrong", "dont_know", "evasive", "off_topic")
                     if k in kinds), "none"))
    tone = "rude" if "rude" in kinds else "polite" if "polite" in kinds else "neutral"
    tone_value = {"rude": 0.0, "neutral": 0.5, "polite": 1.0}[tone]
    padding = sum(s.padding for s in said)
    words = [len(s.text.split()) for s in said]
    readable = sum(n for s, n in zip(said, words) if s.kind != "garbled") / max(1, sum(words))
    score = 0.0
    if said:
        score = readable * max(0.0, WEIGHTS["content"] * CONTENT_VALUE[content]
                               + WEIGHTS["tone"] * tone_value + WEIGHTS["clean"]
                               - PADDING_COST * padding)
    return Breakdown(prompt, answer, said, content, CONTENT_VALUE[content], tone, tone_value,
                     padding, readable if said else 0.0, score)


@lru_cache(maxsize=8192)
def score(prompt: str, answer: str) -> float:
    """Just the number of `true_score`, in [0, 1] (cached: a policy repeats its answers)."""
    return true_score(prompt, answer).score


def noisy_scores(prompt: str, answers: list[str], rng: random.Random, noise: float) -> list[float]:
    """How one simulated person values the answers: the true score plus Gaussian noise."""
    return [score(prompt, a) + rng.gauss(0.0, noise) if noise > 0 and math.isfinite(noise)
            else score(prompt, a) for a in answers]
