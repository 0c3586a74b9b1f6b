"""Stage 3, policy optimisation: one update walks Guess → Derivative → Reward → Update on text,
with the Reward model as the Environment; before/after answers below. The plots over updates are
on the Results page (`results_panel`), where they have the room to be read."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.fitted_math import FittedMath
from ..widgets.grow_only_label import GrowOnlyLabel
from ..widgets.phase_strip import PhaseStrip
from ..widgets.drawer import Drawer
from ..widgets.sidebar_area import SidebarArea
from .captions import PRESETS, caption
from .compare_view import ROWS, CompareView
from .controls import RLHFControls
from .equations import PHASES, TRAINING_LINES, equation_lines, focus
from .gradient_view import GradientBars
from .token_view import TokenBars

RECORD_PARTS = 4
# Presenting, stage 3 shows one of these at a time under its phase and caption (F): the sampled
# response with the derivative at one token, the equations, the before/after rows.
STAGE = ("picture", "equations", "rows")
PHASES_SHARE = 0.45   # of stage 3's splitter: the phases at least, once the rows have their room
ACCENTS = {"guess": style.color("agent"), "derivative": style.color("derivative"),
           "reward": style.color("reward"), "update": style.color("learning_rate")}


class PolicyPanel(QtWidgets.QWidget):
    def __init__(self, controller) -> None:
        super().__init__()
        self.controller = controller
        self._newest: dict = {}
        self.focus = None   # presenting: the one of STAGE shown
        self._build()
        self._connect()
        self.show_record(None)

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.phase_strip = PhaseStrip(PHASES, ACCENTS)
        self.caption = GrowOnlyLabel()
        self.caption.setObjectName("caption")
        self.preset_caption = QtWidgets.QLabel(wordWrap=True)
        self.preset_caption.setStyleSheet(f"color: {style.color('reward')}; font-weight: bold;")
        self.preset_caption.hide()
        self.response_title = _title("Agent = Policy: the sampled response, P(token) as drawn")
        self.tokens = TokenBars()
        self.gradient_title = _title("Derivative at one token: softmax − one-hot")
        self.gradient = GradientBars()
        self.equations = FittedMath()
        self.compare = CompareView()
        self.controls = RLHFControls()
        self.picture = QtWidgets.QWidget()
        left = QtWidgets.QVBoxLayout(self.picture)
        left.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.response_title, 0), (self.tokens, 1),
                                (self.gradient_title, 0), (self.gradient, 1)):
            left.addWidget(widget, stretch)
        self.middle = middle = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(middle)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.picture, 6)
        row.addWidget(self.equations, 5)
        # A splitter: the lecturer can give the before/after rows more room.
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        scroll = QtWidgets.QScrollArea(widgetResizable=True)
        scroll.setWidget(self.compare)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.compare_scroll = scroll
        for widget in (middle, scroll):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([520, 150])
        self.splitter.setChildrenCollapsible(False)
        # When the panel's height changes (a preset's caption appears, the window is resized), the
        # phases take the difference: the before/after rows keep what they need.
        for index, stretch in enumerate((1, 0)):
            self.splitter.setStretchFactor(index, stretch)
        self._sized = False   # the splitter's first sizes are set when the panel is first shown
        # Zoomed in (Ctrl+=, presentation mode) the rows need more height: the splitter is fitted
        # again once the new text size is laid out; resized, the rows keep the room they need.
        self._refit = QtCore.QTimer(self, singleShot=True, interval=0, timeout=self.fit_splitter)
        self.compare.reserve_changed.connect(self._refit.start)
        self.compare.rows_shown.connect(self._make_room)
        # the stage without its controls, a widget of its own for a figure ("lesson only")
        self.lesson_area = QtWidgets.QWidget()
        centre = QtWidgets.QVBoxLayout(self.lesson_area)
        centre.setContentsMargins(0, 0, 0, 0)
        # (the preset's note is placed by the tab, above every page: it describes the run)
        for widget, stretch in ((self.phase_strip, 0), (self.caption, 0), (self.splitter, 1)):
            centre.addWidget(widget, stretch)
        root = QtWidgets.QHBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        root.addWidget(self.lesson_area, 1)
        # in a column that scrolls when short (docked at 1.75× on a 950-px screen, the buttons
        # were squeezed to less than a line of text)
        column = QtWidgets.QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.controls)
        self.controls_area = SidebarArea(column)
        root.addWidget(self.controls_area)
        self.drawer = Drawer(self, self.controls_area, root)   # a drawer on a narrow projector

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.drawer.host_minimum(super().minimumSizeHint())

    def _connect(self) -> None:
        c, k = self.controller, self.controls
        # The controller publishes each of these in an event-loop turn of its own (at most five
        # times a second while training, only while this panel is shown). Stepping draws a record
        # whole, at once; while training, a record or a series is drawn a part per turn.
        c.record_changed.connect(self._on_record)
        c.compare_changed.connect(lambda rows: self._in_parts(self.compare.show_row, ROWS, rows))
        c.settings_changed.connect(k.show_settings)
        c.running_changed.connect(k.set_running)
        c.running_changed.connect(self._on_running)
        c.playing_changed.connect(k.stepper.set_playing)
        c.progress.connect(self._on_progress)
        # Next / Previous: connected by the tab (they step a guided walkthrough while one runs)
        k.stepper.play_toggled.connect(lambda on: c.play() if on else c.pause_play())
        k.stepper.reset_clicked.connect(lambda: c.reset())
        k.stepper.seed_changed.connect(lambda seed: c.reset(seed))
        c.seed_changed.connect(self._show_seed)
        self._show_seed(c.seed)
        k.stepper.speed_changed.connect(c.set_speed)
        k.stepper.run_clicked.connect(self._on_run_clicked)
        k.setting_changed.connect(c.set_setting)
        k.preset_chosen.connect(self.apply_preset)
        k.fix_clicked.connect(c.fix_hacking)

    def _show_seed(self, seed: int) -> None:
        """The box shows the run's seed (an opened session's too) without resetting it again."""
        box = self.controls.stepper.seed
        box.blockSignals(True)
        box.setValue(seed)
        box.blockSignals(False)

    # --- intent ------------------------------------------------------------------------------------
    def apply_preset(self, name: str) -> None:
        self.controller.apply_preset(name)
        self.preset_caption.setText(f"{PRESETS[name][0]}: {PRESETS[name][1]}")
        self.preset_caption.show()

    def _on_run_clicked(self, updates: int) -> None:
        c = self.controller
        c.stop() if c.running else c.train(updates)

    # --- rendering ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.equations.view.setUpdatesEnabled(True)   # if hidden between layout and fit
        if not self._sized:
            self._sized = True
            QtCore.QTimer.singleShot(0, self.fit_splitter)   # once the fonts are laid out
        self.controller.set_rendering(True)   # draws what arrived while hidden

    def set_focus(self, name: str | None) -> None:
        """Presenting: one of STAGE alone, filling the stage; None: all of them."""
        self.focus = name
        self.picture.setVisible(name in (None, "picture"))
        self.equations.setVisible(name in (None, "equations"))
        self.middle.setVisible(name != "rows")
        self.compare_scroll.setVisible(name in (None, "rows"))
        if name is None:
            self._refit.start()

    def fit_splitter(self) -> None:
        """Room for every before/after row first, the phases at least PHASES_SHARE of the
        height; the phases take the rest."""
        if self.focus is not None:   # one panel alone: the splitter shows it whole
            return
        total = sum(self.splitter.sizes())
        phases = max(self.splitter.widget(0).minimumSizeHint().height(),
                     round(PHASES_SHARE * total), total - self._compare_needs())
        self.splitter.setSizes([phases, max(total - phases, 1)])

    def _compare_needs(self) -> int:
        """The before/after pane's height that shows every row whole (no scrolling)."""
        return self.compare.needed_height(self.compare_scroll.viewport().width()) + 2

    def resizeEvent(self, event) -> None:
        """A new height (the window, a walkthrough's caption above, presenting): fitted again, the
        rows keeping the room they need. (Dragging the splitter never resizes the panel.)"""
        super().resizeEvent(event)
        if self._sized and event.oldSize().height() != event.size().height():
            self._refit.start()
        else:
            self._make_room()

    def _make_room(self) -> None:
        """Fit the splitter again if the rows need more than their pane (an answer wrapped to
        another line, the panel got smaller); they never shrink it, so training seldom re-lays
        out the tab."""
        if self._sized and self.focus is None and sum(self.splitter.sizes()) and \
                self.splitter.sizes()[1] < self._compare_needs():
            self._refit.start()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.controller.set_rendering(False)

    def _on_running(self, running: bool) -> None:
        if not running:   # the last update's equations: laid out in a turn, fitted in the next
            r = self.controller.record
            self.controller.renders.schedule(lambda: self._lay_out_unpainted(r), key="equations")
            self.controller.renders.schedule(lambda: self.show_record_part(1, r),
                                             key="equations fitted")

    def _lay_out_unpainted(self, r) -> None:
        """The equations at the present type size, not painted: the next turn fits them (perhaps
        laying them out again) and paints once."""
        self.equations.view.setUpdatesEnabled(False)
        self.equations.view.set_lines(equation_lines(r))

    def _on_progress(self, done: int, asked: int) -> None:
        self.controls.stepper.set_progress(done / max(asked, 1))

    def _on_record(self, r) -> None:
        self._in_parts(self.show_record_part, RECORD_PARTS, r)

    def _in_parts(self, draw, parts: int, value) -> None:
        """All parts now when stepping; while training the first now, the others a turn each."""
        if not self.controller.running:
            for part in range(parts):
                draw(part, value)
            return
        draw(0, value)
        self._newest[draw] = value   # a part still queued draws the newest value
        for part in range(1, parts):
            self.controller.renders.schedule(lambda part=part: draw(part, self._newest[draw]),
                                             key=(draw, part))

    def show_record(self, r) -> None:
        for part in range(RECORD_PARTS):
            self.show_record_part(part, r)

    def show_record_part(self, part: int, r) -> None:
        """0: phase and caption; 1: the equations; 2: the response's tokens; 3: the derivative."""
        if part == 0:
            self.phase_strip.set_phase(r.phase if r else None, None)
            self.phase_strip.episode_label.setText("Not started" if r is None
                                                   else f"Update {r.update + 1}")
            self.caption.setText(caption(r))
        elif part == 1:
            if self.controller.running and r is not None:
                # Not fitted: the type keeps its size, so the last update's equations, shown
                # when training stops, are laid out once at the size they will have.
                self.equations.view.set_lines(TRAINING_LINES)
            else:
                self.equations.set_lines(equation_lines(r))
                self.equations.view.setUpdatesEnabled(True)
        elif part == 2:
            self._show_tokens(r)
        else:
            self._show_gradient(r)

    def _show_tokens(self, r) -> None:
        if r is None:
            self.tokens.set_tokens((), (), placeholder="Guess samples a response here")
            return
        first = r.responses[0]
        highlight = focus(r) if r.token_gradients else None
        self.tokens.set_tokens(first.tokens, first.probs, highlight)
        self.response_title.setText(f"Policy: “{first.prompt}” → P(token) as drawn")

    def _show_gradient(self, r) -> None:
        if r is None or not r.token_gradients:
            self.gradient.set_gradient(None, "appears in the Derivative phase")
            self.gradient_title.setText("Derivative at one token: softmax − one-hot")
            return
        g = r.token_gradients[focus(r)]
        self.gradient.set_gradient(g)
        self.gradient_title.setText(f"Derivative at “{g.token}” (the least likely token): "
                                    "softmax − one-hot")


def _title(text: str) -> QtWidgets.QLabel:
    label = _OneLineLabel(text)
    label.setStyleSheet("font-weight: bold;")
    return label


class _OneLineLabel(QtWidgets.QLabel):
    """A title kept to one line, cut with "…" when its column is narrow (its full text is the
    tooltip): zoomed in, a title that wrapped took a line from the before/after rows."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,
                           QtWidgets.QSizePolicy.Policy.Fixed)
        self._full = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, QtCore.Qt.TextElideMode.ElideRight,
                                              width) if width > 0 else self._full
        if shown != super().text():
            super().setText(shown)
