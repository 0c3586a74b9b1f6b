import json

import pytest

from explainer.core.language.rankings import (
    MAX_BYTES, Comparison, Feedback, FeedbackError, default_feedback, load_feedback,
    parse_feedback, save_feedback)
from explainer.core.language.text import tokenize


def test_shipped_feedback_is_rich_enough_for_the_lesson():
    feedback = default_feedback()
    assert len(feedback.prompts) == 30
    assert [p.id for p in feedback.prompts if p.held_out] == ["p07", "p14", "p21", "p28"]
    assert all(4 <= len(p.responses) <= 6 for p in feedback.prompts)
    assert all(len(tokenize(r.text)) <= 40 for p in feedback.prompts for r in p.responses)   # padded ones too
    assert all(p.id in feedback.orderings for p in feedback.prompts)
    assert not feedback.contradictions() and not feedback.prompts_needing_feedback()


def test_an_ordering_gives_every_pair_i_before_j_and_ties_give_none():
    feedback = Feedback().add_prompt("q ?").add_response("p01", "a").add_response("p01", "b") \
        .add_response("p01", "c").set_ordering("p01", ["p01-c", "p01-a", "p01-b"])
    assert [(p.better_id, p.worse_id) for p in feedback.pairs()] == \
        [("p01-c", "p01-a"), ("p01-c", "p01-b"), ("p01-a", "p01-b")]
    feedback = feedback.add_tie("p01", "p01-a", "p01-b").add_comparison("p01", "p01-a", "p01-c")
    assert len(feedback.pairs()) == 4 and feedback.pairs()[-1].source == "comparison"
    assert feedback.ties() == [Comparison("p01", "p01-a", "p01-b", True)]
    assert feedback.pairs(held_out=True) == []
    assert len(feedback.set_held_out("p01", True).pairs(held_out=True)) == 4


def test_cycles_and_opposite_comparisons_are_contradictions():
    f = Feedback().add_prompt("q ?")
    for text in "abc":
        f = f.add_response("p01", text)
    f = f.add_comparison("p01", "p01-a", "p01-b").add_comparison("p01", "p01-b", "p01-c")
    assert f.contradictions() == []
    cycle = f.add_comparison("p01", "p01-c", "p01-a").contradictions()
    assert [c.cycle for c in cycle] == [("p01-a", "p01-b", "p01-c", "p01-a")]
    opposite = f.add_comparison("p01", "p01-b", "p01-a").contradictions()
    assert [c.cycle for c in opposite] == [("p01-a", "p01-b", "p01-a")]
    assert opposite[0] == f.add_comparison("p01", "p01-b", "p01-a").remove_last_comparison() \
        .add_comparison("p01", "p01-b", "p01-a").contradictions()[0]


def test_edits_return_new_feedback_and_deleting_a_response_cleans_up():
    base = default_feedback()
    edited = base.delete_response("p01", "p01-a")
    assert base.prompt("p01").responses[0].id == "p01-a"          # unchanged
    assert "p01-a" not in edited.orderings["p01"]
    assert all("p01-a" not in p.better_id + p.worse_id for p in edited.pairs())
    assert edited.edit_prompt("p02", "where is paris ?").prompt("p02").text == "where is paris ?"
    assert edited.edit_response("p02", "p02-a", "paris !").prompt("p02").response("p02-a").text == "paris !"
    grown = base.add_prompt("how do i fly ?").add_response("p31", "you can not .")
    assert grown.prompts[-1].id == "p31" and grown.prompts[-1].responses[0].id == "p31-a"
    assert grown.prompts_needing_feedback() == [grown.prompts[-1]]
    assert "p01" not in base.delete_prompt("p01").orderings
    for bad in (lambda: base.set_ordering("p01", ["p02-a"]), lambda: base.add_comparison("p01", "p01-a", "p01-a"),
                lambda: base.add_response("p99", "x"), lambda: base.edit_prompt("p01", "  "),
                lambda: base.set_ordering("p01", ["p01-a", "p01-a"])):
        with pytest.raises(FeedbackError):
            bad()


def test_json_round_trip_and_atomic_save(tmp_path):
    feedback = default_feedback().add_tie("p01", "p01-a", "p01-b").set_held_out("p01", True)
    assert parse_feedback(feedback.to_json()) == feedback
    path = tmp_path / "rankings.json"
    path.write_text("old")
    save_feedback(feedback, path)
    assert load_feedback(path) == feedback
    assert [f.name for f in tmp_path.iterdir()] == ["rankings.json"]   # no temporary file left


def _good() -> dict:
    return json.loads(default_feedback().to_json())


def _mutations():
    def edit(fn):
        data = _good()
        fn(data)
        return json.dumps(data)
    yield default_feedback().to_json()[:-40]                                    # truncated
    yield "[]"
    yield edit(lambda d: d.update(version=2))
    yield edit(lambda d: d.update(prompts={}))                                  # wrong types
    yield edit(lambda d: d["prompts"][0].update(held_out="yes"))
    yield edit(lambda d: d["prompts"][0].update(text=3))
    yield edit(lambda d: d["prompts"][0]["responses"][0].update(text=""))
    yield edit(lambda d: d["orderings"][0].update(order=["p01-a", "nope"]))   # unknown ids
    yield edit(lambda d: d["orderings"][0].update(prompt_id="p99"))
    yield edit(lambda d: d["comparisons"].append({"prompt_id": "p01", "better": "p02-a", "worse": "p01-b"}))
    yield edit(lambda d: d["comparisons"].append({"prompt_id": "p01", "tie": ["p01-a"]}))
    yield edit(lambda d: d["prompts"][1].update(id="p01"))                     # duplicate ids
    yield edit(lambda d: d["prompts"][1]["responses"][0].update(id="p01-a"))
    yield edit(lambda d: d["orderings"].append(d["orderings"][0]))
    yield edit(lambda d: d["orderings"][0]["order"].append("p01-a"))
    yield default_feedback().to_json().replace('"held_out": false', '"held_out": NaN', 1)
    yield '{"format": "explainer-feedback", "version": 1, "prompts": [], "x": Infinity}'
    yield "[" * 100_000


@pytest.mark.parametrize("text", list(_mutations()))
def test_malformed_feedback_gets_a_clear_error(text):
    with pytest.raises(FeedbackError):
        parse_feedback(text)


def test_bad_files_are_rejected_and_change_nothing(tmp_path):
    good = tmp_path / "good.json"
    save_feedback(default_feedback(), good)
    before = good.read_bytes()
    loaded = load_feedback(good)
    for name, data in (("bad.json", b"\xff\xfe{"), ("huge.json", b" " * (MAX_BYTES + 1)),
                       ("cut.json", before[:100])):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(FeedbackError, match=name):
            load_feedback(tmp_path / name)
    with pytest.raises(FeedbackError, match="UTF-8"):
        load_feedback(tmp_path / "bad.json")
    with pytest.raises(FeedbackError, match="larger"):
        load_feedback(tmp_path / "huge.json")
    with pytest.raises(FeedbackError):
        load_feedback(tmp_path / "missing.json")
    assert good.read_bytes() == before and load_feedback(good) == loaded == default_feedback()
