"""The exported script says each call once: a repeated `set` adds nothing to the replay."""
from explainer.core.fries.essentials import EssentialsRun
from explainer.core.files.export_code import script
from explainer.core.fries.policy_gradient import PolicyGradientRun
from explainer.core.files.session import lesson_state, restore_lesson


def test_a_seed_set_twice_is_written_once_and_replays_the_same():
    run = PolicyGradientRun(seed=0)
    run.set(seed=0)        # the export command fixes the seed, then the worked example again
    run.set(seed=0)
    run.set(weight=20.0, bias=0.0)
    run.episode(x=0.0, action="squatch", outcome="small", u=0.2)
    run.set(seed=0)        # after an episode it restarts the run: kept
    run.episode(x=1.0, action="norm", outcome="large", u=0.3)
    text = script("policy", lesson_state(run))
    assert text.count("run.set(seed=0)") == 2
    assert "run.set(seed=0)\nrun.set(seed=0)" not in text
    again = restore_lesson("policy", lesson_state(run))
    assert list(again.history) == list(run.history) and again.cursor == run.cursor


def test_a_repeated_essentials_set_is_written_once():
    run = EssentialsRun(seed=0)
    for _ in range(3):
        run.set(seed=0, learning_rate=0.1)
    assert [entry["op"] for entry in run.log] == ["set"]
