"""`explainer export --lesson reward|rlhf`: tabs 3 and 4 built without a display, trained in their
training process, and exported through the File menu's own actions (`ExportActions`): each figure
part, the training run as a GIF (and MP4 when ffmpeg is installed), the history as CSV, the run as
a script or notebook.

    explainer export --lesson reward --train-steps 30 --format png,gif,csv,py --out figs/
    explainer export --lesson rlhf --sft --updates 20 --seed 8 --format gif,csv,py --out figs/
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from .core.files.session import SessionError, load_session


class ExportFailed(Exception):
    """The run could not be made or written (not a bad argument): exit code 1."""


class _Host(QtWidgets.QMainWindow):
    """What the File menu's actions read: a window whose `tabs` shows the one tab exported."""

    def __init__(self, tab: QtWidgets.QWidget) -> None:
        super().__init__()
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)   # one tab: no tab bar, the tab fills the window
        self.setCentralWidget(self.tabs)
        from .ui.shell.export_actions import ExportActions
        self.exports = ExportActions(self)  # logs tabs 3 and 4's runs from the start
        self.tabs.addTab(tab, "tab")

    def fit(self, app, width: int, height: int) -> None:
        """Resize so the tab itself is width × height (as lessons 1–2 are exported)."""
        from .ui.shell import export_window
        tab = self.tabs.currentWidget()
        export_window.fit(self, width, height)
        self.show()
        app.processEvents()
        self.resize(2 * width - tab.width(), 2 * height - tab.height())
        app.processEvents()


class Waiter:
    """Runs the event loop until a condition holds; an error the tab reports, or the time limit,
    ends the wait with ExportFailed."""

    def __init__(self, app, controller, timeout_s: float) -> None:
        self.app, self.timeout_s = app, timeout_s
        self.errors: list[str] = []
        controller.message.connect(lambda text, level="info": level == "error"
                                   and self.errors.append(text))

    def until(self, done, what: str) -> None:
        deadline = time.monotonic() + self.timeout_s
        while not done():
            if self.errors:
                raise ExportFailed(f"{what}: {self.errors[-1]}")
            if time.monotonic() > deadline:
                raise ExportFailed(f"{what}: not done after {self.timeout_s:g} s (--timeout)")
            self.app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)


def export_training(app, args, formats: list[str], parts: list[str] | None) -> list[Path]:
    """Build, train and export tab 3 (`reward`) or tab 4 (`rlhf`); the files written."""
    with tempfile.TemporaryDirectory(prefix="explainer-export-") as scratch:
        tab = _reward_tab(Path(scratch)) if args.lesson == "reward" else _rlhf_tab()
        host = _Host(tab)
        try:
            names = _check_parts(tab, parts)
            session = _session_part(args, tab) if args.session is not None else None
            wait = Waiter(app, tab.controller, args.timeout)
            width, height = args.size
            host.fit(app, width, height)   # shown: the training process starts building
            if args.lesson == "reward":
                train_reward(tab, wait, session, _count(args.train_steps, session, "reward"))
            else:
                _train_rlhf(tab, wait, session, args, _count(args.updates, session, "rlhf"))
                if "stage 0" in names:
                    tab.controller.request_base_report()
                    wait.until(lambda: tab.controller.base_report is not None,
                               "sampling the pre-trained base model")
            app.processEvents()
            args.out.mkdir(parents=True, exist_ok=True)
            return _write(host.exports, names, formats, args)
        finally:
            tab.shutdown()
            host.close()
            host.deleteLater()
            app.processEvents()


def _reward_tab(scratch: Path):
    from .ui.reward_tab.controller import RewardController
    from .ui.reward_tab.tab import RewardTab
    # The shipped rankings; the rankings' autosave goes to a scratch folder, not the user's.
    return RewardTab(RewardController(autosave_path=scratch / "rankings-autosave.json"))


def _rlhf_tab():
    from .ui.rlhf_tab.feedback_link import FeedbackLink
    from .ui.rlhf_tab.tab import RLHFTab
    return RLHFTab(FeedbackLink())


def _count(asked: int | None, session: dict | None, lesson: str) -> int:
    """Steps or updates asked for; by default one press of Train / Run, none after a session."""
    if asked is not None:
        return asked
    if session is not None:
        return 0
    if lesson == "reward":
        from .ui.reward_tab.controller import STEPS_PER_RUN
        return STEPS_PER_RUN
    from .ui.rlhf_tab.controller import UPDATES_PER_RUN
    return UPDATES_PER_RUN


def _check_parts(tab, parts: list[str] | None) -> list[str]:
    widgets = tab.figure_widgets()
    for name in parts or []:
        if name not in widgets:
            raise ValueError(f"unknown part {name!r}; parts: {', '.join(widgets)}")
    return list(widgets) if parts is None else parts


def _session_part(args, tab) -> dict:
    try:
        parts = load_session(args.session)
    except SessionError as exc:
        raise ValueError(str(exc)) from None
    part = tab.spec.part
    if part not in parts:
        raise ValueError(f"{args.session.name} holds no {args.lesson} lesson")
    return parts[part]


def _open_session(tab, wait: Waiter, part: dict) -> None:
    """As File ▸ Open does it: saved weights are checked against built models, then applied."""
    if part.get("weights") is not None:
        wait.until(lambda: tab.weights_manifest() is not None, "building the models")
    try:
        tab.prepare_session(part)()
    except SessionError as exc:
        raise ValueError(str(exc)) from None


def train_reward(tab, wait: Waiter, session: dict | None, steps: int) -> None:
    """Tab 3's model built, a session's part opened (if any), then `steps` more training steps."""
    c = tab.controller
    wait.until(lambda: bool(c.ready and c.snapshot.rewards), "building the Reward model")
    if session is not None:
        _open_session(tab, wait, session)
        saved = int(session.get("steps", 0))
        wait.until(lambda: c.snapshot.step == saved and c.settled(), "opening the session")
    if steps:
        goal = c.snapshot.step + steps
        c.train(steps)
        wait.until(lambda: c.snapshot.step >= goal and c.settled(),
                   f"training the Reward model {steps} steps")


def _train_rlhf(tab, wait: Waiter, session: dict | None, args, count: int) -> None:
    c = tab.controller
    wait.until(lambda: c.is_ready and c.settled(), "building the RLHF models")
    if args.seed is not None and args.seed != c.seed:
        c.reset(args.seed)   # as the seed box does

    def updates() -> int:
        return len(c.series.update) if c.series is not None else 0
    if args.sft:
        c.run_sft()
        wait.until(lambda: c.sft is not None and c.settled(), "supervised fine-tuning")
    if session is not None:
        _open_session(tab, wait, session)
        saved = int(session.get("updates", 0))
        wait.until(lambda: updates() == saved and c.settled(), "opening the session")
    if count:
        goal = updates() + count
        c.train(count)
        wait.until(lambda: updates() >= goal and c.settled(), f"running {count} policy updates")


def _write(exports, names: list[str], formats: list[str], args) -> list[Path]:
    out, stem = args.out, args.lesson
    written: list[Path] = []
    try:
        for name in names:
            slug = name.replace(" ", "-")
            for fmt in ("png", "svg"):
                if fmt in formats:
                    written.append(exports.export_figure(name, out / f"{stem}-{slug}.{fmt}",
                                                         args.scale))
        if "gif" in formats:
            written += exports.export_animation(out / f"{stem}-training.gif", args.scale)
        if "csv" in formats:
            csv = exports.export_csv(out / f"{stem}-history.csv")
            written += csv if isinstance(csv, list) else [csv]
        for fmt in ("py", "ipynb"):
            if fmt in formats:
                written.append(exports.export_code(out / f"{stem}-lesson.{fmt}", fmt == "ipynb"))
                if exports.note:
                    print(f"explainer export: {written[-1].name} is {exports.note}",
                          file=sys.stderr)
    except (OSError, ValueError) as exc:
        raise ExportFailed(str(exc)) from None
    return written
