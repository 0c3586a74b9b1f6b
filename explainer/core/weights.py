"""Model weights in a session file without pickle: each tensor as base64 of little-endian float32
with its shape. Loading checks names, shapes and finiteness against the model it goes into, so a
hostile file can neither run code nor put a model into a broken state."""
from __future__ import annotations

import base64
import binascii

import numpy as np

MAX_VALUES = 5_000_000  # far above the app's models (~30k parameters)


class WeightsError(ValueError):
    pass


def encode_state(state: dict) -> dict:
    """{name: tensor} → JSON-ready {name: {"shape": [...], "float32": base64}}."""
    out = {}
    for name, tensor in state.items():
        array = np.ascontiguousarray(tensor.detach().cpu().numpy(), dtype="<f4")
        out[name] = {"shape": list(array.shape), "float32": base64.b64encode(array.tobytes()).decode()}
    return out


def decode_state(data, like: dict) -> dict:
    """The tensors of `data`, checked to have exactly the names and shapes of `like`."""
    import torch
    if not isinstance(data, dict) or set(data) != set(like):
        raise WeightsError("the saved weights do not belong to this model")
    total, out = 0, {}
    for name, reference in like.items():
        entry = data[name]
        if not isinstance(entry, dict) or not isinstance(entry.get("float32"), str) \
                or entry.get("shape") != list(reference.shape):
            raise WeightsError(f"weights {name!r}: wrong shape or format")
        total += reference.numel()
        if total > MAX_VALUES:
            raise WeightsError("too many weights")
        try:
            raw = base64.b64decode(entry["float32"], validate=True)
        except (binascii.Error, ValueError):
            raise WeightsError(f"weights {name!r}: not base64") from None
        if len(raw) != 4 * reference.numel():
            raise WeightsError(f"weights {name!r}: wrong length")
        array = np.frombuffer(raw, dtype="<f4").reshape(reference.shape)
        if not np.isfinite(array).all():
            raise WeightsError(f"weights {name!r}: not finite")
        out[name] = torch.from_numpy(array.astype(np.float32)).to(reference.dtype)
    return out
