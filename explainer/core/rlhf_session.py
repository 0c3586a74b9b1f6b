"""What the RLHF tab asks of the core, from one worker thread: stage 1 (SFT) and stage 3 (policy
optimisation against the Reward model), answered with immutable records a window can render.

    session = RLHFSession(seed=0)
    sft = session.fine_tune()                 # SFTResult: the loss curve and the seen/unseen report
    session.sample_answers("how do i cook rice ?", temperature=1.0)
    session.start_run(beta=0.0)               # a fresh RLHFRun on the pipeline
    session.train(20); session.series()       # Series: one value per update, for plots
    feedback, added = session.fix_hacking(feedback)   # degenerate answers ranked worse, RM retrained

No Qt here; torch does all the work, so construct and call this from the thread (or process) that
trains. Importing this module does not import torch: the records it answers with (`Answer`,
`SFTResult`, `Series`, `CompareRow`, and `RLHFRecord` from `rlhf_records`) and the rankings helpers
below are plain data, so a window's process can unpickle them and edit rankings without torch;
torch and the models are imported when a session is first constructed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import rankings
from .rlhf_records import RLHFRecord
from .rubric import score as rubric_score

if TYPE_CHECKING:
    from .rlhf import RLHFRun

COMPARE_PROMPTS = 4   # held-out prompts shown before / after


@dataclass(frozen=True)
class Answer:
    """A sampled answer with each token's probability and the rubric's true score."""
    prompt: str
    text: str
    tokens: tuple[str, ...]
    probs: tuple[float, ...]
    true_score: float


@dataclass(frozen=True)
class PromptSetSummary:
    """What the SFT model does on a set of prompts (`rlhf_pipeline.PromptSetReport`'s numbers)."""
    prompts: tuple[str, ...]
    answers: tuple[str, ...]        # one sampled answer per prompt and sample
    mean_true_score: float          # the rubric's score of those answers
    mean_token_logp: float          # mean log P of each answer token: how sure the model is


@dataclass(frozen=True)
class SFTSummary:
    """`rlhf_pipeline.SFTReport` as plain data (that module imports torch)."""
    seen: PromptSetSummary          # the prompts of the demonstrations
    unseen: PromptSetSummary        # prompts no demonstration contains

    @classmethod
    def of(cls, report) -> SFTSummary:
        def part(p) -> PromptSetSummary:
            return PromptSetSummary(tuple(p.prompts), tuple(p.answers), float(p.mean_true_score),
                                    float(p.mean_token_logp))
        return cls(part(report.seen), part(report.unseen))


@dataclass(frozen=True)
class SFTResult:
    losses: tuple[float, ...]   # cross entropy of the demonstrations' tokens, per epoch
    report: SFTSummary          # tuned prompts answered well, unseen prompts poorly


@dataclass(frozen=True)
class Series:
    """One value per finished policy update, for the plots over updates."""
    update: tuple[int, ...] = ()
    reward: tuple[float, ...] = ()        # mean learned reward (the Reward model's score)
    true_score: tuple[float, ...] = ()    # mean rubric score: the preference the RM imitates
    kl: tuple[float, ...] = ()            # mean KL estimate to the reference
    logp_polite: tuple[float, ...] = ()   # log P(a fixed polite answer | a held-out prompt)
    logp_rude: tuple[float, ...] = ()     # log P(a fixed rude answer | the same prompt)


@dataclass(frozen=True)
class CompareRow:
    prompt: str
    before: str            # the SFT model (the frozen reference)
    after: str             # the policy now
    before_score: float    # rubric
    after_score: float


class RLHFSession:
    def __init__(self, seed: int = 0) -> None:
        from .language_model import shipped_vocabulary, use_one_thread
        from .rlhf_settings import DEFAULTS
        use_one_thread()
        self.seed = int(seed)
        self.vocab = shipped_vocabulary()
        self.pipeline = None
        self.run: RLHFRun | None = None
        self.sft_model = None
        self.settings = dict(DEFAULTS)
        self._rows: list[RLHFRecord] = []

    # --- stage 1 ------------------------------------------------------------------------------
    def fine_tune(self, on_epoch: Callable[[int, float], bool | None] | None = None) -> SFTResult:
        """SFT from fresh weights on the shipped demonstrations (the same run the pipeline uses)."""
        from .language_model import fine_tune, load_demonstrations, new_model
        from .rlhf_pipeline import sft_report
        model = new_model(self.vocab, self.seed)
        losses = fine_tune(model, self.vocab, load_demonstrations(), seed=self.seed,
                           on_epoch=on_epoch)
        self.sft_model = model
        return SFTResult(tuple(losses), SFTSummary.of(sft_report(model, self.vocab,
                                                                 seed=self.seed)))

    def language_model(self):
        """The fine-tuned model: this session's SFT run, else the pipeline's."""
        if self.sft_model is not None:
            return self.sft_model
        self.ensure_pipeline()
        return self.pipeline.model

    def sample_answers(self, prompt: str, temperature: float = 1.0, n: int = 4,
                       seed: int = 0) -> tuple[Answer, ...]:
        import torch

        from .rlhf_batch import sample_batch
        generator = torch.Generator().manual_seed(seed)
        responses = sample_batch(self.language_model(), self.vocab, [prompt] * n, temperature,
                                 generator=generator)
        refs = _references()
        return tuple(Answer(r.prompt, r.text, r.tokens, r.probs,
                            rubric_score(r.prompt, r.text, refs.get(r.prompt))) for r in responses)

    def candidates(self, prompt: str, n: int = 4, temperature: float = 1.0,
                   seed: int = 0) -> list[str]:
        """Distinct sampled responses for people to rank."""
        from .rlhf_pipeline import generate_candidates
        return [s.text for s in generate_candidates(self.language_model(), self.vocab, prompt, n,
                                                     temperature, seed) if s.text.strip()]

    # --- stage 3 ------------------------------------------------------------------------------
    def ensure_pipeline(self, triples: Sequence[tuple[str, str, str]] | None = None) -> None:
        from .rlhf import build_pipeline
        if self.pipeline is None or triples is not None:
            self.pipeline = build_pipeline(self.seed, feedback=triples)

    def start_run(self, **settings) -> RLHFRun:
        """A fresh policy (the SFT model) with these settings; the plots start again."""
        from .rlhf import RLHFRun
        self.ensure_pipeline()
        self.settings.update(settings)
        self.run = RLHFRun(seed=self.seed, pipeline=self.pipeline, **self.settings)
        self._rows = []
        return self.run

    def preset(self, name: str) -> dict:
        from .rlhf_settings import PRESETS
        self.settings = dict(PRESETS[name])
        self.start_run()
        return dict(self.settings)

    def set(self, **settings) -> None:
        """Change settings for the phases still to run (ValueError if one is invalid)."""
        self.run.set(**settings)
        self.settings.update(settings)

    def step(self) -> RLHFRecord:
        return self._note(self.run.step())

    def back(self) -> RLHFRecord | None:
        return self.run.back()

    def train(self, n: int, should_stop: Callable[[], bool] | None = None) -> list[RLHFRecord]:
        return [self._note(r) for r in self.run.train(n, should_stop)]

    def _note(self, record: RLHFRecord) -> RLHFRecord:
        if record.phase == "update" and (not self._rows or self._rows[-1].update < record.update):
            self._rows.append(record)
        return record

    def series(self) -> Series:
        rows = self._rows
        return Series(tuple(r.update + 1 for r in rows), tuple(r.mean_reward for r in rows),
                      tuple(r.mean_true_score for r in rows), tuple(r.mean_kl for r in rows),
                      tuple(r.probe_logp_polite for r in rows), tuple(r.probe_logp_rude for r in rows))

    def compare(self, n: int = COMPARE_PROMPTS, seed: int = 1) -> tuple[CompareRow, ...]:
        """One answer per held-out prompt from the SFT model and from the policy, same draws."""
        prompts = self.pipeline.held_out_prompts[:n]
        before = self._draw(self.run.reference, prompts, seed)
        after = self._draw(self.run.policy, prompts, seed)
        refs = self.pipeline.references
        return tuple(CompareRow(p, b.text, a.text, rubric_score(p, b.text, refs.get(p)),
                                rubric_score(p, a.text, refs.get(p)))
                     for p, b, a in zip(prompts, before, after))

    def _draw(self, model, prompts, seed):
        import torch

        from .rlhf_batch import sample_batch
        generator = torch.Generator().manual_seed(seed)
        return sample_batch(model, self.vocab, prompts, self.settings["temperature"],
                            generator=generator)

    def produced_answers(self) -> list[tuple[str, str]]:
        """Every (prompt, answer) the policy sampled in this run."""
        return [a for r in self._rows for a in r.answers]

    def fix_hacking(self, feedback: rankings.Feedback) -> tuple[rankings.Feedback, int]:
        """Rank the policy's degenerate answers worse, retrain the Reward model, restart the run."""
        from .rlhf_pipeline import degenerate_pairs
        pairs = degenerate_pairs(self.produced_answers(), self.pipeline.references)
        feedback, added = with_worse_answers(feedback, pairs)
        self.ensure_pipeline(training_triples(feedback))
        self.start_run()
        return feedback, added


# --- rankings, edited the way a person would ---------------------------------------------------
def training_triples(feedback: rankings.Feedback) -> list[tuple[str, str, str]]:
    """(prompt, better, worse) of every pair not held out."""
    return [p.triple() for p in feedback.pairs(held_out=False)]


def with_candidates(feedback: rankings.Feedback, prompt_id: str,
                    texts: Iterable[str]) -> tuple[rankings.Feedback, int]:
    """feedback with each new text added as a response to prompt_id; and how many were added."""
    added = 0
    for text in texts:
        if _response_id(feedback, prompt_id, text) is None:
            try:
                feedback = feedback.add_response(prompt_id, text)
                added += 1
            except rankings.FeedbackError:
                break  # the prompt is full (MAX_RESPONSES): the rest would fail too
    return feedback, added


def with_worse_answers(feedback: rankings.Feedback, triples: Iterable[tuple[str, str, str]],
                       ) -> tuple[rankings.Feedback, int]:
    """Each (prompt, good, bad) as a comparison "good better than bad"; prompts and responses
    are added where missing. Returns the new feedback and how many comparisons were added."""
    added = 0
    for prompt, good, bad in triples:
        try:
            feedback, pid = _prompt_id(feedback, prompt)
            feedback, good_id = _ensure_response(feedback, pid, good)
            feedback, bad_id = _ensure_response(feedback, pid, bad)
            feedback = feedback.add_comparison(pid, good_id, bad_id)
            added += 1
        except rankings.FeedbackError:
            continue  # e.g. a prompt already holding MAX_RESPONSES answers
    return feedback, added


def _prompt_id(feedback, text: str):
    for p in feedback.prompts:
        if p.text == text:
            return feedback, p.id
    feedback = feedback.add_prompt(text)
    return feedback, feedback.prompts[-1].id


def _ensure_response(feedback, prompt_id: str, text: str):
    found = _response_id(feedback, prompt_id, text)
    if found is not None:
        return feedback, found
    feedback = feedback.add_response(prompt_id, text)
    return feedback, feedback.prompt(prompt_id).responses[-1].id


def _response_id(feedback, prompt_id: str, text: str) -> str | None:
    return next((r.id for r in feedback.prompt(prompt_id).responses if r.text == text), None)


def sft_prompts() -> tuple[list[str], list[str]]:
    """(prompts the demonstrations tuned, prompts no demonstration contains)."""
    from .language_model import load_demonstrations, unseen_prompts
    return [d.prompt for d in load_demonstrations()], unseen_prompts()


def _references() -> dict[str, str]:
    """A good answer per prompt, for the rubric: the top-ranked answers, then the demonstrations."""
    from .language_model import load_demonstrations
    from .rlhf_feedback import best_answers
    refs = best_answers()
    refs.update({d.prompt: d.response for d in load_demonstrations()})
    return refs
