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


def stalls_while(app, interval_ms: int, start, finished, timeout_s: float,
                 tail_s: float = 0.0) -> dict:
    """Probe while `start()`'s work runs, until `finished()` (or the timeout) and tail_s after:
    the longest stall (ms), the GUI thread's own CPU time in its busiest gap (ms, which the
    machine's load hardly changes) and the wall time until finished (s)."""
    timer, gaps = probe(app, interval_ms)
    cpu: list[float] = []   # the GUI thread's CPU time at each tick
    timer.timeout.connect(lambda: cpu.append(time.thread_time()))
    timer.start()
    started = time.perf_counter()
    start()
    wait(app, finished, timeout_s)
    elapsed = time.perf_counter() - started
    wait(app, lambda: False, tail_s)
    timer.stop()
    busiest = max((b - a for a, b in zip(cpu[1:], cpu[2:])), default=0.0) * 1000
    return {"stall": max(gaps[1:], default=0.0), "busiest": busiest, "elapsed": elapsed}
