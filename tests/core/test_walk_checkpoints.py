"""A walkthrough keeps checkpoints: Next replays one step's calls, Back none, and every step shows
exactly the run a replay from the lesson's start would."""
import json

import pytest

from explainer.core.common import stepper
from explainer.core.files.session import lesson_state, restore_lesson
from explainer.core.files.walkthrough import parse_lesson, shipped_lessons

EPISODES = 40   # per step; the lesson's own work is steps × this


@pytest.fixture
def replayed(monkeypatch):
    """Counts the calls replayed onto runs (each `count` of a log entry is one call)."""
    done = [0]
    original = stepper.Stepper.replay

    def counting(self, log):
        done[0] += sum(int(entry.get("count", 1)) for entry in log)
        return original(self, log)
    monkeypatch.setattr(stepper.Stepper, "replay", counting)
    return done


def lesson(steps: int):
    return parse_lesson(json.dumps({
        "format": "explainer-lesson", "version": 1, "lesson": "policy", "title": "long",
        "steps": [{"caption": f"step {i}", "do": [{"op": "episode", "args": {},
                                                   "count": EPISODES}]}
                  for i in range(steps)]}))


def test_next_replays_one_step_and_back_none(replayed):
    walk = lesson(30)
    replayed[0] = 0     # parsing checked the whole lesson once
    walk.run_at(0)
    for index in range(1, 30):   # Next, Next, …
        before = replayed[0]
        run = walk.run_at(index)
        assert replayed[0] - before <= EPISODES       # at most this step's calls, never 1..index
        assert run.episodes_done == EPISODES * (index + 1)
    for index in range(28, 0, -1):   # Back, Back, …: the nearest kept run is at most a few back
        before = replayed[0]
        walk.run_at(index)
        assert replayed[0] - before <= EPISODES * (walk.checkpoints.every - 1)
    total = replayed[0]
    assert total < 2 * 30 * EPISODES                  # replays from the start: 465 × EPISODES


def test_back_from_the_step_shown_replays_nothing(replayed):
    walk = lesson(30)
    walk.run_at(10)
    walk.run_at(11)
    before = replayed[0]
    walk.run_at(10)
    walk.run_at(11)
    assert replayed[0] == before


def test_every_step_equals_a_replay_from_the_start_and_is_a_run_of_its_own():
    for walk in shipped_lessons("policy") + shipped_lessons("essentials") + [lesson(12)]:
        order = list(range(len(walk.steps))) + list(range(len(walk.steps) - 1, -1, -1))
        for index in order:
            run = walk.run_at(index)
            fresh = restore_lesson(walk.lesson, {"init": dict(walk.init),
                                                 "log": walk.log_until(index)})
            assert lesson_state(run) == lesson_state(fresh)
            assert run.current == fresh.current and run.episodes_done == fresh.episodes_done
            run.step()   # the lecturer steps the shown run on: the checkpoint stays as it was
            again = walk.run_at(index)
            assert lesson_state(again) == lesson_state(fresh)
