"""One sentence per phase for the audience, in the notes' words, with the record's numbers; and
what each preset lets the audience see."""
from __future__ import annotations

from ..widgets.format import num
from .equations import focus

PRESETS = {
    "hacking": ("Reward hacking (β = 0)",
                "β = 0: nothing keeps the Policy near the fine-tuned model. Watch the learned "
                "reward (orange) climb while the true score (green) stalls or falls, and KL grow: "
                "the Policy is learning what the Reward model over-pays for, not what people want."),
    "kl_penalty": ("KL penalty (default β)",
                   "β > 0 charges every step away from the fine-tuned model. The learned reward "
                   "rises more slowly, KL stays small, and the answers stay close to the fine-tuned "
                   "model's: fluent, without the tricks β = 0 finds. How far the true score can "
                   "rise is up to the Reward model, and one trained on a few dozen rankings is a "
                   "weak judge."),
}


def caption(r) -> str:
    if r is None:
        return ("The fine-tuned model is now the Agent and its Policy; the Reward model is the "
                "Environment. Press Next (→) to walk one update phase by phase.")
    first = r.responses[0]
    if r.phase == "guess":
        return (f"Guess: the Policy sampled {len(r.responses)} responses token by token, e.g. "
                f"“{first.text}”. We guess every sampled token was the right one.")
    if r.phase == "derivative":
        g = r.token_gradients[focus(r)] if r.token_gradients else None
        where = f" The least likely token, “{g.token}”, had P = {num(g.p_token)}." if g else ""
        return (f"Derivative: the cross entropy of the guess is C = {num(r.cross_entropy[0])};"
                f" its gradient for each logit is softmax − one-hot.{where}")
    if r.phase == "reward":
        sign = "keeps" if r.shaped_rewards[0] > 0 else "flips"
        return (f"Reward: the Environment (Reward model) scores it {num(r.rm_scores[0])}; after "
                f"the KL penalty and the baseline the Reward is {num(r.shaped_rewards[0], signed=True)}"
                f", which {sign} the derivative's direction.")
    if r.optimizer == "sgd":
        rule = "learning rate × derivative × reward moved the parameters by"
    else:
        rule = ("Adam (step = learning rate × m/√v: the reward's size cancels, and a negative "
                "reward flips the step only once it outweighs the momentum) moved the parameters by")
    return (f"Update: {rule} {num(r.step_norm, 4)}. Mean learned reward {num(r.mean_reward)}, "
            f"true score {num(r.mean_true_score)}, KL {num(r.mean_kl)}.")
