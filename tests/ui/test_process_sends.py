"""The window never blocks on a send to a training process: a large command going out while the
process sends a large message back used to leave both ends waiting in send() for good. The
exchange runs in a subprocess with a time limit, so a regression fails instead of hanging."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow   # a new process, with a training process of its own

ROOT = Path(__file__).resolve().parents[2]
EXCHANGE = """
import sys, time
from PySide6 import QtWidgets
from explainer.ui.training.process import TrainingProcess
from tests.ui.echo_service import EchoService

def main():
    app = QtWidgets.QApplication([])
    worker = TrainingProcess(EchoService, name="echo")
    got = []
    worker.received.connect(lambda kind, payload: got.append((kind, payload)))
    size = 4_000_000                      # far beyond a pipe's buffer, both ways at once
    for _ in range(3):
        worker.call("big", size)
        worker.call("take", b"y" * size)
    deadline = time.monotonic() + 60
    while len(got) < 6 and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    worker.stop()
    kinds = sorted(kind for kind, _ in got)
    sizes = sorted(len(p) if kind == "big" else p for kind, p in got)
    print(kinds, sizes == [size] * 6)

if __name__ == "__main__":
    main()
"""


def test_large_messages_both_ways_at_once_never_deadlock(tmp_path):
    script = tmp_path / "exchange.py"
    script.write_text(EXCHANGE)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == \
        "['big', 'big', 'big', 'took', 'took', 'took'] True"
