"""Every file format's loader checks its header in one place (jsonfile.checked_header): a file of
another kind, of an unknown version, or with `true` for its version is refused in one sentence."""
import json

import pytest

from explainer.core.files import session, walkthrough
from explainer.core.files.jsonfile import checked_header
from explainer.core.fries import scenarios
from explainer.core.language import language_model, rankings, text, world

LOADERS = {
    "scenario": (scenarios.parse_scenario, scenarios.FORMAT),
    "session": (session.parse_session, session.FORMAT),
    "lesson": (walkthrough.parse_lesson, walkthrough.FORMAT),
    "feedback": (rankings.parse_feedback, rankings.FORMAT),
    "demonstrations": (language_model.parse_demonstrations, language_model.DEMONSTRATIONS_FORMAT),
    "world": (world.parse_world, world.WORLD_FORMAT),
    "vocabulary": (text.Vocabulary.from_json, text.FORMAT),
}
BAD_HEADERS = {
    "another kind": lambda kind: {"format": "explainer-other", "version": 1},
    "no format": lambda kind: {"version": 1},
    "a later version": lambda kind: {"format": kind, "version": 3},
    "version true": lambda kind: {"format": kind, "version": True},
    "version 1.0 as text": lambda kind: {"format": kind, "version": "1"},
    "a list": lambda kind: [kind, 1],
}


@pytest.mark.parametrize("bad", sorted(BAD_HEADERS))
@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_wrong_header_is_refused_in_one_sentence(name, bad):
    load, kind = LOADERS[name]
    with pytest.raises(ValueError) as refused:
        load(json.dumps(BAD_HEADERS[bad](kind)))
    message = str(refused.value)
    assert "\n" not in message and (kind in message or "explainer-other" not in message)
    assert "not an" in message or "is not supported" in message


def test_the_header_check_names_what_it_reads():
    class Refused(ValueError):
        pass
    assert checked_header({"format": "k", "version": 3}, "f.json", Refused, "k", (2, 3))["version"] == 3
    with pytest.raises(Refused, match=r"^f\.json: not an k file$"):
        checked_header({"format": "x", "version": 1}, "f.json", Refused, "k")
    with pytest.raises(Refused, match=r"^f\.json: k version 4 is not supported \(this app reads version 2, 3\)$"):
        checked_header({"format": "k", "version": 4}, "f.json", Refused, "k", (2, 3))
    with pytest.raises(Refused, match="version True"):
        checked_header({"format": "k", "version": True}, "f.json", Refused, "k")
