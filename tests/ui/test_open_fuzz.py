"""File ▸ Open, fuzzed through the window's own path: a session from a stranger, with any value
of a valid one replaced by something hostile, is either opened or refused in one sentence with
nothing changed; no exception ever reaches the event loop."""
import json

from hypothesis import HealthCheck, given, settings, strategies as st

HOSTILE = st.one_of(
    st.just(10**400), st.just(-(10**400)), st.just(2**63), st.just(-1), st.just(1e308),
    st.just(True), st.just(None), st.just(""), st.just("<img src='/nonexistent/x.png'>"),
    st.just([]), st.just({}), st.just([[[[[]]]]]), st.just(1999999.0), st.just(0.5),
    st.just("nan"), st.just(2_000_000), st.text(max_size=8), st.integers(-10, 10**7),
    st.floats(allow_nan=False, allow_infinity=False, width=32))


def _paths(value, here=()):
    """Every place in a JSON value (dict keys and list indices), the value itself included."""
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, here + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:6]):
            yield from _paths(item, here + (index,))


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _valid_parts(window) -> dict:
    tab = window.policy_tab
    tab.run.episode(x=0.3, action="norm", outcome="large", u=0.4)
    tab.controller.next()
    window.essentials_tab.controller.next()
    return {"policy": tab.session_state(), "essentials": window.essentials_tab.session_state()}


def test_a_strangers_session_opens_or_changes_nothing(qtbot, fresh_window, tmp_path):
    window = fresh_window
    parts = _valid_parts(window)
    places = [p for p in _paths(parts) if p]

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.sampled_from(places), HOSTILE)
    def attempt(place, hostile):
        shown = {k: json.dumps(t.session_state(), sort_keys=True)
                 for k, t in (("policy", window.policy_tab), ("essentials", window.essentials_tab))}
        path = tmp_path / "stranger.json"
        path.write_text(json.dumps({"format": "explainer-session", "version": 1,
                                    "parts": _replaced(parts, place, hostile)}))
        if window.sessions.open(path):
            return
        said = window.banner.text()
        assert said.startswith("Nothing was changed") and "<img" not in said, said
        assert "\n" not in said                      # one sentence, not a traceback
        now = {k: json.dumps(t.session_state(), sort_keys=True)
               for k, t in (("policy", window.policy_tab), ("essentials", window.essentials_tab))}
        assert now == shown

    attempt()
    window.close()
