"""What the RLHF tab asks of the core, in its training process: stage 1 (SFT) and stage 3 (policy
optimisation against the Reward model), answered with immutable records a window can render.

    session = RLHFSession()   # the default seed, where the lesson's story holds
    sft = session.fine_tune()                 # SFTResult: the loss curve and the seen/unseen report
    session.sample_answers("how do i cook rice ?", temperature=1.0)
    session.start_run(beta=0.0)               # a fresh RLHFRun on the pipeline
    session.train(20); session.series()       # Series: one value per update, for plots
    feedback, added = session.fix_hacking(feedback)   # degenerate answers ranked worse, RM retrained

No Qt here; torch does all the work, so construct and call this in the process that trains. Importing this module does not import torch: the records it answers with (`Answer`,
`SFTResult`, `Series`, `CompareRow`, and `RLHFRecord` from `records`) and the rankings helpers
below are plain data, so a window's process can unpickle them and edit rankings without torch;
torch and the models are imported when a session is first constructed.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from explainer.core.language import rankings
from explainer.core.common.checks import is_finite_number
from explainer.core.files.generator_state import generator_state_problem
from explainer.core.files.record_json import RecordError, from_plain, to_plain
from explainer.core.rlhf.records import RLHFRecord, SFTReport
from explainer.core.rlhf.settings import DEFAULT_SEED
from explainer.core.rlhf.ground_truth import true_score
from explainer.core.files.weights import (MAX_VALUES, WeightsError, check_array, check_model, encode_array,
                      export_model, load_model, manifest)

if TYPE_CHECKING:
    from explainer.core.rlhf.run import RLHFRun

COMPARE_PROMPTS = 4   # held-out prompts shown before / after
MAX_UPDATES = 100_000  # policy updates a saved state may count
SAVED_KEYS = {"sft", "reward_model", "policy", "generator", "updates", "running_baseline",
              "series", "record"}
# Saved since the fix's answers and mid-update phases were kept; files without them still open.
OPTIONAL_KEYS = {"degenerate", "phases", "shown"}
MAX_DEGENERATE = 20_000   # distinct degenerate answers a saved state may hold
PHASES_PER_UPDATE = 4


@dataclass(frozen=True)
class Answer:
    """A sampled answer with each token's probability and the rubric's true score."""
    prompt: str
    text: str
    tokens: tuple[str, ...]
    probs: tuple[float, ...]
    true_score: float
    reasons: tuple[str, ...] = ()   # the ground truth's breakdown of the score


@dataclass(frozen=True)
class SFTResult:
    losses: tuple[float, ...]   # cross entropy of the demonstrations' tokens, per epoch
    report: SFTReport           # tuned prompts answered well, unseen prompts poorly


@dataclass(frozen=True)
class Series:
    """One value per finished policy update, for the plots over updates."""
    update: tuple[int, ...] = ()
    reward: tuple[float, ...] = ()        # mean learned reward (the Reward model's score)
    true_score: tuple[float, ...] = ()    # mean rubric score: the preference the RM imitates
    kl: tuple[float, ...] = ()            # mean KL estimate to the reference
    logp_polite: tuple[float, ...] = ()   # log P(a fixed polite answer | a held-out prompt)
    logp_rude: tuple[float, ...] = ()     # log P(a fixed rude answer | the same prompt)

    @property
    def probe_gap(self) -> tuple[float, ...]:
        """log P(polite) − log P(rude): how many nats likelier the polite answer is (> 0: more)."""
        return tuple(p - r for p, r in zip(self.logp_polite, self.logp_rude))


@dataclass(frozen=True)
class CompareRow:
    prompt: str
    before: str            # the SFT model (the frozen reference)
    after: str             # the policy now
    before_score: float    # the ground truth's score
    after_score: float
    before_reasons: tuple[str, ...] = ()   # the ground truth's breakdown, one line per criterion
    after_reasons: tuple[str, ...] = ()


class RLHFSession:
    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        from explainer.core.language.language_model import shipped_vocabulary, use_one_thread
        from explainer.core.rlhf.settings import DEFAULTS
        use_one_thread()
        self.seed = int(seed)
        self.vocab = shipped_vocabulary()
        self.pipeline = None
        self.run: RLHFRun | None = None
        self.sft_model = None
        self.settings = dict(DEFAULTS)
        self.update_rows: list[RLHFRecord] = []   # each finished update's last record, in order
        self._series_before = Series()   # the updates of a run opened from a saved state
        self._record_before: RLHFRecord | None = None   # and its last update's record
        self._answers_before: tuple[tuple[str, str], ...] = ()   # and its degenerate answers
        self._update_start = None   # (generator state, running baseline) when the update began

    # --- stage 1 ------------------------------------------------------------------------------
    def fine_tune(self, on_epoch: Callable[[int, float], bool | None] | None = None) -> SFTResult:
        """SFT from the pre-trained base model on the shipped demonstrations (the pipeline's run)."""
        from explainer.core.language.language_model import base_model, fine_tune, load_demonstrations
        from explainer.core.rlhf.pipeline import sft_report
        model, _ = base_model()
        losses = fine_tune(model, self.vocab, load_demonstrations(), seed=self.seed,
                           on_epoch=on_epoch)
        self.sft_model = model
        return SFTResult(tuple(losses), sft_report(model, self.vocab, seed=self.seed))

    def language_model(self):
        """The fine-tuned model: this session's SFT run, else the pipeline's."""
        if self.sft_model is not None:
            return self.sft_model
        self.ensure_pipeline()
        return self.pipeline.model

    def sample_answers(self, prompt: str, temperature: float = 1.0, n: int = 4,
                       seed: int = 0) -> tuple[Answer, ...]:
        import torch

        from explainer.core.rlhf.batch import sample_batch
        generator = torch.Generator().manual_seed(seed)
        responses = sample_batch(self.language_model(), self.vocab, [prompt] * n, temperature,
                                 generator=generator)

        def answer(r) -> Answer:
            verdict = true_score(r.prompt, r.text)
            return Answer(r.prompt, r.text, r.tokens, r.probs, verdict.score,
                          tuple(verdict.reasons()))
        return tuple(answer(r) for r in responses)

    def candidates(self, prompt: str, n: int = 4, temperature: float = 1.0,
                   seed: int = 0) -> list[str]:
        """Distinct sampled responses for people to rank."""
        from explainer.core.rlhf.pipeline import generate_candidates
        return [s.text for s in generate_candidates(self.language_model(), self.vocab, prompt, n,
                                                     temperature, seed) if s.text.strip()]

    # --- stage 3 ------------------------------------------------------------------------------
    def ensure_pipeline(self, triples: Sequence[tuple[str, str, str]] | None = None) -> None:
        from explainer.core.rlhf.run import build_pipeline
        if self.pipeline is None or triples is not None:
            self.pipeline = build_pipeline(self.seed, feedback=triples)

    def start_run(self, **settings) -> RLHFRun:
        """A fresh policy (the SFT model) with these settings; the plots start again."""
        from explainer.core.rlhf.run import RLHFRun
        self.ensure_pipeline()
        self.settings.update(settings)
        self.run = RLHFRun(seed=self.seed, pipeline=self.pipeline, **self.settings)
        self.update_rows = []
        self._series_before, self._record_before = Series(), None
        self._answers_before, self._update_start = (), None
        return self.run

    def preset(self, name: str) -> dict:
        from explainer.core.rlhf.settings import PRESETS
        self.settings = dict(PRESETS[name])
        self.start_run()
        return dict(self.settings)

    def set(self, **settings) -> None:
        """Change settings for the phases still to run (ValueError if one is invalid)."""
        self.run.set(**settings)
        self.settings.update(settings)

    def step(self) -> RLHFRecord:
        run = self.run
        if run.phase_in_progress is None and run.at_end:   # an update begins: what a session saved now needs
            self._update_start = (run.generator.get_state().clone(), run.running_baseline)
        return self._note(run.step())

    def _phases_in_progress(self) -> int:
        """How many phases of an unfinished update have been computed (0: none in progress)."""
        phase = self.run.phase_in_progress
        if phase is None or self._update_start is None:
            return 0
        return ("guess", "derivative", "reward").index(phase) + 1

    def back(self) -> RLHFRecord | None:
        return self.run.back()

    def train(self, n: int, should_stop: Callable[[], bool] | None = None) -> list[RLHFRecord]:
        return [self._note(r) for r in self.run.train(n, should_stop)]

    def _note(self, record: RLHFRecord) -> RLHFRecord:
        if record.phase == "update" and (not self.update_rows or self.update_rows[-1].update < record.update):
            self.update_rows.append(record)
        return record

    def series(self) -> Series:
        rows, b = self.update_rows, self._series_before
        return Series(b.update + tuple(r.update + 1 for r in rows),
                      b.reward + tuple(r.mean_reward for r in rows),
                      b.true_score + tuple(r.mean_true_score for r in rows),
                      b.kl + tuple(r.mean_kl for r in rows),
                      b.logp_polite + tuple(r.probe_logp_polite for r in rows),
                      b.logp_rude + tuple(r.probe_logp_rude for r in rows))

    def compare(self, n: int = COMPARE_PROMPTS, seed: int = 1) -> tuple[CompareRow, ...]:
        """One answer per held-out prompt from the SFT model and from the policy, same draws."""
        prompts = self.pipeline.held_out_prompts[:n]
        before = self._draw(self.run.reference, prompts, seed)
        after = self._draw(self.run.policy, prompts, seed)
        rows = []
        for p, b, a in zip(prompts, before, after):
            was, now = true_score(p, b.text), true_score(p, a.text)
            rows.append(CompareRow(p, b.text, a.text, was.score, now.score,
                                   tuple(was.reasons()), tuple(now.reasons())))
        return tuple(rows)

    def _draw(self, model, prompts, seed):
        import torch

        from explainer.core.rlhf.batch import sample_batch
        generator = torch.Generator().manual_seed(seed)
        return sample_batch(model, self.vocab, prompts, self.settings["temperature"],
                            generator=generator)

    # --- sessions: the models as plain data ---------------------------------------------------
    def manifest(self) -> dict:
        """Tensor names and shapes of the models, for checking a saved state without torch."""
        if self.run is None:
            self.start_run()
        return {"language_model": manifest(self.pipeline.model),
                "reward_model": manifest(self.pipeline.reward_model),
                "generator": tuple(self.run.generator.get_state().shape)}

    def export_state(self) -> dict | None:
        """The SFT model (also the frozen reference: a run copies it and never trains it), the
        Reward model, the policy with its optimiser and random generator, and what the tab shows
        (the last update's record, the series): `import_state` of this goes on exactly as this
        run would. Also the degenerate answers seen so far (what "fix reward hacking" ranks as
        worse), and, stepped into an update, its phases: the generator and baseline are saved as
        that update began, and opening computes its phases again from them (the policy's weights
        change only at Update), so the same phase is shown; `shown` counts the records the
        lecturer had stepped back from the newest (at most back to the last whole update)."""
        run = self.run
        if run is None:
            return None
        last = self.update_rows[-1] if self.update_rows else self._record_before
        phases = self._phases_in_progress()
        generator, baseline = self._update_start if phases else (run.generator.get_state(),
                                                                 run.running_baseline)
        kept = phases + (last is not None and _finite_plain(last) is not None)
        shown = len(run.history) - 1 - run.cursor if run.history and run.cursor >= 0 else 0
        return {"sft": export_model(self.pipeline.model),
                "reward_model": export_model(self.pipeline.reward_model),
                "policy": export_model(run.policy, run.optim),
                "generator": encode_array(generator, "uint8"),
                "updates": run.updates_done,
                "running_baseline": baseline,
                "series": _finite_plain(self.series()),
                "record": _finite_plain(last),
                "degenerate": [list(a) for a in self.degenerate_answers()],
                "phases": phases,
                "shown": min(shown, max(kept - 1, 0))}

    def degenerate_answers(self) -> list[tuple[str, str]]:
        """The distinct (prompt, answer) pairs the rubric scores as degenerate, among every answer
        the policy sampled in this run (those of a run opened from a saved state included)."""
        from explainer.core.rlhf.pipeline import degenerate_pairs
        return [(prompt, bad) for prompt, _good, bad in
                degenerate_pairs(self.produced_answers(), self.pipeline.references)
                if len(prompt) <= rankings.MAX_TEXT and len(bad) <= rankings.MAX_TEXT]

    def import_state(self, state) -> None:
        """The opposite of export_state, with the settings in force; WeightsError (and nothing
        changed) if it does not fit these models."""
        import torch
        checked = check_saved_state(state, self.manifest(), self.settings["optimizer"] == "adam")
        generator = torch.Generator()
        try:   # a state torch refuses is refused before anything changes
            generator.set_state(torch.from_numpy(checked["generator"].copy()))
        except (RuntimeError, ValueError):
            raise WeightsError("the saved random generator state is not valid") from None
        load_model(self.pipeline.model, None, checked["sft"])
        load_model(self.pipeline.reward_model, None, checked["reward_model"])
        run = self.start_run()   # the reference: a frozen copy of the SFT model just loaded
        load_model(run.policy, run.optim, checked["policy"])
        run.generator = generator
        run.updates_done = checked["updates"]
        run.running_baseline = checked["running_baseline"]
        if checked["record"] is not None:
            run.history.append(checked["record"])
            run.cursor = 0
        self._series_before, self._record_before = checked["series"], checked["record"]
        self._answers_before = checked["degenerate"]
        for _ in range(checked["phases"]):   # the update stepped into, computed again
            self.step()
        run.seek(len(run.history) - 1 - checked["shown"])

    def produced_answers(self) -> list[tuple[str, str]]:
        """Every (prompt, answer) the policy sampled in this run; for a run opened from a saved
        state, first the degenerate ones seen before it was saved."""
        return list(self._answers_before) + [a for r in self.update_rows for a in r.answers]

    def fix_hacking(self, feedback: rankings.Feedback) -> tuple[rankings.Feedback, int]:
        """Rank the policy's degenerate answers worse, retrain the Reward model, restart the run."""
        from explainer.core.rlhf.pipeline import degenerate_pairs
        pairs = degenerate_pairs(self.produced_answers(), self.pipeline.references)
        feedback, added = with_worse_answers(feedback, pairs)
        self.ensure_pipeline(training_triples(feedback))
        self.start_run()
        return feedback, added


def check_saved_state(state, model_manifest: dict, adam: bool) -> dict:
    """A saved RLHF state checked without torch (names, shapes, finite values, sizes, records);
    `adam`: the policy's optimiser is Adam (then its moments must be there)."""
    if not isinstance(state, dict) or not SAVED_KEYS <= set(state) <= SAVED_KEYS | OPTIONAL_KEYS:
        raise WeightsError(f"the saved RLHF state needs exactly {sorted(SAVED_KEYS)}, and may "
                           f"have {sorted(OPTIONAL_KEYS)}")
    budget = [MAX_VALUES]
    lm, rm = model_manifest["language_model"], model_manifest["reward_model"]
    checked = {"sft": check_model(state["sft"], lm, False, "SFT model", budget),
               "reward_model": check_model(state["reward_model"], rm, False, "Reward model",
                                           budget),
               "policy": check_model(state["policy"], lm, adam, "policy", budget),
               "generator": check_array(state["generator"], model_manifest["generator"], "uint8",
                                        "random generator", budget)}
    problem = generator_state_problem(checked["generator"])
    if problem is not None:   # torch would refuse it in the training process, after the reset
        raise WeightsError(f"the saved random generator state is not valid: {problem}")
    updates, baseline = state["updates"], state["running_baseline"]
    if type(updates) is not int or not 0 <= updates <= MAX_UPDATES:
        raise WeightsError(f"the saved 'updates' must be a whole number from 0 to {MAX_UPDATES}")
    if baseline is not None and not is_finite_number(baseline):
        raise WeightsError("the saved running baseline must be a finite number or null")
    try:
        series = Series() if state["series"] is None else \
            from_plain(Series, state["series"], "RLHF series")
        record = None if state["record"] is None else \
            from_plain(RLHFRecord, state["record"], "RLHF record")
    except RecordError as exc:
        raise WeightsError(str(exc)) from None
    columns = [len(getattr(series, f.name)) for f in fields(Series)]
    if len(set(columns)) != 1 or columns[0] > updates:
        raise WeightsError("the saved series does not fit the number of updates")
    if record is not None and (record.phase != "update" or record.update != updates - 1):
        raise WeightsError("the saved record is not the last update's")
    phases, shown = state.get("phases", 0), state.get("shown", 0)
    if type(phases) is not int or not 0 <= phases < PHASES_PER_UPDATE:
        raise WeightsError(f"the saved 'phases' must be a whole number from 0 to "
                           f"{PHASES_PER_UPDATE - 1}")
    kept = phases + (record is not None)
    if type(shown) is not int or not 0 <= shown <= max(kept - 1, 0):
        raise WeightsError(f"the saved 'shown' must be a whole number from 0 to {max(kept - 1, 0)}"
                           " (records back from the newest)")
    return checked | {"updates": updates, "series": series, "record": record,
                      "running_baseline": None if baseline is None else float(baseline),
                      "degenerate": _checked_answers(state.get("degenerate", [])),
                      "phases": phases, "shown": shown}


def _checked_answers(value) -> tuple[tuple[str, str], ...]:
    """The saved degenerate answers: a list of distinct [prompt, answer] pairs of text."""
    if not isinstance(value, list) or len(value) > MAX_DEGENERATE:
        raise WeightsError(f"the saved 'degenerate' answers must be a list of at most "
                           f"{MAX_DEGENERATE} [prompt, answer] pairs")
    answers = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2
                and all(isinstance(t, str) and t.strip() and len(t) <= rankings.MAX_TEXT
                        for t in item)):
            raise WeightsError("each saved degenerate answer must be [prompt, answer]: two "
                               f"non-empty texts of at most {rankings.MAX_TEXT} characters")
        answers.append((item[0], item[1]))
    if len(set(answers)) != len(answers):
        raise WeightsError("the saved degenerate answers repeat one another")
    return tuple(answers)


def _finite_plain(record):
    """A record as plain data, or None if a value in it is not finite (JSON cannot hold it)."""
    if record is None:
        return None
    plain = to_plain(record)
    try:
        json.dumps(plain, allow_nan=False)
    except ValueError:
        return None
    return plain


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
    from explainer.core.language.language_model import load_demonstrations, unseen_prompts
    return [d.prompt for d in load_demonstrations()], unseen_prompts()
