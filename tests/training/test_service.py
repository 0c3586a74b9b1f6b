"""The training services' shared loop, without a process: what `train`, `work` and `pause` send,
and that a service sends only the kinds its MESSAGES table lists."""
import pytest

from explainer.training import service as service_module
from explainer.training import sweep_service
from explainer.training.service import Service


class Counting(Service):
    MESSAGES = {**Service.MESSAGES, "count": "steps done so far"}

    def __init__(self, emit, steps_possible: int = 100) -> None:
        super().__init__(emit)
        self.done, self.possible = 0, steps_possible

    def sneeze(self) -> None:   # a command
        self.emit("sneeze")

    def _step(self) -> bool:
        if self.done == self.possible:
            return False
        self.done += 1
        return True

    def _send_progress(self) -> None:
        self.emit("count", self.done)


@pytest.fixture
def sent(monkeypatch):
    monkeypatch.setattr(service_module, "SEND_SECONDS", 1e9)   # no progress while training
    return []


def until_idle(service) -> None:
    while service.pending():
        service.work()


def test_train_sends_running_then_the_last_step_then_stopped(sent):
    service = Counting(lambda kind, payload=None: sent.append((kind, payload)))
    service.train(3)
    service.train(2)          # while running: adds up, no second "running"
    service.train(0)
    until_idle(service)
    assert sent == [("running", True), ("count", 5), ("running", False)]
    assert service.done == 5


def test_pause_ends_a_run_between_two_steps_and_nothing_left_to_learn_ends_it_early(sent):
    service = Counting(lambda kind, payload=None: sent.append((kind, payload)), steps_possible=4)
    service.train(10)
    service.work()
    service.pause()
    assert not service.pending() and sent[-2:] == [("count", 1), ("running", False)]
    sent.clear()
    service.train(10)
    until_idle(service)
    assert sent == [("running", True), ("count", 4), ("running", False)]   # 3 more, then none


def test_a_failing_step_still_reports_stopped(sent):
    service = Counting(lambda kind, payload=None: sent.append((kind, payload)))
    service._step = lambda: 1 / 0
    service.train(3)
    with pytest.raises(ZeroDivisionError):
        service.work()
    assert sent[-1] == ("running", False) and not service.pending()


def test_only_listed_kinds_are_sent_and_commands_are_public_methods(sent):
    service = Counting(lambda kind, payload=None: sent.append((kind, payload)))
    with pytest.raises(KeyError, match="sneeze"):
        service.sneeze()
    assert sent == []
    service.sync(7)
    service.export_state(3)
    assert sent == [("synced", 7), ("exported", (3, None))]   # no models yet: None
    assert Counting.commands() == {"sneeze", "sync", "export_state", "train", "pause"}


def test_a_finished_sweep_is_done_and_a_cancelled_one_is_not(sent, monkeypatch):
    monkeypatch.setattr(sweep_service, "sweep_points",
                        lambda seed, betas, updates: iter([f"point {k}" for k in range(3)]))
    service = sweep_service.SweepService(lambda kind, payload=None: sent.append((kind, payload)))
    service.start(0, betas=(1.0, 0.0), updates=5)
    until_idle(service)
    kinds = [kind for kind, _ in sent]
    assert kinds == ["busy", "running", "sweep", "busy", "sweep", "busy", "sweep", "busy",
                     "busy", "done", "running"]
    assert sent[-2][1].points == ("point 0", "point 1", "point 2")
    assert sent[-4:-2] == [("busy", "Finishing…"), ("busy", "")]
    sent.clear()
    service.start(0, betas=(1.0, 0.0), updates=5)
    service.work()
    service.cancel()
    assert [kind for kind, _ in sent] == ["busy", "running", "sweep", "busy", "busy", "running"]
    assert not service.pending()
