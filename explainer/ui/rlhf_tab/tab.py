"""Lesson 4: close the RLHF loop. Stage 0 shows the pre-trained base model; stage 1 fine-tunes it on
demonstrations; stage 3 optimises it as the Policy against the Reward model (tab 3), one phase or
many updates at a time, and shows reward hacking and its fixes; Results reads the run at a glance,
and Over-optimisation sweeps β to draw Gao et al.'s curve.

torch is never imported in the window's process: the models are built in a training process,
started when the tab is first shown (or first used).
Keys (as in lesson 2): Right / Space / PageDown next phase, Left / PageUp back, P play / pause.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..training.pipeline_walk import PipelineWalkPlayer, PlayerWalkthroughs
from ..widgets.walkthrough_banner import WalkthroughBar
from ..widgets.banner import Banner
from ..widgets.fitting_tab_bar import FittingTabBar
from ..widgets.walkthrough_banner import clicker_shortcuts
from ..widgets.type_scale import set_presenting
from .controller import RLHFController
from .feedback_link import FeedbackLink
from .policy_panel import STAGE, PolicyPanel
from .overoptimisation_panel import OveroptimisationPanel
from .results_panel import ResultsPanel
from .sft_panel import SFTPanel
from .stage0_panel import Stage0Panel
from .walkthrough import RLHFActor


class RLHFTab(PlayerWalkthroughs, QtWidgets.QWidget):
    lesson = "rlhf"   # in the registry, core/lessons.py
    state_changed = QtCore.Signal()  # what a session saves has changed
    session_failed = QtCore.Signal(str)  # an opened part was refused late; the run before is back
    def __init__(self, link: FeedbackLink | None = None,
                 controller: RLHFController | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        font = self.font()
        font.setPointSizeF(style.BASE_POINT_SIZE)
        self.setFont(font)
        self.controller = controller or RLHFController(link, parent=self)
        self._started = False
        self._rankings_before_walk = None   # tab 3's rankings, given back when a walkthrough ends
        self._page_before_walk = None       # and the page it left
        self.presenting = False
        # The tab takes keyboard focus so the clicker's keys reach it from the first press.
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self._build()
        self.player = PipelineWalkPlayer("rlhf", RLHFActor(self), self.walk_bar, self)
        self.player.message.connect(lambda text: self.banner.show_message(text, "error"))
        self.policy.controls.walkthrough_clicked.connect(lambda: self.start_walkthrough())
        self.player.walking_changed.connect(self._on_walking)
        self.controller.series_changed.connect(lambda *_: self.player.refresh())  # live values
        self._install_keys()
        self.controller.message.connect(self.banner.show_message)
        self.controller.series_changed.connect(lambda *_: self.state_changed.emit())
        self.controller.settings_changed.connect(lambda *_: self.state_changed.emit())
        self.controller.busy_changed.connect(self._on_busy)
        self.controller.open_failed.connect(self.session_failed)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def _build(self) -> None:
        self.banner = Banner()
        self.walk_bar = WalkthroughBar()
        self.busy = QtWidgets.QLabel(wordWrap=True)
        self.busy.setStyleSheet(f"color: {style.color('agent')}; font-weight: bold;")
        self.stage0 = Stage0Panel(self.controller)
        self.sft = SFTPanel(self.controller)
        self.policy = PolicyPanel(self.controller)
        self.results = ResultsPanel(self.controller, self.policy)
        self.overoptimisation = OveroptimisationPanel(lambda: self.controller.seed)
        self.stages = QtWidgets.QTabWidget()
        self.stages.setTabBar(FittingTabBar())
        for page, title, tip in (
                (self.stage0, "Stage 0 · Pre-training",
                 "The base model before any human feedback: fluent, not yet polite or helpful"),
                (self.sft, "Stage 1 · SFT",
                 "Supervised fine-tuning (SFT) on human-written answers; sample; make "
                 "candidates to rank"),
                (self.policy, "Stage 3 · Policy optimisation",
                 "The fine-tuned model is the Policy, the Reward model the Environment; a frozen "
                 "copy is the reference"),
                (self.results, "Results",
                 "Learned reward and true score over updates, KL, and a never-seen prompt's "
                 "answer before and after"),
                (self.overoptimisation, "Over-optimisation",
                 "True score and learned reward against the distance from the fine-tuned model, "
                 "one run per β (Gao et al. 2022)")):
            self.stages.setTabToolTip(self.stages.addTab(page, title), tip)
        # a projector's narrow row keeps each stage's number and name, and every tab in view
        self.stages.tabBar().set_short_titles(
            ("0 · Pre-training", "1 · SFT", "3 · Policy", "Results", "Over-optimisation"), self.stages)
        self.stages.setCurrentWidget(self.policy)
        # A run of many updates is watched on the Results page; stepping shows stage 3 again.
        self.policy.controls.stepper.run_clicked.connect(
            lambda _: self.stages.setCurrentWidget(self.results))
        self._layout_guard = _TabBarLayoutOnly(self.stages)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.walk_bar)
        layout.addWidget(self.busy)
        layout.addWidget(self.policy.preset_caption)   # the run's preset, on stage 3 and Results
        layout.addWidget(self.stages, 1)
        self.busy.hide()

    def _install_keys(self) -> None:
        c, walk = self.controller, self.player
        keys = {"Right": (c.next, walk.next), "Space": (c.next, walk.next),
                "PgDown": (c.next, walk.next), "Left": (c.previous, walk.previous),
                "PgUp": (c.previous, walk.previous), "P": (c.toggle_play, None)}
        self.shortcuts = clicker_shortcuts(self, {key: self._stage3(slot, walk_slot)
                                                  for key, (slot, walk_slot) in keys.items()})
        self.shortcuts += clicker_shortcuts(self, {"F": self.cycle_focus})
        # Stage 3's own Previous / Next are the same keys: during a walkthrough they step it, so
        # the run shown never drifts from the walkthrough's step.
        stepper = self.policy.controls.stepper
        stepper.next_clicked.connect(self._stage3(c.next, walk.next))
        stepper.previous_clicked.connect(self._stage3(c.previous, walk.previous))

    def _stage3(self, slot, walk_slot):
        """The clicker keys step stage 3 (and bring it to the front), or the walkthrough."""
        def run() -> None:
            if self.player.walk is not None:
                if walk_slot is not None:
                    walk_slot()
                return
            self.stages.setCurrentWidget(self.policy)
            slot()
        return run

    # --- guided walkthroughs -----------------------------------------------------------------------
    def start_walkthrough(self, walk=None) -> None:
        """Start a walkthrough (the shipped one by default, or a lesson file's path). The run and
        tab 3's rankings (which its "fix" step adds to) are kept and given back at its end."""
        if self.player.walk is None:
            self._rankings_before_walk = self.controller.link.keep()
            self._page_before_walk = self.stages.currentWidget()
        self.keep_before_walk()
        if not self.player.start(walk) and self.player.walk is None:
            self.forget_before_walk()
            return
        self.setFocus()

    def _on_walking(self, walking: bool) -> None:
        """While a walkthrough runs, what would step, train or change the run waits (disabled,
        its tooltip and a note say why); Previous / Next step the walkthrough."""
        self.policy.controls.set_walking(walking)
        self.sft.set_walking(walking)
        if not walking:
            kept, self._rankings_before_walk = self._rankings_before_walk, None
            if kept is not None and self.controller.link.keep() != kept:
                self.controller.link.give_back(kept)
            # the page the lecturer left, shown as the run arrives: a run given back mid-update
            # showed "Not started" on a hidden stage 3 until the lecturer stepped again
            page, self._page_before_walk = self._page_before_walk, None
            if page is not None and self._before_walk is not None:
                self.stages.setCurrentWidget(page)
            self.give_back_after_walk()

    # --- lifecycle ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._started:  # first show: start the training process (it builds the models)
            self._started = True
            self.controller.warm_up()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self.controller.shutdown()
        self.overoptimisation.shutdown()

    # --- sessions ---------------------------------------------------------------------------------
    def session_state(self) -> dict:
        """Seed, settings and the number of policy updates done: replayed on open (a seeded run
        reproduces the same policy); the rankings travel with the Reward model tab."""
        kept = self.kept_session()   # a walkthrough shows its own run: the tab's is kept
        if kept is not None:
            return kept
        c = self.controller
        updates = len(c.series.update) if c.series is not None else 0
        return {"seed": c.seed, "settings": dict(c.settings), "updates": updates}

    def prepare_session(self, state: dict):
        """With saved weights the models are loaded; without (older files) the updates replayed."""
        seed, settings, updates = _checked_state(state)
        weights = state.get("weights")
        if weights is not None:
            self.controller.check_state(weights, settings)

        def apply() -> None:
            c = self.controller
            self.forget_before_walk()   # the opened session replaces what the walkthrough showed
            self._rankings_before_walk = None
            self.end_walkthrough()
            if weights is not None:   # one command: refused there, the run shown comes back
                c.open_state(seed, settings, weights)
                return
            c.reset(seed)
            for name, value in settings.items():
                c.set_setting(name, value)
            if updates:
                c.train(updates)
        return apply

    def request_weights(self, callback) -> bool:
        """Sessions ask for the models' state (callback(state or None)); see the controller.
        During a walkthrough, the kept run's."""
        return self.kept_weights(callback) or self.controller.request_state(callback)

    def weights_manifest(self) -> dict | None:
        """What saved weights are checked against; None until built (this starts building)."""
        self.controller.warm_up()
        return self.controller.weights_manifest

    # --- presenting and exporting ------------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Presentation mode: the controls go; stage 3's phases (or the results) fill the screen."""
        self.presenting = on
        self.policy.drawer.set_suppressed(on)
        # one page at a time: stage 3 while stepping, Results after a run (no page strip)
        self.stages.tabBar().setVisible(not on)
        set_presenting(self, on)
        self.results.set_presentation(on)
        self.policy.set_focus(STAGE[0] if on else None)
        if on and self.stages.currentWidget() not in (self.policy, self.results):
            self.stages.setCurrentWidget(self.policy)

    def cycle_focus(self) -> None:
        """F while presenting: on stage 3 the next of its panels alone (STAGE); on Results the
        next result alone (the learned reward above the true score, KL, the polite − rude gap,
        the before/after card)."""
        if not self.presenting:
            return
        if self.stages.currentWidget() is self.results:
            self.results.next_result()
        elif self.stages.currentWidget() is self.policy:
            focus = self.policy.focus
            self.policy.set_focus(STAGE[(STAGE.index(focus) + 1) % len(STAGE)])

    def figure_widgets(self) -> dict[str, QtWidgets.QWidget]:
        p = self.policy
        self.results.refresh()   # drawn while hidden too: an export shows the newest numbers
        return {"lesson only": p.lesson_area, "tab": self, "stage 0": self.stage0,
                "stage 1": self.sft, "stage 3": p, "response tokens": p.tokens,
                "gradient": p.gradient, "equations": p.equations,
                "plots over updates": self.results.plots, "before and after": p.compare,
                "results": self.results, "before and after card": self.results.card,
                "over-optimisation": self.overoptimisation}

    def _on_busy(self, what: str) -> None:
        self.busy.setText(what)
        self.busy.setVisible(bool(what))


class _TabBarLayoutOnly(QtCore.QObject):
    """Lets the stage tab widget lay itself out again only when its tab bar changed.

    QTabWidget repaints all of itself on every LayoutRequest it receives, and a stage-3 label that
    shows new text (a caption, a title, a before/after answer) sends one up to it every time: each
    record drawn while training would repaint the whole tab (~10 ms). Its own resizes, new tabs and
    style changes lay it out directly, without a LayoutRequest; what is left to pass on is a change
    of the tab bar's size (e.g. a new font)."""

    def __init__(self, tabs: QtWidgets.QTabWidget) -> None:
        super().__init__(tabs)
        self._tab_bar_size = tabs.tabBar().sizeHint()
        tabs.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QtCore.QEvent.Type.LayoutRequest:
            size = watched.tabBar().sizeHint()
            if size == self._tab_bar_size:
                return True
            self._tab_bar_size = size
        return False


MAX_UPDATES = 5000


def _checked_state(state) -> tuple[int, dict, int]:
    """A saved part checked before anything is applied (SessionError: nothing changes)."""
    from ...core.rlhf.settings import DEFAULTS, checked_setting
    from ...core.files.session import SessionError
    if not isinstance(state, dict) or not isinstance(state.get("settings", {}), dict):
        raise SessionError("RLHF: needs an object with 'settings'")
    seed, updates = state.get("seed", 0), state.get("updates", 0)
    for name, value, top in (("seed", seed, 2**31 - 1), ("updates", updates, MAX_UPDATES)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise SessionError(f"RLHF: '{name}' must be a whole number from 0 to {top}")
    settings = {}
    for name, value in state.get("settings", {}).items():
        if name not in DEFAULTS:
            raise SessionError(f"RLHF: unknown setting {name!r}")
        try:
            settings[name] = checked_setting(name, value)
        except (TypeError, ValueError) as exc:
            raise SessionError(f"RLHF: {exc}") from None
    return seed, settings, updates


def for_window(tabs) -> RLHFTab:
    """The tab as the window builds it (the registry's factory): lesson 4 ranks its generated
    answers into the Reward model tab's rankings, found through the window's `tabs(key)`."""
    from .feedback_link import FeedbackLink
    return RLHFTab(FeedbackLink(lambda: tabs("reward").controller))


if __name__ == "__main__":  # a quick look at this tab on its own
    app = QtWidgets.QApplication([])
    tab = RLHFTab()
    tab.resize(1600, 950)
    tab.show()
    app.exec()
