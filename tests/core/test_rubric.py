import pytest
from hypothesis import given, settings, strategies as st

from explainer.core.rubric import CRITERIA, GATES, WEIGHTS, content_words, score, true_score

PROMPT = "How do I keep my houseplants alive?"
GOOD = "Happy to help! Water your plants once a week and give them bright light."
REFERENCE = "Glad to help: water the plants weekly and keep them near a bright window."


def test_a_polite_on_topic_answer_scores_near_one():
    result = true_score(PROMPT, GOOD, REFERENCE)
    assert result.score == pytest.approx(1.0)
    assert all(c.value == 1.0 for c in result.criteria)


@pytest.mark.parametrize("degenerate", ["", "! !", "sure thing !", "plants plants plants plants",
                                        "thanks thanks thanks thanks thanks"])
def test_the_degenerate_answers_of_reward_hacking_score_low(degenerate):
    assert score(PROMPT, degenerate, REFERENCE) < 0.5 < score(PROMPT, GOOD, REFERENCE)


def test_empty_answers_score_zero():
    for empty in ("", "   ", "! ! ?", "..."):
        result = true_score(PROMPT, empty)
        assert result.score == 0.0 and result["not_empty"] == 0.0


def test_an_insult_costs_the_no_insult_criterion():
    rude = "Water the plants, obviously. Figure it out yourself, it is not hard."
    result = true_score(PROMPT, rude, REFERENCE)
    assert result["no_insult"] == 0.0 and result["answers"] == 1.0
    assert "figure it out" in result.criteria[CRITERIA.index("no_insult")].reason
    assert result.score < score(PROMPT, GOOD, REFERENCE) - 0.3


def test_a_polite_answer_off_topic_does_not_answer():
    off = "Thank you so much for asking, I hope you have a lovely day."
    result = true_score(PROMPT, off, REFERENCE)
    assert result["answers"] == 0.0 and result["polite"] == 1.0
    assert result.score < score(PROMPT, GOOD, REFERENCE)


def test_answers_counts_the_prompt_topic_without_a_reference():
    assert true_score(PROMPT, "Houseplants need water and light.")["answers"] == 1.0
    assert true_score(PROMPT, "Cars need fuel.")["answers"] == 0.0


def test_length_prefers_sensible_answers():
    assert true_score(PROMPT, "Water plants.")["length"] == pytest.approx(0.5)
    assert true_score(PROMPT, " ".join(f"w{i}x" for i in range(90)))["length"] == 0.0


def test_breakdown_names_every_criterion_with_a_reason():
    result = true_score(PROMPT, GOOD)
    assert tuple(c.name for c in result.criteria) == CRITERIA
    assert all(c.reason and c.weight == WEIGHTS[c.name] for c in result.criteria)
    assert all(WEIGHTS[g] == 0.0 for g in GATES) and sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert set(result.as_dict()) == {*CRITERIA, "score"}


def test_content_words_fold_plurals_and_drop_stop_words():
    assert content_words("The plants and a plant") == {"plant"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=200), st.one_of(st.none(), st.text(max_size=80)))
def test_score_is_always_in_zero_one(prompt, response, reference):
    result = true_score(prompt, response, reference)
    assert 0.0 <= result.score <= 1.0
    assert all(0.0 <= c.value <= 1.0 for c in result.criteria)


def test_on_the_shipped_rankings_the_best_answer_beats_the_worst():
    import json
    from explainer.paths import read_text
    feedback = json.loads(read_text("rlhf", "feedback.json"))
    orders = {o["prompt_id"]: o["order"] for o in feedback["orderings"]}
    for prompt in feedback["prompts"]:
        texts = {r["id"]: r["text"] for r in prompt["responses"]}
        best, *_, worst = orders[prompt["id"]]
        assert score(prompt["text"], texts[best], texts[best]) > score(prompt["text"], texts[worst], texts[best])
