"""A training process imports no Qt: the services and the loop that serves them live in
`explainer.training`, so the spawned child loads the core and torch, never PySide6."""
import pytest

from explainer.core.language.rankings import default_feedback
from explainer.ui.training.process import TrainingProcess
from tests.ui.echo_service import RewardServiceModules

pytestmark = pytest.mark.slow   # spawns a training process, which imports torch

QT = ("PySide6", "shiboken6", "pyqtgraph")


def test_the_training_process_imports_no_qt(qtbot):
    process = TrainingProcess(RewardServiceModules, name="modules")
    got = {}
    process.received.connect(lambda kind, payload: got.setdefault(kind, payload))
    process.start(default_feedback())
    process.call("warm_up")   # builds the Reward model: torch and the core are imported
    process.call("modules")
    qtbot.waitUntil(lambda: "modules" in got, timeout=120_000)
    process.stop()
    loaded = got["modules"]
    assert "torch" in loaded and "explainer.training.rlhf_service" in loaded   # it did the work
    assert "snapshot" in got and got["snapshot"].step == 0
    assert [m for m in loaded if m.split(".")[0] in QT or m.startswith("explainer.ui")] == []


def test_a_command_the_service_does_not_have_is_refused_in_the_window(qapp):
    process = TrainingProcess(RewardServiceModules, name="modules")
    assert {"train", "pause", "sync", "export_state", "load_state", "modules"} <= process.commands
    assert not {"work", "pending", "emit"} & process.commands
    with pytest.raises(ValueError, match="no command 'trian'"):
        process.call("trian", 300)
    assert not process.running   # nothing was started for it
