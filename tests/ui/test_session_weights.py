"""Sessions carry the trained models: a window opened from a saved file shows the same Reward
model scores and the same RLHF policy answers without a single training step."""
import json

import pytest
from PySide6 import QtCore, QtWidgets

from explainer.ui.reward_tab.controller import RewardController
from explainer.ui.reward_tab.tab import RewardTab
from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
from explainer.ui.rlhf_tab.tab import RLHFTab
from explainer.ui.shell.session_actions import SessionActions

pytestmark = pytest.mark.slow   # the tabs' training processes build and train the models

READY_MS = 120_000   # a first use builds the fine-tuned model (and the RLHF Reward model)
WORK_MS = 60_000


def window_with(qtbot, tab, title: str):
    """A bare window holding one tab, with the File menu's save and open."""
    tabs = QtWidgets.QTabWidget()
    tabs.addTab(tab, title)
    qtbot.addWidget(tabs)
    tabs.resize(1600, 950)
    tabs.show()
    return tabs, SessionActions(tabs)


def reward_window(qtbot, tmp_path, name: str):
    controller = RewardController(autosave_path=tmp_path / f"{name}-rankings.json")
    tab = RewardTab(controller)
    tabs, sessions = window_with(qtbot, tab, "Reward model")
    qtbot.waitUntil(lambda: bool(controller.ready and controller.snapshot.rewards
                                 and controller.weights_manifest), timeout=READY_MS)
    return tab, sessions


def test_the_reward_model_opens_with_its_weights_and_is_not_trained_again(qtbot, tmp_path):
    first, first_sessions = reward_window(qtbot, tmp_path, "first")
    c = first.controller
    c.select_prompt("p01")
    c.train(6)
    qtbot.waitUntil(lambda: not c.running and c.snapshot.step == 6, timeout=WORK_MS)
    shown_bars, shown = list(first.bars.values), c.snapshot
    loss_plot = list(first.plots.loss_curve.getData()[1])
    path = tmp_path / "lecture.explainer.json"
    assert first_sessions.save(path)
    weights = json.loads(path.read_text())["parts"]["reward_model"]["weights"]
    assert json.loads(path.read_text())["version"] == 2 and weights["step"] == 6
    first.shutdown()

    second, second_sessions = reward_window(qtbot, tmp_path, "second")
    c2 = second.controller
    trained = []
    c2.running_changed.connect(lambda running: trained.append(running))
    c2.train = lambda *a: pytest.fail("opening a session with weights must not train")
    c2.select_prompt("p01")
    assert second_sessions.open(path)
    qtbot.waitUntil(lambda: c2.snapshot.step == 6, timeout=WORK_MS)
    qtbot.waitUntil(lambda: second.bars.values == shown_bars, timeout=5_000)
    assert dict(c2.snapshot.rewards) == dict(shown.rewards)          # bit for bit
    assert c2.snapshot.pairs == shown.pairs and c2.snapshot.history == shown.history
    qtbot.waitUntil(lambda: second.plots.loss_curve.getData()[1] is not None
                    and list(second.plots.loss_curve.getData()[1]) == loss_plot, timeout=5_000)
    assert trained == []                                              # no training ran at all
    second.shutdown()


def test_weights_that_do_not_fit_change_nothing(qtbot, tmp_path):
    tab, sessions = reward_window(qtbot, tmp_path, "only")
    c = tab.controller
    c.train(2)
    qtbot.waitUntil(lambda: not c.running and c.snapshot.step == 2, timeout=WORK_MS)
    path = tmp_path / "s.json"
    assert sessions.save(path)
    doc = json.loads(path.read_text())
    head = doc["parts"]["reward_model"]["weights"]["model"]["weights"]["head.weight"]
    head["shape"] = [2, 32]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    feedback, shown = c.feedback, c.snapshot
    assert not sessions.open(bad)
    assert c.feedback is feedback and c.snapshot is shown
    assert "Nothing was changed" in messages(sessions, lambda: sessions.open(bad))
    assert "does not fit" in messages(sessions, lambda: sessions.open(bad))
    tab.shutdown()


def messages(sessions, action) -> str:
    said = []
    sessions.message.connect(said.append)
    action()
    sessions.message.disconnect()
    return " ".join(said)


def rlhf_window(qtbot):
    tab = RLHFTab(FeedbackLink())
    tabs, sessions = window_with(qtbot, tab, "RLHF")
    c = tab.controller
    qtbot.waitUntil(lambda: c.is_ready and c.weights_manifest is not None, timeout=READY_MS)
    qtbot.waitUntil(lambda: c.compare is not None, timeout=WORK_MS)
    return tab, sessions


def test_the_rlhf_policy_opens_with_its_weights_and_is_not_trained_again(qtbot, tmp_path):
    first, first_sessions = rlhf_window(qtbot)
    c = first.controller
    c.set_setting("batch_size", 4)
    c.train(3)
    qtbot.waitUntil(lambda: c.running, timeout=WORK_MS)
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    shown_compare, shown_record = first.policy.compare.texts(), c.record
    shown_tokens = (first.policy.tokens.tokens, first.policy.tokens.probs)
    assert c.record.update == 2 and shown_tokens[0]
    path = tmp_path / "rlhf.explainer.json"
    assert first_sessions.save(path)
    print("session file size:", path.stat().st_size, "bytes")
    first.shutdown()

    second, second_sessions = rlhf_window(qtbot)
    c2 = second.controller
    trained = []
    c2.running_changed.connect(lambda running: trained.append(running))
    c2.train = lambda *a: pytest.fail("opening a session with weights must not train")
    assert second.policy.compare.texts() != shown_compare   # a fresh policy answers otherwise
    assert second_sessions.open(path)
    qtbot.waitUntil(lambda: c2.record is not None and c2.record == shown_record, timeout=WORK_MS)
    qtbot.waitUntil(lambda: second.policy.compare.texts() == shown_compare, timeout=WORK_MS)
    assert (second.policy.tokens.tokens, second.policy.tokens.probs) == shown_tokens
    # the series travels apart from the record and the answers (newest-only), so it may come last
    qtbot.waitUntil(lambda: c2.series is not None and c2.series.update == (1, 2, 3), timeout=WORK_MS)
    assert c2.settings["batch_size"] == 4
    assert trained == []
    second.shutdown()


def test_an_rlhf_session_saved_mid_update_reopens_at_the_phase_shown(qtbot, tmp_path):
    """Stepped into an update (Guess, Derivative, Reward, then Previous): the reopened session
    shows the Derivative phase with the same numbers, and keeps the degenerate answers seen."""
    first, first_sessions = rlhf_window(qtbot)
    c, strip = first.controller, first.policy.phase_strip
    c.set_setting("batch_size", 4)
    c.apply_preset("hacking")
    c.train(2)
    qtbot.waitUntil(lambda: c.running, timeout=WORK_MS)
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    for phase in ("guess", "derivative", "reward"):
        qtbot.mouseClick(first.policy.controls.stepper.next, QtCore.Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: c.record is not None and c.record.phase == phase
                        and c.settled(), timeout=WORK_MS)
    qtbot.mouseClick(first.policy.controls.stepper.previous, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: c.record.phase == "derivative" and c.settled(), timeout=WORK_MS)
    shown, shown_text = c.record, strip.current_text()
    path = tmp_path / "mid-update.explainer.json"
    assert first_sessions.save(path)
    saved = json.loads(path.read_text())["parts"]["rlhf"]["weights"]
    assert saved["phases"] == 3 and saved["shown"] == 1 and isinstance(saved["degenerate"], list)
    first.shutdown()

    second, second_sessions = rlhf_window(qtbot)
    c2 = second.controller
    assert second_sessions.open(path)
    qtbot.waitUntil(lambda: c2.record == shown and c2.settled(), timeout=WORK_MS)
    assert second.policy.phase_strip.current_text() == shown_text == "2. Derivative"
    assert second.policy.phase_strip.episode_label.text() == "Update 3"
    # A file whose degenerate answers or phase do not fit is refused whole, saying why.
    doc = json.loads(path.read_text())
    for key, value, why in (("degenerate", [["only a prompt"]], "[prompt, answer]"),
                            ("phases", 7, "'phases'")):
        doc["parts"]["rlhf"]["weights"][key] = value
        bad = tmp_path / f"bad-{key}.json"
        bad.write_text(json.dumps(doc))
        said = messages(second_sessions, lambda: second_sessions.open(bad))
        assert "Nothing was changed" in said and why in said, said
        assert c2.record == shown
        doc = json.loads(path.read_text())
    qtbot.mouseClick(second.policy.controls.stepper.next, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: c2.record.phase == "reward" and c2.settled(), timeout=WORK_MS)
    second.shutdown()


def test_saving_while_training_takes_the_model_between_steps_and_training_goes_on(qtbot, tmp_path):
    tab, sessions = reward_window(qtbot, tmp_path, "busy")
    c = tab.controller
    c.train(100_000)
    qtbot.waitUntil(lambda: c.running and c.snapshot.step > 3, timeout=WORK_MS)
    path = tmp_path / "during.json"
    said = messages(sessions, lambda: sessions.save(path))
    assert "Saved during.json with the Reward model as trained so far (training goes on)" in said
    saved = json.loads(path.read_text())["parts"]["reward_model"]["weights"]
    assert saved["step"] >= 3 and len(saved["history"]["loss"]) == saved["step"]
    step = c.snapshot.step
    qtbot.waitUntil(lambda: c.snapshot.step > step, timeout=WORK_MS)   # still training
    assert c.running
    c.pause()
    qtbot.waitUntil(lambda: not c.running, timeout=WORK_MS)
    tab.shutdown()
