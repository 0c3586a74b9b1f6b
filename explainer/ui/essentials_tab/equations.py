"""Lesson-1 formulas with the shown record's numbers (formatting only)."""
from __future__ import annotations

from ...core.fries.environment import SQUATCH
from ...core.fries.essentials import PHASES, EssentialsRecord
from ..widgets.format import latex_num as n
from ..widgets.format import latex_colour as c

P = c("policy", "p")
LR = c("learning_rate", "\\text{Learning Rate}")
TARGET = c("reward", "\\text{target}")


def _guess(r: EssentialsRecord) -> list[str]:
    place = "'Squatch's" if r.action == SQUATCH else "Norm's"
    sign = "\\le" if r.action == SQUATCH else ">"
    return [f"{P} = P(\\text{{'Squatch's}}) = {n(r.p_squatch)}",
            f"{c('agent', 'u')} = {c('agent', n(r.u))} {sign} {P} \\Rightarrow \\text{{go to {place}}}"]


def _reward(r: EssentialsRecord) -> list[str]:
    evidence = "'Squatch's" if r.target == 1.0 else "Norm's"
    return [f"\\text{{a {r.outcome} order}} \\Rightarrow \\text{{evidence for {evidence}}},"
            f"\\quad {TARGET} = {c('reward', n(r.target, 0))}"]


def _update(r: EssentialsRecord) -> list[str]:
    return [f"{P} \\leftarrow {P} + {LR} \\times ({TARGET} - {P})",
            f"= {n(r.p_squatch)} + {c('learning_rate', n(r.learning_rate, 2))} \\times "
            f"({n(r.target, 0)} - {n(r.p_squatch)}) = {c('policy', n(r.p_squatch_after))}",
            f"P(\\text{{Norm's}}) = 1 - {P} = {n(1.0 - r.p_squatch_after)}"]


BUILDERS = (_guess, _reward, _update)


def equation_lines(r: EssentialsRecord | None) -> list[tuple[str, bool]]:
    if r is None:
        return [("\\text{Press Next (→) to send StatSquatch for fries.}", False)]
    out: list[tuple[str, bool]] = []
    for i in range(r.phase_index + 1):
        greyed = i < r.phase_index
        out.append((f"\\mathbf{{{i + 1}.\\ \\text{{{PHASES[i].capitalize()}}}}}", greyed))
        out.extend((line, greyed) for line in BUILDERS[i](r))
    return out
