"""What one policy update minimises: the guess's derivative times the reward, plain or clipped (PPO).

REINFORCE, as in the policy-gradient lesson: the loss whose gradient is "derivative × reward",

    loss = mean over responses of  C_i × A_i,   C_i = −Σ log π(token),  A_i = shaped reward

(A_i is a constant: the gradient flows through C_i only). Gradient descent on it lowers C_i, so it
raises the probability of a response whose reward beat the baseline and lowers it otherwise.

PPO reuses one batch for a few passes. Each token's ratio = π(token) / π_old(token) =
exp(log π − log π_old) says how far the policy has already moved; clipping it to [1 − ε, 1 + ε]
stops a token's push once it has moved far enough in the rewarded direction. On the first pass the
ratio is 1 and the gradient is exactly REINFORCE's.
"""
from __future__ import annotations

import torch


def shaped_rewards(rm_scores: torch.Tensor, kl: torch.Tensor, beta: float,
                   baseline: float) -> torch.Tensor:
    """R − β × KL − baseline, per response."""
    return rm_scores - beta * kl - baseline


def reinforce_loss(sequence_logp: torch.Tensor, shaped: torch.Tensor) -> torch.Tensor:
    """mean(C_i × A_i) with C_i = −Σ log π: its gradient is the mean of derivative × reward."""
    return (-sequence_logp * shaped.detach()).mean()


def ppo_loss(token_logp: torch.Tensor, old_token_logp: torch.Tensor, mask: torch.Tensor,
             shaped: torch.Tensor, clip: float) -> tuple[torch.Tensor, float]:
    """The clipped objective, summed over each response's tokens like C_i; and the clipped share.

    −min(ratio × A, clip(ratio, 1 − ε, 1 + ε) × A) per token: the pessimistic of the two, so moving
    further than ε in the direction the reward asks for earns nothing more.
    """
    ratio = torch.exp(token_logp - old_token_logp.detach())
    advantage = shaped.detach()[:, None]
    clipped = torch.clamp(ratio, 1.0 - clip, 1.0 + clip)
    per_token = -torch.minimum(ratio * advantage, clipped * advantage) * mask
    outside = ((ratio - clipped).abs() > 0) & mask
    fraction = float(outside.sum()) / max(1, int(mask.sum()))
    return per_token.sum(1).mean(), fraction
