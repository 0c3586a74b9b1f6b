"""The lesson-2 sidebar: stepping, the worked example, scenarios, and a slider for every parameter."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...core.fries.policy_gradient import PhaseRecord, PolicyGradientRun
from ...core.common.stable import PARAM_LIMIT
from ..stepped.lesson_tab import LessonTab
from ..theme.style import color
from ..widgets.param_slider import ParamSlider
from ..widgets.stepper_controls import StepperControls


class PolicyControls(QtWidgets.QWidget):
    param_changed = QtCore.Signal(str, object)
    worked_example_clicked = QtCore.Signal()
    walkthrough_clicked = QtCore.Signal()
    scenario_chosen = QtCore.Signal(int)

    def __init__(self, scenarios) -> None:
        super().__init__()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stepper = StepperControls()
        layout.addWidget(self.stepper)
        self.worked = LessonTab.button(
            "Video's worked example", "Replay the video's two hand-worked episodes: hunger 0, "
            "draws 0.2 and 0.9", self.worked_example_clicked)
        self.walkthrough = LessonTab.button(
            "Guided walkthrough", "A captioned lesson, stepped with the clicker (resources/lessons)",
            self.walkthrough_clicked)
        layout.addWidget(self.worked)
        layout.addWidget(self.walkthrough)
        self.scenario = QtWidgets.QComboBox()
        self.scenario.setToolTip("Scenarios shipped in resources/scenarios")
        for s in scenarios:
            self.scenario.addItem(s.name)
        self.scenario.activated.connect(self.scenario_chosen)
        layout.addWidget(self.scenario)
        self.sliders: dict[str, ParamSlider] = {}
        layout.addWidget(self._policy_group())
        layout.addWidget(self._environment_group())

    def _slider(self, key: str, name: str, low: float, high: float, value: float, colour: str,
                tip: str, decimals: int = 2, limits: tuple[float, float] | None = None) -> ParamSlider:
        slider = ParamSlider(name, low, high, value, color(colour), decimals, tip, limits)
        slider.value_changed.connect(lambda v, key=key: self.param_changed.emit(key, v))
        self.sliders[key] = slider
        return slider

    def _check(self, text: str, checked: bool, tip: str) -> QtWidgets.QCheckBox:
        box = QtWidgets.QCheckBox(text)
        box.setChecked(checked)
        box.setToolTip(tip)
        box.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        return box

    def _policy_group(self) -> QtWidgets.QGroupBox:
        group = QtWidgets.QGroupBox("Agent and Policy")
        v = QtWidgets.QVBoxLayout(group)
        v.addWidget(self._slider("hunger", "hunger x", 0.0, 1.0, 0.5, "agent",
                                 "Hold the hunger at this value (unticks 'random hunger')"))
        self.random_hunger = self._check("random hunger each episode", True,
                                         "Draw the hunger uniformly from 0 to 1 every episode")
        self.random_hunger.toggled.connect(self._on_random_hunger)
        v.addWidget(self.random_hunger)
        v.addWidget(self._slider("learning_rate", "Learning rate", 0.0, 5.0, 1.0, "learning_rate",
                                 "How far one update moves the bias (the videos use 1.0)"))
        # training takes the weight and bias past the sliders' ends: the boxes show the run's values
        trained = (-PARAM_LIMIT, PARAM_LIMIT)
        v.addWidget(self._slider("weight", "weight w", -40.0, 40.0, 20.0, "policy",
                                 "The weight on hunger (20 in the videos, not trained)", 1, trained))
        self.train_weight = self._check("train the weight too", False,
                                        "Update w as well as the bias: ∂X/∂w = x")
        self.train_weight.toggled.connect(lambda on: self.param_changed.emit("train_weight", on))
        v.addWidget(self.train_weight)
        v.addWidget(self._slider("bias", "bias b", -20.0, 20.0, 0.0, "policy",
                                 "The bias the shown episode starts from (trained)", 3, trained))
        return group

    def _environment_group(self) -> QtWidgets.QGroupBox:
        group = QtWidgets.QGroupBox("Environment and Reward")
        v = QtWidgets.QVBoxLayout(group)
        v.addWidget(self._slider("p_large_norm", "P(large) at Norm's", 0.0, 1.0, 0.8, "environment",
                                 "How often Norm's serves a large order"))
        v.addWidget(self._slider("p_large_squatch", "P(large) at 'Squatch's", 0.0, 1.0, 0.2,
                                 "environment", "How often 'Squatch's serves a large order"))
        v.addWidget(self._slider("reward_fit", "Reward: order fits hunger", -5.0, 5.0, 1.0, "reward",
                                 "Hungry and large, or not hungry and small"))
        v.addWidget(self._slider("reward_misfit", "Reward: it does not fit", -5.0, 5.0, -1.0, "reward",
                                 "Hungry and small, or not hungry and large"))
        return group

    def _on_random_hunger(self, random: bool) -> None:
        self.param_changed.emit("hunger", None if random else self.sliders["hunger"].value())

    def show_record(self, r: PhaseRecord | None, run: PolicyGradientRun) -> None:
        """Follow the shown record without echoing changes back."""
        env = r.environment if r else run.environment
        values = {"learning_rate": run.learning_rate,
                  "weight": r.weight_before if r else run.weight,
                  "bias": r.bias_before if r else run.bias,
                  "p_large_norm": env.p_large_norm, "p_large_squatch": env.p_large_squatch,
                  "reward_fit": env.reward_fit, "reward_misfit": env.reward_misfit}
        if r is not None:
            values["hunger"] = r.x
        elif run.hunger is not None:
            values["hunger"] = run.hunger
        for key, value in values.items():
            self.sliders[key].set_value(value)
        for box, on in ((self.random_hunger, run.hunger is None), (self.train_weight, run.train_weight)):
            blocked = box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(blocked)

    def show_defaults(self) -> None:
        self.scenario.setCurrentIndex(0)
