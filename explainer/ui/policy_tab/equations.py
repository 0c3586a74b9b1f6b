r"""The lesson-2 formulas as the notes write them, with the shown record's numbers substituted.

Only formatting lives here: every number comes from the record. Each symbol has the colour of the
diagram part it belongs to; phases before the shown one shrink to one greyed summary line. Lines are
kept short so they stay large on a projector.
"""
from __future__ import annotations

from ...core.fries.environment import NORM
from ...core.fries.policy_gradient import PHASES, PhaseRecord
from ..widgets.format import latex_factor as f
from ..widgets.format import latex_colour as c
from ..widgets.format import latex_num as n


P_NORM = c("policy", r"P_{\text{Norm}}")
P_SQ = c("policy", r"P_{\text{Squatch}}")
BIAS = c("policy", r"\text{Bias}")
LR = c("learning_rate", r"\text{Learning Rate}")
REWARD = c("reward", r"\text{Reward}")
U = c("agent", "u")
V = c("environment", "v")


def _place(r: PhaseRecord) -> str:
    return "Norm's" if r.action == NORM else "'Squatch's"


def guess_lines(r: PhaseRecord) -> list[str]:
    compare = r"\ge" if r.action == NORM else "<"
    chosen = P_NORM if r.action == NORM else P_SQ
    return [  # X's two halves on two lines: one line was the widest of the lesson
        rf"X &= {c('policy', 'w')} \cdot x + {BIAS}",
        rf"&= {n(r.weight_before, 1)} \times {n(r.x, 2)} + {f(r.bias_before)} = {n(r.logit)}",
        rf"{P_NORM} = \sigma(X) = \dfrac{{1}}{{1 + e^{{-X}}}} = {c('policy', n(r.p_a))}",
        rf"{P_SQ} = 1 - {P_NORM} = {c('policy', n(r.p_b))}",
        rf"{U} = {c('agent', n(r.u))} {compare} {P_SQ} \Rightarrow \text{{go to {_place(r)}}}",
        rf"\text{{Guess: that was right, so ideally }} {chosen} = 1",
    ]


def derivative_lines(r: PhaseRecord) -> list[str]:
    if r.action == NORM:
        name = r"C_{\text{Norm}}"
        loss = rf"{name} = -\log({P_NORM}) = -\log({n(r.p_a)}) = {n(r.loss)}"
        dcdp = rf"\dfrac{{-1}}{{{P_NORM}}}"
    else:
        name = r"C_{\text{Squatch}}"
        loss = rf"{name} = -\log(1 - {P_NORM}) = -\log({n(r.p_b)}) = {n(r.loss)}"
        dcdp = rf"\dfrac{{1}}{{1 - {P_NORM}}}"
    d = lambda top, bottom: rf"\dfrac{{\partial {top}}}{{\partial {bottom}}}"  # noqa: E731
    lines = [
        loss,
        rf"{d(name, BIAS)} = {d(name, P_NORM)} \times {d(P_NORM, 'X')} \times {d('X', BIAS)}",
        rf"= {dcdp} \times {P_NORM}(1 - {P_NORM}) \times 1",
        rf"= {c('derivative', f(r.dloss_dp))} \times {c('derivative', n(r.dp_dx))} \times "
        rf"{c('derivative', '1')} = {c('derivative', n(r.dloss_db))}",
    ]
    if r.train_weight:
        lines.append(rf"{d(name, 'w')} = {d(name, BIAS)} \times x = {f(r.dloss_db)} \times "
                     rf"{n(r.x, 2)} = {c('derivative', n(r.dloss_dw))}")
    return lines


def reward_lines(r: PhaseRecord) -> list[str]:
    compare = "<" if r.outcome == "large" else r"\ge"
    hunger = "hungry" if r.hungry else "not hungry"
    verdict = "fits" if r.fits else "does not fit"
    lines = [
        rf"{V} = {c('environment', n(r.v))} {compare} P(\text{{large}}) = {n(r.p_large, 2)} "
        rf"\Rightarrow \text{{{r.outcome}}}",
        rf"\text{{{hunger}: the order {verdict}}}",
        rf"{REWARD} = {c('reward', n(r.reward, 2, signed=True))}",
        rf"\left(\dfrac{{\partial C}}{{\partial {BIAS}}}\right)_{{\text{{guess}}}} \times {REWARD}",
        rf"= {f(r.dloss_db)} \times {c('reward', f(r.reward, 2))} = "
        rf"{c('derivative', n(r.updated_dloss_db))}",
    ]
    if r.reward < 0:
        lines.append(r"\text{the negative Reward flips the sign}")
    return lines


def update_lines(r: PhaseRecord) -> list[str]:
    lines = [
        rf"\text{{Step Size}} = {LR} \times \left(\dfrac{{\partial \text{{Loss}}}}{{\partial {BIAS}}}"
        rf"\right)_{{\text{{guess}}}} \times {REWARD}",
        rf"= {c('learning_rate', n(r.learning_rate, 2))} \times {f(r.dloss_db)} \times "
        rf"{c('reward', f(r.reward, 2))} = {c('learning_rate', n(r.step_size))}",
        rf"\text{{New }} {BIAS} = {BIAS} - \text{{Step Size}}",
        rf"= {n(r.bias_before)} - {f(r.step_size)} = {c('policy', n(r.bias_after))}",
    ]
    if r.train_weight:
        lines.append(rf"\text{{New }} w = {n(r.weight_before, 3)} - {f(r.step_size_w)} = "
                     rf"{c('policy', n(r.weight_after, 3))}")
    return lines


BUILDERS = (guess_lines, derivative_lines, reward_lines, update_lines)


def summary_line(index: int, r: PhaseRecord) -> str:
    """One greyed line that keeps an earlier phase's result in view."""
    return (
        rf"P_{{\text{{Norm}}}} = {n(r.p_a)},\ u = {n(r.u)} \Rightarrow \text{{{_place(r)}}}",
        rf"\dfrac{{\partial C}}{{\partial \text{{Bias}}}} = {n(r.dloss_db)}",
        rf"\text{{Reward}} = {n(r.reward, 2, signed=True)} \Rightarrow {n(r.updated_dloss_db)}",
    )[index]


def equation_lines(r: PhaseRecord | None) -> list[tuple[str, bool]]:
    """The shown phase's formulas in colour, after one greyed line per earlier phase."""
    if r is None:
        return [(r"\text{Press Next (→) to start an episode.}", False)]
    out = [(rf"{i + 1}.\ \text{{{PHASES[i].capitalize()}:}}\ {summary_line(i, r)}", True)
           for i in range(r.phase_index)]
    out.append((rf"\mathbf{{{r.phase_index + 1}.\ \text{{{r.phase.capitalize()}}}}}", False))
    out.extend((line, False) for line in BUILDERS[r.phase_index](r))
    return out
