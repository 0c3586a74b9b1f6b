"""Main window: the lessons as tabs, and what a lecturer needs everywhere — keys, zoom, full
screen and presentation mode, themes, the glossary, sessions and exports."""
from __future__ import annotations

import html

from PySide6 import QtCore, QtGui, QtWidgets

from . import themes
from .export_actions import ExportActions
from .glossary_dialog import GlossaryDialog
from .session_actions import SessionActions, settings
from .style import BASE_POINT_SIZE, color

BUILD_LATER_MS = 400   # after the first paint, the hidden tabs are built one by one
BUILD_GAP_MS = 150
LAZY_TABS = {"policy_tab": "2 · Policy gradients", "reward_tab": "3 · Reward model",
             "rlhf_tab": "4 · RLHF: SFT and policy optimisation"}
ZOOM_STEPS = (0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
KEYS_HELP = """Right, Space, PageDown: next phase · Left, PageUp: previous phase · P: play/pause ·
R: reset · F5: presentation mode (Esc leaves) · F11: full screen · B or '.': blank the screen ·
F2: the controls on a narrow screen · F (presenting): one panel at a time ·
Ctrl+= / Ctrl+-: larger / smaller text · Ctrl+1 … Ctrl+4: go to a tab · F1: glossary ·
Ctrl+S / Ctrl+O: save / open a session"""


class MainWindow(QtWidgets.QMainWindow):
    zoom_changed = QtCore.Signal(float)
    warm_up_hidden_tabs = False  # the app sets it; tests keep torch processes to the tabs they show

    def __init__(self) -> None:
        themes.prepare(QtWidgets.QApplication.instance())
        super().__init__()
        self.setWindowTitle("explainer — policy gradients and RLHF, step by step")
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.banner = self._make_banner()
        central = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.tabs)
        self.setCentralWidget(central)
        self.resize(1600, 950)
        self.presenting = False
        self.theme = "light"
        self._zoom_index = ZOOM_STEPS.index(1.0)
        self.apply_zoom()
        self._add_lessons()
        self.blank = self._make_blank()
        self.glossary = GlossaryDialog(self)
        self.sessions = SessionActions(self.tabs, self, build_all=self._build_every_tab)
        self.sessions.message.connect(self.show_message)
        self.sessions.watch()
        self.exports = ExportActions(self)
        self.exports.message.connect(self.show_message)
        self._build_menus()
        self._connect_glossary_links()
        self.tabs.currentChanged.connect(self._focus_current_tab)
        self._unstyled: set = set()   # tab pages still in the theme before the last change
        self.tabs.currentChanged.connect(self._restyle_shown_tab)
        self._restore_layout()
        self._offer_recovery()
        self.sessions.mark_running()

    def _add_lessons(self) -> None:
        from .essentials_tab.tab import EssentialsTab

        self.essentials_tab = EssentialsTab()
        self.tabs.addTab(self.essentials_tab, "1 · RL essentials")
        # The other tabs (plots, and torch for 3 and 4) are built when first needed or once the
        # window is up, so the first paint comes nearly as fast as a bare window's.
        self._built: dict[str, QtWidgets.QWidget] = {}
        self._placeholders: dict[str, QtWidgets.QWidget] = {}
        for name, title in LAZY_TABS.items():
            placeholder = QtWidgets.QLabel("Loading…", alignment=QtCore.Qt.AlignmentFlag.AlignCenter)
            self._placeholders[name] = placeholder
            self.tabs.addTab(placeholder, title)
        self.tabs.currentChanged.connect(self._build_current)

    @property
    def policy_tab(self) -> QtWidgets.QWidget:
        return self._tab("policy_tab")

    @property
    def reward_tab(self) -> QtWidgets.QWidget:
        return self._tab("reward_tab")

    @property
    def rlhf_tab(self) -> QtWidgets.QWidget:
        return self._tab("rlhf_tab")

    def _make(self, name: str) -> QtWidgets.QWidget:
        if name == "policy_tab":
            from .policy_tab.tab import PolicyTab
            return PolicyTab()
        if name == "reward_tab":
            from .reward_tab.tab import RewardTab
            return RewardTab()
        from .rlhf_tab.feedback_link import FeedbackLink
        from .rlhf_tab.tab import RLHFTab
        # Lesson 4 ranks its generated answers into the Reward model tab's rankings.
        return RLHFTab(FeedbackLink(lambda: self.reward_tab.controller))

    def _tab(self, name: str) -> QtWidgets.QWidget:
        tab = self._built.get(name)
        if tab is None:
            tab = self._built[name] = self._make(name)
            self._swap_in(name, tab)
        return tab

    def _swap_in(self, name: str, tab: QtWidgets.QWidget) -> None:
        placeholder = self._placeholders.pop(name)
        index, current = self.tabs.indexOf(placeholder), self.tabs.currentIndex()
        blocked = self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, tab, LAZY_TABS[name])
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(blocked)
        placeholder.deleteLater()
        for view in tab.findChildren(QtWidgets.QWidget):
            if hasattr(view, "set_zoom"):
                view.set_zoom(self.zoom)
        if hasattr(tab, "set_presentation") and getattr(self, "presenting", False):
            tab.set_presentation(True)
        if hasattr(self, "sessions"):
            self.sessions.watch(tab)
        if self.warm_up_hidden_tabs and hasattr(tab, "start"):
            tab.start()  # its own process builds the model while the lecture is on another tab
        self._connect_glossary_links(tab)

    def _build_current(self) -> None:
        for name, placeholder in list(self._placeholders.items()):
            if self.tabs.currentWidget() is placeholder:
                self._tab(name)
                self._focus_current_tab()

    def build_all_tabs(self) -> None:
        """One tab per event-loop turn, so keys pressed meanwhile are answered between builds."""
        if self.isVisible() and self._placeholders:  # not when the window was closed meanwhile
            self._tab(next(iter(self._placeholders)))
            QtCore.QTimer.singleShot(BUILD_GAP_MS, self, self.build_all_tabs)

    def _build_every_tab(self) -> None:
        for name in list(self._placeholders):
            self._tab(name)

    # --- menus and keys -------------------------------------------------------------------------
    def _action(self, menu: QtWidgets.QMenu, text: str, slot, keys: str | tuple = (),
                tip: str = "") -> QtGui.QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        keys = (keys,) if isinstance(keys, str) else keys
        if keys:
            action.setShortcuts([QtGui.QKeySequence(k) for k in keys])
            action.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
        action.setToolTip(tip or text)
        self.addAction(action)  # keys keep working while the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "Open session…", self.exports.open_session_dialog, "Ctrl+O")
        self._action(file, "Save session…", self.exports.save_session_dialog, "Ctrl+S")
        self.recent_menu = file.addMenu("Open recent")
        self.sessions.recent_changed.connect(self._fill_recent)
        self._fill_recent(self.sessions.recent())
        file.addSeparator()
        self._action(file, "Export figure (PNG or SVG)…", self.exports.figure_dialog, "Ctrl+E")
        self._action(file, "Export animation: episode or training run (GIF, MP4)…", self.exports.animation_dialog)
        self._action(file, "Export history as CSV…", self.exports.csv_dialog)
        self._action(file, "Export as Python script…", lambda: self.exports.code_dialog(False))
        self._action(file, "Export as Jupyter notebook…", lambda: self.exports.code_dialog(True))
        file.addSeparator()
        self._action(file, "Quit", self.close, "Ctrl+Q")
        view = bar.addMenu("&View")
        self._action(view, "Presentation mode", self.toggle_presentation, "F5")
        self._action(view, "Full screen", self.toggle_full_screen, "F11")
        self._action(view, "Blank the screen", self.toggle_blank, ("B", "."))
        self._action(view, "Larger text", self.zoom_in, ("Ctrl+=", "Ctrl++"))
        self._action(view, "Smaller text", self.zoom_out, "Ctrl+-")
        self._action(view, "Normal text size", self.zoom_reset, "Ctrl+0")
        go = view.addMenu("Go to tab")
        for i in range(self.tabs.count()):
            self._action(go, self.tabs.tabText(i), lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                         f"Ctrl+{i + 1}")
        theme_menu = view.addMenu("Theme")
        for name in themes.THEMES:
            self._action(theme_menu, name.capitalize(), lambda _=False, n=name: self.set_theme(n))
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "Glossary", lambda: self.glossary.show_term(""), "F1")
        self._action(help_menu, "Keys", lambda: self.show_message(KEYS_HELP.replace("\n", " ")))
        leave = QtGui.QAction("Leave presentation", self, shortcut=QtGui.QKeySequence("Esc"))
        leave.triggered.connect(self.leave_presentation)
        self.addAction(leave)

    def _fill_recent(self, paths: list) -> None:
        self.recent_menu.clear()
        for path in paths:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.sessions.open(p))
        self.recent_menu.setEnabled(bool(paths))

    def _connect_glossary_links(self, root: QtWidgets.QWidget | None = None) -> None:
        for caption in (root or self).findChildren(QtWidgets.QWidget, "caption"):
            if hasattr(caption, "linkActivated"):
                caption.linkActivated.connect(self._on_link)

    def _on_link(self, link: str) -> None:
        if link.startswith("glossary:"):
            self.glossary.show_term(link.split(":", 1)[1])

    def _focus_current_tab(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is not None:
            widget.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._focus_current_tab()  # the lesson's keys work from the first press
        if self._placeholders:  # once the window is up, the other tabs get ready in the background
            QtCore.QTimer.singleShot(BUILD_LATER_MS, self, self.build_all_tabs)

    # --- banner and blank screen ----------------------------------------------------------------
    def _make_banner(self) -> QtWidgets.QLabel:
        banner = QtWidgets.QLabel(wordWrap=True, objectName="banner")
        banner.setTextFormat(QtCore.Qt.TextFormat.RichText)
        banner.setStyleSheet(f"background: {color('reward')}; color: black; padding: 6px;")
        banner.linkActivated.connect(self._on_banner_link)
        banner.hide()
        self._message_timer = QtCore.QTimer(self, singleShot=True, interval=6000)
        self._message_timer.timeout.connect(banner.hide)
        return banner

    def show_message(self, text: str, sticky: bool = False, links=()) -> None:
        """text is shown as the text it is (it quotes file names and what files hold); links:
        (href, label) pairs after it, the banner's only markup."""
        shown = html.escape(text, quote=False)
        if links:
            shown += " " + " · ".join(f"<a href='{href}'>{html.escape(label, quote=False)}</a>"
                                      for href, label in links)
        self.banner.setText(shown)
        self.banner.show()
        if sticky:
            self._message_timer.stop()
        else:
            self._message_timer.start()

    def _on_banner_link(self, link: str) -> None:
        if link == "restore":
            self.banner.hide()
            self.sessions.open(self.sessions.autosave_path)
        elif link == "dismiss":
            self.banner.hide()

    def _offer_recovery(self) -> None:
        if self.sessions.crashed_session() is not None:
            self.show_message("The last session did not close properly.", sticky=True,
                              links=(("restore", "Restore it"), ("dismiss", "Dismiss")))

    def _make_blank(self) -> QtWidgets.QWidget:
        blank = QtWidgets.QWidget(self)
        blank.setStyleSheet("background: black;")
        blank.setAutoFillBackground(True)
        blank.hide()
        return blank

    def toggle_blank(self) -> None:
        """B or '.', as presentation clickers send: a black screen, and back."""
        self.blank.setGeometry(self.rect())
        self.blank.setVisible(not self.blank.isVisible())
        self.blank.raise_()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.blank.setGeometry(self.rect())

    # --- presentation, full screen, zoom, theme ---------------------------------------------------
    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def toggle_presentation(self) -> None:
        self.leave_presentation() if self.presenting else self.enter_presentation()

    def enter_presentation(self) -> None:
        """Full screen, controls hidden, text one step larger: only the lesson is on screen."""
        self.presenting = True
        self.menuBar().hide()
        self._set_tab_presentation(True)
        self.zoom_in()
        self.showFullScreen()

    def leave_presentation(self) -> None:
        """Esc: the blank screen first, then a walkthrough, then presentation mode."""
        if self.blank.isVisible():
            self.blank.hide()
            return
        tab = self.tabs.currentWidget()
        if getattr(tab, "walk", None) is not None:
            tab.end_walkthrough()
            return
        if not self.presenting:
            return
        self.presenting = False
        self.menuBar().show()
        self._set_tab_presentation(False)
        self.zoom_out()
        self.showNormal()

    def _set_tab_presentation(self, on: bool) -> None:
        for i in range(self.tabs.count()):
            tab = self.tabs.widget(i)
            if hasattr(tab, "set_presentation"):
                tab.set_presentation(on)

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
        """Text everywhere follows one font size; painted views and equations scale from it."""
        size = BASE_POINT_SIZE * self.zoom
        font = QtWidgets.QApplication.font()
        font.setPointSizeF(size)
        QtWidgets.QApplication.setFont(font)
        self.setStyleSheet(f"QWidget {{ font-size: {size:.1f}pt; }}"
                           f"#caption {{ font-size: {size * 1.1:.1f}pt; padding: 4px; }}")
        for view in self.findChildren(QtWidgets.QWidget):
            if hasattr(view, "set_zoom"):
                view.set_zoom(self.zoom)
        self.zoom_changed.emit(self.zoom)
        settings().setValue("zoom", self._zoom_index)

    def set_theme(self, name: str) -> None:
        """A palette swap; the window and the tab shown restyled at once, each other tab when it
        is next shown (see `themes`)."""
        self.theme = name
        app = QtWidgets.QApplication.instance()
        themes.set_palette(name, app)
        pages = [self.tabs.widget(i) for i in range(self.tabs.count())]
        themes.restyle_around(app, pages)
        self._unstyled = set(pages) - {self.tabs.currentWidget()}
        themes.restyle(self.tabs.currentWidget())
        settings().setValue("theme", name)

    def _restyle_shown_tab(self) -> None:
        page = self.tabs.currentWidget()
        if page in self._unstyled:   # before it paints: it shows the theme in force
            self._unstyled.discard(page)
            themes.restyle(page)

    # --- layout kept between runs ---------------------------------------------------------------
    def _restore_layout(self) -> None:
        s = settings()
        geometry = s.value("geometry")
        self.restored_geometry = isinstance(geometry, QtCore.QByteArray) and self.restoreGeometry(geometry)
        theme = s.value("theme", "light")
        if theme in themes.THEMES and theme != "light":
            self.set_theme(theme)
        try:
            index = int(s.value("tab", 0))
        except (TypeError, ValueError):
            index = 0
        self.tabs.setCurrentIndex(min(max(index, 0), self.tabs.count() - 1))

    def closeEvent(self, event) -> None:
        s = settings()
        s.setValue("geometry", self.saveGeometry())
        s.setValue("tab", self.tabs.currentIndex())
        for tab in [self.essentials_tab, *self._built.values()]:
            shutdown = getattr(tab, "shutdown", None)
            if callable(shutdown):
                shutdown()  # background work stops before the window goes
        self.sessions.mark_clean_exit()
        super().closeEvent(event)
