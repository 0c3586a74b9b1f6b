"""Rankings files from strangers, fuzzed through tab 3's own Open rankings path
(`controller.open_file`, what the dialog calls): the rankings shown with a value replaced by a
hostile one, or their bytes truncated, flipped or padded, are either opened or refused in one
sentence with nothing changed; no exception reaches the event loop."""
import json

from hypothesis import given

from explainer.core.language import rankings
from tests.ui.fuzz_support import (Tally, attempt_then_close, fuzz_settings, mutations,
                                    one_sentence, shown_state)


def test_strangers_rankings_open_or_change_nothing(qtbot, fresh_window, tmp_path):
    window = fresh_window
    window._build_every_tab()
    c = window.reward_tab.controller
    valid = tmp_path / "valid.json"
    rankings.save_feedback(c.feedback, valid)
    document = json.loads(valid.read_text(encoding="utf-8"))
    tally = Tally("rankings")

    @fuzz_settings(60)
    @given(mutations(document))
    def attempt(blob):
        path = tmp_path / "stranger.json"
        path.write_bytes(blob)
        shown, feedback, said = shown_state(window), c.feedback, []
        def hear(text, _level):
            said.append(text)
        c.message.connect(hear)
        tally.start()
        try:
            opened = c.open_file(path)
        finally:
            c.message.disconnect(hear)
        tally.outcome(opened)
        assert len(said) == 1 and one_sentence(said[0]), said
        if opened:
            assert said[0] == "Opened stranger.json"
            c.replace_feedback(feedback)   # back to the rankings before, for the next case
            return
        assert said[0].startswith("Could not open stranger.json: "), said
        assert c.feedback is feedback and shown_state(window) == shown   # nothing changed

    attempt_then_close(window, attempt)
