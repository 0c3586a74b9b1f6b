"""What the stepped lessons share: the controller, the clicker keys, the phase animation, the
sidebar that presentation mode hides, sessions, and the figures a lecturer exports."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.files.session import lesson_state, restore_lesson
from ..shell.lesson_tabs import TabDefaults
from .stepped_controller import SteppedController
from ..widgets.walkthrough_banner import WalkthroughBar, clicker_shortcuts
from ..widgets.drawer import Drawer
from ..widgets.sidebar_area import SidebarArea
from ..widgets.stepper_controls import StepperControls
from ..widgets.type_scale import set_presenting

if TYPE_CHECKING:   # walkthroughs and export as code are read when asked for, not at first paint
    from ...core.files.walkthrough import Walkthrough

ANIMATION_MS = 650
# Presenting, the stage holds one panel at a time, F for the next: at 1280×720 the picture beside
# the equations drew its labels at ~10 px, and the presenting type scale asks 20 at the least.
STAGE = ("picture", "equations", "plot")
# The 0–1 line ("draw") shows the Guess's u against P: presenting, it goes with the equations,
# whose Guess lines compare the two, and leaves the picture the whole stage.
FOCUSED = {"all": {"picture", "draw", "equations", "plots"}, "picture": {"picture"},
           "equations": {"equations", "draw"}, "plot": {"plots"}}
# What each phase is about takes the stage when the phase comes (F shows the others): the chain
# rule is the equations'; the forward pass, the environment's reward and the bias moving to its
# new value are the picture's.
PHASE_STAGE = {"derivative": "equations"}
FRAMES_PER_PHASE = 10


class LessonTab(TabDefaults, QtWidgets.QWidget):
    """Subclasses build `self.sidebar` and views, then call `_start()`; they implement
    `_on_record_changed(record, animate)`, `_on_trace_changed()`, `_set_progress(t)`."""

    def __init__(self, run) -> None:
        super().__init__()
        self.controller = SteppedController(run, self)
        self.animation = QtCore.QVariantAnimation(self, startValue=0.0, endValue=1.0,
                                                  duration=ANIMATION_MS)
        self.animation.setEasingCurve(QtCore.QEasingCurve.Type.InOutCubic)
        self.animation.valueChanged.connect(lambda t: self._set_progress(float(t)))
        self.presenting = False
        self.focus = "all"   # not presenting; presenting, one of STAGE
        self._staged_phase: str | None = None   # the phase whose panel the stage was given
        # The tab takes keyboard focus so the clicker's keys reach it from the first press.
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.walk: Walkthrough | None = None
        self.walk_index = 0
        self.walk_banner = WalkthroughBar(end_tip="Leave the walkthrough (Esc): the tab shows "
                                          "the run it held before the walkthrough again")
        self.walk_banner.next_button.clicked.connect(self.next)
        self.walk_banner.back_button.clicked.connect(self.previous)
        self.walk_banner.end_button.clicked.connect(self.end_walkthrough)
        self.walk_banner.step_chosen.connect(self._jump_to_step)
        self._before_walk = None   # the lecturer's run, given back when the walkthrough ends

    @property
    def run(self):
        return self.controller.run

    def _place(self, centre: QtWidgets.QLayout, side: list[QtWidgets.QWidget]) -> None:
        """The lesson's panels on the left, its controls in a scrolling column on the right."""
        column = QtWidgets.QVBoxLayout()
        for widget in side:
            column.addWidget(widget)
        column.addStretch(1)
        self.sidebar = self._sidebar(column)
        # The panels in a widget of their own, so a figure can show the lesson without controls.
        self.lesson_area = QtWidgets.QWidget()
        centre.setContentsMargins(0, 0, 0, 0)
        self.lesson_area.setLayout(centre)
        root = QtWidgets.QHBoxLayout(self)
        root.addWidget(self.lesson_area, 1)
        root.addWidget(self.sidebar)
        self.drawer = Drawer(self, self.sidebar, root)   # a drawer on a narrow projector

    @staticmethod
    def button(text: str, tip: str, slot) -> QtWidgets.QPushButton:
        """A sidebar button that never takes focus, so the clicker keys stay with the lesson."""
        button = QtWidgets.QPushButton(text)
        button.setToolTip(tip)
        button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.drawer.host_minimum(super().minimumSizeHint())

    def _sidebar(self, layout: QtWidgets.QLayout) -> QtWidgets.QScrollArea:
        return SidebarArea(layout)

    def _start(self, stepper: StepperControls, message: QtWidgets.QLabel) -> None:
        # messages name what came from files (a lesson's title, a scenario): text, never markup
        message.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        c = self.controller
        c.record_changed.connect(self._on_record_changed)
        c.trace_changed.connect(self._show_trace)
        c.record_changed.connect(lambda *_: self.state_changed.emit())
        c.message.connect(message.setText)
        c.busy_changed.connect(stepper.set_busy)
        c.progress.connect(stepper.set_progress)
        c.playing_changed.connect(stepper.set_playing)
        stepper.next_clicked.connect(self.next)
        stepper.previous_clicked.connect(self.previous)
        stepper.play_toggled.connect(lambda on: c.play() if on else c.pause())
        stepper.reset_clicked.connect(c.reset)
        stepper.run_clicked.connect(c.run_episodes)
        stepper.speed_changed.connect(c.set_speed)
        stepper.seed_changed.connect(lambda seed: c.set_param(seed=seed))
        self._install_keys()
        self._on_record_changed(None, False)
        self._show_trace()

    def _install_keys(self) -> None:
        # Presentation clickers send PageDown/PageUp; keyboards use arrows and Space.
        self.shortcuts = clicker_shortcuts(self, {
            "Right": self.next, "Space": self.next, "PgDown": self.next, "Left": self.previous,
            "PgUp": self.previous, "P": self.controller.toggle_play, "R": self.controller.reset,
            "F": self.cycle_focus})

    # --- intent ---------------------------------------------------------------------------------
    def next(self) -> None:
        # A click during an animation finishes it at once; the next phase then starts its own.
        self.animation.stop()
        if self.walk is not None:
            self.show_walk_step(min(self.walk_index + 1, len(self.walk.steps) - 1))
        else:
            self.controller.next()

    def previous(self) -> None:
        self.animation.stop()
        if self.walk is not None:
            self.show_walk_step(max(self.walk_index - 1, 0))
        else:
            self.controller.previous()

    # --- guided walkthroughs --------------------------------------------------------------------
    def walkthroughs(self) -> list[Walkthrough]:
        from ...core.files.walkthrough import shipped_lessons
        return shipped_lessons(self.lesson)

    def start_walkthrough(self, walk: Walkthrough | str | None = None) -> None:
        """Start a walkthrough (shipped first by default, or a lesson file's path)."""
        from ...core.files.walkthrough import LessonError, lesson_for
        if self.controller.refused_while_busy():
            return
        try:
            walk = lesson_for(self.lesson, walk)
        except LessonError as exc:
            self.controller.message.emit(str(exc))
            return
        if self.walk is None:
            self._before_walk = self.controller.run   # the walkthrough's runs are its own
        self.walk = walk
        self.walk_banner.set_steps(step.caption for step in walk.steps)
        self.show_walk_step(0)

    def _jump_to_step(self, index: int) -> None:
        """A step chosen in the banner's overview: its run is built from the lesson's start."""
        if self.walk is not None and 0 <= index < len(self.walk.steps):
            self.animation.stop()
            self.show_walk_step(index)

    def end_walkthrough(self) -> None:
        """Back to the run the tab held before the walkthrough, as it was."""
        if self.walk is None:
            return
        self.walk = None
        self.walk_banner.hide()
        self.controller.pause()
        if self._before_walk is not None:
            self.controller.run, self._before_walk = self._before_walk, None
            self._on_record_changed(self.run.current, False)   # not animated: the trace follows
            self.state_changed.emit()

    def show_walk_step(self, index: int) -> None:
        """Step `index` (0-based) of the walkthrough started, its run shown."""
        walk = self.walk
        run = walk.run_at(index)
        self.walk_index = index
        self.controller.pause()
        self.controller.run = run
        self.walk_banner.show_step(walk.title, index, len(walk.steps), walk.steps[index].caption)
        self._on_record_changed(run.current, index > 0)
        # The run was replaced, not stepped: nothing else tells the history views (a step of
        # 1,000 visits left the history plot empty while its caption spoke of it).
        self._show_trace()
        self.state_changed.emit()

    def _animate(self, animate: bool) -> None:
        if animate:
            self.animation.start()
        else:
            self._set_progress(1.0)
            self._show_trace()  # stepping back or a slider: the history follows

    def finish_animation(self) -> None:
        """The phase shown at its end at once, as a screenshot or a figure wants it."""
        self.animation.stop()
        self._set_progress(1.0)

    def show_record(self) -> None:
        """The run's shown record drawn again at once, unanimated (for a figure of it)."""
        self.animation.stop()
        self._on_record_changed(self.run.current, False)

    def worked_example(self) -> None:
        """The lesson's worked example, if it has one (`explainer export --worked-example`)."""
        raise ValueError("this lesson has no worked example")

    def _show_trace(self) -> None:
        """The history views follow the trace, but not while a batch of episodes writes it in
        the worker thread: read half-written (presentation mode or a theme change re-renders
        mid-batch), its columns disagree in length. The batch's end shows it."""
        if not self.controller.busy:
            self._on_trace_changed()

    def shutdown(self) -> None:
        self.controller.shutdown()

    # --- presentation ---------------------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Controls hidden, the lesson's panels take the whole screen one at a time, first the one
        the phase is about (`PHASE_STAGE`), every text at the presenting type scale
        (`widgets/type_scale.py`)."""
        self.presenting = on
        self.focus = STAGE[0] if on else "all"
        self._staged_phase = None   # the shown phase's own panel takes the stage
        self.drawer.set_suppressed(on)
        set_presenting(self, on)
        self._on_record_changed(self.run.current, False)

    def cycle_focus(self) -> None:
        """F while presenting: the picture, the equations, the phase's plot, each alone on the
        stage with its type grown to the room it gets; the next phase brings its own panel."""
        if not self.presenting:
            return
        self.focus = STAGE[(STAGE.index(self.focus) + 1) % len(STAGE)]
        self._on_record_changed(self.run.current, False)

    def focus_panels(self) -> dict[str, list[QtWidgets.QWidget]]:  # pragma: no cover - abstract
        """The widgets of each focus: "picture", "draw" (the 0–1 line), "equations", "plots"."""
        raise NotImplementedError

    def _apply_focus(self, phase: str | None) -> None:
        """Subclasses call this last when they show a record (of `phase`): while presenting,
        only the focused panels stay (within the plots, those the subclass chose for the phase)."""
        if self.presenting and phase != self._staged_phase:
            self._staged_phase = phase
            self.focus = PHASE_STAGE.get(phase, "picture")
        shown = FOCUSED[self.focus]
        if self.presenting and phase != "guess":
            shown = shown - {"draw"}   # the draw is the Guess's; later phases give its room away
        for group, widgets in self.focus_panels().items():
            for widget in widgets:
                widget.setVisible(group in shown)

    # --- sessions and code ----------------------------------------------------------------------
    def session_state(self) -> dict:
        """The lecturer's run: during a walkthrough, the one the tab gets back when it ends."""
        return lesson_state(self._before_walk if self.walk is not None else self.run)

    def prepare_session(self, state: dict):
        """Check and rebuild a saved run; returns what swaps it in. A SessionError raised here
        leaves the shown run untouched, so a window can prepare every part before applying any."""
        run = restore_lesson(self.lesson, state)

        def apply() -> None:
            self.controller.pause()
            self._before_walk = None   # the opened session replaces what the walkthrough showed
            self.end_walkthrough()
            self.controller.run = run
            self._on_record_changed(run.current, False)
            self.state_changed.emit()
        return apply

    def code(self, as_notebook: bool = False) -> str:
        state = self.session_state()
        from ...core.files.export_code import notebook, script
        return notebook(self.lesson, state) if as_notebook else script(self.lesson, state)

    # --- figures --------------------------------------------------------------------------------
    def figure_widgets(self) -> dict[str, QtWidgets.QWidget]:  # pragma: no cover - abstract
        raise NotImplementedError

    def history_columns(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def episode_frames(self, widget: QtWidgets.QWidget,
                       scale: float = 1.0) -> Iterator[QtGui.QImage]:
        """The shown episode, phase by phase with its animation, as images (for GIF/MP4), drawn
        one at a time as they are asked for: 44 frames 1920 px wide would hold ~0.5 GB at once.

        Reads kept records without moving the cursor, so the session log is untouched."""
        from ..shell.exporting import render_image
        run = self.run
        shown = run.current
        if shown is None and not len(run.history):
            raise ValueError("Step into an episode first: there is nothing to animate yet.")
        first = run.cursor - shown.phase_index if shown is not None else 0
        last = min(first + len(run.phases), len(run.history))
        self.animation.stop()
        curve = self.animation.easingCurve()
        try:
            for index in range(first, last):
                self._on_record_changed(run.history[index], False)
                for i in range(FRAMES_PER_PHASE + 1):
                    self._set_progress(curve.valueForProgress(i / FRAMES_PER_PHASE))
                    yield render_image(widget, scale)
        finally:
            self._on_record_changed(shown, False)
