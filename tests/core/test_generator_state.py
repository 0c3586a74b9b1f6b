"""A saved random generator state is checked in the window the way torch checks it when it is set,
so a state torch would refuse in the training process is refused before anything changes."""
import struct

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from explainer.core.files.generator_state import LAYOUT, SIZE, generator_state_problem

torch = pytest.importorskip("torch")
FIELDS = [(name, LAYOUT.fields[name][1], LAYOUT.fields[name][0]) for name in LAYOUT.names]


def saved(seed: int = 3) -> bytearray:
    g = torch.Generator().manual_seed(seed)
    torch.randn(3, generator=g)   # a cached normal sample, as a run leaves one
    return bytearray(g.get_state().numpy().tobytes())


def torch_accepts(raw: bytes) -> bool:
    try:
        torch.Generator().set_state(torch.frombuffer(bytearray(raw), dtype=torch.uint8).clone())
    except (RuntimeError, ValueError):
        return False
    return True


def test_real_states_pass():
    assert torch.Generator().get_state().numel() == SIZE   # this torch keeps this layout
    for seed in (0, 1, 2**31 - 1):
        assert generator_state_problem(np.frombuffer(bytes(saved(seed)), np.uint8)) is None


def test_the_state_that_wiped_a_run_is_refused():
    """'seeded' = 0 passed the size check and torch refused it after the tab had reset."""
    raw = saved()
    struct.pack_into("<i", raw, 12, 0)
    assert not torch_accepts(raw)
    assert "not a valid Mersenne Twister state" in generator_state_problem(
        np.frombuffer(bytes(raw), np.uint8))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FIELDS), st.integers(0, 623), st.binary(min_size=8, max_size=8))
def test_what_passes_the_check_torch_accepts(field, index, noise):
    name, offset, dtype = field
    raw = saved()
    width = dtype.base.itemsize
    if dtype.shape:   # one of the 624 words
        offset += (index % dtype.shape[0]) * width
    raw[offset:offset + width] = noise[:width]
    if generator_state_problem(np.frombuffer(bytes(raw), np.uint8)) is None:
        assert torch_accepts(raw), name
