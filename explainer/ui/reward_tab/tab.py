"""Lesson 3: people rank responses, and a mini Reward model learns from the pairs in front of them.

    ┌ Human feedback ─────────┬ Reward model ─────────────┬ Pairwise ranking loss ─────┐
    │ prompts (held out ☑)    │ architecture drawing      │ R_better R_worse d σ(d) L  │
    │ [drag to rank | which   │ Reward of each response   │ Loss = −1 × log(σ(…)) = …  │
    │  is better?] + pairs    │ try a response → Reward   │ −log σ(d) with every pair  │
    │                         │                           │ loss / accuracy over steps │
    └─────────────────────────┴───────────────────────────┴────────────────────────────┘
torch is not imported until the tab is first shown (the training process builds the model then).
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme import style
from ..widgets.format import num
from ..training.pipeline_walk import PipelineWalkPlayer, PlayerWalkthroughs
from ..widgets.walkthrough_banner import WalkthroughBar
from ..widgets.walkthrough_banner import WALKTHROUGH, clicker_shortcuts, hold
from ..widgets.type_scale import set_presenting
from .architecture_view import ArchitectureView
from ..widgets.banner import Banner
from .compare_view import CompareView
from .controller import RewardController
from .loss_curve import LossCurve
from .loss_panel import LossPanel
from .order_view import OrderView
from .pair_list import PairList
from .plots import TrainingPlots
from .probe_view import ProbeView
from .prompt_list import PromptList
from ..widgets.reflow_panels import ReflowPanels
from .reward_bars import RewardBars
from .training_controls import TrainingControls
from .walkthrough import RewardActor

FILE_FILTER = "Rankings (*.json);;All files (*)"
# The least height (px, at zoom 1) at which each panel still reads from the back row; with less,
# its column shows its panels one at a time.
BARS_LEAST, PLOTS_LEAST = 200, 190
LOSS_PANEL_LEAST, LOSS_CURVE_LEAST = 230, 220
# Presenting, beside the rankings one of these at a time, in this order (F): the model (drawing,
# bars, a typed response), its training plots, the selected pair's loss, every pair's loss.
STAGE = ("model", "training", "loss", "every pair")


class RewardTab(PlayerWalkthroughs, QtWidgets.QWidget):
    lesson = "reward"   # in the registry, core/lessons.py
    state_changed = QtCore.Signal()  # what a session saves has changed (rankings, training)
    _history_before_walk = None   # the rankings' undo steps when a walkthrough started

    def __init__(self, controller: RewardController | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        font = self.font()
        font.setPointSizeF(style.BASE_POINT_SIZE)
        self.setFont(font)
        self.controller = controller or RewardController(parent=self)
        self._build()
        self._connect()
        self.player = PipelineWalkPlayer("reward", RewardActor(self), self.walk_bar, self)
        self.player.message.connect(lambda text: self.banner.show_message(text, "error"))
        self.player.walking_changed.connect(self._on_walking)
        self.controller.on_snapshot(self.player.refresh)  # live values in the shown caption
        self._started = False
        self.presenting = False
        self.focus = None   # presenting: the one of STAGE shown beside the rankings
        self.controller.feedback_changed.connect(lambda *_: self.state_changed.emit())
        self.controller.running_changed.connect(lambda *_: self.state_changed.emit())
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- building ----------------------------------------------------------------------------------
    def _build(self) -> None:
        c = self.controller
        self.controls = TrainingControls(c)
        self.banner = Banner()
        self.walk_bar = WalkthroughBar()
        self.prompts, self.order, self.pairs = PromptList(c), OrderView(c), PairList(c)
        self.compare = CompareView(c)
        self.architecture, self.bars, self.probe = ArchitectureView(), RewardBars(c), ProbeView(c)
        self.loss_panel, self.loss_curve, self.plots = LossPanel(c), LossCurve(c), TrainingPlots(c)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)   # 1.15× fits a 720-px projector
        layout.addLayout(self._top_row())
        layout.addWidget(self.banner)
        layout.addWidget(self.walk_bar)
        self.lesson_area = self._columns()   # the lesson without its toolbar, for a figure
        layout.addWidget(self.lesson_area, 1)

    def _top_row(self) -> QtWidgets.QHBoxLayout:
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.controls, 1)
        self._control_widgets = [self.controls]  # what presentation mode hides
        self._walk_held = []   # what waits while a walkthrough shows its own rankings
        for text, tip, slot in (("Open…", "Open rankings saved as JSON", self.open_dialog),
                                ("Save…", "Save the rankings as JSON", self.save_dialog),
                                ("Undo", "Undo the last change to the rankings (Ctrl+Z)",
                                 self.controller.undo),
                                ("Guided walkthrough", "A captioned lesson on the Reward model and "
                                 "the Pairwise ranking loss, stepped with the clicker "
                                 "(resources/lessons)", lambda: self.start_walkthrough())):
            button = QtWidgets.QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            self.controls.add_button(button)   # one row that wraps on a narrow screen
            self._control_widgets.append(button)
            if text in ("Open…", "Undo"):
                self._walk_held.append(button)
        return row

    def _columns(self) -> QtWidgets.QSplitter:
        """Feedback on the left; the Reward model's drawing across the top of the rest."""
        model_and_loss = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.model_column, self.loss_column = self._model_column(), self._loss_column()
        model_and_loss.addWidget(self.model_column)
        model_and_loss.addWidget(self.loss_column)
        model_and_loss.setSizes([520, 640])
        right = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = self.model_heading = _heading("Reward model: a copy of the Policy with one output")
        heading.setWordWrap(True)   # a 1024-px projector has no room for it on one line
        layout.addWidget(heading)
        layout.addWidget(self.architecture)
        layout.addWidget(model_and_loss, 1)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        splitter.addWidget(self._feedback_column())
        splitter.addWidget(right)
        splitter.setSizes([420, 1160])
        return splitter

    def _feedback_column(self) -> QtWidgets.QWidget:
        self.ranking_tabs = QtWidgets.QTabWidget()
        self.ranking_tabs.setUsesScrollButtons(False)   # both ways to rank always in view
        drag = QtWidgets.QWidget()
        drag_layout = QtWidgets.QVBoxLayout(drag)
        drag_layout.addWidget(self.order, 3)
        drag_layout.addWidget(self.pairs, 2)
        self.ranking_tabs.addTab(drag, "Drag to rank")
        self.ranking_tabs.addTab(self.compare, "Which is better?")
        self.ranking_tabs.setTabToolTip(0, "Order all responses best to worst; every pair it "
                                        "implies becomes training data")
        self.ranking_tabs.setTabToolTip(1, "Judge one pair at a time: 1/← first, 2/→ second, "
                                        "T tie, S skip, U undo")
        # 3 : 5 gives the prompt list three or four rows on a 720-px projector (2 : 5 gave 1.5)
        return _column("Human feedback", (self.prompts, 3), (self.ranking_tabs, 5))

    def _model_column(self) -> QtWidgets.QWidget:
        # Short of room (a 720-px projector), the bars and the training plots take turns on
        # page tabs rather than shrinking to unreadable plots.
        self.model_pages = ReflowPanels((("Rewards", self.bars, BARS_LEAST, 3),
                                         ("Training", self.plots, PLOTS_LEAST, 2)))
        return _column(None, (self.model_pages, 1), (self.probe, 0))

    def _loss_column(self) -> QtWidgets.QWidget:
        self.loss_pages = ReflowPanels((("This pair", self.loss_panel, LOSS_PANEL_LEAST, 1),
                                        ("Every pair", self.loss_curve, LOSS_CURVE_LEAST, 1)))
        return _column("Pairwise ranking loss", (self.loss_pages, 1))

    def _connect(self) -> None:
        c = self.controller
        c.message.connect(self.banner.show_message)
        c.recovery_available.connect(self._offer_recovery)
        c.on_snapshot(self._update_architecture)
        c.selection_changed.connect(self._update_architecture)
        self.ranking_tabs.currentChanged.connect(self._on_ranking_tab_changed)
        # Ctrl+Z undoes; a presentation clicker's PageDown trains one batch at a time, so the
        # audience watches the pairs move, and PageUp shows the previous pair of the prompt.
        # During a walkthrough they step it instead.
        for keys, slot in ((QtGui.QKeySequence.StandardKey.Undo, c.undo),
                           (QtGui.QKeySequence("PgDown"), lambda: self._clicker(True)),
                           (QtGui.QKeySequence("PgUp"), lambda: self._clicker(False)),
                           (QtGui.QKeySequence("F"), self.cycle_focus)):
            shortcut = QtGui.QShortcut(QtGui.QKeySequence(keys), self)
            shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        # The arrows and Space step a walkthrough only while one runs: otherwise "Which is
        # better?" answers with ← and →.
        self._walk_keys = clicker_shortcuts(self, {"Right": lambda: self.player.next(),
                                                   "Space": lambda: self.player.next(),
                                                   "Left": lambda: self.player.previous()})
        self._enable_walk_keys()

    # --- guided walkthroughs -----------------------------------------------------------------------
    def start_walkthrough(self, walk=None) -> None:
        """Start a walkthrough (the shipped one by default, or a lesson file's path). What the
        tab held (rankings, training, the model's weights) is kept and given back at its end."""
        self.start()
        if self.player.walk is None:   # the rankings' undo steps, given back at the end too
            self._history_before_walk = self.controller.rankings_history()
        self.keep_before_walk()
        if not self.player.start(walk) and self.player.walk is None:
            self.forget_before_walk()
            return
        self._enable_walk_keys()
        self.setFocus()

    def end_walkthrough(self) -> None:
        super().end_walkthrough()
        self._enable_walk_keys()

    def _on_walking(self, walking: bool) -> None:
        """While a walkthrough runs, training, its settings and edits of the rankings wait (the
        buttons disabled, their tooltips and a message say why): they would make the shown model
        drift from the walkthrough's step. PageDown / PageUp step the walkthrough."""
        self.controls.set_walking(walking)
        for button in self._walk_held:
            hold(button, WALKTHROUGH, walking)
        self.controller.locked = ("The guided walkthrough shows the shipped rankings: end it (Esc "
                                  "or ✕ End) to change them." if walking else "")
        self._enable_walk_keys()
        if not walking:
            kept = self._before_walk is not None
            self.give_back_after_walk()
            history, self._history_before_walk = self._history_before_walk, None
            if kept and history is not None:
                # giving the rankings back is no undo step: Undo brought the walkthrough's back
                self.controller.restore_rankings_history(history)

    def _enable_walk_keys(self) -> None:
        for shortcut in self._walk_keys:
            shortcut.setEnabled(self.player.walk is not None if hasattr(self, "player") else False)

    def _clicker(self, forward: bool) -> None:
        c = self.controller
        if self.player.walk is not None:
            self.player.next() if forward else self.player.previous()
        else:
            c.step_once() if forward else c.select_previous_pair()

    # --- lifecycle ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.controller.set_rendering(True)   # catch up with training done while hidden
        self.start()

    def start(self) -> None:
        """Build the model (torch) in the training process: on first show, or earlier when the
        app warms hidden tabs up in the background."""
        if not self._started:
            self._started = True
            self.controller.warm_up()
            self.controller.check_recovery()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.controller.set_rendering(False)  # another tab is shown: draw nothing meanwhile

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self.controller.shutdown()

    # --- sessions, presenting, figures -----------------------------------------------------------
    def session_state(self) -> dict:
        """The rankings, and the training that made the shown model: replayed on open, so the
        Reward model's weights come back exactly (training is seeded and deterministic)."""
        kept = self.kept_session()   # a walkthrough shows its own: the tab's is kept
        if kept is not None:
            return kept
        c, snap = self.controller, self.controller.snapshot
        return {"feedback": c.feedback.to_dict(), "steps": snap.step,
                "learning_rate": snap.learning_rate, "optimizer": snap.optimizer}

    def prepare_session(self, state: dict):
        """Check a saved part; returns what applies it. Raises SessionError, changing nothing.
        With saved weights the model is loaded; without (older files) its training is replayed."""
        feedback, steps, lr, optimizer = _checked_state(state)
        weights = state.get("weights")
        if weights is not None:
            self.controller.check_state(weights, feedback, optimizer)

        def apply() -> None:
            c = self.controller
            self.forget_before_walk()   # the opened session replaces what the walkthrough showed
            self.end_walkthrough()
            c.pause()
            c.replace_feedback(feedback)
            c.reset_model()
            c.set_learning_rate(lr)
            c.set_optimizer(optimizer)
            if weights is not None:
                c.load_state(weights)
            elif steps:
                c.train(steps)
        return apply

    def request_weights(self, callback) -> bool:
        """Sessions ask for the trained model's state (callback(state or None)); see controller.
        During a walkthrough, the kept model's (None before it arrived: the training replays)."""
        return self.kept_weights(callback) or self.controller.request_state(callback)

    def weights_manifest(self) -> dict | None:
        """What saved weights are checked against; None until built (this starts building)."""
        self.start()
        return self.controller.weights_manifest

    def set_presentation(self, on: bool) -> None:
        """Presentation mode: the file and training controls go; beside the rankings, one panel
        of STAGE at a time, its text at the presenting type scale (F shows the next)."""
        self.presenting = on
        for widget in self._control_widgets:
            widget.setVisible(not on)
        set_presenting(self, on)
        self.model_pages.set_one_at_a_time(on)
        self.loss_pages.set_one_at_a_time(on)
        self.show_focus(STAGE[0] if on else None)

    def cycle_focus(self) -> None:
        if self.presenting:
            self.show_focus(STAGE[(STAGE.index(self.focus) + 1) % len(STAGE)])

    def show_focus(self, name: str | None) -> None:
        """One of STAGE alone beside the rankings, or (None) every panel."""
        self.focus = name
        for widget, shown_in in ((self.model_heading, ("model",)), (self.architecture, ("model",)),
                                 (self.probe, ("model",)),
                                 (self.model_column, ("model", "training")),
                                 (self.loss_column, ("loss", "every pair"))):
            widget.setVisible(name is None or name in shown_in)
        if name in ("model", "training"):
            self.model_pages.show_panel(self.bars if name == "model" else self.plots)
        elif name is not None:
            self.loss_pages.show_panel(self.loss_panel if name == "loss" else self.loss_curve)

    def figure_widgets(self) -> dict[str, QtWidgets.QWidget]:
        return {"lesson only": self.lesson_area, "tab": self, "architecture": self.architecture,
                "reward bars": self.bars,
                "loss panel": self.loss_panel, "loss curve": self.loss_curve,
                "training plots": self.plots, "pairs": self.pairs}

    # --- handlers ----------------------------------------------------------------------------------
    def _on_ranking_tab_changed(self, index: int) -> None:
        if self.ranking_tabs.widget(index) is self.compare:
            self.compare.setFocus()

    def _update_architecture(self, *_args) -> None:
        """The drawing reads the selected pair's better response, with its live Reward."""
        key = self.controller.selected_pair
        prompt = self.controller.prompt(key[0]) if key else None
        response = next((r for r in prompt.responses if r.id == key[1]), None) if prompt else None
        if response is None:
            self.architecture.set_example("", "", "—")
            return
        reward = self.controller.snapshot.rewards.get((prompt.id, response.id))
        self.architecture.set_example(prompt.text, response.text, num(reward, 3, signed=True))

    def _offer_recovery(self, feedback) -> None:
        self.banner.show_message(
            "Rankings from an earlier session were autosaved and differ from the ones loaded.",
            "info", (("Restore", "Load the autosaved rankings (Undo goes back)",
                      lambda: self.controller.replace_feedback(feedback)),
                     ("Discard", "Keep the loaded rankings", lambda: None)))

    def open_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open rankings", "", FILE_FILTER)
        if path:
            self.controller.open_file(path)

    def save_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Save rankings", "rankings.json",
                                                        FILE_FILTER)
        if path:
            self.controller.save_file(path)


def _heading(title: str) -> QtWidgets.QLabel:
    heading = QtWidgets.QLabel(title)
    heading.setStyleSheet(f"font-weight: bold; font-size: {round(style.BASE_POINT_SIZE * style.TITLE_SCALE)}pt;")
    return heading


def _column(title: str | None, *widgets) -> QtWidgets.QWidget:
    column = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(column)
    layout.setContentsMargins(4, 0, 4, 0)
    if title:
        layout.addWidget(_heading(title))
    for widget, stretch in widgets:
        layout.addWidget(widget, stretch)
    return column


def _checked_state(state) -> tuple:
    import json
    import math
    from ...core.language.rankings import FeedbackError, parse_feedback
    from ...core.files.session import SessionError
    if not isinstance(state, dict):
        raise SessionError("reward model: not an object")
    try:
        feedback = parse_feedback(json.dumps(state.get("feedback")), "session rankings")
    except (FeedbackError, TypeError, ValueError) as exc:
        raise SessionError(f"reward model: {exc}") from None
    steps, lr, optimizer = state.get("steps", 0), state.get("learning_rate", 0.01), state.get("optimizer", "adam")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 0 <= steps <= 100_000:
        raise SessionError("reward model: 'steps' must be a whole number from 0 to 100000")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) \
            or not 0 < lr <= 10:
        raise SessionError("reward model: 'learning_rate' must be a number in (0, 10]")
    if optimizer not in ("adam", "sgd"):
        raise SessionError("reward model: 'optimizer' must be 'adam' or 'sgd'")
    return feedback, steps, float(lr), optimizer
