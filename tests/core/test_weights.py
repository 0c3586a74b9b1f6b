import json

import pytest
import torch

from explainer.core.weights import WeightsError, decode_state, encode_state


def model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Linear(4, 1))


def test_weights_round_trip_through_json_exactly():
    m = model()
    saved = json.loads(json.dumps(encode_state(m.state_dict())))
    fresh = torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Linear(4, 1))
    fresh.load_state_dict(decode_state(saved, fresh.state_dict()))
    for a, b in zip(m.state_dict().values(), fresh.state_dict().values()):
        assert torch.equal(a, b)


@pytest.mark.parametrize("corrupt", [
    lambda d: {k: v for k, v in list(d.items())[1:]},
    lambda d: d | {"0.weight": {"shape": [3, 4], "float32": d["0.weight"]["float32"]}},
    lambda d: d | {"0.weight": {"shape": [10, 4], "float32": "!!notbase64"}},
    lambda d: d | {"0.weight": {"shape": [10, 4], "float32": "AAAA"}},
    lambda d: d | {"1.bias": {"shape": [1], "float32": "AADAfw=="}},   # NaN
    lambda d: [],
    lambda d: d | {"evil": {"shape": [1], "float32": "AAAAAA=="}},
])
def test_corrupt_weights_are_refused(corrupt):
    m = model()
    with pytest.raises(WeightsError):
        decode_state(corrupt(encode_state(m.state_dict())), m.state_dict())
