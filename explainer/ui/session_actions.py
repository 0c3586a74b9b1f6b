"""Save and open sessions, recent files, autosave and recovery after a crash.

A tab takes part when it has `session_key`, `session_state()` and `prepare_session(state)`
(which validates and returns a function that applies it): every part is prepared before any is
applied, so a bad file changes nothing.
"""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from ..core.session import SessionError, load_session, save_session

AUTOSAVE_MS = 1500
MAX_RECENT = 8


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

    def _members(self) -> dict[str, QtWidgets.QWidget]:
        members = {}
        for i in range(self.tabs.count()):
            tab = self.tabs.widget(i)
            if hasattr(tab, "prepare_session") and hasattr(tab, "session_state"):
                members[tab.session_key] = tab
        return members

    def watch(self, tab: QtWidgets.QWidget | None = None) -> None:
        """Autosave after changes in `tab` (or in every tab taking part)."""
        for member in [tab] if tab is not None else self._members().values():
            if hasattr(member, "state_changed"):
                member.state_changed.connect(self._timer.start)

    # --- files ----------------------------------------------------------------------------------
    def parts(self) -> dict:
        return {key: tab.session_state() for key, tab in self._members().items()}

    def save(self, path: str | Path) -> bool:
        try:
            save_session(path, self.parts())
        except SessionError as exc:
            self.message.emit(str(exc))
            return False
        self._remember(path)
        self.message.emit(f"Saved {Path(path).name}")
        return True

    def open(self, path: str | Path) -> bool:
        try:
            self.apply(load_session(path))
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
        try:
            save_session(self.autosave_path, self.parts())
        except SessionError as exc:
            self.message.emit(f"Autosave failed: {exc}")

    def crashed_session(self) -> Path | None:
        """The autosave of a run that did not exit cleanly, if there is one."""
        return self.autosave_path if self.flag_path.exists() and self.autosave_path.exists() else None

    def mark_running(self) -> None:
        self.flag_path.write_text("running\n")

    def mark_clean_exit(self) -> None:
        self._timer.stop()
        self.autosave()
        self.flag_path.unlink(missing_ok=True)
