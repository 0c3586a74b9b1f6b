"""Budgets of lesson 2 (policy gradients): start-up, slider and animation smoothness, the fast
forward, and the memory a long history costs.

Qt runs offscreen (`QT_QPA_PLATFORM=offscreen`): widgets paint into the offscreen backing store as
they would for a real window, but nothing waits for a display.
"""
from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import traceback

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTUP_RATIO_BUDGET = 1.3
STARTUP_RUNS = 5
SLIDER_P95_BUDGET_MS = 8.0
SLIDER_MOVES = 300
SLIDER_KEYS = ("bias", "learning_rate", "hunger")
FPS_BUDGET = 55.0
ANIMATED_STEPS = 8
FAST_FORWARD_BUDGET = 1_000_000  # episodes per second
FAST_FORWARD_EPISODES = 1_000_000
MEMORY_BUDGET_MB = 100.0
MEMORY_EPISODES = 100_000
MEMORY_TRACED_EPISODES = 20_000


# --- time to the first painted window ---------------------------------------------------------------
def first_paint_child(kind: str) -> None:
    """Run in a fresh process: show a window, print time.monotonic() at the central widget's first
    Paint event, and leave. CLOCK_MONOTONIC is system-wide, so the parent subtracts its own reading
    taken just before it started this process: the figure includes interpreter start and imports."""
    from PySide6 import QtCore, QtWidgets
    import pyqtgraph as pg

    app = QtWidgets.QApplication([])
    if kind == "app":
        from explainer.ui.shell.main_window import MainWindow
        window = MainWindow()
    else:
        window = QtWidgets.QMainWindow()
        window.setCentralWidget(pg.PlotWidget())
        window.resize(1600, 950)

    class FirstPaint(QtCore.QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QtCore.QEvent.Type.Paint:
                print(f"first-paint {time.monotonic():.6f}", flush=True)
                os._exit(0)  # tearing the window down is no part of the figure
            return False

    spy = FirstPaint()
    central = window.centralWidget()
    central.installEventFilter(spy)
    if isinstance(central, QtWidgets.QAbstractScrollArea):  # a PlotWidget paints through its viewport
        central.viewport().installEventFilter(spy)
    if kind == "app":   # the app's viewport is covered by the lessons: the first tab paints first
        window.tabs.currentWidget().installEventFilter(spy)
    window.show()
    QtCore.QTimer.singleShot(20_000, app.quit)
    app.exec()
    sys.exit("no Paint event reached the central widget")


def _first_paint_seconds(kind: str, pycache: str) -> float:
    # As a lecturer's second start finds it: with Python's bytecode cache (kept in a folder of the
    # benchmark's own; a machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile the
    # app's source on every start, which pyqtgraph, compiled when installed, never does).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": pycache}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_policy", "--first-paint", kind],
                          capture_output=True, text=True, env=env, timeout=120)
    for line in done.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{kind} window did not paint: {done.stderr.strip()[-800:]}")


def startup_rows() -> list[dict]:
    times: dict[str, list[float]] = {"app": [], "bare": []}
    with tempfile.TemporaryDirectory() as pycache:
        for kind in times:   # a first start of each fills the bytecode cache, untimed
            _first_paint_seconds(kind, pycache)
        for _ in range(STARTUP_RUNS):  # interleaved, so a busy moment hits both alike
            for kind in times:
                times[kind].append(_first_paint_seconds(kind, pycache))
    app, bare = (statistics.median(times[k]) for k in ("app", "bare"))
    ratio = app / bare
    return [
        _row(f"first paint: bare PySide6 + pyqtgraph window (median of {STARTUP_RUNS})", bare * 1e3,
             "ms", "reference", True),
        _row(f"first paint: explainer main window (median of {STARTUP_RUNS})", app * 1e3, "ms",
             f"≤ {STARTUP_RATIO_BUDGET}× bare", ratio <= STARTUP_RATIO_BUDGET),
        _row("first paint: main window / bare window", ratio, "×", f"≤ {STARTUP_RATIO_BUDGET}×",
             ratio <= STARTUP_RATIO_BUDGET),
    ]


# --- the policy tab, live -----------------------------------------------------------------------------
def _shown_tab():
    from PySide6 import QtWidgets
    from explainer.ui.policy_tab.tab import PolicyTab

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    tab = PolicyTab()
    tab.resize(1600, 950)
    tab.show()
    _settle(app)
    return app, tab


def _settle(app, seconds: float = 0.3) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


class _PaintCounter:
    """Counts Paint events delivered to the watched widgets."""

    def __init__(self, widgets) -> None:
        from PySide6 import QtCore

        counter = self

        class Filter(QtCore.QObject):
            def eventFilter(self, obj, event) -> bool:
                if event.type() == QtCore.QEvent.Type.Paint:
                    counter.count += 1
                return False

        self.count = 0
        self.filter = Filter()
        self.widgets = list(widgets)
        for w in self.widgets:
            w.installEventFilter(self.filter)

    def remove(self) -> None:
        for w in self.widgets:
            w.removeEventFilter(self.filter)


def _slider_latencies_ms(app, tab) -> list[float]:
    """setValue → every paint it caused has been delivered.

    setValue runs the whole model → views chain synchronously; the views only mark themselves dirty
    (and pyqtgraph queues its scene changes), so the repaint happens in the event loop. We run
    processEvents() passes until one delivers no Paint event to any widget of the tab: then the new
    state has been painted into the backing store, as a real window would flush it. (Forcing
    tab.repaint() instead would repaint every widget, changed or not, and overstate the cost.) A late
    check after the run confirms no paint was still pending when the clock stopped.
    """
    from PySide6 import QtWidgets

    for _ in range(2):
        tab.next()
        _wait_for_animation(tab)
    assert tab.run.current.phase == "derivative"
    _settle(app)
    counter = _PaintCounter([tab, *tab.findChildren(QtWidgets.QWidget)])
    values = {"bias": (-1.5, 0.5, 2.0), "learning_rate": (0.5, 1.5, 3.0), "hunger": (0.2, 0.45, 0.8)}
    latencies, late = [], 0
    for i in range(SLIDER_MOVES):
        key = SLIDER_KEYS[i % len(SLIDER_KEYS)]
        value = values[key][(i // len(SLIDER_KEYS)) % 3]
        slider = tab.controls.sliders[key].slider
        start = time.perf_counter()
        slider.setValue(value)
        for _ in range(20):
            before = counter.count
            app.processEvents()
            if counter.count == before:
                break
        latencies.append((time.perf_counter() - start) * 1e3)
        before = counter.count
        time.sleep(0.002)
        app.processEvents()
        late += counter.count - before
    counter.remove()
    if late:
        print(f"warning: {late} paint(s) arrived after the clock stopped", file=sys.stderr)
    return latencies


def _wait_for_animation(tab) -> None:
    """Run a local event loop (as the app's would) until the phase animation has finished."""
    from PySide6 import QtCore

    if tab.animation.state() != QtCore.QAbstractAnimation.State.Running:
        return
    loop = QtCore.QEventLoop()
    tab.animation.finished.connect(loop.quit)
    QtCore.QTimer.singleShot(5_000, loop.quit)  # a guard, never the normal way out
    loop.exec()
    tab.animation.finished.disconnect(loop.quit)


def _animation_fps(app, tab) -> tuple[float, int, float]:
    """Paint events of the network view while tab.animation runs, over the animated seconds.

    Each Next starts the phase animation; the event loop runs until it has finished.
    """
    counter = _PaintCounter([tab.network])
    paints, seconds = 0, 0.0
    for _ in range(ANIMATED_STEPS):
        before = counter.count
        start = time.perf_counter()
        tab.next()
        _wait_for_animation(tab)
        seconds += time.perf_counter() - start
        app.processEvents()  # the last frame's paint
        paints += counter.count - before
    counter.remove()
    return paints / seconds, paints, seconds


def tab_rows() -> list[dict]:
    app, tab = _shown_tab()
    latencies = _slider_latencies_ms(app, tab)
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    tab.controller.reset()
    _settle(app)
    fps, paints, seconds = _animation_fps(app, tab)
    ok = p95 <= SLIDER_P95_BUDGET_MS
    return [
        _row(f"slider → repainted, p50 ({SLIDER_MOVES} moves, Derivative phase)", p50, "ms",
             f"(p95 ≤ {SLIDER_P95_BUDGET_MS:g} ms)", ok),
        _row(f"slider → repainted, p95 ({SLIDER_MOVES} moves, Derivative phase)", p95, "ms",
             f"≤ {SLIDER_P95_BUDGET_MS:g} ms", ok),
        _row(f"phase animation ({paints} network paints in {seconds:.2f} s)", fps, "fps",
             f"≥ {FPS_BUDGET:g} fps", fps >= FPS_BUDGET),
    ]


# --- headless core ------------------------------------------------------------------------------------
def fast_forward_row() -> dict:
    from explainer.core.fries.policy_gradient import PolicyGradientRun

    best, best_cpu = float("inf"), float("inf")
    for _ in range(3):
        run = PolicyGradientRun()
        start, start_cpu = time.perf_counter(), time.process_time()
        run.fast_forward(FAST_FORWARD_EPISODES)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    rate = FAST_FORWARD_EPISODES / best
    cpu_rate = FAST_FORWARD_EPISODES / best_cpu
    return _row(f"fast_forward({FAST_FORWARD_EPISODES:,}), best of 3 (by CPU time: {cpu_rate:,.0f}/s)", rate, "episodes/s",
                f"≥ {FAST_FORWARD_BUDGET:,} episodes/s", rate >= FAST_FORWARD_BUDGET)


def _traced_mb(work) -> tuple[float, float]:
    """(retained, peak) MB allocated by work(); what it returns is kept alive while measured."""
    gc.collect()
    tracemalloc.start()
    kept = work()
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return current / 2**20, peak / 2**20


def _stepped_mb() -> tuple[float, float, float]:
    """Retained MB of a run stepped phase by phase, extrapolated to MEMORY_EPISODES.

    Under tracemalloc a stepped episode costs ~1 ms here, so 10⁵ of them would take minutes: we trace
    MEMORY_TRACED_EPISODES in two halves and extend the line. The history keeps each episode's inputs
    (constant size) and a capped cache of rebuilt records, so growth is linear; the two halves'
    slopes are returned so a non-linear growth would show.
    """
    from explainer.core.fries.policy_gradient import PHASES, PolicyGradientRun

    half = MEMORY_TRACED_EPISODES // 2
    gc.collect()
    tracemalloc.start()
    run = PolicyGradientRun()
    readings = [tracemalloc.get_traced_memory()[0]]
    for _ in range(2):
        for _ in range(half * len(PHASES)):
            run.step()
        gc.collect()
        readings.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    assert run.episodes_done == 2 * half
    first, second = ((b - a) / half for a, b in zip(readings, readings[1:]))
    # Measured at 2·half episodes, then the second half's slope for the rest: the first half also
    # holds the one-off costs (the cached blocks of random draws). A fully traced 10⁵-episode run
    # (~2.5 min) gave 35.6 MB where this gave 35.6 MB.
    retained = readings[2] - readings[0] + second * (MEMORY_EPISODES - 2 * half)
    return retained / 2**20, first / 1024, second / 1024


def memory_rows() -> list[dict]:
    from explainer.core.fries.policy_gradient import PolicyGradientRun

    def fast():
        run = PolicyGradientRun()
        run.fast_forward(MEMORY_EPISODES)
        return run

    stepped, kb_first, kb_second = _stepped_mb()
    retained, peak = _traced_mb(fast)
    return [
        _row(f"memory, {MEMORY_EPISODES:,} stepped episodes (traced {MEMORY_TRACED_EPISODES:,}: "
             f"{kb_first:.2f} then {kb_second:.2f} KB/episode, extended)",
             stepped, "MB", f"≤ {MEMORY_BUDGET_MB:g} MB", stepped <= MEMORY_BUDGET_MB),
        _row(f"memory, {MEMORY_EPISODES:,} fast-forwarded episodes (peak {peak:.1f} MB)",
             retained, "MB", f"≤ {MEMORY_BUDGET_MB:g} MB", retained <= MEMORY_BUDGET_MB),
    ]


# -------------------------------------------------------------------------------------------------------
def _row(name: str, value: float, unit: str, budget: str, ok: bool) -> dict:
    return {"name": name, "value": round(float(value), 3), "unit": unit, "budget": budget, "ok": bool(ok)}


def measure() -> list[dict]:
    """Every section runs even if one fails; a failed one is a row with an `error` (the runner then
    exits 1), so a crash is never mistaken for a figure over budget."""
    rows: list[dict] = []
    sections = (("first paint", startup_rows), ("policy tab", tab_rows),
                ("fast_forward", lambda: [fast_forward_row()]), ("memory", memory_rows))
    for label, section in sections:
        try:
            rows += section()
        except Exception as exc:
            traceback.print_exc()
            rows.append({"name": label, "value": "crashed", "unit": "", "budget": "", "ok": False,
                         "error": f"{type(exc).__name__}: {exc}"})
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["--first-paint"]:
        first_paint_child(sys.argv[2])
    else:
        for row in measure():
            print(f"{'OK  ' if row['ok'] else 'OVER'} {row['name']}: {row['value']} {row['unit']} "
                  f"(budget {row['budget']})")
