"""What the file fuzzers share: hostile values, mutations of a valid file (a value replaced
anywhere in it, or its bytes truncated, flipped or padded), each tab's shown state, and a tally.

`FUZZ_EXAMPLES=n` runs n examples instead of the suite's few; `FUZZ_TALLY=path` appends each
case's outcome (kind, "accepted" / "refused", seconds) to a JSON-lines file, from which
benchmarks/fuzz_figures.py counts the README's figures."""
from __future__ import annotations

import json
import os
import time

from hypothesis import HealthCheck, settings, strategies as st

HOSTILE = st.one_of(
    st.just(10**400), st.just(-(10**400)), st.just(2**63), st.just(-1), st.just(1e308),
    st.just(True), st.just(None), st.just(""), st.just("<img src='/nonexistent/x.png'>"),
    st.just([]), st.just({}), st.just([[[[[]]]]]), st.just(1999999.0), st.just(0.5),
    st.just("nan"), st.just(2_000_000), st.text(max_size=8), st.integers(-10, 10**7),
    st.floats(allow_nan=False, allow_infinity=False, width=32))


def paths(value, here=()):
    """Every place in a JSON value (dict keys and list indices), the value itself included."""
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, here + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:6]):
            yield from paths(item, here + (index,))


def replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


def fuzz_settings(examples: int):
    """Hypothesis settings: `examples` in the suite, FUZZ_EXAMPLES when set."""
    return settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", examples)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


def mutations(document) -> st.SearchStrategy:
    """Bytes of a file: `document` (JSON) with one value replaced by a hostile one, or its
    serialised bytes truncated, bit-flipped or with junk inserted."""
    text = json.dumps(document).encode("utf-8")
    places = [p for p in paths(document) if p]
    one_value = st.builds(lambda place, value: json.dumps(replaced(document, place, value))
                          .encode("utf-8"), st.sampled_from(places), HOSTILE)
    truncated = st.integers(0, len(text) - 1).map(lambda n: text[:n])
    flipped = st.tuples(st.integers(0, len(text) - 1), st.integers(0, 7)).map(
        lambda at: text[:at[0]] + bytes([text[at[0]] ^ (1 << at[1])]) + text[at[0] + 1:])
    inserted = st.tuples(st.integers(0, len(text)), st.binary(min_size=1, max_size=16)).map(
        lambda at: text[:at[0]] + at[1] + text[at[0]:])
    return st.one_of(one_value, one_value, truncated, flipped, inserted)


def shown_state(window) -> dict:
    """Every built tab's session part, as text (compared before and after an attempt)."""
    return {key: json.dumps(state, sort_keys=True, default=str)
            for key, state in window.sessions.parts().items()}


def one_sentence(said: str) -> bool:
    return bool(said.strip()) and "\n" not in said and "Traceback" not in said and len(said) < 600


class Tally:
    """Each case's outcome, appended to FUZZ_TALLY's file when that is set."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.path = os.environ.get("FUZZ_TALLY")
        self.started = 0.0

    def start(self) -> None:
        self.started = time.perf_counter()

    def outcome(self, accepted: bool) -> None:
        if self.path:
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"kind": self.kind, "accepted": accepted,
                                    "seconds": time.perf_counter() - self.started}) + "\n")


def attempt_then_close(window, attempt) -> None:
    """Run one fuzz case's attempt, then end the window and its tabs' processes whatever happened."""
    try:
        attempt()
    finally:
        for tab in window._built.values():
            tab.shutdown()
        window.close()
