"""File ▸ Open, fuzzed through the window's own path: a session from a stranger, with any value
of a valid one replaced by something hostile, or its bytes truncated, flipped or padded, is either
opened or refused in one sentence with nothing changed; no exception ever reaches the event loop."""
import json

from hypothesis import given, strategies as st

from tests.ui.fuzz_support import (HOSTILE, Tally, attempt_then_close, fuzz_settings, mutations,
                                   one_sentence, paths, replaced, shown_state)


def _valid_parts(window) -> dict:
    tab = window.policy_tab
    tab.run.episode(x=0.3, action="norm", outcome="large", u=0.4)
    tab.controller.next()
    window.essentials_tab.controller.next()
    return {"policy": tab.session_state(), "essentials": window.essentials_tab.session_state()}


def test_a_strangers_session_opens_or_changes_nothing(qtbot, fresh_window, tmp_path):
    window = fresh_window
    window._build_every_tab()   # opening builds them: built first, they are part of what is shown
    parts = _valid_parts(window)
    places = [p for p in paths(parts) if p]
    document = {"format": "explainer-session", "version": 1, "parts": parts}
    tally = Tally("session")
    one_value = st.builds(lambda place, value: json.dumps(
        {**document, "parts": replaced(parts, place, value)}).encode("utf-8"),
        st.sampled_from(places), HOSTILE)

    @fuzz_settings(60)
    @given(st.one_of(one_value, mutations(document)))
    def attempt(blob):
        shown = shown_state(window)
        path = tmp_path / "stranger.json"
        path.write_bytes(blob)
        tally.start()
        opened = window.sessions.open(path)
        tally.outcome(opened)
        said = window.banner.text()
        if opened:
            return
        assert said.startswith("Nothing was changed") and "<img" not in said, said
        assert one_sentence(said)                    # one sentence, not a traceback
        assert shown_state(window) == shown

    attempt_then_close(window, attempt)
