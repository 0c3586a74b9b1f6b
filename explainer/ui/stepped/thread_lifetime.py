"""A QThread destroyed while it still runs aborts the whole process. A tab that goes away while
its worker is busy (building a model, say) hands the thread here: it is kept alive until it
finishes, and the interpreter waits for it before exiting."""
from __future__ import annotations

import atexit

from PySide6 import QtCore

_alive: set[QtCore.QThread] = set()


def keep_until_finished(thread: QtCore.QThread) -> None:
    if thread.isRunning():
        _alive.add(thread)
        thread.finished.connect(lambda: _alive.discard(thread))


@atexit.register
def _wait_for_all() -> None:
    for thread in list(_alive):
        thread.wait()
