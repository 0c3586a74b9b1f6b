"""Budget of a theme change: the event loop's longest stall when View ▸ Theme switches with every
tab built (the window's four lessons, their plots and equations).

A 10 ms QTimer probe runs in the GUI thread; the theme is switched from the event loop (as the
menu does) and the longest gap between two probe ticks beyond their interval, over the switch and
the repaint after it, is the stall the audience sees. Each of light → dark → high contrast → light
is measured on tab 2 and on tab 4 in front; the worst is reported, and the median. The other
tabs take on the theme when next shown: the longest stall of showing each tab once after a
change is reported too."""
from __future__ import annotations

import statistics
import time

from .gui_probe import probe, wait

STALL_BUDGET_MS = 150.0
PROBE_MS = 10
THEMES = ("dark", "high contrast", "light")


def _stall(app, action) -> tuple[float, float]:
    """(longest stall, the GUI thread's CPU time in the action itself), in ms, of `action` run
    from the event loop. (The CPU time hardly changes with the machine's load; the stall does.)"""
    from PySide6 import QtCore
    timer, gaps = probe(app, PROBE_MS)
    timer.start()
    wait(app, lambda: False, 0.2)   # the probe ticks steadily before the action
    call = [0.0]

    def run() -> None:
        started = time.thread_time()
        action()
        call[0] = (time.thread_time() - started) * 1000
    QtCore.QTimer.singleShot(0, run)
    wait(app, lambda: False, 0.8)   # and the repaint after it
    timer.stop()
    return max(gaps[1:], default=0.0), call[0]


def measure() -> list[dict]:
    from PySide6 import QtCore, QtWidgets
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    QtCore.QStandardPaths.setTestModeEnabled(True)  # never touch a lecturer's real settings
    from explainer.ui.shell.main_window import MainWindow
    window = MainWindow()
    window.show()
    window.build_all_tabs()
    wait(app, lambda: not window._placeholders, 30)
    for index in range(window.tabs.count()):   # each tab shown once: laid out and painted
        window.tabs.setCurrentIndex(index)
        wait(app, lambda: False, 0.5)
    stalls, calls, shows = [], [], []
    for index in (1, 3):
        window.tabs.setCurrentIndex(index)
        wait(app, lambda: False, 1.0)
        for name in THEMES:
            stall, call = _stall(app, lambda: window.set_theme(name))
            stalls.append(stall)
            calls.append(call)
    for index in range(window.tabs.count()):   # each tab shown once after the last change
        shows.append(_stall(app, lambda: window.tabs.setCurrentIndex(index))[0])
    for tab in window._built.values():
        tab.shutdown()
    window.close()
    worst = max(stalls)
    return [
        {"name": "theme change, every tab built: longest GUI stall", "value": round(worst, 1),
         "unit": "ms", "budget": STALL_BUDGET_MS, "ok": worst <= STALL_BUDGET_MS},
        {"name": "theme change: median GUI stall", "value": round(statistics.median(stalls), 1),
         "unit": "ms", "budget": None, "ok": True},
        {"name": "theme change: GUI thread's CPU time in set_theme, longest", "value": round(max(calls), 1),
         "unit": "ms", "budget": None, "ok": True},
        {"name": "theme change: then showing another tab, longest GUI stall",
         "value": round(max(shows), 1), "unit": "ms", "budget": STALL_BUDGET_MS,
         "ok": max(shows) <= STALL_BUDGET_MS},
    ]


if __name__ == "__main__":
    for row in measure():
        print(row)
