"""Save and open sessions, recent files, autosave and recovery after a crash.

Every registered lesson's tab takes part (`lesson_tabs.WindowTab`), under its spec's session
part: `session_state()`, and `prepare_session(state)` which validates and returns a function that
applies it; every part is prepared before any is applied, so a bad file changes nothing.

A lesson whose models live in a training process (its spec names a `model_name`) also answers
`request_weights(callback)` and `weights_manifest()`. Saving asks each such process for its models' state (answered between two
training steps, so training goes on) and waits at most SAVE_TIMEOUT_S, the window responsive and a
progress dialog shown; a process that does not answer in time (busy building or fine-tuning) is
saved without its weights, and the status bar says so (opening such a file trains them again from
the seed). Opening a file with weights first waits for the models to exist (`weights_manifest`,
building them if needed) so the weights are checked against them before anything is applied.
Autosave writes at once without waiting, then again with the weights when they arrive.
"""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from ...core import lessons
from ...core.files.session import SessionError, load_session, save_session
from .lesson_tabs import WindowTab, spec_of

AUTOSAVE_MS = 1500
MAX_RECENT = 8
SAVE_TIMEOUT_S = 5.0     # a training process hands its models over between two steps: fast
OPEN_TIMEOUT_S = 180.0   # a first use builds the models (imports torch, fine-tunes): slow
POLL_MS = 25
SHOW_PROGRESS_MS = 400


def app_data_dir() -> Path:
    location = QtCore.QStandardPaths.StandardLocation.AppDataLocation
    folder = Path(QtCore.QStandardPaths.writableLocation(location))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settings() -> QtCore.QSettings:
    """An ini file beside the autosave (test mode moves both away from the user's own)."""
    return QtCore.QSettings(str(app_data_dir() / "settings.ini"), QtCore.QSettings.Format.IniFormat)


class SessionActions(QtCore.QObject):
    message = QtCore.Signal(str)
    recent_changed = QtCore.Signal(list)

    def __init__(self, tabs: QtWidgets.QTabWidget, parent: QtCore.QObject | None = None,
                 build_all=lambda: None) -> None:
        super().__init__(parent)
        self.tabs = tabs
        self._build_all = build_all  # tabs built on first use must exist before a session opens
        self.autosave_path = app_data_dir() / "autosave.explainer.json"
        self.flag_path = app_data_dir() / "running.flag"
        self._timer = QtCore.QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self.autosave)
        self._busy = False            # saving or opening waits for a training process
        self._autosave_weights = None  # the weights collection an autosave waits for
        self._closing = False

    def _members(self) -> dict[str, WindowTab]:
        """The lessons' tabs built so far, by session part."""
        members = {}
        for i in range(self.tabs.count()):
            spec = spec_of(self.tabs.widget(i))
            if spec is not None:
                members[spec.part] = self.tabs.widget(i)
        return members

    def watch(self, tab: WindowTab | None = None) -> None:
        """Autosave after changes in `tab` (or in every tab taking part)."""
        for member in [tab] if tab is not None else self._members().values():
            member.state_changed.connect(self._changed)
            member.session_failed.connect(self.message)   # a part refused after "Opened …"

    def _changed(self) -> None:
        """A change: autosave AUTOSAVE_MS after the first of a run of changes. (Restarting the
        timer at every change never saved while Play stepped every 0.67 s.)"""
        if not self._timer.isActive():
            self._timer.start()

    # --- files ----------------------------------------------------------------------------------
    def parts(self) -> dict:
        return {key: tab.session_state() for key, tab in self._members().items()}

    def save(self, path: str | Path) -> bool:
        """Every part, with the trained models' weights the training processes hand over in time."""
        if self._busy:
            self.message.emit("Still saving or opening a session: try again in a moment")
            return False
        collection = self._collect_weights(SAVE_TIMEOUT_S)
        self._wait(lambda: collection.done, "Saving: collecting the trained models' weights…",
                   SAVE_TIMEOUT_S + 1.0, cancellable=False)
        try:
            save_session(path, collection.parts)
        except SessionError as exc:
            self.message.emit(str(exc))
            return False
        self._remember(path)
        self.message.emit(f"Saved {Path(path).name}{self._weights_note(collection)}")
        return True

    def _weights_note(self, collection) -> str:
        if collection.missing:
            names = " and ".join(_model_name(k) for k in collection.missing)
            return (f", but without the weights of {names}: the training process was busy "
                    "(building or fine-tuning), so opening this file trains them again from the "
                    "seed")
        members = self._members()
        training = [k for k in collection.saved if members[k].training()]
        if training:
            names = " and ".join(_model_name(k) for k in training)
            return f" with {names} as trained so far (training goes on)"
        return ""

    def open(self, path: str | Path) -> bool:
        if self._busy:
            self.message.emit("Still saving or opening a session: try again in a moment")
            return False
        try:
            parts = load_session(path)
            self._build_all()
            self._wait_for_models(parts)
            self.apply(parts)
        except SessionError as exc:
            self.message.emit(f"Nothing was changed: {exc}")
            return False
        self._remember(path)
        self.message.emit(f"Opened {Path(path).name}")
        return True

    def apply(self, parts: dict) -> None:
        self._build_all()
        members = self._members()
        unknown = set(parts) - set(members)
        if unknown:
            raise SessionError(f"unknown parts {sorted(unknown)}")
        appliers = [members[key].prepare_session(state) for key, state in parts.items()]
        for apply in appliers:
            apply()

    # --- trained models: asked of the training processes -----------------------------------------
    def _collect_weights(self, timeout_s: float) -> _WeightsCollection:
        collection = _WeightsCollection(self.parts(), timeout_s)
        for key, tab in self._members().items():
            collection.ask(key, tab.request_weights)   # False from a lesson that trains nothing
        collection.start()
        return collection

    def _wait_for_models(self, parts: dict) -> None:
        """Saved weights are checked against the models they go into: wait until those exist."""
        members = self._members()
        waiting = [members[key] for key, state in parts.items()
                   if key in members and members[key].spec.model_name
                   and isinstance(state, dict) and state.get("weights") is not None]

        def built() -> bool:
            return all(tab.weights_manifest() is not None for tab in waiting)
        if not self._wait(built, "Opening: building the models the saved weights go into…",
                          OPEN_TIMEOUT_S, cancellable=True):
            raise SessionError("the models were not ready to check the saved weights against "
                               "(cancelled or too slow); try again in a moment")

    def _wait(self, done, text: str, timeout_s: float, cancellable: bool) -> bool:
        """Run the event loop (the window stays responsive) until done() or timeout_s, with a
        progress dialog after a moment; True if done."""
        if done():
            return True
        self._busy = True
        self.message.emit(text)
        dialog = QtWidgets.QProgressDialog(text, "Cancel", 0, 0, self.tabs.window())
        dialog.setWindowTitle("explainer")
        dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.hide()   # shown only if the wait lasts: a quick save does not flash a dialog
        if not cancellable:
            dialog.setCancelButton(None)
        show_later = QtCore.QTimer(singleShot=True, interval=SHOW_PROGRESS_MS, timeout=dialog.show)
        show_later.start()
        loop = QtCore.QEventLoop()
        poll = QtCore.QTimer(interval=POLL_MS, timeout=lambda: done() and loop.quit())
        deadline = QtCore.QTimer(singleShot=True, interval=int(timeout_s * 1000),
                                 timeout=loop.quit)
        dialog.canceled.connect(loop.quit)
        poll.start()
        deadline.start()
        try:
            loop.exec()
        finally:
            poll.stop()
            deadline.stop()
            show_later.stop()
            dialog.reset()
            dialog.deleteLater()
            self._busy = False
        return bool(done())

    # --- recent files ---------------------------------------------------------------------------
    def recent(self) -> list[str]:
        value = settings().value("recent", [])
        return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]

    def _remember(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent() if p != path]
        settings().setValue("recent", recent[:MAX_RECENT])
        self.recent_changed.emit(recent[:MAX_RECENT])

    # --- autosave and recovery ------------------------------------------------------------------
    def autosave(self) -> None:
        """Written at once (what the tabs hold), and again when the trained models' weights arrive."""
        if self._busy or self._autosave_weights is not None:
            self._timer.start()   # a save, an open or an autosave is under way: a little later
            return
        self._write_autosave(self.parts())
        collection = self._collect_weights(SAVE_TIMEOUT_S)
        if collection.saved or not collection.done:
            self._autosave_weights = collection
            collection.when_done(lambda: self._autosave_with_weights(collection))

    def _autosave_with_weights(self, collection) -> None:
        self._autosave_weights = None
        if collection.saved and not self._closing:
            self._write_autosave(collection.parts)

    def _write_autosave(self, parts: dict) -> None:
        try:
            save_session(self.autosave_path, parts)
        except SessionError as exc:
            self.message.emit(f"Autosave failed: {exc}")

    def crashed_session(self) -> Path | None:
        """The autosave of a run that did not exit cleanly, if there is one."""
        return self.autosave_path if self.flag_path.exists() and self.autosave_path.exists() else None

    def mark_running(self) -> None:
        self.flag_path.write_text("running\n")

    def mark_clean_exit(self) -> None:
        self._timer.stop()
        self._closing = True
        self._write_autosave(self.parts())   # the training processes are closing: no weights
        self.flag_path.unlink(missing_ok=True)


def _model_name(part: str) -> str:
    spec = lessons.with_part(part)
    return spec.model_name if spec is not None and spec.model_name else part


class _WeightsCollection(QtCore.QObject):
    """The session's parts, and the trained models' states as the tabs hand them over: each one
    that arrives within the time limit goes into its part as "weights"; `missing` names the parts
    whose process did not answer (busy, or ended)."""

    def __init__(self, parts: dict, timeout_s: float) -> None:
        super().__init__()
        self.parts = parts
        self.pending: set[str] = set()
        self.saved: list[str] = []
        self.missing: list[str] = []
        self.done = False
        self._then = []
        self._timer = QtCore.QTimer(self, singleShot=True, interval=int(timeout_s * 1000),
                                    timeout=self._give_up)

    def ask(self, key: str, request) -> None:
        self.pending.add(key)
        if not request(lambda state, key=key: self._answer(key, state)):
            self.pending.discard(key)   # no models yet: nothing was trained, nothing to save

    def start(self) -> None:
        if self.pending:
            self._timer.start()
        else:
            self._finish()

    def when_done(self, callback) -> None:
        self._then.append(callback)
        if self.done:
            self._finish()

    def _answer(self, key: str, state) -> None:
        if self.done or key not in self.pending:
            return   # too late: the session was written without it
        self.pending.discard(key)
        if state is None:
            self.missing.append(key)
        else:
            self.parts[key]["weights"] = state
            self.saved.append(key)
        if not self.pending:
            self._finish()

    def _give_up(self) -> None:
        self.missing += sorted(self.pending)
        self.pending.clear()
        self._finish()

    def _finish(self) -> None:
        self.done = True
        self._timer.stop()
        then, self._then = self._then, []
        for callback in then:
            callback()
