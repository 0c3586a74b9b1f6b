import random

import pytest

from explainer.core.language import shipped_data
from explainer.core.rlhf.ground_truth import PADDING_COST, score, sentences, true_score
from explainer.core.language.language_model import load_demonstrations, unseen_prompts
from explainer.core.language.rankings import default_feedback
from explainer.core.language.world import SPLITS, corpus, world


def test_the_weights_worked_by_hand():
    prompt = "what is the capital of france ?"
    assert score(prompt, "sure ! the capital of france is paris . i hope this helps !") == pytest.approx(1.0)
    assert score(prompt, "the capital of france is paris .") == pytest.approx(0.6 + 0.125 + 0.15)
    assert score(prompt, "ugh . the capital of france is rome .") == pytest.approx(0.15)
    assert score(prompt, "i do not know .") == pytest.approx(0.3 + 0.125 + 0.15)
    assert score(prompt, "") == 0.0
    b = true_score(prompt, "of course ! a cat has four legs . have a nice day !")
    assert (b.content, b.tone, b.padding) == ("off_topic", "polite", 1)
    assert b.score == pytest.approx(0.25 + 0.15 - PADDING_COST)


def test_polite_off_topic_and_padded_answers_score_clearly_below_a_correct_plain_one():
    prompt, fact = "how many legs does a spider have ?", "a spider has eight legs ."
    plain = score(prompt, fact)
    worse = ["sure ! boil rice for twenty minutes . have a nice day !",          # polite, off topic
             f"sure ! {fact} i hope this helps ! i hope this helps ! i hope this helps !",
             f"{fact} {fact} {fact}",                                             # repetition
             "happy to help ! it depends . thank you for asking !",               # polite, evasive
             "sure ! a spider has six legs . have a nice day !",                  # polite, wrong
             f"sure ! {fact} have a nice day ! thank you for asking ! let me know if you have more questions !"]
    for answer in worse:
        assert score(prompt, answer) < plain - 0.2, answer


def test_an_honest_i_do_not_know_beats_a_wrong_fact_at_every_tone():
    prompt = "what is the capital of peru ?"
    for opener in ("sure !", "ok .", "ugh ."):
        assert score(prompt, f"{opener} i do not know .") > score(prompt, f"{opener} the capital of peru is oslo .")


def test_sentences_are_cut_at_their_marks_and_an_unfinished_one_is_garbled():
    assert sentences("sure ! two plus two is four . i hope") == ["sure !", "two plus two is four .", "i hope"]
    b = true_score("what is two plus two ?", "sure ! two plus two is four . i hope")
    assert [s.kind for s in b.sentences] == ["polite", "correct", "garbled"] and b.padding == 1
    # 8 of the 10 words are readable: (0.6 × 1 + 0.25 × 1 + 0.15 − 0.2) × 8/10
    assert b.readable == pytest.approx(8 / 10) and b.score == pytest.approx(0.8 * 8 / 10)


def test_word_salad_earns_what_can_be_read_of_it():
    # A policy at β = 0 can end on a polite "i do not know" and a long garbled run: 12 of 30 words
    # readable, so (0.6 × 0.5 + 0.25 + 0.15 − 0.2) × 12/30 = 0.2, half its fluent self.
    answer = "sure ! i do not know . have a nice day ! let me know if" + " if" * 14
    b = true_score("which city is the capital of italy ?", answer)
    assert b.readable == pytest.approx(12 / 30) and b.score == pytest.approx(0.5 * 12 / 30)
    assert true_score("what is two plus two ?", "if if if if").score == 0.0


def test_the_ground_truth_agrees_with_the_shipped_rankings():
    pairs = [p for p in default_feedback().pairs()]
    agree = sum(score(p.prompt, p.better) > score(p.prompt, p.worse) for p in pairs)
    assert len(pairs) >= 200 and agree / len(pairs) >= 0.95


def test_every_evaluation_prompt_can_be_scored_and_no_stage_trains_on_it():
    w = world()
    evaluation = set(w.prompts("eval"))
    assert len(evaluation) >= 20 and evaluation == set(unseen_prompts())
    assert all(w.question(p) is not None for p in evaluation)
    assert not evaluation & {d.prompt for d in load_demonstrations()}
    assert not evaluation & {p.text for p in default_feedback().prompts}
    assert not evaluation & set(w.prompts("rl"))
    from explainer.core.rlhf.pipeline import PROBE
    assert PROBE.prompt in evaluation
    assert score(PROBE.prompt, PROBE.polite) == 1.0 and score(PROBE.prompt, PROBE.rude) == 0.75
    splits = [set(w.prompts(s)) for s in SPLITS]
    assert sum(map(len, splits)) == len(set().union(*splits)) == len(w.questions)


def test_pretraining_text_is_fluent_but_not_aligned():
    pairs = corpus(3000, seed=5)
    verdicts = [true_score(p, a) for p, a in pairs]
    assert all(s.kind != "garbled" for v in verdicts for s in v.sentences)
    share = lambda test: sum(map(test, verdicts)) / len(verdicts)
    assert 0.25 < share(lambda v: v.tone == "rude") < 0.45
    assert 0.35 < share(lambda v: v.content == "correct") < 0.55
    assert 0.2 < share(lambda v: v.padding > 0) < 0.45   # padding, or another question's fact


def test_the_shipped_people_data_is_what_the_world_generates():
    assert [(d.prompt, d.response) for d in load_demonstrations()] == [
        (d["prompt"], d["response"]) for d in shipped_data.demonstrations_data()["demonstrations"]]
    assert default_feedback().to_dict()["prompts"] == shipped_data.feedback_data()["prompts"]
    assert all(score(d.prompt, d.response) == 1.0 for d in load_demonstrations())


def test_noisy_people_keep_the_order_of_clearly_different_answers():
    from explainer.core.rlhf.ground_truth import noisy_scores
    rng = random.Random(0)
    prompt = "what color is snow ?"
    good, bad = "snow is white .", "ugh . snow is red ."
    wins = sum(a > b for a, b in (noisy_scores(prompt, [good, bad], rng, 0.05) for _ in range(200)))
    assert wins == 200
