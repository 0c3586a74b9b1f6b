"""Per-step checkpoints of an RLHF session, so a walkthrough's Back shows an earlier step at once.

Rebuilding an RLHF lesson step from its start replays SFT, hundreds of policy updates and a
Reward model retraining: 15–25 s on a busy two-core machine, too slow for a lecture. Instead the
training process keeps, after each step, a copy of what stage 3 depends on: the run (the Policy's
weights, the optimiser's moments, the sampler's random state, the records), the plotted rows, the
settings, and which SFT model and pipeline (Reward model) were in use. Restoring a checkpoint
copies it again, so a step can be shown any number of times, and stepping forward from it
recomputes exactly what was shown the first time (everything is seeded).

What never changes during a run is shared, not copied: the pipeline (SFT model, Reward model,
vocabulary), the frozen reference model and the immutable records.

Between the phases of one update the run holds tensors of an autograd graph (the Guess's logits),
which cannot be copied. A checkpoint taken there is the checkpoint taken when that update began
plus how many phases to replay: restoring recomputes them from the same weights and random state,
so they come out the same.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class SessionCheckpoint:
    run: object
    rows: tuple
    settings: dict
    pipeline: object
    sft_model: object
    seed: int
    replay: int = 0            # phases to recompute after restoring (a checkpoint mid-update)
    cursor: int | None = None  # the record shown then, when it was not the newest


class CheckpointError(ValueError):
    pass


def capture(session, update_start: SessionCheckpoint | None = None) -> SessionCheckpoint:
    """A copy of `session`'s stage-3 state (an `RLHFSession` with a run). Between the phases of an
    update, `update_start` must be a checkpoint taken when that update began."""
    run = session.run
    if run is None or run.phase_in_progress is None:
        return SessionCheckpoint(_copy_run(run), tuple(session.update_rows), dict(session.settings),
                                 session.pipeline, session.sft_model, session.seed,
                                 cursor=None if run is None or run.at_end else run.cursor)
    base = update_start
    done = len(base.run.history) if base is not None and base.run is not None else -1
    if base is None or base.replay or base.run.phase_in_progress is not None or done > len(run.history) \
            or any(a is not b for a, b in zip(base.run.history, run.history[:done])):
        raise CheckpointError("a checkpoint between two phases needs the one taken when its "
                              "update began")
    return replace(base, replay=len(run.history) - done,
                   cursor=None if run.at_end else run.cursor)


def restore(session, checkpoint: SessionCheckpoint) -> None:
    """Put `session` back to the checkpoint's state; the checkpoint itself stays untouched."""
    session.run = _copy_run(checkpoint.run)
    session.update_rows = list(checkpoint.rows)
    session.settings = dict(checkpoint.settings)
    session.pipeline = checkpoint.pipeline
    session.sft_model = checkpoint.sft_model
    session.seed = checkpoint.seed
    for _ in range(checkpoint.replay):
        session.step()
    if checkpoint.cursor is not None:
        session.run.seek(checkpoint.cursor)


def _copy_run(run):
    """A deep copy of an `RLHFRun` sharing what it never changes (seeded into deepcopy's memo)."""
    if run is None:
        return None
    shared = [run.pipeline, run.vocab, run.reward_model, run.reference, *run.history]
    return copy.deepcopy(run, {id(item): item for item in shared})
