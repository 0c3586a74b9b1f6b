"""The lesson-1 picture: Agent, Policy (one probability), Environment, Reward and Learning rate as
labelled parts of one drawing, showing the shown record's numbers."""
from __future__ import annotations

from PySide6 import QtCore, QtGui

from ...core.fries.environment import SQUATCH
from ...core.fries.essentials import EssentialsRecord
from ..widgets.format import factor, num
from ..theme.style import color
from ..widgets.canvas import CanvasView

W, H = 800.0, 470.0
R = QtCore.QRectF


class EssentialsPicture(CanvasView):
    CANVAS = (W, H)
    FONT_PX = 24
    LEAST = (460, 220)

    def __init__(self) -> None:
        super().__init__()
        self.record: EssentialsRecord | None = None
        self.p_squatch = 0.5          # the Policy when nothing is shown yet
        self.p_large = (0.8, 0.15)    # Norm's, 'Squatch's
        self.learning_rate = 0.1

    def set_state(self, record: EssentialsRecord | None, p_squatch: float,
                  p_large: tuple[float, float], learning_rate: float) -> None:
        self.record, self.p_squatch, self.p_large, self.learning_rate = (
            record, p_squatch, p_large, learning_rate)
        self.update()

    def static_key(self) -> tuple:
        return (self.record.phase_index if self.record is not None else -1,)

    def paint_static(self, p: QtGui.QPainter) -> None:
        phase = self.static_key()[0]
        self._frame(p, R(8, 36, 384, 262), "Agent (StatSquatch)", "agent", 0.05)
        self._frame(p, R(22, 84, 356, 124), "Policy: p = P('Squatch's)", "policy")
        self._frame(p, R(408, 36, 384, 262), "Environment", "environment", 0.14 if phase >= 1 else 0.05)
        self._frame(p, R(408, 340, 384, 125), "Reward", "reward", 0.14 if phase >= 1 else 0.05)
        self._frame(p, R(8, 340, 384, 125), "Learning rate", "learning_rate",
                    0.14 if phase >= 2 else 0.05)

    def paint_canvas(self, p: QtGui.QPainter) -> None:
        r = self.record
        phase = r.phase_index if r else -1
        self._agent(p, r)
        self._environment(p, r, phase)
        self._reward(p, r, phase)
        self._learning_rate(p, r, phase)

    def _agent(self, p, r) -> None:
        p_sq = r.p_squatch if r else self.p_squatch
        if r is not None and r.phase == "update":
            p_sq = r.p_squatch + (r.p_squatch_after - r.p_squatch) * self.progress
        for i, (name, value, col) in enumerate((("'Squatch's", p_sq, "squatch"),
                                                ("Norm's", 1.0 - p_sq, "norm"))):
            y = 96 + i * 52
            self._text(p, R(30, y, 120, 40), name, "text", 0.85, False,
                       QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
            p.fillRect(R(150, y + 6, 150 * value, 28), QtGui.QColor(color(col)))
            p.setPen(QtGui.QPen(QtGui.QColor(color("muted")), 1))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.drawRect(R(150, y + 6, 150, 28))
            self._text(p, R(300, y, 76, 40), num(value, 3), "text", 0.85, True)
        if r is not None:
            place = "'Squatch's" if r.action == SQUATCH else "Norm's"
            sign = "≤" if r.action == SQUATCH else ">"
            self._text(p, R(16, 214, 368, 80), f"draws u = {num(r.u)} {sign} p = {num(r.p_squatch)}\n"
                       f"→ goes to {place}", "agent", 0.9, True)

    def _environment(self, p, r, phase) -> None:
        for i, (action, name, share) in enumerate((("norm", "Norm's Fry Hut", self.p_large[0]),
                                                   (SQUATCH, "'Squatch's Fry Shack", self.p_large[1]))):
            rect = R(420, 52 + i * 120, 360, 110)
            chosen = r is not None and r.action == action
            p.setPen(QtGui.QPen(QtGui.QColor(color("environment")), 4 if chosen else 2))
            p.setBrush(QtGui.QColor(color("background")))
            p.drawRoundedRect(rect, 10, 10)
            text = f"{name}\nlarge order {num(100 * share, 0)} %"
            if chosen and phase >= 1:
                text += f"\n→ serves a {r.outcome.upper()} order"
            self._text(p, rect, text, "text", 0.9, chosen)
        if r is not None:
            y = 107 if r.action != SQUATCH else 227
            p.setPen(QtGui.QPen(QtGui.QColor(color("agent")), 4))
            p.drawLine(QtCore.QPointF(378, y), QtCore.QPointF(420, y))

    def _reward(self, p, r, phase) -> None:
        if r is None or phase < 1:
            self._text(p, R(416, 345, 368, 115), "more fries are better: a large order at 'Squatch's "
                       "or a small one at Norm's is evidence for 'Squatch's", "muted", 0.8)
            return
        for_what = "'Squatch's (target 1)" if r.target == 1.0 else "Norm's (target 0)"
        self._text(p, R(416, 345, 368, 115), f"a {r.outcome} order at "
                   f"{'Squatch' if r.action == SQUATCH else 'Norm'}'s\nis evidence for {for_what}",
                   "text", 0.95, True)

    def _learning_rate(self, p, r, phase) -> None:
        lr = r.learning_rate if r else self.learning_rate
        text = f"Learning rate = {num(lr, 2)}"
        if r is not None and phase >= 2:
            text += (f"\np ← {num(r.p_squatch)} + {num(lr, 2)} × ({num(r.target, 0)} − {factor(r.p_squatch)})"
                     f"\n= {num(r.p_squatch_after)}")
        self._text(p, R(16, 345, 368, 115), text, "text", 0.9, True)
