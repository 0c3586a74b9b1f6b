"""Weights as JSON without pickle: exact round trips, and every kind of damage refused."""
import base64
import json
import zlib

import numpy as np
import pytest
import torch

from explainer.core.language.language_model import Adam
from explainer.core.files.weights import (MAX_VALUES, WeightsError, check_model, check_state,
                                    decode_state, encode_array, encode_state, export_model,
                                    load_model, manifest, shapes_of)


def model(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Linear(4, 1))


def entry(values, shape, dtype="<f4"):
    raw = np.asarray(values, dtype=dtype).tobytes()
    return {"shape": shape, "dtype": "float32", "zlib": base64.b64encode(zlib.compress(raw)).decode()}


def test_weights_round_trip_through_json_exactly():
    m = model()
    saved = json.loads(json.dumps(encode_state(m.state_dict())))
    fresh = model(seed=1)
    fresh.load_state_dict(decode_state(saved, fresh.state_dict()))
    for a, b in zip(m.state_dict().values(), fresh.state_dict().values()):
        assert torch.equal(a, b)
    assert saved["0.weight"]["shape"] == [10, 4] and saved["0.weight"]["dtype"] == "float32"


def test_adam_moments_come_along_and_the_next_step_is_identical():
    m, twin = model(), model(seed=1)
    optimizer, twin_optimizer = Adam(m.parameters(), 0.1), Adam(twin.parameters(), 0.1)
    ids = torch.tensor([1, 2, 3])

    def step(net, opt):
        opt.zero_grad()
        net(ids).pow(2).sum().backward()
        opt.step()
    for _ in range(3):
        step(m, optimizer)
    block = json.loads(json.dumps(export_model(m, optimizer)))
    load_model(twin, twin_optimizer, check_model(block, manifest(twin), True, "test model"))
    assert twin_optimizer.t == 3
    step(m, optimizer)
    step(twin, twin_optimizer)   # without the moments this step would differ
    for a, b in zip(m.state_dict().values(), twin.state_dict().values()):
        assert torch.equal(a, b)
    with pytest.raises(WeightsError, match="optimiser"):
        check_model(block, manifest(twin), False, "test model")
    with pytest.raises(WeightsError, match="lacks"):
        check_model(block | {"optimizer": None}, manifest(twin), True, "test model")


def test_checking_needs_no_torch_tensors():
    arrays = check_state(encode_state({"w": np.arange(6, dtype=np.float32).reshape(2, 3)}),
                         {"w": (2, 3)})
    assert arrays["w"].tolist() == [[0, 1, 2], [3, 4, 5]]


def good():
    return encode_state(model().state_dict())


@pytest.mark.parametrize("corrupt, message", [
    (lambda d: {k: v for k, v in list(d.items())[1:]}, "do not belong"),
    (lambda d: d | {"0.weight": d["0.weight"] | {"shape": [3, 4]}}, "shape"),
    (lambda d: d | {"0.weight": d["0.weight"] | {"shape": [10.0, 4]}}, "shape"),
    (lambda d: d | {"0.weight": d["0.weight"] | {"dtype": "float64"}}, "tensor entry"),
    (lambda d: d | {"0.weight": d["0.weight"] | {"zlib": "!!notbase64"}}, "damaged"),
    (lambda d: d | {"0.weight": d["0.weight"] | {"zlib": d["0.weight"]["zlib"][:-8]}}, "damaged|wrong number"),
    (lambda d: d | {"0.weight": entry(np.zeros(39), [10, 4])}, "wrong number"),
    (lambda d: d | {"0.weight": entry(np.zeros(41), [10, 4])}, "wrong number"),
    (lambda d: d | {"1.bias": entry([np.nan], [1])}, "not finite"),
    (lambda d: d | {"1.bias": entry([np.inf], [1])}, "not finite"),
    (lambda d: d | {"evil": entry([0.0], [1])}, "do not belong"),
    (lambda d: [], "do not belong"),
])
def test_corrupt_weights_are_refused(corrupt, message):
    m = model()
    with pytest.raises(WeightsError, match=message):
        decode_state(corrupt(good()), m.state_dict())


def test_a_zip_bomb_is_never_inflated_past_the_shape():
    bomb = {"shape": [1], "dtype": "float32",
            "zlib": base64.b64encode(zlib.compress(bytes(200_000_000))).decode()}
    with pytest.raises(WeightsError, match="wrong number"):
        check_state({"b": bomb}, {"b": (1,)})


def test_too_many_values_are_refused_before_decoding():
    huge = (MAX_VALUES + 1,)
    with pytest.raises(WeightsError, match="too many"):
        check_state({"w": {"shape": list(huge), "dtype": "float32", "zlib": ""}}, {"w": huge})


def test_generator_states_travel_as_bytes():
    g = torch.Generator().manual_seed(5)
    saved = json.loads(json.dumps(encode_array(g.get_state(), "uint8")))
    again = torch.Generator()
    again.set_state(torch.from_numpy(check_state({"g": saved}, {"g": (5056,)}, dtype="uint8")["g"].copy()))
    assert torch.equal(torch.rand(4, generator=g), torch.rand(4, generator=again))
    assert shapes_of({"g": g.get_state()}) == {"g": (5056,)}
