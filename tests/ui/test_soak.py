"""Soak: step, save and open sessions in a loop while the training processes of tabs 3 and 4 train
on. Every saved file reopens as it was saved (the lessons' runs, the rankings, both trained models),
no exception or error message comes up, and the window's memory stays bounded."""
import json
import time

from explainer.core.files.session import load_session
import pytest

pytestmark = pytest.mark.slow   # tabs 3 and 4 train in their processes


READY_MS = 180_000
WORK_MS = 60_000
ROUNDS = 16
RSS_GROWTH_MB = 200   # generous: a leak of the models or the files per round would pass it soon


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def done_updates(rlhf) -> int:
    """Policy updates shown so far (no series before the first update of a fresh run arrives)."""
    return len(rlhf.series.update) if rlhf.series is not None else 0


def test_step_save_and_open_in_a_loop_while_training(qtbot, fresh_window, tmp_path):
    window = fresh_window
    window._build_every_tab()
    policy, essentials = window.policy_tab, window.essentials_tab
    reward, rlhf = window.reward_tab.controller, window.rlhf_tab.controller
    errors = []
    for c in (reward, rlhf):
        c.message.connect(lambda text, level: level == "error" and errors.append(text))
    window.reward_tab.start()
    rlhf.warm_up()
    qtbot.waitUntil(lambda: reward.ready and reward.weights_manifest is not None
                    and rlhf.is_ready and rlhf.weights_manifest is not None, timeout=READY_MS)
    rlhf.set_setting("batch_size", 4)   # short updates: many in a round
    sizes = []
    try:
        for round_ in range(ROUNDS):
            reward.train(100_000)
            rlhf.train(5_000)
            step, updates = reward.snapshot.step, done_updates(rlhf)
            qtbot.waitUntil(lambda: reward.running and rlhf.running, timeout=WORK_MS)
            qtbot.waitUntil(lambda: reward.snapshot.step >= step + 3   # saved mid-training
                            and done_updates(rlhf) >= updates + 1, timeout=WORK_MS)
            for _ in range(3):
                policy.controller.next()
                essentials.controller.next()
            lessons = {"policy": policy.session_state(), "essentials": essentials.session_state()}
            feedback = window.reward_tab.session_state()["feedback"]
            path = tmp_path / f"round-{round_}.explainer.json"
            assert window.sessions.save(path)
            parts = load_session(path)
            assert {k: parts[k] for k in lessons} == lessons and \
                parts["reward_model"]["feedback"] == feedback
            saved_step = parts["reward_model"]["weights"]["step"]
            saved_series = parts["rlhf"]["weights"]["series"]
            assert saved_step > 0 and saved_series is not None   # both models, trained mid-run

            policy.controller.next()    # the window moves on, then the file is opened again
            essentials.controller.next()
            assert window.sessions.open(path)
            qtbot.waitUntil(lambda: not reward.running and not rlhf.running, timeout=WORK_MS)
            qtbot.waitUntil(lambda: reward.snapshot.step == saved_step, timeout=WORK_MS)
            qtbot.waitUntil(lambda: rlhf.series is not None and rlhf.settled()
                            and list(rlhf.series.update) == saved_series["update"],
                            timeout=WORK_MS)
            assert {"policy": policy.session_state(),
                    "essentials": essentials.session_state()} == lessons
            assert window.reward_tab.session_state()["feedback"] == feedback
            assert json.loads(json.dumps(rlhf.series.reward)) == saved_series["reward"]
            sizes.append(rss_mb())
            print(f"round {round_}: Reward model step {saved_step}, RLHF updates "
                  f"{len(saved_series['update'])}, RSS {sizes[-1]:.0f} MB")
        assert errors == []
        assert max(sizes) - sizes[1] < RSS_GROWTH_MB, sizes   # from the second round: warmed up
    finally:
        for tab in window._built.values():
            tab.shutdown()
        window.close()
