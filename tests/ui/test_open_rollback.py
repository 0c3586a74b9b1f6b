"""Opening a session never wipes the RLHF run while saying "Opened …": a part the window can check
is checked before anything changes, and one the training process still refuses puts the run
shown before back, saying so in one sentence."""
import pytest
import base64
import json
import struct
import zlib

from PySide6 import QtWidgets

from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
from explainer.ui.rlhf_tab.tab import RLHFTab
from explainer.ui.shell.session_actions import SessionActions

READY_MS = 120_000
WORK_MS = 60_000


def rlhf_window(qtbot):
    tab = RLHFTab(FeedbackLink())
    tabs = QtWidgets.QTabWidget()
    tabs.addTab(tab, "RLHF")
    qtbot.addWidget(tabs)
    tabs.resize(1600, 950)
    tabs.show()
    sessions = SessionActions(tabs)
    sessions.watch()
    c = tab.controller
    qtbot.waitUntil(lambda: c.is_ready and c.weights_manifest is not None, timeout=READY_MS)
    qtbot.waitUntil(lambda: c.compare is not None and c.settled(), timeout=WORK_MS)
    return tab, sessions


def with_bad_generator(path, out):
    """The saved session with its generator's 'seeded' flag 0: torch refuses such a state."""
    doc = json.loads(path.read_text())
    entry = doc["parts"]["rlhf"]["weights"]["generator"]
    raw = bytearray(zlib.decompress(base64.b64decode(entry["zlib"])))
    struct.pack_into("<i", raw, 12, 0)
    entry["zlib"] = base64.b64encode(zlib.compress(bytes(raw))).decode("ascii")
    doc["parts"]["rlhf"]["seed"] = 7
    out.write_text(json.dumps(doc))
    return out


@pytest.mark.slow   # the RLHF training process
def test_a_generator_state_torch_refuses_is_refused_before_anything_changes(qtbot, tmp_path,
                                                                             monkeypatch):
    tab, sessions = rlhf_window(qtbot)
    c = tab.controller
    c.set_setting("batch_size", 4)
    c.train(2)
    qtbot.waitUntil(lambda: c.running, timeout=WORK_MS)
    qtbot.waitUntil(lambda: not c.running and c.settled(), timeout=WORK_MS)
    path = tmp_path / "run.explainer.json"
    assert sessions.save(path)
    bad = with_bad_generator(path, tmp_path / "bad.explainer.json")
    shown = (c.record, c.series, c.seed, tab.session_state())
    said = []
    sessions.message.connect(said.append)

    assert not sessions.open(bad)                 # checked in the window: nothing changes
    assert said[-1].startswith("Nothing was changed") and "random generator" in said[-1]
    assert (c.record, c.series, c.seed, tab.session_state()) == shown

    # A refusal only the training process finds (the window's check let through): the run shown
    # before comes back, and the window says so after "Opened …".
    import explainer.core.rlhf.training as rlhf_session
    monkeypatch.setattr(rlhf_session, "generator_state_problem", lambda raw: None)
    assert sessions.open(bad)
    qtbot.waitUntil(lambda: "could not be loaded" in said[-1], timeout=WORK_MS)
    assert said[-2] == "Opened bad.explainer.json" and "\n" not in said[-1]
    assert "shows the run it showed before" in said[-1]
    qtbot.waitUntil(lambda: c.settled() and c.record == shown[0] and c.series == shown[1],
                    timeout=WORK_MS)
    assert c.seed == shown[2] and tab.session_state() == shown[3]
    tab.shutdown()
