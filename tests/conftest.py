import os

# GUI tests run headless everywhere; a real display is never needed.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore  # noqa: E402

# Settings, autosave and recovery files go to a test location, never the user's own.
QtCore.QStandardPaths.setTestModeEnabled(True)
