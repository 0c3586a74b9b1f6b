"""Lesson 2 as a tab: the network, the formulas, the 0–1 line and the plots, all showing one record."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.environment import NORM, SQUATCH
from ...core.policy_gradient import PHASES, PhaseRecord, PolicyGradientRun
from ...core.scenarios import shipped_scenarios
from ..stepped_controller import SteppedController
from ..style import color
from ..widgets.choice_line import ChoiceLine
from ..widgets.fitted_math import FittedMath
from ..widgets.phase_strip import PhaseStrip
from .captions import caption
from .controls import PolicyControls
from .equations import equation_lines
from .network_view import NetworkView
from .plots import HistoryPlot, LossPlot, PolicyCurvePlot

ACCENTS = {"guess": color("agent"), "derivative": color("derivative"), "reward": color("reward"),
           "update": color("learning_rate")}
ANIMATION_MS = 650


class PolicyTab(QtWidgets.QWidget):
    def __init__(self, run: PolicyGradientRun | None = None) -> None:
        super().__init__()
        self.controller = SteppedController(run or PolicyGradientRun(), self)
        self.scenarios = shipped_scenarios()
        self._build()
        self._connect()
        self._install_keys()
        self._on_record_changed(None, False)
        self._on_trace_changed()

    @property
    def run(self) -> PolicyGradientRun:
        return self.controller.run

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.phase_strip = PhaseStrip(PHASES, ACCENTS)
        self.caption = QtWidgets.QLabel(wordWrap=True)
        self.caption.setObjectName("caption")
        self.network = NetworkView()
        self.equations = FittedMath()
        self.choice_line = ChoiceLine()
        self.policy_plot, self.loss_plot, self.history_plot = PolicyCurvePlot(), LossPlot(), HistoryPlot()
        self.controls = PolicyControls(self.scenarios)
        self.message = QtWidgets.QLabel(wordWrap=True)
        self.message.setStyleSheet(f"color: {color('bad')};")

        centre = QtWidgets.QVBoxLayout()
        centre.addWidget(self.phase_strip)
        centre.addWidget(self.caption)
        top = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        top.addWidget(self.network)
        top.addWidget(self.equations)
        top.setStretchFactor(0, 11)
        top.setStretchFactor(1, 9)
        top.setSizes([660, 540])
        centre.addWidget(top, 5)
        centre.addWidget(self.choice_line)
        plots = QtWidgets.QHBoxLayout()
        for plot in (self.policy_plot, self.loss_plot, self.history_plot):
            plots.addWidget(plot)
        centre.addLayout(plots, 3)

        side = QtWidgets.QVBoxLayout()
        side.addWidget(self.controls)
        side.addWidget(self.message)
        side.addStretch(1)
        sidebar = QtWidgets.QWidget()
        sidebar.setLayout(side)
        sidebar.setFixedWidth(300)
        self.sidebar = sidebar
        root = QtWidgets.QHBoxLayout(self)
        root.addLayout(centre, 1)
        root.addWidget(sidebar)

        self.animation = QtCore.QVariantAnimation(self, startValue=0.0, endValue=1.0,
                                                  duration=ANIMATION_MS)
        self.animation.setEasingCurve(QtCore.QEasingCurve.Type.InOutCubic)
        self.animation.valueChanged.connect(self._on_animation_frame)

    def _connect(self) -> None:
        c, k = self.controller, self.controls
        c.record_changed.connect(self._on_record_changed)
        c.trace_changed.connect(self._on_trace_changed)
        c.message.connect(self.message.setText)
        c.busy_changed.connect(k.stepper.set_busy)
        c.progress.connect(k.stepper.set_progress)
        c.playing_changed.connect(k.stepper.set_playing)
        k.stepper.next_clicked.connect(self.next)
        k.stepper.previous_clicked.connect(self.previous)
        k.stepper.play_toggled.connect(lambda on: c.play() if on else c.pause())
        k.stepper.reset_clicked.connect(c.reset)
        k.stepper.run_clicked.connect(c.run_episodes)
        k.stepper.speed_changed.connect(c.set_speed)
        k.stepper.seed_changed.connect(lambda seed: c.set_param(seed=seed))
        k.param_changed.connect(self._on_param_changed)
        k.worked_example_clicked.connect(self.worked_example)
        k.scenario_chosen.connect(self._on_scenario_chosen)

    def _install_keys(self) -> None:
        keys = {"Right": self.next, "Space": self.next, "PgDown": self.next, "Left": self.previous,
                "PgUp": self.previous, "P": self.controller.toggle_play, "R": self.controller.reset}
        self.shortcuts = []
        for key, slot in keys.items():
            shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), self)
            shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)

    # --- intent ---------------------------------------------------------------------------------
    def next(self) -> None:
        # A click during an animation finishes it at once; the next phase then starts its own.
        self.animation.stop()
        self.controller.next()

    def previous(self) -> None:
        self.animation.stop()
        self.controller.previous()

    def worked_example(self) -> None:
        """The video's two hand-worked episodes (hunger 0, draws 0.2 and 0.9), to be stepped through."""
        c = self.controller
        c.pause()
        self.controls.show_defaults()
        c.set_param(seed=c.run.seed)  # back to a fresh run with the videos' parameters
        c.set_param(weight=20.0, bias=0.0, learning_rate=1.0, train_weight=False, hunger=None,
                    p_large_norm=0.8, p_large_squatch=0.2, hungry_above=0.5, reward_fit=1.0,
                    reward_misfit=-1.0)
        c.run.episode(x=0.0, action=SQUATCH, outcome="small", u=0.2)
        c.run.episode(x=0.0, action=NORM, outcome="large", u=0.9)
        c.seek(-1)
        c.trace_changed.emit()
        self.message.setText("The video's worked example: press Next to walk its two episodes.")

    def _on_param_changed(self, name: str, value) -> None:
        if self.controller.set_param(**{name: value}):
            self.message.setText("")

    def _on_scenario_chosen(self, index: int) -> None:
        s = self.scenarios[index]
        env = s.environment
        self.controller.set_param(seed=self.run.seed)
        self.controller.set_param(weight=s.weight, bias=s.bias, learning_rate=s.learning_rate,
                                  p_large_norm=env.p_large_norm, p_large_squatch=env.p_large_squatch,
                                  hungry_above=env.hungry_above, reward_fit=env.reward_fit,
                                  reward_misfit=env.reward_misfit)
        self.message.setText(s.description)

    # --- rendering ------------------------------------------------------------------------------
    def _on_record_changed(self, record: PhaseRecord | None, animate: bool) -> None:
        self.phase_strip.set_phase(record.phase if record else None, record.episode if record else None)
        self.caption.setText(caption(record))
        self.network.set_record(record)
        self.equations.set_lines(equation_lines(record))
        self._show_choice(record)
        self.policy_plot.show_record(record, self.run.weight, self.run.bias)
        self.loss_plot.show_record(record)
        self.controls.show_record(record, self.run)
        if not animate:  # stepping back or a slider: the history follows the shown record
            self._on_trace_changed()
        if animate:
            self.animation.start()
        else:
            self._on_animation_frame(1.0)

    def _show_choice(self, r: PhaseRecord | None) -> None:
        if r is None:
            self.choice_line.set_state([], None, None)
            return
        segments = [("'Squatch's", r.p_b, color("squatch")), ("Norm's", r.p_a, color("norm"))]
        self.choice_line.set_state(segments, r.u, 0 if r.action == SQUATCH else 1)

    def _on_animation_frame(self, t) -> None:
        self.network.set_progress(float(t))
        self.choice_line.set_progress(float(t) if self.run.current and self.run.current.phase == "guess"
                                      else 1.0)

    def _on_trace_changed(self) -> None:
        trace = self.run.trace
        current = self.run.current
        end = self.run.completed_at_cursor
        self.history_plot.show_trace(trace.array("bias")[:end], trace.array("reward")[:end],
                                     trace.running_mean_reward()[:end],
                                     current.episode if current else None)
        if current is None:
            self.policy_plot.show_record(None, self.run.weight, self.run.bias)
