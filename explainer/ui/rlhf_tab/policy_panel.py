"""Stage 3, policy optimisation: one update walks Guess → Derivative → Reward → Update on text,
with the Reward model as the Environment; plots over updates and before/after answers below."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from .. import style
from ..widgets.fitted_math import FittedMath
from ..widgets.phase_strip import PhaseStrip
from .captions import PRESETS, caption
from .compare_view import CompareView
from .controls import RLHFControls
from .equations import PHASES, equation_lines, focus
from .gradient_view import GradientBars
from .plots import UpdatePlots
from .token_view import TokenBars

# While training, each chunk's plots, record and before/after are drawn one per event (each a
# short event of its own) while the worker waits; PAINT_MS later, when Qt has painted them (plots
# repaint from a queued scene update), the worker may go on.
PAINT_MS = 20
ACCENTS = {"guess": style.color("agent"), "derivative": style.color("derivative"),
           "reward": style.color("reward"), "update": style.color("learning_rate")}


class PolicyPanel(QtWidgets.QWidget):
    def __init__(self, controller) -> None:
        super().__init__()
        self.controller = controller
        self._pending: dict = {}
        self._render_timer = QtCore.QTimer(self, singleShot=True, interval=0,
                                           timeout=self._render_pending)
        self._ack_timer = QtCore.QTimer(self, singleShot=True, interval=PAINT_MS,
                                        timeout=self.controller.drawn)
        self._build()
        self._connect()
        self.show_record(None)

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.phase_strip = PhaseStrip(PHASES, ACCENTS)
        self.caption = QtWidgets.QLabel(wordWrap=True)
        self.caption.setObjectName("caption")
        self.caption.setMinimumHeight(56)
        self.preset_caption = QtWidgets.QLabel(wordWrap=True)
        self.preset_caption.setStyleSheet(f"color: {style.color('reward')}; font-weight: bold;")
        self.preset_caption.hide()
        self.response_title = _title("Agent = Policy: the sampled response, P(token) as drawn")
        self.tokens = TokenBars()
        self.gradient_title = _title("Derivative at one token: softmax − one-hot")
        self.gradient = GradientBars()
        self.equations = FittedMath()
        self.plots = UpdatePlots()
        self.compare = CompareView()
        self.controls = RLHFControls()
        self.controls.setFixedWidth(372)
        left = QtWidgets.QVBoxLayout()
        for widget, stretch in ((self.response_title, 0), (self.tokens, 1),
                                (self.gradient_title, 0), (self.gradient, 1)):
            left.addWidget(widget, stretch)
        middle = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(middle)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 6)
        row.addWidget(self.equations, 5)
        # A splitter: the lecturer gives room to the phases while stepping, to the plots while training.
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        scroll = QtWidgets.QScrollArea(widgetResizable=True)
        scroll.setWidget(self.compare)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        for widget in (middle, self.plots, scroll):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([380, 220, 150])
        self.splitter.setChildrenCollapsible(False)
        centre = QtWidgets.QVBoxLayout()
        for widget, stretch in ((self.phase_strip, 0), (self.caption, 0), (self.preset_caption, 0),
                                (self.splitter, 1)):
            centre.addWidget(widget, stretch)
        root = QtWidgets.QHBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        root.addLayout(centre, 1)
        root.addWidget(self.controls)

    def _connect(self) -> None:
        c, k = self.controller, self.controls
        c.record_changed.connect(lambda r: self._render("record", r))
        c.series_changed.connect(lambda s: self._render("series", s))
        c.compare_changed.connect(lambda rows: self._render("compare", rows))
        c.running_changed.connect(lambda running: None if running else self._flush())
        c.settings_changed.connect(k.show_settings)
        c.running_changed.connect(k.set_running)
        c.playing_changed.connect(k.stepper.set_playing)
        c.progress.connect(lambda done, asked: k.stepper.set_progress(done / max(asked, 1)))
        k.stepper.next_clicked.connect(c.next)
        k.stepper.previous_clicked.connect(c.previous)
        k.stepper.play_toggled.connect(lambda on: c.play() if on else c.pause_play())
        k.stepper.reset_clicked.connect(lambda: c.reset())
        k.stepper.seed_changed.connect(lambda seed: c.reset(seed))
        k.stepper.speed_changed.connect(c.set_speed)
        k.stepper.run_clicked.connect(self._on_run_clicked)
        k.setting_changed.connect(c.set_setting)
        k.preset_chosen.connect(self.apply_preset)
        k.fix_clicked.connect(c.fix_hacking)

    # --- intent ------------------------------------------------------------------------------------
    def apply_preset(self, name: str) -> None:
        self.controller.apply_preset(name)
        self.preset_caption.setText(f"{PRESETS[name][0]}: {PRESETS[name][1]}")
        self.preset_caption.show()

    def _on_run_clicked(self, updates: int) -> None:
        c = self.controller
        c.stop() if c.running else c.train(updates)

    # --- rendering ---------------------------------------------------------------------------------
    def _render(self, kind: str, value) -> None:
        """Now when stepping; while training, the latest of each kind on the next render tick."""
        self._pending[kind] = value
        self._ack_timer.stop()  # an ack now would release the worker before this is painted
        if not self.controller.running:
            self._flush()
        elif not self._render_timer.isActive():
            self._render_timer.start()

    def _render_pending(self) -> None:
        """One kind per event (plots, then the record, then before/after), painted at once."""
        for kind in ("series", "record", "compare"):
            if kind in self._pending:
                self._draw(kind, self._pending.pop(kind))
                break
        if self._pending:
            self._render_timer.start()
        else:
            self._ack_timer.start()

    def _flush(self) -> None:
        self._render_timer.stop()
        while self._pending:
            kind, value = self._pending.popitem()
            self._draw(kind, value)
        self.controller.drawn()

    def _draw(self, kind: str, value) -> None:
        {"series": self.plots.show_series, "record": self.show_record,
         "compare": self.compare.show_rows}[kind](value)

    def show_record(self, r) -> None:
        self.phase_strip.set_phase(r.phase if r else None, None)
        self.phase_strip.episode_label.setText("Not started" if r is None else f"Update {r.update + 1}")
        self.caption.setText(caption(r))
        self.equations.set_lines(equation_lines(r))
        self._show_tokens(r)
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
    label = QtWidgets.QLabel(text, wordWrap=True)
    label.setStyleSheet("font-weight: bold;")
    return label
