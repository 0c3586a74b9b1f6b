"""The main window on one screen, walked as a lecturer walks it: tabs 1–2 at each phase of their
first episode, tab 3 trained, tab 4's pages with stage 3 at each phase. Each view is taken as an
image the size of the screen (what a projector shows), with a note where the lesson scrolls.

Tabs 3 and 4 train in their training processes once, in `prepare`, before any screen is taken.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from .cli_training import Waiter, train_reward
from .core import lessons

TITLE_BAR = 32   # px a window manager's title bar takes from the screen's height
PAGE_NAMES = {"stage0": "stage-0", "sft": "stage-1", "results": "results",
              "overoptimisation": "over-optimisation"}


@dataclass
class Shot:
    name: str              # e.g. "2-policy-derivative"
    image: QtGui.QImage    # the screen's size
    note: str = ""         # e.g. the window did not fit the screen


class GalleryWindow:
    """One main window, reused for every screen so tabs 3–4 build and train only once."""

    def __init__(self, app, tabs: tuple[int, ...], timeout_s: float, train_steps: int,
                 updates: int) -> None:
        from .ui.shell.main_window import MainWindow
        from .ui.shell.session_actions import app_data_dir
        # A first start: no geometry, tab, autosave or crash offer left over from an earlier run.
        for name in ("running.flag", "autosave.explainer.json", "settings.ini",
                     "rankings-autosave.json"):
            (app_data_dir() / name).unlink(missing_ok=True)
        self.app, self.tabs, self.timeout_s = app, tabs, timeout_s
        self.train_steps, self.updates = train_steps, updates
        self.window = MainWindow()
        self.window.show()
        self._settle()

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        self.app.processEvents()

    # --- training, once --------------------------------------------------------------------------
    def prepare(self) -> None:
        """Tab 3 trained (one press of Train), tab 4 built, its base model sampled and `updates`
        policy updates run; raises ExportFailed when a training process fails or is too slow."""
        w = self.window
        if self._wanted("reward"):
            train_reward(w.reward_tab, self._show_and_wait(w.reward_tab, w.reward_tab.controller),
                         None, self.train_steps)
        if self._wanted("rlhf"):
            c = w.rlhf_tab.controller
            wait = self._show_and_wait(w.rlhf_tab, c)
            wait.until(lambda: c.is_ready and c.settled(), "building the RLHF models")
            c.request_base_report()
            wait.until(lambda: c.base_report is not None and c.settled(),
                       "sampling the pre-trained base model")
            if self.updates:
                c.train(self.updates)
                wait.until(lambda: c.series is not None and len(c.series.update) >= self.updates
                           and c.settled(), "running the policy updates")

    def _wanted(self, key: str) -> bool:
        return lessons.find(key) is not None and lessons.number(key) in self.tabs

    def _show_and_wait(self, tab, controller) -> Waiter:
        self.window.tabs.setCurrentWidget(tab)   # shown: its training process starts
        return Waiter(self.app, controller, self.timeout_s)

    # --- screens ---------------------------------------------------------------------------------
    def shots(self, width: int, height: int, presenting: bool) -> Iterator[Shot]:
        """Every view on a width × height screen, presenting (full screen) or in a window."""
        w = self.window
        if presenting:
            # Offscreen there is no projector to fill: full screen is the screen's size.
            w.showFullScreen = lambda: w.resize(width, height)
            w.enter_presentation()
        else:
            w.resize(width, height - TITLE_BAR)
        screen = QtCore.QSize(width, height if presenting else height - TITLE_BAR)
        try:
            for name in self._views():
                yield self._shot(name, screen)
        finally:
            if presenting:
                w.leave_presentation()

    def _views(self) -> Iterator[str]:
        """Puts each view on screen in turn and yields its name."""
        for spec in lessons.all_lessons():
            if not self._wanted(spec.key):
                continue
            number, tab = lessons.number(spec.key), self.window.tab(spec.key)
            self.window.tabs.setCurrentWidget(tab)
            if spec.stepped:
                yield from self._stepped_views(number, tab)
            elif spec.key == "rlhf":
                yield from self._rlhf_views()
            else:   # a trained lesson: its tab as training left it
                yield f"{number}-{spec.key}-model" if spec.key == "reward" else f"{number}-{spec.key}"

    def _stepped_views(self, number: int, tab) -> Iterator[str]:
        """Its first episode, phase by phase; the run it opened with given back afterwards."""
        before = tab.session_state()
        yield f"{number}-{tab.lesson}-start"
        seen: set[str] = set()
        for _ in range(len(tab.run.phases)):
            tab.controller.next()
            tab.finish_animation()
            phase = tab.run.current.phase
            yield f"{number}-{tab.lesson}-{phase}" + ("-again" if phase in seen else "")
            seen.add(phase)
        tab.prepare_session(before)()

    def _rlhf_views(self) -> Iterator[str]:
        w, tab = self.window, self.window.rlhf_tab
        w.tabs.setCurrentWidget(tab)
        c, wait = tab.controller, Waiter(self.app, tab.controller, self.timeout_s)
        for attr in ("stage0", "sft"):
            tab.stages.setCurrentWidget(getattr(tab, attr))
            yield f"4-rlhf-{PAGE_NAMES[attr]}"
        tab.stages.setCurrentWidget(tab.policy)
        for _ in range(4):   # one policy update, phase by phase, as the clicker steps it
            c.next()
            wait.until(c.settled, "stepping stage 3")
            phase = c.record.phase if c.record is not None else "start"
            yield f"4-rlhf-stage-3-{phase}"
        for attr in ("results", "overoptimisation"):
            tab.stages.setCurrentWidget(getattr(tab, attr))
            yield f"4-rlhf-{PAGE_NAMES[attr]}"
        tab.stages.setCurrentWidget(tab.policy)

    def _shot(self, name: str, screen: QtCore.QSize) -> Shot:
        self._settle()
        w = self.window
        image = QtGui.QImage(screen, QtGui.QImage.Format.Format_RGB32)
        image.fill(QtGui.QColor("black"))   # no screen is left uncovered, but never garbage
        painter = QtGui.QPainter(image)
        painter.drawPixmap(0, 0, w.grab(QtCore.QRect(QtCore.QPoint(0, 0), screen)))
        painter.end()
        note = ""
        if w.width() > screen.width() or w.height() > screen.height():
            note = (f"the window is {w.width()}×{w.height()} px on a "
                    f"{screen.width()}×{screen.height()} px screen: the rest is off screen")
        elif w.fit_area.needs_scrolling():
            least = w.tabs.minimumSizeHint()
            note = (f"the lesson needs {least.width()}×{least.height()} px at this text size: on a "
                    f"{screen.width()}×{screen.height()} px screen it scrolls")
        return Shot(name, image, note)

    def _settle(self) -> None:
        """Layouts, pending paints and timers of a few frames (plots redraw on a timer)."""
        loop = QtCore.QEventLoop()
        QtCore.QTimer.singleShot(60, loop.quit)
        loop.exec()
        for _ in range(3):
            self.app.processEvents()
