import copy

import pytest


@pytest.fixture(scope="session")
def pipelines():
    """`pipelines(seed)`: that seed's RLHF pipeline, built once per run; each call returns a fresh
    deep copy.

    Building one (SFT, the simulated people's rankings, the Reward model) costs a few CPU s and a
    copy a few ms. The build is deterministic, so a copy is what a new build would give
    (tests/core/test_rlhf.py checks a rebuild against it bit for bit)."""
    from explainer.core.language.language_model import use_one_thread
    from explainer.core.rlhf.run import build_pipeline
    use_one_thread()   # as RLHFSession and the training processes build it
    built = {}

    def pipeline(seed: int):
        if seed not in built:
            built[seed] = build_pipeline(seed=seed)
        return copy.deepcopy(built[seed])
    return pipeline


@pytest.fixture(scope="session")
def seed0_pipeline(pipelines):
    """Seed 0's RLHF pipeline: each call returns a fresh deep copy of the one build."""
    return lambda: pipelines(0)


@pytest.fixture(scope="session")
def rlhf_session(seed0_pipeline):
    """A new RLHFSession(seed=0) holding a fresh copy of the pipeline it would build."""
    from explainer.core.rlhf.training import RLHFSession

    def new():
        session = RLHFSession(seed=0)
        session.pipeline = seed0_pipeline()
        return session
    return new
