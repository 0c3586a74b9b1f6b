"""Lesson 2 as a tab: the network, the formulas, the 0–1 line and the plots, all showing one record."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...core.fries.environment import NORM, SQUATCH
from ...core.files.glossary import glossary
from ...core.fries.policy_gradient import PHASES, PhaseRecord, PolicyGradientRun
from ...core.fries.scenarios import shipped_scenarios
from ..widgets.glossary_dialog import link_terms
from ..stepped.lesson_tab import LessonTab
from ..theme.style import color
from ..widgets.caption import Caption
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
# In presentation mode only the plots that speak to the shown phase stay on screen.
PRESENTED_PLOTS = {"guess": ("policy",), "derivative": ("loss",), "reward": ("loss",),
                   "update": ("policy", "history")}


class PolicyTab(LessonTab):
    lesson = "policy"

    def __init__(self, run: PolicyGradientRun | None = None) -> None:
        super().__init__(run or PolicyGradientRun())
        self.scenarios = shipped_scenarios()
        self.terms = glossary()
        self._shown: PhaseRecord | None = None
        self._fitted_for: tuple | None = None  # the record the equations' type size was fitted to
        self._build()
        k = self.controls
        k.param_changed.connect(self._on_param_changed)
        k.worked_example_clicked.connect(self.worked_example)
        k.scenario_chosen.connect(self._on_scenario_chosen)
        k.walkthrough_clicked.connect(lambda: self.start_walkthrough())
        self._start(k.stepper, self.message)
        if run is None:
            # A fresh tab opens on the videos' worked example: at hunger 0, P(Norm's) = 0.5 and
            # the derivative is large. A random first hunger mostly saturates P (w = 20), and a
            # first episode whose update is 1.000 → 1.000 teaches nothing.
            self.worked_example()

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.phase_strip = PhaseStrip(PHASES, ACCENTS)
        self.caption = Caption()
        self.network = NetworkView()
        self.equations = FittedMath()
        self.choice_line = ChoiceLine()
        self.policy_plot, self.loss_plot, self.history_plot = PolicyCurvePlot(), LossPlot(), HistoryPlot()
        self.plots = {"policy": self.policy_plot, "loss": self.loss_plot, "history": self.history_plot}
        self.controls = PolicyControls(self.scenarios)
        self.message = QtWidgets.QLabel(wordWrap=True)
        self.message.setStyleSheet(f"color: {color('learning_rate')};")

        centre = QtWidgets.QVBoxLayout()
        centre.addWidget(self.walk_banner)
        centre.addWidget(self.phase_strip)
        centre.addWidget(self.caption)
        self.top = top = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        top.addWidget(self.network)
        top.addWidget(self.equations)
        # The diagram is the larger, but the equations keep room for body-size type at 1600 px
        # (they shrink their type to fit, and at 8 : 5 they fell below it).
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([640, 550])
        centre.addWidget(top, 7)
        centre.addWidget(self.choice_line)
        self.plot_row = QtWidgets.QWidget()   # a widget: hidden, it gives its room to the rest
        plots = QtWidgets.QHBoxLayout(self.plot_row)
        plots.setContentsMargins(0, 0, 0, 0)
        for plot in self.plots.values():
            plots.addWidget(plot, 1)  # equal shares, whatever size each kind of plot asks for
        centre.addWidget(self.plot_row, 3)

        self._place(centre, [self.controls, self.message])

    # --- intent ---------------------------------------------------------------------------------
    def worked_example(self) -> None:
        """The video's two hand-worked episodes (hunger 0, draws 0.2 and 0.9), to be stepped through."""
        c = self.controller
        if c.refused_while_busy():
            return
        c.pause()
        self.controls.show_defaults()
        c.set_param(seed=c.run.seed)  # a fresh run, then the videos' parameters
        c.set_param(weight=20.0, bias=0.0, learning_rate=1.0, train_weight=False, hunger=None,
                    p_large_norm=0.8, p_large_squatch=0.2, hungry_above=0.5, reward_fit=1.0,
                    reward_misfit=-1.0)
        c.run.episode(x=0.0, action=SQUATCH, outcome="small", u=0.2)
        c.run.episode(x=0.0, action=NORM, outcome="large", u=0.9)
        c.seek(-1)
        self.message.setText("The video's worked example: press Next to walk its two episodes.")

    def _on_param_changed(self, name: str, value) -> None:
        if self.controller.set_param(**{name: value}):
            self.message.setText("")

    def _on_scenario_chosen(self, index: int) -> None:
        if self.controller.refused_while_busy():
            return
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
        self._shown = record
        self.phase_strip.set_phase(record.phase if record else None, record.episode if record else None)
        self.caption.setText(link_terms(caption(record), self.terms))
        self.network.set_record(record)
        shown = (record.episode, record.phase) if record else None
        self.equations.set_lines(equation_lines(record), grow=shown != self._fitted_for)
        self._fitted_for = shown
        self._show_choice(record)
        self.policy_plot.show_record(record, self.run.weight, self.run.bias)
        self.loss_plot.show_record(record)
        self.controls.show_record(record, self.run)
        if self.presenting:
            wanted = PRESENTED_PLOTS[record.phase] if record else ("policy",)
            for name, plot in self.plots.items():
                plot.setVisible(name in wanted)
        else:
            for plot in self.plots.values():
                plot.setVisible(True)
        self._apply_focus(record.phase if record else None)
        # the plot alone: the empty splitter would keep its share of the stage
        self.top.setVisible(not (self.network.isHidden() and self.equations.isHidden()))
        self._animate(animate)

    def focus_panels(self) -> dict[str, list[QtWidgets.QWidget]]:
        return {"picture": [self.network], "draw": [self.choice_line], "equations": [self.equations],
                "plots": [self.plot_row]}

    def _show_choice(self, r: PhaseRecord | None) -> None:
        if r is None:
            self.choice_line.set_state([], None, None)
            return
        segments = [("'Squatch's", r.p_b, color("squatch")), ("Norm's", r.p_a, color("norm"))]
        self.choice_line.set_state(segments, r.u, 0 if r.action == SQUATCH else 1)

    def _set_progress(self, t: float) -> None:
        self.network.set_progress(t)
        shown = self._shown
        self.choice_line.set_progress(t if shown is not None and shown.phase == "guess" else 1.0)

    def _on_trace_changed(self) -> None:
        trace, end = self.run.trace, self.run.completed_at_cursor
        current = self.run.current
        if current is None:  # no record to show: the curve follows the run's own parameters
            self.policy_plot.show_record(None, self.run.weight, self.run.bias)
        key = (id(trace), len(trace), end, current.episode if current else None,
               trace.reward_sum[-1] if len(trace) else 0.0,
               trace.columns["bias"][end - 1] if end else None)
        if key == getattr(self, "_trace_key", None):
            return  # a slider move that leaves the history as it was: no setData, no repaint
        self._trace_key = key
        self.history_plot.show_trace(trace.array("bias", 0, end), trace.array("reward", 0, end),
                                     trace.running_mean_reward()[:end],
                                     current.episode if current else None)

    # --- figures --------------------------------------------------------------------------------
    def figure_widgets(self) -> dict[str, QtWidgets.QWidget]:
        return {"lesson only": self.lesson_area, "tab": self, "network": self.network,
                "equations": self.equations, "choice line": self.choice_line,
                "policy curve": self.policy_plot, "cross entropy": self.loss_plot,
                "history": self.history_plot}

    def history_columns(self) -> dict:
        trace, end = self.run.trace, self.run.completed_at_cursor
        columns = {"episode": list(range(1, end + 1))}
        columns |= {key: trace.array(key, 0, end) for key in trace.KEYS}
        # The trace keeps the action as 1.0 / 0.0 for plotting; a reader wants its name.
        columns["action"] = [SQUATCH if a else NORM for a in columns["action"]]
        columns["running_mean_reward"] = trace.running_mean_reward()[:end]
        return columns
