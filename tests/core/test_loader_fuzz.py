"""Every loader of user files, fuzzed: truncated, wrong-typed, huge, deeply nested, non-UTF-8 and
NaN inputs each give the loader's own clear error — never a crash, never a partial result."""
import json

import pytest
from hypothesis import given, settings, strategies as st

from explainer.core.language.rankings import FeedbackError, default_feedback, load_feedback
from explainer.core.language.reward_training import RewardSession, check_saved_state
from explainer.core.fries.scenarios import ScenarioError, load_scenario
from explainer.core.files.session import SessionError, lesson_state, load_session, session_json
from explainer.core.files.walkthrough import LessonError, load_lesson
from explainer.core.files.weights import WeightsError
from explainer.core.fries.policy_gradient import PolicyGradientRun
from explainer.paths import resource


def trained_reward_session():
    session = RewardSession(default_feedback())
    session.train(2)
    return session


REWARD = trained_reward_session()
MANIFEST = REWARD.manifest()


def load_session_weights(path):
    """A session file, then its Reward model weights checked as opening it checks them."""
    parts = load_session(path)
    try:
        return check_saved_state(parts["reward_model"]["weights"], MANIFEST, adam=True)
    except WeightsError as exc:
        raise SessionError(str(exc)) from None


def valid_texts():
    run = PolicyGradientRun()
    run.episode(x=0.0, action="squatch", outcome="small", u=0.2)
    weights_part = {"feedback": default_feedback().to_dict(), "steps": 2,
                    "learning_rate": 0.01, "optimizer": "adam", "weights": REWARD.export_state()}
    return {
        "scenario": (load_scenario, ScenarioError, resource("scenarios", "fries.json").read_text()),
        "feedback": (load_feedback, FeedbackError, resource("rlhf", "feedback.json").read_text()),
        "lesson": (load_lesson, LessonError,
                   resource("lessons", "policy-worked-example.json").read_text()),
        "reward lesson": (load_lesson, LessonError,
                          resource("lessons", "rlhf-reward-model.json").read_text()),
        "rlhf lesson": (load_lesson, LessonError,
                        resource("lessons", "rlhf-pipeline.json").read_text()),
        "session": (load_session, SessionError, session_json({"policy": lesson_state(run)})),
        "session weights": (load_session_weights, SessionError,
                            session_json({"reward_model": weights_part})),
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


# --- the weights block: every kind of damage to a tensor is refused with a message -------------------
def tensor_entries(state):
    """(path, entry) of every tensor in a saved Reward model state."""
    model = state["model"]
    yield from ((("model", "weights", k), v) for k, v in model["weights"].items())
    for kind in ("mean", "square"):
        yield from ((("model", "optimizer", kind, k), v) for k, v in model["optimizer"][kind].items())


def damaged(entry, how, rng):
    import base64
    import zlib

    import numpy as np
    values = np.frombuffer(zlib.decompress(base64.b64decode(entry["zlib"])), "<f4").copy()
    if how == "shape":
        return entry | {"shape": [n + rng.choice([-1, 1, 7]) for n in entry["shape"]] or [2]}
    if how == "rank":
        return entry | {"shape": entry["shape"] + [1, 2]}
    if how in ("nan", "inf"):
        values[rng.randrange(values.size)] = np.nan if how == "nan" else -np.inf
        return entry | {"zlib": base64.b64encode(zlib.compress(values.tobytes())).decode()}
    if how == "truncated base64":
        text = entry["zlib"]
        return entry | {"zlib": text[:rng.randrange(len(text))]}
    if how == "missing values":
        short = values[:rng.randrange(values.size)].tobytes()
        return entry | {"zlib": base64.b64encode(zlib.compress(short)).decode()}
    if how == "huge":
        return entry | {"shape": [10**7] + entry["shape"][1:]}
    if how == "dtype":
        return entry | {"dtype": rng.choice(["float64", "float16", "int8", None, 3])}
    raise AssertionError(how)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 10**6),
       how=st.sampled_from(["shape", "rank", "nan", "inf", "truncated base64", "missing values",
                            "huge", "dtype"]))
def test_damaged_weights_are_refused_with_a_message(seed, how):
    import copy
    import random
    rng = random.Random(seed)
    state = copy.deepcopy(REWARD.export_state())
    path, entry = rng.choice(list(tensor_entries(state)))
    target = state
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = damaged(entry, how, rng)
    with pytest.raises(WeightsError) as caught:
        check_saved_state(state, MANIFEST, adam=True)
    assert path[-1] in str(caught.value) or "too many" in str(caught.value)


def test_a_refused_state_leaves_the_model_as_it_was():
    import copy

    import torch
    state = copy.deepcopy(REWARD.export_state())
    state["model"]["weights"]["head.bias"]["zlib"] = state["model"]["weights"]["head.bias"]["zlib"][:4]
    before = {k: v.clone() for k, v in REWARD.model.state_dict().items()}
    snapshot = REWARD.snapshot()
    with pytest.raises(WeightsError):
        REWARD.import_state(state)
    assert all(torch.equal(before[k], v) for k, v in REWARD.model.state_dict().items())
    assert REWARD.snapshot() == snapshot
