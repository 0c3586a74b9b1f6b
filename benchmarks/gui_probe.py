"""What the GUI-stall benchmarks share: a wait loop that keeps events flowing, and a precise
QTimer probe whose late ticks are the stalls the audience would see."""
from __future__ import annotations

import time


def wait(app, condition, timeout_s: float) -> bool:
    deadline = time.perf_counter() + timeout_s
    while not condition() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)  # the benchmark's own wait loop; the GUI thread is otherwise idle
    return condition()


def probe(app, interval_ms: int):
    """A started-later timer and the list it fills: how late each tick came, in ms."""
    from PySide6 import QtCore
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000 - interval_ms)
        last[0] = now

    timer = QtCore.QTimer(app, interval=interval_ms, timeout=tick)
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    return timer, gaps
