"""An inline message strip above the tab: errors stay until dismissed, news fades after a while.

Inline rather than a modal dialog, so a lecture is never stopped by a box to click away.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style

INFO_MS = 4000


class Banner(QtWidgets.QFrame):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QtWidgets.QLabel()
        self.label.setWordWrap(True)
        # messages quote files and typed text (a prompt, a session's names): text, never markup
        self.label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.actions_box = QtWidgets.QHBoxLayout()
        close = QtWidgets.QPushButton("✕")
        close.setToolTip("Dismiss this message")
        close.setFlat(True)
        close.clicked.connect(self.hide)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addLayout(self.actions_box)
        layout.addWidget(close)
        self._timer = QtCore.QTimer(self, singleShot=True, interval=INFO_MS, timeout=self.hide)
        self.level = ""
        self.hide()

    def show_message(self, text: str, level: str = "info", actions=()) -> None:
        """actions: (label, tooltip, callback) buttons shown beside the text."""
        self._clear_actions()
        self.level = level
        colour = style.color("bad" if level == "error" else "environment")
        self.setStyleSheet(f"Banner {{ background: {colour}22; border: 2px solid {colour};"
                           f" border-radius: 6px; }}")
        self.label.setText(text)
        for label, tooltip, callback in actions:
            self._add_action(label, tooltip, callback)
        self.show()
        if level == "info" and not actions:
            self._timer.start()
        else:
            self._timer.stop()

    def _add_action(self, label: str, tooltip: str, callback) -> None:
        button = QtWidgets.QPushButton(label)
        button.setToolTip(tooltip)
        button.clicked.connect(callback)
        button.clicked.connect(self.hide)
        self.actions_box.addWidget(button)

    def _clear_actions(self) -> None:
        while self.actions_box.count():
            self.actions_box.takeAt(0).widget().deleteLater()
