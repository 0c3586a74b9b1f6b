"""Lesson 1 as a tab: the Policy is one probability; same controls and keys as lesson 2."""
from __future__ import annotations

import numpy as np
from PySide6 import QtWidgets

from ...core.fries.environment import SQUATCH
from ...core.fries.essentials import PHASES, EssentialsRecord, EssentialsRun
from ...core.files.glossary import glossary
from ..widgets.format import num
from ..widgets.glossary_dialog import link_terms
from ..stepped.lesson_tab import LessonTab
from ..theme.style import color
from ..widgets.caption import Caption
from ..widgets.choice_line import ChoiceLine
from ..widgets.fitted_math import FittedMath
from ..widgets.param_slider import ParamSlider
from ..widgets.phase_strip import PhaseStrip
from ..widgets.themed_plot import ThemedPlot, pen
from ..widgets.stepper_controls import StepperControls
from .equations import equation_lines
from .picture import EssentialsPicture

ACCENTS = {"guess": color("agent"), "reward": color("reward"), "update": color("learning_rate")}


class EssentialsTab(LessonTab):
    lesson = "essentials"

    def __init__(self, run: EssentialsRun | None = None) -> None:
        super().__init__(run or EssentialsRun())
        self.terms = glossary()
        self._shown: EssentialsRecord | None = None
        self._build()
        for key, slider in self.sliders.items():
            slider.value_changed.connect(lambda v, key=key: self.controller.set_param(**{key: v}))
        self._start(self.stepper, self.message)

    def _build(self) -> None:
        self.phase_strip = PhaseStrip(PHASES, ACCENTS)
        self.caption = Caption()
        self.picture = EssentialsPicture()
        self.equations = FittedMath()
        self.choice_line = ChoiceLine()
        # The title names the axis: "P('Squatch's)" along a short plot's side was cut to a few
        # letters. The margin keeps the labels of 0 and 1 inside the axis, where pyqtgraph
        # draws them (a short plot shows 0.5 alone: ReadableAxis).
        self.history = ThemedPlot("The Policy over visits: p = P('Squatch's)", "visit", "p")
        self.history.setYRange(0, 1, padding=0.06)
        self.history.setMinimumHeight(140)   # the axis's ticks and labels
        self.p_curve = self.history.plotItem.plot(pen=pen("policy", 3), symbol="o", symbolSize=8,
                                                  symbolBrush=color("policy"), symbolPen=None)
        self.p_curve.setDownsampling(auto=True, method="peak")
        self.p_curve.setClipToView(True)
        self.stepper = StepperControls()
        self.worked = self.button("Video's worked example", "Both places at 0.5; StatSquatch goes "
                                  "to Norm's and gets a large order", self.worked_example)
        self.walkthrough = self.button("Guided walkthrough", "A captioned lesson, stepped with the "
                                       "clicker (resources/lessons)", lambda: self.start_walkthrough())
        self.sliders = {
            "learning_rate": ParamSlider("Learning rate", 0.0, 1.0, 0.1, color("learning_rate"), 2,
                                         "0 changes nothing; 1 swings the Policy all the way at once"),
            "p_squatch": ParamSlider("P('Squatch's) to start", 0.0, 1.0, 0.5, color("policy"), 2,
                                     "The Policy the shown visit starts from"),
            "p_large_norm": ParamSlider("P(large) at Norm's", 0.0, 1.0, 0.8, color("environment"), 2),
            "p_large_squatch": ParamSlider("P(large) at 'Squatch's", 0.0, 1.0, 0.15,
                                           color("environment"), 2),
        }
        self.message = QtWidgets.QLabel(wordWrap=True)

        centre = QtWidgets.QVBoxLayout()
        centre.addWidget(self.walk_banner)
        centre.addWidget(self.phase_strip)
        centre.addWidget(self.caption)
        self.top = QtWidgets.QWidget()   # a widget: hidden, it gives its room to the plot
        top = QtWidgets.QHBoxLayout(self.top)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.picture, 5)
        top.addWidget(self.equations, 4)
        centre.addWidget(self.top, 6)
        centre.addWidget(self.choice_line)
        centre.addWidget(self.history, 2)
        self._place(centre, [self.stepper, self.worked, self.walkthrough, *self.sliders.values(),
                             self.message])

    def worked_example(self) -> None:
        """The video: both at 0.5, Norm's, a large order → Norm's 0.55, 'Squatch's 0.45."""
        c = self.controller
        if c.refused_while_busy():
            return
        c.pause()
        c.set_param(seed=c.run.seed, learning_rate=0.1, p_squatch=0.5, p_large_norm=0.8,
                    p_large_squatch=0.15)
        c.run.visit(action="norm", outcome="large", u=0.8)
        c.seek(-1)
        self.message.setText("The video's first visit: press Next to walk it.")

    def _on_record_changed(self, r: EssentialsRecord | None, animate: bool) -> None:
        run = self.run
        self._shown = r
        self.phase_strip.set_phase(r.phase if r else None, r.episode if r else None)
        self.caption.setText(link_terms(_caption(r), self.terms))
        self.picture.set_state(r, run.p, (run.p_large_norm, run.p_large_squatch), run.learning_rate)
        self.equations.set_lines(equation_lines(r))
        if r is None:
            self.choice_line.set_state([], None, None)
        else:
            segments = [("'Squatch's", r.p_squatch, color("squatch")), ("Norm's", r.p_norm, color("norm"))]
            self.choice_line.set_state(segments, r.u, 0 if r.action == SQUATCH else 1)
        values = {"learning_rate": run.learning_rate, "p_squatch": r.p_squatch if r else run.p,
                  "p_large_norm": run.p_large_norm, "p_large_squatch": run.p_large_squatch}
        for key, value in values.items():
            self.sliders[key].set_value(value)
        self._apply_focus(r.phase if r else None)
        self.top.setVisible(not (self.picture.isHidden() and self.equations.isHidden()))
        self._animate(animate)

    def focus_panels(self) -> dict[str, list[QtWidgets.QWidget]]:
        return {"picture": [self.picture], "draw": [self.choice_line], "equations": [self.equations],
                "plots": [self.history]}

    def _set_progress(self, t: float) -> None:
        self.picture.set_progress(t)
        shown = self._shown
        self.choice_line.set_progress(t if shown is not None and shown.phase == "guess" else 1.0)

    def _on_trace_changed(self) -> None:
        ps = np.asarray(self.run.p_history[: self.run.completed_at_cursor], dtype=float)
        self.p_curve.setData(np.arange(1, len(ps) + 1), ps)
        self.history.count_axis(len(ps))
        self.p_curve.setSymbol("o" if len(ps) <= 200 else None)  # dots only while they can be told apart

    def figure_widgets(self) -> dict[str, QtWidgets.QWidget]:
        return {"lesson only": self.lesson_area, "tab": self, "picture": self.picture,
                "equations": self.equations, "choice line": self.choice_line, "history": self.history}

    def history_columns(self) -> dict:
        ps = self.run.p_history[: self.run.completed_at_cursor]
        return {"visit": list(range(1, len(ps) + 1)),
                "place": self.run.visits[: len(ps)], "p_squatch_after": ps}


def _caption(r: EssentialsRecord | None) -> str:
    if r is None:
        return ("Lesson 1 — no network yet. The Policy is one number, p = P('Squatch's). The Agent "
                "draws u; the Environment answers; the Learning rate says how far p moves.")
    place = "'Squatch's" if r.action == SQUATCH else "Norm's"
    if r.phase == "guess":
        return f"Guess: the draw u = {num(r.u)} sends StatSquatch to {place} (p = {num(r.p_squatch)})."
    if r.phase == "reward":
        evidence = "'Squatch's" if r.target == 1.0 else "Norm's"
        return f"Reward: {place} serves a {r.outcome} order — evidence for {evidence}."
    return (f"Update: p moves a Learning rate's share ({num(r.learning_rate, 2)}) of the way to the "
            f"target: {num(r.p_squatch)} → {num(r.p_squatch_after)}.")
