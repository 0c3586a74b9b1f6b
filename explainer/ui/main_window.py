"""Main window: the lessons as tabs, and the keys a lecturer needs everywhere."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from .style import BASE_POINT_SIZE

ZOOM_STEPS = (0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)


class MainWindow(QtWidgets.QMainWindow):
    zoom_changed = QtCore.Signal(float)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("explainer — policy gradients and RLHF, step by step")
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.resize(1600, 950)
        self._zoom_index = ZOOM_STEPS.index(1.0)
        self.apply_zoom()
        self._add_lessons()
        self.tabs.addTab(self._reward_tab(), "3 · Reward model")
        self._add_shortcut("F11", self.toggle_full_screen)
        self._add_shortcut("Ctrl+=", self.zoom_in)
        self._add_shortcut("Ctrl++", self.zoom_in)
        self._add_shortcut("Ctrl+-", self.zoom_out)
        self._add_shortcut("Ctrl+0", self.zoom_reset)
        self.tabs.currentChanged.connect(self._focus_current_tab)

    def _add_lessons(self) -> None:
        from .essentials_tab.tab import EssentialsTab
        from .policy_tab.tab import PolicyTab

        self.essentials_tab = EssentialsTab()
        self.policy_tab = PolicyTab()
        self.tabs.addTab(self.essentials_tab, "1 · RL essentials")
        self.tabs.addTab(self.policy_tab, "2 · Policy gradients")

    def _reward_tab(self) -> QtWidgets.QWidget:
        from .reward_tab.tab import RewardTab  # torch loads only when this tab is first shown
        self.reward_tab = RewardTab()
        return self.reward_tab

    def _add_shortcut(self, keys: str, slot) -> QtGui.QShortcut:
        shortcut = QtGui.QShortcut(QtGui.QKeySequence(keys), self)
        shortcut.setContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def _focus_current_tab(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is not None:
            widget.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._focus_current_tab()  # the lesson's keys work from the first press

    # --- lecture keys ---------------------------------------------------------------------------
    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    @property
    def zoom(self) -> float:
        return ZOOM_STEPS[self._zoom_index]

    def zoom_in(self) -> None:
        self._zoom_index = min(self._zoom_index + 1, len(ZOOM_STEPS) - 1)
        self.apply_zoom()

    def zoom_out(self) -> None:
        self._zoom_index = max(self._zoom_index - 1, 0)
        self.apply_zoom()

    def zoom_reset(self) -> None:
        self._zoom_index = ZOOM_STEPS.index(1.0)
        self.apply_zoom()

    def apply_zoom(self) -> None:
        """Text everywhere follows one font size; painted views scale their text from it."""
        font = QtWidgets.QApplication.font()
        font.setPointSizeF(BASE_POINT_SIZE * self.zoom)
        QtWidgets.QApplication.setFont(font)
        self.setStyleSheet(f"QWidget {{ font-size: {BASE_POINT_SIZE * self.zoom:.1f}pt; }}"
                           f"QLabel#caption {{ font-size: {BASE_POINT_SIZE * self.zoom * 1.1:.1f}pt;"
                           " padding: 4px; }")
        self.zoom_changed.emit(self.zoom)
