"""Autosave of the rankings: debounced, atomic, in the app's data folder, recoverable on start.

A lecture must not lose twenty minutes of the audience's rankings to a crash or a closed laptop lid:
every change is written (half a second after the last one) with the core's atomic save.
"""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore

from ...core.language import rankings

DEBOUNCE_MS = 500
FILE_NAME = "rankings-autosave.json"


def default_path() -> Path:
    location = QtCore.QStandardPaths.StandardLocation.AppDataLocation
    return Path(QtCore.QStandardPaths.writableLocation(location)) / FILE_NAME


class Autosave(QtCore.QObject):
    failed = QtCore.Signal(str)

    def __init__(self, path: Path, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self._pending = None
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)

    def schedule(self, feedback) -> None:
        self._pending = feedback
        self._timer.start()  # restarts: only the last of a burst of changes is written

    def flush(self) -> None:
        self._timer.stop()
        feedback, self._pending = self._pending, None
        if feedback is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            rankings.save_feedback(feedback, self.path)
        except (OSError, rankings.FeedbackError) as error:
            self.failed.emit(f"Autosave failed: {error}")

    def recoverable(self, loaded, loaded_mtime: float | None = None):
        """The autosaved Feedback if it is newer than what was loaded and differs from it."""
        if not self.path.is_file():
            return None
        if loaded_mtime is not None and self.path.stat().st_mtime <= loaded_mtime:
            return None
        try:
            saved = rankings.load_feedback(self.path)
        except rankings.FeedbackError:
            return None  # a damaged autosave is not worth interrupting the lecture for
        return None if saved == loaded else saved

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
