"""The small world of the RLHF lesson: its questions, their facts, and every way to answer them.

`resources/rlhf/world.json` is the grammar. Each topic has two ways to ask (question templates), a
fact template and (x, y) pairs: "what is the capital of {x} ?" or "which city is the capital of
{x} ?", answered by "the capital of {x} is {y} ." with (france, paris).
An answer is a few sentences, each one of these kinds:

    opener / closer   polite ("happy to help !"), neutral ("ok .") or rude ("ugh .")
    correct           the prompt's own fact: "the capital of france is paris ."
    wrong             the prompt's fact with another y of its topic: "the capital of france is rome ."
    off_topic         another prompt's fact: "a spider has eight legs ."
    dont_know         an honest "i do not know ."
    evasive           "it depends ."

Pre-training text mixes them all (`sample_answer` with PRETRAINING_MIX): right and wrong facts,
rude and polite tones, padding and repetition, so a fluent model is not yet an aligned one.
People's demonstrations (`demonstration`) are polite, correct and say it once.

The prompts are split four ways (`split_of`), and no prompt is in two sets:
    sft        the first two pairs of each topic, asked the first way: people write
               demonstrations for these (stage 1)
    rl         the other pairs, asked the first way: people rank the SFT model's answers to these
               (stage 2), and the policy practises on them (stage 3), as in InstructGPT
    eval       every third of those pairs asked the second way: never seen by SFT, the rankings
               or policy optimisation; where the lesson measures whether answers to new prompts
               became more polite and helpful
    pretrain   the rest of the second way's questions: only pre-training text has them
Pre-training's text is the whole world's, both ways of asking, as a web crawl would be: that is
how the base model knows the facts, right and wrong ones alike.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache

from explainer.paths import read_text
from explainer.core.files.jsonfile import checked_header
from explainer.core.language.text import Vocabulary

WORLD_FORMAT = "explainer-world"
GENERATOR_VERSION = 1  # bump when `sample_answer` or the corpus changes: the shipped weights check it
SPLITS = ("sft", "rl", "eval", "pretrain")
SENTENCE_KINDS = ("opener", "closer", "correct", "wrong", "off_topic", "dont_know", "evasive")

# How often pre-training text answers each way (the web: helpful and not, polite and not).
PRETRAINING_MIX = {
    "tone": {"polite": 1 / 3, "neutral": 1 / 3, "rude": 1 / 3},
    "content": {"correct": 0.45, "wrong": 0.2, "dont_know": 0.1, "evasive": 0.1, "off_topic": 0.15},
    "padding": 0.2,   # share of answers that repeat a sentence or stack polite phrases
}


@dataclass(frozen=True)
class Question:
    topic: str
    x: str
    y: str              # the right answer's word(s)
    prompt: str         # "what is the capital of france ?"
    fact: str           # "the capital of france is paris ."
    wrong_facts: tuple[str, ...]
    split: str          # "sft", "rl", "eval" or "pretrain"


@dataclass(frozen=True, eq=False)  # hashed by identity: caches key on the world
class World:
    questions: tuple[Question, ...]
    openers: dict[str, tuple[str, ...]]     # tone → sentences
    closers: dict[str, tuple[str, ...]]
    dont_know: tuple[str, ...]
    evasive: tuple[str, ...]

    def question(self, prompt: str) -> Question | None:
        return _by_prompt(self).get(prompt.strip())

    def prompts(self, split: str | None = None) -> list[str]:
        return [q.prompt for q in self.questions if split is None or q.split == split]


def split_of(index: int, phrasing: int) -> str:
    """Which stage may see the index-th pair of a topic asked the phrasing-th way (see above)."""
    if phrasing == 0:
        return "sft" if index < 2 else "rl"
    return "eval" if index >= 2 and index % 3 == 2 else "pretrain"


def parse_world(text: str) -> World:
    data = checked_header(json.loads(text), "world", ValueError, WORLD_FORMAT)
    questions = []
    for topic in data["topics"]:
        ys = sorted({y for _, y in topic["pairs"]})
        for phrasing, question in enumerate(topic["questions"]):
            for i, (x, y) in enumerate(topic["pairs"]):
                fact = topic["fact"].format(x=x, y=y)
                wrong = tuple(topic["fact"].format(x=x, y=other) for other in ys if other != y)
                questions.append(Question(topic["name"], x, y, question.format(x=x), fact, wrong,
                                          split_of(i, phrasing)))
    tones = data["tones"]
    return World(tuple(questions), {t: tuple(v["openers"]) for t, v in tones.items()},
                 {t: tuple(v["closers"]) for t, v in tones.items()},
                 tuple(data["dont_know"]), tuple(data["evasive"]))


@lru_cache(maxsize=1)
def world() -> World:
    """The shipped world (resources/rlhf/world.json)."""
    return parse_world(read_text("rlhf", "world.json"))


@lru_cache(maxsize=2)
def _by_prompt(w: World) -> dict[str, Question]:
    return {q.prompt: q for q in w.questions}


# --- answers ------------------------------------------------------------------------------------
def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def body(w: World, q: Question, content: str, rng: random.Random) -> str:
    """The answer's middle sentence of the given content kind."""
    if content == "correct":
        return q.fact
    if content == "wrong":
        return rng.choice(q.wrong_facts)
    if content == "off_topic":
        return rng.choice([o for o in w.questions if o.x != q.x]).fact
    return rng.choice(w.dont_know if content == "dont_know" else w.evasive)


def sample_answer(w: World, q: Question, rng: random.Random, mix=PRETRAINING_MIX) -> str:
    """One answer as pre-training text says it: a tone, a content kind, sometimes padding."""
    tone, content = _pick(rng, mix["tone"]), _pick(rng, mix["content"])
    sentences = [body(w, q, content, rng)]
    opener = rng.random() < (0.7 if tone != "neutral" else 0.3)
    closer = w.closers[tone] and (rng.random() < 0.6 or (tone != "neutral" and not opener))
    if opener:
        sentences.insert(0, rng.choice(w.openers[tone]))
    if closer:
        sentences.append(rng.choice(w.closers[tone]))
    if rng.random() < mix["padding"]:
        sentences = _pad(w, sentences, rng)
    return " ".join(sentences)


def _pad(w: World, sentences: list[str], rng: random.Random) -> list[str]:
    """Repeat one sentence once or twice more, or stack a few more polite phrases at the end."""
    if rng.random() < 0.5:
        i = rng.randrange(len(sentences))
        return sentences[:i + 1] + [sentences[i]] * rng.randint(1, 2) + sentences[i + 1:]
    return sentences + rng.sample(w.closers["polite"], rng.randint(2, 3))


def demonstration(w: World, q: Question, variant: int) -> str:
    """What a person writes as a good answer: polite, correct, said once."""
    opener = w.openers["polite"][variant % len(w.openers["polite"])]
    closer = w.closers["polite"][(variant + 1) % len(w.closers["polite"])]
    return f"{opener} {q.fact} {closer}" if variant % 2 == 0 else f"{q.fact} {closer}"


def demonstrations(w: World | None = None, per_prompt: int = 2) -> list[tuple[str, str]]:
    """(prompt, response) pairs for SFT: people's answers to the SFT prompts."""
    w = w or world()
    return [(q.prompt, demonstration(w, q, i + k)) for i, q in enumerate(w.questions)
            if q.split == "sft" for k in range(per_prompt)]


def corpus(size: int, seed: int, w: World | None = None) -> list[tuple[str, str]]:
    """`size` (prompt, answer) pairs of pre-training text, drawn over every question of the world."""
    w, rng = w or world(), random.Random(seed)
    return [(q.prompt, sample_answer(w, q, rng)) for q in rng.choices(w.questions, k=size)]


def all_texts(w: World | None = None) -> list[str]:
    """Every sentence and prompt the grammar can produce (the vocabulary is built from these)."""
    w = w or world()
    out = [t for q in w.questions for t in (q.prompt, q.fact, *q.wrong_facts)]
    for tone in w.openers:
        out += [*w.openers[tone], *w.closers[tone]]
    return out + [*w.dont_know, *w.evasive]


@lru_cache(maxsize=1)
def world_vocabulary() -> Vocabulary:
    """Every token the grammar can produce, sorted (the same ids on every machine)."""
    return Vocabulary.from_texts(all_texts())
