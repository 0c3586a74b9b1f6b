"""Every loader of user files, fuzzed: truncated, wrong-typed, huge, deeply nested, non-UTF-8 and
NaN inputs each give the loader's own clear error — never a crash, never a partial result."""
import json

import pytest
from hypothesis import given, settings, strategies as st

from explainer.core.rankings import FeedbackError, load_feedback
from explainer.core.scenarios import ScenarioError, load_scenario
from explainer.core.session import SessionError, lesson_state, load_session, session_json
from explainer.core.walkthrough import LessonError, load_lesson
from explainer.core.policy_gradient import PolicyGradientRun
from explainer.paths import resource


def valid_texts():
    run = PolicyGradientRun()
    run.episode(x=0.0, action="squatch", outcome="small", u=0.2)
    return {
        "scenario": (load_scenario, ScenarioError, resource("scenarios", "fries.json").read_text()),
        "feedback": (load_feedback, FeedbackError, resource("rlhf", "feedback.json").read_text()),
        "lesson": (load_lesson, LessonError,
                   resource("lessons", "policy-worked-example.json").read_text()),
        "session": (load_session, SessionError, session_json({"policy": lesson_state(run)})),
    }


LOADERS = valid_texts()


def load(kind, tmp_path, data: bytes):
    loader, error, _ = LOADERS[kind]
    path = tmp_path / f"{kind}.json"
    path.write_bytes(data)
    return loader, error, path


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_valid_files_load(kind, tmp_path):
    loader, _, path = load(kind, tmp_path, LOADERS[kind][2].encode())
    assert loader(path) is not None


@pytest.mark.parametrize("kind", sorted(LOADERS))
@settings(max_examples=40, deadline=None)
@given(cut=st.floats(0.0, 0.999))
def test_truncated_files_are_refused(kind, tmp_path_factory, cut):
    text = LOADERS[kind][2].rstrip()
    cut_at = min(int(len(text) * cut), len(text) - 1)  # at least the closing brace goes
    loader, error, path = load(kind, tmp_path_factory.mktemp(kind), text[:cut_at].encode())
    with pytest.raises(error):
        loader(path)


@pytest.mark.parametrize("kind", sorted(LOADERS))
@pytest.mark.parametrize("data", [
    b"\xff\xfe\x00{", b"[" * 200_000, b'{"a": NaN}', b"null", b"42", b'"text"', b"[]", b"{}",
    json.dumps({"format": 1, "version": "1"}).encode(),
])
def test_hostile_files_are_refused(kind, tmp_path, data):
    loader, error, path = load(kind, tmp_path, data)
    with pytest.raises(error):
        loader(path)


def retyped(value, rng):
    """The same document with one value replaced by a value of another type."""
    if isinstance(value, dict) and value:
        key = rng.choice(sorted(value))
        return value | {key: retyped(value[key], rng)}
    if isinstance(value, list) and value:
        i = rng.randrange(len(value))
        return value[:i] + [retyped(value[i], rng)] + value[i + 1:]
    return rng.choice([None, True, -1, 1e308, "x", [], {}, [[[]]], "∂" * 3])


@pytest.mark.parametrize("kind", sorted(LOADERS))
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_wrong_typed_values_give_a_clear_error_or_a_valid_result(kind, tmp_path_factory, seed):
    import random
    loader, error, text = LOADERS[kind]
    doc = retyped(json.loads(text), random.Random(seed))
    _, _, path = load(kind, tmp_path_factory.mktemp(kind), json.dumps(doc).encode())
    try:
        loader(path)
    except error as exc:
        assert str(exc)


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_huge_files_are_refused_before_parsing(kind, tmp_path):
    loader, error, path = load(kind, tmp_path, b" " * (60 * 1024 * 1024) + b"{}")
    with pytest.raises(error, match="larger"):
        loader(path)
