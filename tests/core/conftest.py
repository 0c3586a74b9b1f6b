import copy

import pytest


@pytest.fixture(scope="session")
def seed0_pipeline():
    """Seed 0's RLHF pipeline, built once per run: each call returns a fresh deep copy.

    Building it (SFT, the simulated people's rankings, the Reward model) costs about 10 CPU s and
    a copy a few ms. The build is deterministic, so a copy is what a new build would give
    (tests/core/test_rlhf.py checks a rebuild against it bit for bit)."""
    from explainer.core.language.language_model import use_one_thread
    from explainer.core.rlhf.run import build_pipeline
    use_one_thread()   # as RLHFSession and the training processes build it
    built = build_pipeline(seed=0)
    return lambda: copy.deepcopy(built)


@pytest.fixture(scope="session")
def rlhf_session(seed0_pipeline):
    """A new RLHFSession(seed=0) holding a fresh copy of the pipeline it would build."""
    from explainer.core.rlhf.training import RLHFSession

    def new():
        session = RLHFSession(seed=0)
        session.pipeline = seed0_pipeline()
        return session
    return new
