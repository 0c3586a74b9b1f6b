"""Main window: the lessons as tabs, and what a lecturer needs everywhere — keys, zoom, full
screen and presentation mode, themes, the glossary, sessions and exports."""
from __future__ import annotations

import functools

import html

from PySide6 import QtCore, QtGui, QtWidgets

from ...core import lessons
from ..theme import themes
from .export_actions import ExportActions
from ..widgets.glossary_dialog import GlossaryDialog
from .lesson_tabs import WindowTab, Zoomable, build_tab
from .session_actions import SessionActions, settings
from ..theme.style import BASE_POINT_SIZE, color
from ..widgets.caption import Caption
from ..widgets.fitting_tab_bar import FittingTabBar
from ..widgets.screen_fit_area import ScreenFitArea

BUILD_LATER_MS = 400   # after the first paint, the hidden tabs are built one by one
BUILD_GAP_MS = 150
ZOOM_STEPS = (0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
# Presenting is one step larger than the window's text, and never below the zoom at which the
# presenting type scale (widgets/type_scale.py) gives 24 px body text and 20 px at the least.
PRESENTING_LEAST_ZOOM = 1.15
KEYS_HELP = """Right, Space, PageDown: next phase · Left, PageUp: previous phase · P: play/pause ·
R: reset · F5: presentation mode (Esc leaves) · F11: full screen · B or '.': blank the screen ·
F2: the controls on a narrow screen · F (presenting): one panel at a time ·
Ctrl+= / Ctrl+-: larger / smaller text · Ctrl+1 … Ctrl+{last}: go to a tab · F1: glossary ·
Ctrl+S / Ctrl+O: save / open a session"""


class MainWindow(QtWidgets.QMainWindow):
    """One tab per registered lesson (`core/lessons.py`), in its order, Ctrl+N going to the N-th;
    `window.<key>_tab` (e.g. `window.policy_tab`) is lesson <key>'s tab, built when first asked."""

    zoom_changed = QtCore.Signal(float)
    warm_up_hidden_tabs = False  # the app sets it; tests keep torch processes to the tabs they show

    def __init__(self) -> None:
        themes.prepare(QtWidgets.QApplication.instance())
        super().__init__()
        self.setWindowTitle("explainer — policy gradients and RLHF, step by step")
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setTabBar(FittingTabBar())   # every lesson's tab in view, whatever the text size
        self.tabs.setDocumentMode(True)
        self.fit_area = ScreenFitArea(self.tabs)   # the lessons scroll rather than outgrow the screen
        self.setCentralWidget(self.fit_area)
        self.banner = self._make_banner()
        self.resize(1600, 950)
        self.presenting = False
        self.sessions = None   # SessionActions, once the first tab is in
        self.theme = "light"
        self._zoom_index = ZOOM_STEPS.index(1.0)
        self._zoom_before_presenting = self._zoom_index
        self.apply_zoom()
        self._add_lessons()
        self.blank = self._make_blank()
        self.sessions = SessionActions(self.tabs, self, build_all=self._build_every_tab)
        self.sessions.message.connect(self.show_message)
        self.sessions.watch()
        self.exports = ExportActions(self)
        self.exports.message.connect(self.show_message)
        self._build_menus()
        self.tabs.currentChanged.connect(self._focus_current_tab)
        self._unstyled: set = set()   # tab pages still in the theme before the last change
        self.tabs.currentChanged.connect(self._restyle_shown_tab)
        self._restore_layout()
        self._offer_recovery()
        self.sessions.mark_running()

    @functools.cached_property
    def glossary(self) -> GlossaryDialog:
        """Built when first opened (F1 or a term's link), not before the first paint."""
        return GlossaryDialog(self)

    def _add_lessons(self) -> None:
        # Only the first tab is built now; the others (plots, and torch processes for the trained
        # lessons) when first needed or once the window is up, so the first paint comes nearly as
        # fast as a bare window's.
        self._specs = {spec.key: spec for spec in lessons.all_lessons()}   # as the window opened
        self._built: dict[str, WindowTab] = {}
        self._placeholders: dict[str, QtWidgets.QWidget] = {}
        for number, spec in enumerate(self._specs.values(), 1):
            placeholder = QtWidgets.QLabel("Loading…", alignment=QtCore.Qt.AlignmentFlag.AlignCenter)
            self._placeholders[spec.key] = placeholder
            self.tabs.addTab(placeholder, f"{number} · {spec.title}")
        self.tabs.tabBar().set_short_titles(tuple(
            f"{number} · {spec.tab_title}" for number, spec in enumerate(self._specs.values(), 1)),
            self.tabs)
        self.tab(next(iter(self._specs)))
        self.tabs.currentChanged.connect(self._build_current)

    def tab(self, key: str) -> WindowTab:
        """Lesson `key`'s tab, built now if it was not yet."""
        tab = self._built.get(key)
        if tab is None:
            tab = self._built[key] = build_tab(self._specs[key], self.tab)
            self._swap_in(key, tab)
        return tab

    def __getattr__(self, name: str):
        """`window.policy_tab`: lesson "policy"'s tab (for tests and the gallery)."""
        key = name.removesuffix("_tab")
        if name.endswith("_tab") and key in self.__dict__.get("_specs", {}):
            return self.tab(key)
        raise AttributeError(name)

    def _swap_in(self, key: str, tab: WindowTab) -> None:
        placeholder = self._placeholders.pop(key)
        index, current = self.tabs.indexOf(placeholder), self.tabs.currentIndex()
        blocked = self.tabs.blockSignals(True)
        title, tip = self.tabs.tabText(index), self.tabs.tabToolTip(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, tab, title)
        self.tabs.setTabToolTip(index, tip)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(blocked)
        placeholder.deleteLater()
        self._zoom_views(tab)
        if self.presenting:
            tab.set_presentation(True)
        if self.sessions is not None:
            self.sessions.watch(tab)
        if self.warm_up_hidden_tabs:
            tab.start()  # its own process builds the model while the lecture is on another tab
        self._connect_glossary_links(tab)

    def _zoom_views(self, root: QtWidgets.QWidget) -> None:
        for view in root.findChildren(QtWidgets.QWidget):
            if isinstance(view, Zoomable):
                view.set_zoom(self.zoom)

    def _build_current(self) -> None:
        for key, placeholder in list(self._placeholders.items()):
            if self.tabs.currentWidget() is placeholder:
                self.tab(key)
                self._focus_current_tab()

    def build_all_tabs(self) -> None:
        """One tab per event-loop turn, so keys pressed meanwhile are answered between builds."""
        if self.isVisible() and self._placeholders:  # not when the window was closed meanwhile
            self.tab(next(iter(self._placeholders)))
            QtCore.QTimer.singleShot(BUILD_GAP_MS, self, self.build_all_tabs)

    def _build_every_tab(self) -> None:
        for key in list(self._placeholders):
            self.tab(key)

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
        for i, title in enumerate(self.tabs.tabBar().full):   # the full titles, however narrow
            self._action(go, title, lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                         f"Ctrl+{i + 1}")
        theme_menu = view.addMenu("Theme")
        for name in themes.THEMES:
            self._action(theme_menu, name.capitalize(), lambda _=False, n=name: self.set_theme(n))
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "Glossary", lambda: self.glossary.show_term(""), "F1")
        keys = KEYS_HELP.format(last=self.tabs.count()).replace("\n", " ")
        self._action(help_menu, "Keys", lambda: self.show_message(keys))
        leave = QtGui.QAction("Leave presentation", self, shortcut=QtGui.QKeySequence("Esc"))
        leave.triggered.connect(self.leave_presentation)
        self.addAction(leave)

    def _fill_recent(self, paths: list) -> None:
        self.recent_menu.clear()
        for path in paths:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.sessions.open(p))
        self.recent_menu.setEnabled(bool(paths))

    def _connect_glossary_links(self, tab: QtWidgets.QWidget) -> None:
        for caption in tab.findChildren(QtWidgets.QWidget, "caption"):
            if isinstance(caption, (QtWidgets.QLabel, Caption)):   # the two kinds with links
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
        # Over the bottom of the lessons, not above them in the layout: a message taking a row
        # made the lesson jump down for six seconds, and scroll where it had just fitted.
        banner = QtWidgets.QLabel(self, wordWrap=True, objectName="banner")
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
        self._place_banner()
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
        self._place_banner()
        self._fit_presenting_zoom()   # full screen arrives as a resize from the window manager

    def _place_banner(self) -> None:
        area = self.centralWidget().geometry()
        height = self.banner.heightForWidth(area.width())
        self.banner.setGeometry(area.left(), area.bottom() + 1 - height, area.width(), height)
        self.banner.raise_()
        if self.blank.isVisible():
            self.blank.raise_()   # a blanked screen stays black

    # --- presentation, full screen, zoom, theme ---------------------------------------------------
    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def toggle_presentation(self) -> None:
        self.leave_presentation() if self.presenting else self.enter_presentation()

    def enter_presentation(self) -> None:
        """Full screen, controls hidden, text one step larger (and at least the presenting
        zoom, whatever the lecturer's text size): only the lesson is on screen."""
        self.presenting = True
        self._zoom_before_presenting = self._zoom_index
        self.menuBar().hide()
        self._set_tab_presentation(True)
        self._zoom_index = max(min(self._zoom_index + 1, len(ZOOM_STEPS) - 1),
                               ZOOM_STEPS.index(PRESENTING_LEAST_ZOOM))
        self.apply_zoom()
        self.showFullScreen()
        self._fit_presenting_zoom()

    def _fit_presenting_zoom(self) -> None:
        """The stage fills the screen and never scrolls: a step up that would not fit (1.3× → 1.5×
        on a 1280×720 projector needs 789 px) gives way to the largest that does, never below
        the presenting type scale's zoom."""
        # Presenting, the lessons have the whole window (the menu bar, hidden, may not yet have
        # given its row back to the layout).
        if not self.presenting:   # every resize asks: only the stage is fitted
            return
        least = ZOOM_STEPS.index(PRESENTING_LEAST_ZOOM)
        while self._zoom_index > least and self.fit_area.needs_scrolling(self.size()):
            self._zoom_index -= 1
            self.apply_zoom()

    def leave_presentation(self) -> None:
        """Esc: the blank screen first, then a walkthrough, then presentation mode."""
        if self.blank.isVisible():
            self.blank.hide()
            return
        tab = self._built_at(self.tabs.currentIndex())
        if tab is not None and tab.walk is not None:
            tab.end_walkthrough()
            return
        if not self.presenting:
            return
        self.presenting = False
        self.menuBar().show()
        self._set_tab_presentation(False)
        self._zoom_index = self._zoom_before_presenting   # the lecturer's own text size again
        self.apply_zoom()
        self.showNormal()

    def _set_tab_presentation(self, on: bool) -> None:
        for tab in self._built.values():
            tab.set_presentation(on)

    def _built_at(self, index: int) -> WindowTab | None:
        """The tab at `index`, or None while it is a placeholder."""
        widget = self.tabs.widget(index)
        return next((tab for tab in self._built.values() if tab is widget), None)

    @property
    def zoom(self) -> float:
        return ZOOM_STEPS[self._zoom_index]

    def zoom_in(self) -> None:
        self._zoom_index = min(self._zoom_index + 1, len(ZOOM_STEPS) - 1)
        self.apply_zoom()
        # once the larger text is laid out: say why a scroll bar came, and what reads larger
        QtCore.QTimer.singleShot(0, self, self._say_if_scrolling)

    def _say_if_scrolling(self) -> None:
        if self.fit_area.needs_scrolling():
            self.show_message(f"At {self.zoom:.0%} the lesson needs more room than the window has, "
                              "so it scrolls. F5 presents it one panel at a time.")

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
        self._zoom_views(self)
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
        for tab in self._built.values():
            tab.shutdown()  # background work stops before the window goes
        self.sessions.mark_clean_exit()
        super().closeEvent(event)
