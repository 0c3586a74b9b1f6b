"""Code exported from tabs 3 and 4 repeats what the tabs' sessions compute: run in-process here
against a `RewardSession` driven the way the Reward model tab drives it, rankings, optimizer and
learning rate changing between steps; the printed lines must be the session's numbers exactly."""
import contextlib
import io
import json

import pytest

from explainer.core.files import export_code_rlhf as gen
from explainer.core.language.rankings import default_feedback
from explainer.core.language.reward_training import RewardSession


def run(text: str) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(text, "<exported>", "exec"), {"__name__": "__main__"})
    return out.getvalue().splitlines()


def session_lines(session: RewardSession, prompt_id: str) -> list[str]:
    snap = session.snapshot()
    return gen.expected_reward_lines(snap.history, snap.rewards, snap.step, prompt_id)


def test_a_reward_script_repeats_rankings_optimizer_and_learning_rate_changes_exactly():
    first = default_feedback()
    prompt = first.prompts[0]
    # A new comparison between two responses no ordering relates yet changes the training pairs.
    second = first.add_response(prompt.id, "no idea , sorry .")
    second = second.add_comparison(prompt.id, prompt.responses[0].id,
                                   second.prompt(prompt.id).responses[-1].id)
    session = RewardSession(first)
    session.ensure_model()
    session.snapshot()                     # the tab's first snapshot: held-out pairs at step 0
    session.train(3)
    session.snapshot()
    session.set_feedback(second)           # new pairs: a new trainer, weights kept
    session.train(2)
    session.set_learning_rate(0.05)
    session.train(2)
    session.set_optimizer("sgd")           # a new trainer with SGD
    session.set_learning_rate(0.4)
    session.train(2)
    expected = session_lines(session, prompt.id)
    state = dict(seed=0, rankings=[first.to_json(), second.to_json()],
                 segments=[dict(rankings=0, optimizer="adam", learning_rate=0.01, new_trainer=True,
                                steps=3),
                           dict(rankings=1, optimizer="adam", learning_rate=0.01, new_trainer=True,
                                steps=2),
                           dict(rankings=1, optimizer="adam", learning_rate=0.05,
                                new_trainer=False, steps=2),
                           dict(rankings=1, optimizer="sgd", learning_rate=0.4, new_trainer=True,
                                steps=2)],
                 held_out_at=list(session.snapshot().history.held_steps), prompt_id=prompt.id,
                 notes=[])
    script = gen.script("reward", state)
    assert "NOT EXACT" not in script
    printed = run(script)
    assert printed == expected
    assert len([line for line in printed if line.startswith("step=")]) == 9
    # The notebook holds the same code, cell by cell.
    cells = json.loads(gen.notebook("reward", state))["cells"]
    assert "".join(cells[-1]["source"]) == gen.reward_code_cells(state)[-1]


def test_a_state_the_script_cannot_repeat_says_so_at_the_top():
    state = dict(pipeline_seed=0, triples=[["how do i boil an egg ?", "good", "bad"]], seed=3,
                 settings=dict(beta=0.1), segments=[dict(set={}, phases=16),
                                                    dict(set={"beta": 0.0}, phases=10)],
                 notes=["settings changed while training (beta = 0.0 near update 4)"])
    script = gen.script("rlhf", state)
    head = script.split("import json")[0]
    assert "# NOT EXACT" in head and "beta = 0.0 near update 4" in head
    assert "feedback=[tuple(t) for t in TRIPLES]" in script
    assert "run = RLHFRun(seed=SEED, pipeline=pipeline,\n             beta=0.1)" in script
    assert "records += run.train(4)" in script and "run.set(beta=0.0)" in script
    assert "records += advance(2)   # into update 7" in script and "def advance(phases):" in script
    compile(script, "<exported>", "exec")


@pytest.mark.slow
def test_an_rlhf_script_after_the_reward_hacking_fix_rebuilds_that_reward_model_exactly(rlhf_session):
    from explainer.core.rlhf.training import training_triples
    session = rlhf_session()
    session.start_run(learning_rate=0.01)
    session.train(2)
    feedback, _ = session.fix_hacking(default_feedback())   # what the tab's "fixed" message holds
    session.train(2)
    before = dict(session.settings)                          # the settings the fixed run began with
    session.set(beta=0.0)
    session.train(1)
    shown = session.series()
    state = dict(pipeline_seed=0, triples=training_triples(feedback), seed=0,
                 settings=before,
                 segments=[dict(set={}, phases=8), dict(set={"beta": 0.0}, phases=4)], notes=[])
    printed = run(gen.script("rlhf", state))
    assert printed == [gen.update_line(*row) for row in zip(
        shown.update, shown.reward, shown.true_score, shown.kl, shown.logp_polite,
        shown.logp_rude)] + ["updates done: 3"]
