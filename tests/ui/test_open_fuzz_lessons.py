"""Lesson (walkthrough) files from strangers, fuzzed through the tabs' own "Guided walkthrough"
path (`start_walkthrough(path)`): a shipped lesson with a value replaced by a hostile one, or its
bytes truncated, flipped or padded, either starts (and is ended again) or is refused in one
sentence with nothing changed; no exception reaches the event loop."""
import json

from hypothesis import given, strategies as st

from explainer.paths import resource
from tests.ui.fuzz_support import (Tally, attempt_then_close, fuzz_settings, mutations,
                                    one_sentence, shown_state)
import pytest

pytestmark = pytest.mark.slow   # accepted lessons start training processes


LESSONS = {f.name: json.loads(f.read_text(encoding="utf-8"))
           for f in sorted(resource("lessons").iterdir()) if f.name.endswith(".json")}
TABS = {"essentials": "essentials_tab", "policy": "policy_tab", "reward": "reward_tab",
        "rlhf": "rlhf_tab"}


def walking(tab):
    player = getattr(tab, "player", None)
    return (player.walk if player is not None else tab.walk) is not None


def messages_of(tab):
    """The signal a tab says a refused lesson with."""
    player = getattr(tab, "player", None)
    return player.message if player is not None else tab.controller.message


def test_a_strangers_lesson_starts_or_changes_nothing(qtbot, fresh_window, tmp_path):
    window = fresh_window
    window._build_every_tab()
    tally = Tally("lesson")
    cases = st.sampled_from(sorted(LESSONS)).flatmap(
        lambda name: st.tuples(st.just(name), mutations(LESSONS[name])))

    @fuzz_settings(40)
    @given(cases)
    def attempt(case):
        name, blob = case
        tab = getattr(window, TABS[LESSONS[name]["lesson"]])
        path = tmp_path / name
        path.write_bytes(blob)
        shown, said = shown_state(window), []
        messages_of(tab).connect(said.append)
        tally.start()
        try:
            tab.start_walkthrough(str(path))
        finally:
            messages_of(tab).disconnect(said.append)
        accepted = walking(tab)
        tally.outcome(accepted)
        if accepted:
            tab.end_walkthrough()
            return
        assert len(said) == 1 and one_sentence(said[0]), said
        assert shown_state(window) == shown          # refused: nothing changed

    attempt_then_close(window, attempt)
