"""Stage 3's side bar: stepping, the presets, β, learning rate, objective, clip range, the fix."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme.style import BASE_POINT_SIZE, color
from ..widgets.param_slider import ParamSlider
from ..widgets.walkthrough_banner import WALKTHROUGH, hold
from ..widgets.stepper_controls import StepperControls
from .captions import PRESETS

UPDATE_COUNTS = (1, 10, 30, 60, 150)


WIDTH = 372   # px at the base text size: its widest row of buttons


class RLHFControls(QtWidgets.QWidget):
    setting_changed = QtCore.Signal(str, object)
    preset_chosen = QtCore.Signal(str)
    fix_clicked = QtCore.Signal()
    walkthrough_clicked = QtCore.Signal()

    def __init__(self) -> None:
        super().__init__()
        self._fit_width()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.walk_note = QtWidgets.QLabel(
            "Guided walkthrough: ◀ Previous and Next ▶ step it; the other controls wait until it "
            "ends (Esc or ✕ End).", wordWrap=True)
        self.walk_note.setStyleSheet(f"color: {color('agent')}; font-weight: bold;")
        self.walk_note.hide()
        layout.addWidget(self.walk_note)
        self.stepper = self._stepper()
        layout.addWidget(self.stepper)
        self.preset_buttons = {name: self._preset_button(name, label)
                               for name, (label, _) in PRESETS.items()}
        for button in self.preset_buttons.values():
            layout.addWidget(button)
        self.beta = ParamSlider("β (KL penalty)", 0.0, 1.0, 0.1, color("reward"), 2,
                                "Weight of the KL penalty in Reward = R − β × KL − baseline. "
                                "0 lets the Policy drift anywhere the Reward model pays.")
        self.learning_rate = ParamSlider("Learning rate", 0.0, 0.02, 0.002, color("learning_rate"), 4,
                                         "How far one update moves the Policy's parameters "
                                         "(step = learning rate × derivative × reward).")
        self.objective = QtWidgets.QComboBox()
        self.objective.addItem("REINFORCE (plain)", "reinforce")
        self.objective.addItem("PPO (clipped)", "ppo")
        self.objective.setToolTip("REINFORCE: one step of derivative × reward. PPO: a few passes "
                                  "over the batch, each token's push clipped once its probability "
                                  "ratio leaves [1 − ε, 1 + ε].")
        self.clip = ParamSlider("PPO clip range ε", 0.05, 0.5, 0.2, color("policy"), 2,
                                "How far a token's probability ratio may move before PPO stops "
                                "pushing it (used with PPO only).")
        for widget in (self.beta, self.learning_rate, self.objective, self.clip):
            layout.addWidget(widget)
        self.fix = QtWidgets.QPushButton("Fix: rank bad answers worse,\nretrain, run again")
        self.fix.setToolTip("What practitioners do: the Policy's low-quality answers become "
                            "'worse' than a good answer in the rankings (tab 3), the Reward model "
                            "is retrained on them, and policy optimisation starts again.")
        layout.addWidget(self.fix)
        self.walkthrough = QtWidgets.QPushButton("Guided walkthrough")
        self.walkthrough.setToolTip("A captioned lesson through the RLHF pipeline — SFT, the "
                                    "Policy's four phases, Reward hacking and its fixes — stepped "
                                    "with the clicker (resources/lessons)")
        self.walkthrough.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.walkthrough.clicked.connect(self.walkthrough_clicked)
        layout.addWidget(self.walkthrough)
        layout.addStretch(1)
        self._connect()

    def _stepper(self) -> StepperControls:
        stepper = StepperControls()
        stepper.episodes.clear()
        for n in UPDATE_COUNTS:
            stepper.episodes.addItem(str(n), n)
        stepper.episodes.setCurrentIndex(UPDATE_COUNTS.index(60))
        stepper.episodes.setToolTip("How many whole updates Run updates trains")
        stepper.run.setText("Run updates")
        stepper.run.setToolTip("Train this many whole updates in the background; Pause stops")
        stepper.reset.setToolTip("A fresh Policy (the fine-tuned model) with the same seed (R)")
        stepper.seed.setToolTip("The random seed of the samples: the same seed, the same run")
        stepper.speed.setToolTip("Play speed, phases per second")
        return stepper

    def _preset_button(self, name: str, label: str) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(label)
        button.setToolTip(PRESETS[name][1])
        button.clicked.connect(lambda: self.preset_chosen.emit(name))
        return button

    def _connect(self) -> None:
        self.beta.value_changed.connect(lambda v: self.setting_changed.emit("beta", v))
        self.learning_rate.value_changed.connect(
            lambda v: self.setting_changed.emit("learning_rate", v))
        self.clip.value_changed.connect(lambda v: self.setting_changed.emit("clip", v))
        self.objective.currentIndexChanged.connect(
            lambda i: self.setting_changed.emit("objective", self.objective.itemData(i)))
        self.fix.clicked.connect(self.fix_clicked)

    def show_settings(self, settings: dict) -> None:
        """Follow the run's settings without echoing them back."""
        self.beta.set_value(settings.get("beta", self.beta.value()))
        self.learning_rate.set_value(settings.get("learning_rate", self.learning_rate.value()))
        self.clip.set_value(settings.get("clip", self.clip.value()))
        blocked = self.objective.blockSignals(True)
        self.objective.setCurrentIndex(max(0, self.objective.findData(settings.get("objective"))))
        self.objective.blockSignals(blocked)
        hold(self.clip, "objective", settings.get("objective") != "ppo")

    def set_running(self, running: bool) -> None:
        s = self.stepper
        for widget in (s.previous, s.next, s.play, s.seed, self.fix, *self.preset_buttons.values()):
            hold(widget, "running", running)
        s.run.setText("Pause" if running else "Run updates")

    def walking_held(self) -> list[QtWidgets.QWidget]:
        """What would change the run behind a walkthrough's back (Previous / Next step it)."""
        s = self.stepper
        return [s.play, s.reset, s.seed, s.speed, s.episodes, s.run, *self.preset_buttons.values(),
                self.beta, self.learning_rate, self.objective, self.clip, self.fix]

    def set_walking(self, walking: bool) -> None:
        """A guided walkthrough runs: Previous / Next step it (the tab routes them), the rest
        waits until it ends, and a note says so."""
        for widget in self.walking_held():
            hold(widget, WALKTHROUGH, walking)
        s = self.stepper
        for button, own, walk in ((s.previous, "Show the previous phase (Left, PageUp)",
                                   "The walkthrough's previous step (PageUp, ←)"),
                                  (s.next, "Advance one phase (Right, Space, PageDown)",
                                   "The walkthrough's next step (PageDown, →)")):
            button.setProperty("own_tip", walk if walking else own)
            button.setToolTip(walk if walking else own)
        self.walk_note.setVisible(walking)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:   # the window's zoom
            self._fit_width()

    def _fit_width(self) -> None:
        """As wide as its buttons need at the text size (at 1.5× zoom, 372 px cut "Run updates")."""
        size = self.font().pointSizeF()
        zoom = max(size / BASE_POINT_SIZE, 1.0) if size > 0 else 1.0
        self.setFixedWidth(round(WIDTH * zoom))
