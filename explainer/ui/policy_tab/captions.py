"""One sentence per phase for the audience, in the notes' words, with the record's numbers."""
from __future__ import annotations

from ...core.fries.environment import NORM
from ...core.fries.policy_gradient import PhaseRecord
from ..widgets.format import num


def caption(r: PhaseRecord | None) -> str:
    if r is None:
        return ("StatSquatch, the Agent, chooses between Norm's and 'Squatch's. His Policy is a tiny "
                "neural network. Press Next (→) to begin an episode.")
    place = "Norm's" if r.action == NORM else "'Squatch's"
    if r.phase == "guess":
        return (f"Guess: the Policy gives P(Norm's) = {num(r.p_a)}. The draw u = {num(r.u)} lands in "
                f"{place} segment, so he goes to {place} and guesses that this was the right choice.")
    if r.phase == "derivative":
        return (f"Derivative: the cross entropy of the guess is {num(r.loss)}; by the chain rule its "
                f"derivative for the bias is {num(r.dloss_db)}. We do not yet know if the guess was right.")
    if r.phase == "reward":
        verdict = ("keeps the derivative's direction" if r.reward > 0 else
                   "flips the derivative's sign: the guess was wrong" if r.reward < 0 else
                   "zeroes the derivative: nothing will change")
        return (f"Reward: the Environment serves a {r.outcome} order, which "
                f"{'fits' if r.fits else 'does not fit'} the hunger. Reward {num(r.reward, 0, signed=True)} "
                f"{verdict}.")
    return (f"Update: step size = learning rate × derivative × reward = {num(r.step_size)}. The bias "
            f"moves from {num(r.bias_before)} to {num(r.bias_after)}; at this hunger P(Norm's) goes from "
            f"{num(r.p_a)} to {num(r.p_a_after)}.")
