"""Guided walkthroughs: a scripted, seeded lesson with a caption per step, stepped forward and
back with the clicker. Lessons are data files (resources/lessons/*.json) so a lecturer can write
their own; each step lists calls of the scripting API, checked like a session's log.

Step k shows the run the calls of steps 1..k make from the lesson's start: going back is showing
an earlier state, never undoing arithmetic. Copies of the run after some steps are kept
(`walk_checkpoints`), so showing a step replays only the steps since the nearest one.

Lessons of the Reward model and RLHF tabs ("reward", "rlhf") share the file format; their steps
list actions of those tabs' controllers instead (`pipeline_walkthrough`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from explainer.paths import resource
from explainer.core.files.jsonfile import checked_header, parse_json, read_text_file
from explainer.core import lessons
from explainer.core.files.pipeline_walkthrough import PipelineWalkthrough, parse_pipeline_lesson
from explainer.core.files.session import SessionError, check_log, new_run, replay_onto
from explainer.core.files.walk_checkpoints import Checkpoints

FORMAT = "explainer-lesson"
MAX_BYTES = 256 * 1024
MAX_STEPS = 200


class LessonError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    caption: str
    calls: tuple[dict, ...]


@dataclass(frozen=True)
class Walkthrough:
    title: str
    lesson: str
    init: dict
    steps: tuple[Step, ...]
    checkpoints: Checkpoints | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.checkpoints is None:
            object.__setattr__(self, "checkpoints", Checkpoints(len(self.steps)))

    def log_until(self, index: int) -> list[dict]:
        """The calls of steps 1..index+1, as a session log."""
        return [dict(call) for step in self.steps[: index + 1] for call in step.calls]

    def run_at(self, index: int):
        """A run of its own showing step `index` (0-based): the nearest kept checkpoint at or
        before it, with the steps since replayed."""
        try:
            check_log(self.lesson, self.log_until(index))   # the budget counts every step so far
            done, run = self.checkpoints.nearest(index)
            if run is None:
                run = new_run(self.lesson, dict(self.init))
            for k in range(done + 1, index + 1):
                replay_onto(self.lesson, run, [dict(call) for call in self.steps[k].calls])
                self.checkpoints.passed(k, run)
        except SessionError as exc:
            raise LessonError(f"{self.title}, step {index + 1}: {exc}") from None
        self.checkpoints.shown(index, run)
        return run


def parse_lesson(text: str, source: str = "lesson") -> Walkthrough | PipelineWalkthrough:
    data = checked_header(parse_json(text, source, LessonError), source, LessonError, FORMAT)
    lesson, title, init = data.get("lesson"), data.get("title"), data.get("init", {})
    kinds = {spec.key: spec.walkthrough for spec in lessons.all_lessons() if spec.walkthrough}
    if not isinstance(lesson, str) or lesson not in kinds:
        raise LessonError(f"{source}: 'lesson' must be one of {sorted(kinds)}")
    if kinds[lesson] == "actions":
        return parse_pipeline_lesson(data, source, LessonError, MAX_STEPS)
    if not isinstance(title, str) or not title.strip() or not isinstance(init, dict):
        raise LessonError(f"{source}: needs a 'title' and an 'init' object")
    steps = data.get("steps")
    if not isinstance(steps, list) or not 1 <= len(steps) <= MAX_STEPS:
        raise LessonError(f"{source}: 'steps' must be a list of 1 to {MAX_STEPS} steps")
    walk = Walkthrough(title[:120], lesson, init, tuple(_step(source, i, s) for i, s in enumerate(steps)))
    walk.run_at(len(walk.steps) - 1)  # every call is checked now, not in front of the audience
    return walk


def _step(source: str, index: int, step) -> Step:
    where = f"{source}, step {index + 1}"
    if not isinstance(step, dict) or not isinstance(step.get("caption"), str):
        raise LessonError(f"{where}: needs a 'caption'")
    calls = step.get("do", [])
    if not isinstance(calls, list) or not all(isinstance(c, dict) for c in calls):
        raise LessonError(f"{where}: 'do' must be a list of calls")
    return Step(step["caption"][:600], tuple(calls))


def load_lesson(path: str | Path) -> Walkthrough | PipelineWalkthrough:
    path = Path(path)
    return parse_lesson(read_text_file(path, MAX_BYTES, LessonError, "a lesson"), path.name)


def shipped_lessons(lesson: str) -> list[Walkthrough | PipelineWalkthrough]:
    folder = resource("lessons")
    found = []
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".json"):
            walk = parse_lesson(f.read_text(encoding="utf-8"), f.name)
            if walk.lesson == lesson:
                found.append(walk)
    return found


def lesson_for(lesson: str, walk=None):
    """The walkthrough a tab of kind `lesson` starts: `walk` itself, a lesson file's path, or by
    default the first shipped one; LessonError if there is none or it is for another tab."""
    if isinstance(walk, (str, Path)):
        walk = load_lesson(walk)
    if walk is None:
        shipped = shipped_lessons(lesson)
        if not shipped:
            raise LessonError("no walkthrough for this tab")
        walk = shipped[0]
    if walk.lesson != lesson:
        raise LessonError(f"that lesson is for the {walk.lesson} tab")
    return walk
