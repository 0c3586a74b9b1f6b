r"""Stage 3's formulas with the shown record's numbers, for the first response of the batch.

Only formatting lives here: every number comes from the record. Symbols carry the colour of what
they belong to (Policy purple, Reward orange, Learning rate vermillion, derivatives sky blue);
earlier phases shrink to one greyed line each.
"""
from __future__ import annotations

from ..widgets.format import latex_factor as f
from ..widgets.format import latex_colour as c
from ..widgets.format import latex_num as n

PHASES = ("guess", "derivative", "reward", "update")


AGENT = c("agent", r"\text{Agent}")
POLICY = c("policy", r"\text{Policy}")
ENV = c("environment", r"\text{Environment}")
REWARD = c("reward", r"\text{Reward}")
LR = c("learning_rate", r"\text{Learning rate}")
BETA = c("reward", r"\beta")


def word(token: str) -> str:
    """A token as text inside math (braces and backslashes would be read as commands)."""
    return r"\text{“" + token.replace("\\", "/").replace("{", "(").replace("}", ")") + "”}"


def focus(record) -> int:
    """The position shown in detail: the first response's least likely token (the biggest C)."""
    grads = record.token_gradients or ()
    if not grads:
        return 0
    return max(range(len(grads)), key=lambda k: grads[k].loss)


def guess_lines(r) -> list[str]:
    first = r.responses[0]
    shown = [rf"P({word(t)}) = {c('policy', n(p))}" for t, p in zip(first.tokens, first.probs)][:3]
    more = r",\ \ldots" if len(first.tokens) > 3 else ""
    return [
        rf"{AGENT} = {POLICY}\ \pi: \text{{the fine-tuned model writes}}",
        r",\ ".join(shown) + more,
        rf"\text{{{len(r.responses)} responses, one token at a time, from softmax(logits)}}",
        r"\text{Guess: every sampled token was right, ideal } P = 1",
    ]


def derivative_lines(r) -> list[str]:
    g = r.token_gradients[focus(r)] if r.token_gradients else None
    lines = [rf"C = -\sum \log P(\text{{token}}) = {c('derivative', n(r.cross_entropy[0]))}",
             r"\dfrac{\partial C}{\partial \text{logit}} = \text{softmax} - \text{one-hot}"]
    if g is not None:
        top = g.entries[0]
        lines.append(rf"{word(top.token)}:\ {n(top.p)} - 1 = {c('derivative', n(top.dloss_dlogit))}")
        for other in g.entries[1:3]:
            lines.append(rf"{word(other.token)}:\ {n(other.p)} - 0 = "
                         rf"{c('derivative', n(other.dloss_dlogit))}")
    return lines


def reward_lines(r) -> list[str]:
    kl, shaped = r.kl[0], r.shaped_rewards[0]
    return [
        rf"{ENV} = \text{{Reward model}}: R = {c('reward', n(r.rm_scores[0]))}",
        rf"\text{{KL}} = \log \pi - \log \pi_{{\text{{ref}}}} = {n(r.logp[0])} - {f(r.logp_ref[0])}"
        rf" = {n(kl)}",
        rf"{REWARD} = R - {BETA} \times \text{{KL}} - b",
        rf"= {n(r.rm_scores[0])} - {c('reward', n(r.beta, 2))} \times {f(kl)} - {f(r.baseline)}"
        rf" = {c('reward', n(shaped, signed=True))}",
        rf"C \times {REWARD} = {n(r.cross_entropy[0])} \times {f(shaped)} = "
        rf"{c('derivative', n(r.updated_cross_entropy[0]))}",
    ]


def step_rule(r) -> list[str]:
    """The rule the optimiser applied: plain gradient descent's, or Adam's (the default)."""
    if r.optimizer == "sgd":
        return [rf"\text{{step}} = {LR} \times \dfrac{{\partial C}}{{\partial \theta}} \times {REWARD}"]
    # Adam divides the running mean of the gradient by its running root mean square.
    return [rf"\text{{Adam: step}} = {LR} \times m / \text{{√}}v",
            rf"g = \partial C / \partial \theta \times {REWARD};\ m, v\text{{: means of }} g, g^2"]


def update_lines(r) -> list[str]:
    if r.objective == "ppo":
        loss = (rf"\text{{Loss}} = -\min(\rho A,\ \text{{clip}}(\rho, 1 - \epsilon, 1 + \epsilon) A)"
                rf" = {n(r.loss)}")
        extra = rf"\epsilon = {n(r.clip, 2)},\ \text{{{r.epochs} passes, clipped }} {n(100 * (r.clip_fraction or 0), 1)}\%"
    else:
        loss = rf"\text{{Loss}} = \text{{mean}}(C \times {REWARD}) = {n(r.loss)}"
        extra = r"\text{REINFORCE: one pass over the batch}"
    return [
        *step_rule(r),
        rf"{LR} = {c('learning_rate', n(r.learning_rate, 4))},\ \|\text{{step}}\| = "
        rf"{c('learning_rate', n(r.step_norm, 4))}",
        loss,
        extra,
        rf"\log P(\text{{response}}): {n(-r.cross_entropy[0])} \rightarrow "
        rf"{c('policy', n(r.logp_after[0]))}",
    ]


BUILDERS = (guess_lines, derivative_lines, reward_lines, update_lines)


def summary_line(index: int, r) -> str:
    """One greyed line per earlier phase (built lazily: later fields are None before their phase)."""
    if index == 0:
        return rf"\text{{{len(r.responses)} responses sampled}}"
    if index == 1:
        return rf"C = {n(r.cross_entropy[0])}"
    return rf"R = {n(r.rm_scores[0])} \Rightarrow \text{{Reward}} = {n(r.shaped_rewards[0], signed=True)}"


# While training, the equations are not redrawn for every update (laying out nine lines of math
# is the costliest thing the tab draws); the caption carries the live numbers meanwhile.
TRAINING_LINES = [(r"\text{Training: the equations of the last}", True),
                  (r"\text{update appear when it stops.}", True)]


def equation_lines(r) -> list[tuple[str, bool]]:
    if r is None:
        return [(r"\text{Press Next (→) to sample a batch of responses.}", False)]
    index = PHASES.index(r.phase)
    out = [(rf"{i + 1}.\ \text{{{PHASES[i].capitalize()}:}}\ {summary_line(i, r)}", True)
           for i in range(index)]
    out.append((rf"\mathbf{{{index + 1}.\ \text{{{r.phase.capitalize()}}}}}", False))
    out.extend((line, False) for line in BUILDERS[index](r))
    return out
