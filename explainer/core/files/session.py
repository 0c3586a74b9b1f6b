"""Session files: everything on screen saved as one JSON document with a format version.

A lesson is saved as the arguments that built its run plus the log of calls made on it; opening
replays the log, so a saved session steps exactly as it was shown. Other tabs add their own parts
(rankings, settings). Files are validated before anything is replayed and a failure raises
SessionError, leaving whatever is open untouched.

Version 2 adds the trained models: the "reward_model" and "rlhf" parts may hold a "weights" object
(see `language.reward_training.check_saved_state` and `rlhf.training.check_saved_state`): every tensor as
{"shape", "dtype", "zlib": base64 of the zlib-compressed little-endian values} (`weights`), with
the optimiser's state and what the tab showed, so opening loads the models instead of training
them again. Version 1 files (and parts without "weights") still open: their training is replayed.
"""
from __future__ import annotations

import copy
import json
import math
from pathlib import Path

from explainer.core import lessons
from explainer.core.files.jsonfile import atomic_write, checked_header, parse_json, read_text_file

FORMAT, VERSION = "explainer-session", 2
READABLE_VERSIONS = (1, 2)
MAX_BYTES = 50 * 1024 * 1024
# Replayed phases, all log entries together (a run's `episode_calls` count the phases they
# run): ~100,000-130,000 phases a second, so opening a session replays for under a second (a
# hostile log at the old 200,000 stalled the window 1.49 s). A lecture steps a few thousand;
# many episodes are fast-forwarded, counted apart. 2,000,000 `episode` calls once froze it 106 s.
MAX_STEPS = 100_000
MAX_EPISODES = 20_000_000      # fast-forwarded episodes

class SessionError(ValueError):
    pass


def lesson_state(run) -> dict:
    return {"init": copy.deepcopy(run.init_args), "log": copy.deepcopy(run.log)}


def restore_lesson(name: str, state):
    """A new run of stepped lesson `name` rebuilt from a saved state; raises SessionError if
    anything is off."""
    _stepped(name)
    if not isinstance(state, dict) or not isinstance(state.get("init"), dict) \
            or not isinstance(state.get("log"), list):
        raise SessionError(f"lesson {name}: needs an 'init' object and a 'log' list")
    _check_log(name, state["log"])
    run = new_run(name, state["init"])
    replay_onto(name, run, state["log"])
    return run


def new_run(name: str, init: dict):
    """A fresh run of lesson `name` built with `init`; SessionError if an argument is off."""
    try:
        return _stepped(name).run_class(**init)
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, RecursionError) as exc:
        raise SessionError(f"lesson {name}: cannot be replayed ({exc})") from None


def replay_onto(name: str, run, log: list[dict]) -> None:
    """Replay `log` (checked by `check_log`) on `run`; SessionError if a call is refused."""
    try:
        run.replay(log)
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, RecursionError) as exc:
        raise SessionError(f"lesson {name}: cannot be replayed ({exc})") from None


def check_log(name: str, log) -> None:
    """A log's calls, arguments and work checked against the budget, without running any."""
    _stepped(name)
    if not isinstance(log, list):
        raise SessionError(f"lesson {name}: needs a 'log' list")
    _check_log(name, log)


def _stepped(name: str) -> lessons.LessonSpec:
    spec = lessons.stepped().get(name)
    if spec is None:
        raise SessionError(f"unknown lesson {name!r}")
    return spec


def _check_log(name: str, log: list) -> None:
    run = lessons.lesson(name).run_class
    ops, phases = lessons.ops(name), len(run.phases)
    steps = episodes = 0
    for i, entry in enumerate(log):
        where = f"lesson {name}, log entry {i + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("op"), str) \
                or entry["op"] not in ops:
            raise SessionError(f"{where}: not a known call")
        args, count = entry.get("args", {}), entry.get("count", 1)
        if not isinstance(args, dict) or set(args) - ops[entry["op"]]:
            raise SessionError(f"{where}: unexpected arguments")
        if not all(_is_plain(v) for v in args.values()):
            raise SessionError(f"{where}: arguments must be numbers, text, true/false or null")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_STEPS:
            raise SessionError(f"{where}: 'count' must be a whole number from 1 to {MAX_STEPS}")
        steps += count * (phases if entry["op"] in run.episode_calls else 1)
        if "n" in args:   # a float or text n slipped past the budget and ran anyway
            if isinstance(args["n"], bool) or not isinstance(args["n"], int) or args["n"] < 0:
                raise SessionError(f"{where}: 'n' must be a whole number of episodes")
            episodes += args["n"] * count
    if steps > MAX_STEPS or episodes > MAX_EPISODES:
        raise SessionError(f"lesson {name}: more work than a session may replay")


def _is_plain(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (bool, int, str)) and len(str(value)) < 100


def session_json(parts: dict) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "parts": parts}, indent=1,
                      allow_nan=False) + "\n"


def save_session(path: str | Path, parts: dict) -> None:
    atomic_write(path, session_json(parts).encode("utf-8"), SessionError)


def parse_session(text: str, source: str = "session") -> dict:
    """The parts of a session document; each part is then restored (and checked) by its owner."""
    data = checked_header(parse_json(text, source, SessionError), source, SessionError, FORMAT,
                          READABLE_VERSIONS)
    parts = data.get("parts")
    if not isinstance(parts, dict) or not all(isinstance(v, dict) for v in parts.values()):
        raise SessionError(f"{source}: 'parts' must be an object of objects")
    return parts


def load_session(path: str | Path) -> dict:
    path = Path(path)
    return parse_session(read_text_file(path, MAX_BYTES, SessionError, "a session"), path.name)
