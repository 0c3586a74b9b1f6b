"""The lesson-2 picture: the Agent holding its Policy (the network), the Environment, the Reward and
the Learning rate, with the shown record's numbers on every node and edge.

Drawn with QPainter on a fixed 1000×560 canvas scaled to the widget, so text grows with the window
and with the zoom. `progress` (0→1) animates the current phase: the forward pass in Guess, the
derivative flowing back in Derivative, the Environment answering in Reward, the step
travelling from the Learning rate to the bias in Update.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui

from ...core.fries.environment import NORM, SQUATCH
from ...core.fries.policy_gradient import PhaseRecord
from ..widgets.format import factor, num
from ..theme.style import color
from ..widgets.canvas import CanvasView, mixed

W, H = 1000.0, 560.0
P = QtCore.QPointF
R = QtCore.QRectF

X_NODE, SUM_NODE, SIG_NODE = P(100, 200), P(300, 200), P(445, 200)
X_RADIUS, SUM_RADIUS = 60.0, 50.0  # the input node is larger: its title "hunger x" is the longest
BIAS_BOX = R(240, 62, 120, 70)
OUT_NORM, OUT_SQUATCH = R(506, 110, 162, 72), R(506, 230, 162, 72)
PLACE_NORM, PLACE_SQUATCH = R(712, 95, 270, 90), R(712, 225, 270, 90)
ENV_BOX, REWARD_BOX = R(695, 40, 298, 325), R(695, 408, 298, 142)
AGENT_BOX, POLICY_BOX = R(8, 40, 672, 510), R(22, 50, 650, 290)
UPDATE_BOX = R(22, 395, 650, 150)
# between the hunger node's edge (x 160) and the X node's (x 250): at R(150, …) a large "× 20.0"
# ran onto the hunger node's outline
WEIGHT_LABEL = R(X_NODE.x() + X_RADIUS + 4, 160, SUM_NODE.x() - SUM_RADIUS - X_NODE.x() - X_RADIUS - 8, 34)
FORWARD = [X_NODE, SUM_NODE, SIG_NODE, P(506, 200)]
BACKWARD = [P(506, 200), SIG_NODE, SUM_NODE, P(300, 132)]
STEP_PATH = [P(380, 395), P(380, 140), P(360, 112)]  # the step, from the Learning rate to the bias


def _along(points: list[QtCore.QPointF], t: float) -> QtCore.QPointF:
    """The point a fraction t of the way along a polyline."""
    seg = min(int(t * (len(points) - 1)), len(points) - 2)
    local = t * (len(points) - 1) - seg
    a, b = points[seg], points[seg + 1]
    return a + (b - a) * local


class NetworkView(CanvasView):
    CANVAS = (W, H)
    FONT_PX = 25
    LEAST = (460, 240)

    def __init__(self) -> None:
        super().__init__()
        self.record: PhaseRecord | None = None

    def set_record(self, record: PhaseRecord | None) -> None:
        self.record = record
        self.update()

    # The picture has two layers. The cached one holds whatever a drag of the hunger, bias or
    # learning-rate slider leaves as it was (frames, edges, nodes, boxes, the Environment's and the
    # Reward's text); only the numbers are drawn on every paint. A full repaint was ~4 ms a step.
    def static_key(self) -> tuple:
        r = self.record
        if r is None:
            return (None,)
        phase = r.phase_index
        answered = phase >= 2
        return (phase, r.action, r.environment, self._answer_animating(),
                (r.outcome, r.reward, r.fits, r.hungry) if answered else None)

    def _answer_animating(self) -> bool:
        """The Environment's answer and the Reward grow in while the Reward phase animates."""
        return self.record is not None and self.record.phase_index == 2 and self.progress < 1.0

    def paint_static(self, p: QtGui.QPainter) -> None:
        r = self.record
        phase = r.phase_index if r else -1
        self._frames(p)
        self._frame(p, REWARD_BOX, "Reward", "reward", 0.1 if phase >= 2 else 0.03)
        self._network_shapes(p, r)
        if not self._answer_animating():
            self._environment(p, r, phase)
            self._reward(p, r, phase)
        if r is not None:
            self._choice_arrow(p, r)
        if phase >= 3:
            self._arrow(p, P(REWARD_BOX.left(), REWARD_BOX.center().y() + 30),
                        P(UPDATE_BOX.right() - 10, UPDATE_BOX.bottom() - 30), "learning_rate", 3)

    def paint_canvas(self, p: QtGui.QPainter) -> None:
        r = self.record
        phase = r.phase_index if r else -1
        self._network_numbers(p, r)
        if self._answer_animating():
            self._environment(p, r, phase)
            self._reward(p, r, phase)
        self._update_box(p, r, phase)
        if r is not None:
            self._animate(p, r, phase)

    def _frames(self, p) -> None:
        self._frame(p, AGENT_BOX, "Agent (StatSquatch)", "agent", 0.03)
        self._frame(p, POLICY_BOX, "Policy = the neural network", "policy", 0.06, bottom=True)
        self._frame(p, ENV_BOX, "Environment", "environment")

    def _node(self, p, centre: QtCore.QPointF, radius: float, title: str, col: str) -> None:
        p.setPen(QtGui.QPen(QtGui.QColor(color(col)), 3))
        p.setBrush(QtGui.QColor(color("background")))
        p.drawEllipse(centre, radius, radius)
        scale, ink = self.node_title(centre, radius, title)
        self._text(p, R(centre.x() - radius, ink.top(), 2 * radius, ink.height()), title, col, scale)

    def node_title(self, centre: QtCore.QPointF, radius: float, title: str) -> tuple[float, QtCore.QRectF]:
        """The title's text scale and the rectangle its text fills, in the upper half of the node.

        The text shrinks until its corners lie inside the circle, as a wider font, a longer title
        or a zoomed-in text size would otherwise spill over the node's outline; never below 0.6 of
        the unzoomed body size (zooming in never makes it smaller than at the normal size).
        """
        scale, smallest = 0.85, max(0.6 * self.FONT_PX, self._least_px) / self._font_px
        while True:
            metrics = QtGui.QFontMetricsF(self._font_for(max(6, int(self._font_px * scale)), False))
            w, h = metrics.horizontalAdvance(title), metrics.ascent() + metrics.descent()
            ink = R(centre.x() - w / 2, centre.y() - radius * 0.33 - h / 2, w, h)
            corner = max(abs(ink.top() - centre.y()), abs(ink.bottom() - centre.y()))
            inside = (radius - 4) ** 2 - corner ** 2  # 4: the outline's half width and a margin
            if scale <= smallest or (inside > 0 and w / 2 <= inside ** 0.5):
                return scale, ink
            scale = round(scale - 0.05, 2)

    def _node_value(self, p, centre: QtCore.QPointF, radius: float, value: str) -> None:
        self._text(p, R(centre.x() - radius - 20, centre.y() - 4, 2 * radius + 40, radius * 0.9),
                   value, "text", 1.0, True)

    def _box_shape(self, p, rect: QtCore.QRectF, col: str, highlight: float = 0.0) -> None:
        p.setPen(QtGui.QPen(QtGui.QColor(color(col)), 3))
        p.setBrush(mixed(color(col), 0.12 + 0.6 * highlight) if highlight else QtGui.QColor(color("background")))
        p.drawRoundedRect(rect, 10, 10)

    def _box_text(self, p, rect: QtCore.QRectF, lines: str) -> None:
        self._text(p, rect.adjusted(4, 2, -4, -2), lines, "text", 0.92)

    def _box(self, p, rect: QtCore.QRectF, lines: str, col: str, highlight: float = 0.0) -> None:
        self._box_shape(p, rect, col, highlight)
        self._box_text(p, rect, lines)

    def _edge(self, p, a: QtCore.QPointF, b: QtCore.QPointF, col: str, width: float = 3.0) -> None:
        p.setPen(QtGui.QPen(QtGui.QColor(color(col)), width))
        p.drawLine(a, b)

    def _network_shapes(self, p, r: PhaseRecord | None) -> None:
        self._edge(p, X_NODE + P(X_RADIUS, 0), SUM_NODE - P(SUM_RADIUS, 0), "policy")
        if self._names_shown(r):
            self._text(p, WEIGHT_LABEL.translated(0, 43), "weight", "muted", 0.75)
        self._edge(p, P(300, BIAS_BOX.bottom()), SUM_NODE - P(0, SUM_RADIUS), "policy")
        self._edge(p, SUM_NODE + P(SUM_RADIUS, 0), SIG_NODE - P(40, 0), "policy")
        self._edge(p, SIG_NODE + P(40, 0), P(OUT_NORM.left(), OUT_NORM.center().y()), "policy")
        self._edge(p, SIG_NODE + P(40, 0), P(OUT_SQUATCH.left(), OUT_SQUATCH.center().y()), "policy")
        self._node(p, X_NODE, X_RADIUS, "hunger x", "agent")
        self._node(p, SUM_NODE, SUM_RADIUS, "X", "policy")
        self._box_shape(p, BIAS_BOX, "learning_rate" if r and r.phase == "update" else "policy")
        self._sigmoid(p, self._names_shown(r))
        chosen = r.action if r else None
        self._box_shape(p, OUT_NORM, "norm", 0.5 if chosen == NORM else 0.0)
        self._box_shape(p, OUT_SQUATCH, "squatch", 0.5 if chosen == SQUATCH else 0.0)

    def _network_numbers(self, p, r: PhaseRecord | None) -> None:
        self._text(p, WEIGHT_LABEL, f"× {num(self.shown_weight(), 1)}", "policy",
                   0.9, True)
        self._node_value(p, X_NODE, X_RADIUS, num(r.x, 2) if r else "—")
        if r is not None:
            self._text(p, R(X_NODE.x() - 70, X_NODE.y() + X_RADIUS + 2, 140, 32),
                       "hungry" if r.hungry else "not hungry", "agent", 0.8, True)
            self._text(p, R(20, 345, 650, 40), f"draw u = {num(r.u)} → "
                       f"{'Norm' if r.action == NORM else 'Squatch'}'s (guess: right)",
                       "agent", 0.95, True)
        self._node_value(p, SUM_NODE, SUM_RADIUS, num(r.logit, 2) if r else "—")
        self._box_text(p, BIAS_BOX, f"bias\n{num(self.shown_bias(), 3)}")
        self._box_text(p, OUT_NORM, f"P(Norm's)\n{num(r.p_a if r else None)}")
        self._box_text(p, OUT_SQUATCH, f"P('Squatch's)\n{num(r.p_b if r else None)}")

    def shown_bias(self) -> float | None:
        """The bias box's number: the one the episode used, moving to the new bias as the Update
        phase's step travels to it (the caption gives the new bias; so does the box, at its end)."""
        r = self.record
        if r is None:
            return None
        return _towards(r.bias_before, r.bias_after, self.progress if r.phase_index == 3 else 0.0)

    def shown_weight(self) -> float | None:
        r = self.record
        if r is None:
            return None
        return _towards(r.weight_before, r.weight_after, self.progress if r.phase_index == 3 else 0.0)

    def _names_shown(self, r: PhaseRecord | None) -> bool:
        """The small grey names of the weight and the sigmoid: presenting, only while the Guess
        phase runs the network forward (at the least size they crowd the derivative terms)."""
        return not self.presenting or r is None or r.phase == "guess"

    def _sigmoid(self, p, named: bool) -> None:
        p.setPen(QtGui.QPen(QtGui.QColor(color("policy")), 3))
        p.setBrush(QtGui.QColor(color("background")))
        p.drawEllipse(SIG_NODE, 40, 40)
        path = QtGui.QPainterPath(P(SIG_NODE.x() - 24, SIG_NODE.y() + 16))
        path.cubicTo(P(SIG_NODE.x() + 2, SIG_NODE.y() + 16), P(SIG_NODE.x() - 2, SIG_NODE.y() - 16),
                     P(SIG_NODE.x() + 24, SIG_NODE.y() - 16))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        if named:
            self._text(p, R(SIG_NODE.x() - 50, SIG_NODE.y() - 72, 100, 30), "sigmoid", "muted", 0.75)

    def _environment(self, p, r: PhaseRecord | None, phase: int) -> None:
        env = r.environment if r else None
        answered = phase >= 2
        for action, rect in ((NORM, PLACE_NORM), (SQUATCH, PLACE_SQUATCH)):
            name = "Norm's Fry Hut" if action == NORM else "'Squatch's Fry Shack"
            share = num(100 * env.p_large(action), 0) + " %" if env else "—"
            lines = f"{name}\nlarge order {share}"
            chosen = r is not None and r.action == action
            if chosen and answered:
                lines += f"\n→ a {r.outcome.upper()} order"
            glow = (self.progress if phase == 2 else 1.0) if chosen and answered else 0.25 if chosen else 0.0
            self._box(p, rect if not (chosen and answered) else rect.adjusted(0, 0, 0, 22),
                      lines, "environment", glow)

    def _choice_arrow(self, p, r: PhaseRecord) -> None:
        target = OUT_NORM if r.action == NORM else OUT_SQUATCH
        place = PLACE_NORM if r.action == NORM else PLACE_SQUATCH
        self._arrow(p, P(target.right(), target.center().y()), P(place.left(), place.center().y()),
                    "agent", 4)

    def _reward(self, p, r: PhaseRecord | None, phase: int) -> None:
        if r is None or phase < 2:
            self._text(p, REWARD_BOX.adjusted(10, 10, -10, -10),
                       "+1 when the order fits the hunger,\n−1 when it does not", "muted", 0.85)
            return
        sign = num(r.reward, 0, signed=True)
        why = ("fits" if r.fits else "does not fit") + (" (hungry" if r.hungry else " (not hungry")
        self._text(p, REWARD_BOX.adjusted(10, 2, -10, -72), sign, "reward",
                   2.0 if phase > 2 else 1.0 + self.progress, True)
        self._text(p, REWARD_BOX.adjusted(10, 68, -10, -4), f"the order {why},\n{r.outcome} order)",
                   "text", 0.8)

    def _update_box(self, p, r: PhaseRecord | None, phase: int) -> None:
        lr = r.learning_rate if r else None
        self._text(p, R(UPDATE_BOX.x() + 8, UPDATE_BOX.y(), 620, 36), f"Learning rate = {num(lr, 2)}",
                   "learning_rate", 1.0, True, QtCore.Qt.AlignmentFlag.AlignLeft)
        if r is None:
            return
        lines = []
        if phase >= 1:
            lines.append(f"derivative ∂C/∂bias = {num(r.dloss_db)}")
        if phase >= 2:
            flip = "  (the negative reward flips it)" if r.reward < 0 else ""
            lines.append(f"× reward {num(r.reward, 0, signed=True)} = {num(r.updated_dloss_db)}{flip}")
        if phase >= 3:   # the record's result, never a value between: a frame of the animation
            # (a GIF, a screenshot) must not show a wrong sum
            lines.append(f"new bias = {num(r.bias_before)} − {factor(r.step_size)} = {num(r.bias_after)}")
        self._text(p, R(UPDATE_BOX.x() + 8, UPDATE_BOX.y() + 38, 640, 112), "\n".join(lines), "text",
                   0.9, False, QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)

    def _arrow(self, p, a: QtCore.QPointF, b: QtCore.QPointF, col: str, width: float) -> None:
        self._edge(p, a, b, col, width)
        d = b - a
        length = max((d.x() ** 2 + d.y() ** 2) ** 0.5, 1e-6)
        ux, uy = d.x() / length, d.y() / length
        head = QtGui.QPolygonF([b, b - P(ux * 16 - uy * 8, uy * 16 + ux * 8),
                                b - P(ux * 16 + uy * 8, uy * 16 - ux * 8)])
        p.setBrush(QtGui.QColor(color(col)))
        p.drawPolygon(head)

    # --- per-phase animation --------------------------------------------------------------------
    def _animate(self, p, r: PhaseRecord, phase: int) -> None:
        t = self.progress
        if phase == 0 and t < 1.0:
            self._pulse(p, _along(FORWARD, t), "agent")
        if phase >= 1:
            self._derivative_terms(p, r, t if phase == 1 else 1.0)
        if phase == 3 and t < 1.0:   # Update: the step size travels to the bias it changes
            self._pulse(p, _along(STEP_PATH, t), "learning_rate")

    def _pulse(self, p, at: QtCore.QPointF, col: str) -> None:
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(mixed(color(col), 0.85))
        p.drawEllipse(at, 13, 13)

    def _derivative_terms(self, p, r: PhaseRecord, t: float) -> None:
        col = color("derivative")
        if t < 1.0:
            self._pulse(p, _along(BACKWARD, t), "derivative")
        terms = [(0.0, R(410, 250, 110, 64), f"∂C/∂P\n{num(r.dloss_dp, 2)}"),
                 (0.34, R(318, 250, 100, 64), f"∂P/∂X\n{num(r.dp_dx, 3)}"),
                 (0.67, R(170, 72, 70, 64), f"∂X/∂b\n{num(r.dx_db, 0)}")]
        for start, rect, text in terms:
            if t >= start:
                self._text(p, rect, text, col, 0.75, True)
        if t >= 1.0:
            self._text(p, R(362, 62, 140, 70), f"∂C/∂bias\n= {num(r.dloss_db)}", col, 0.8, True)


def _towards(before: float, after: float, t: float) -> float:
    """before at t = 0, after at t = 1 exactly (no rounding on the way back to the record)."""
    return after if t >= 1.0 else before if t <= 0.0 else before + (after - before) * t
