"""Model weights in a session file without pickle: each tensor as base64 of its zlib-compressed
little-endian bytes, with its shape and dtype. Loading checks names, shapes, dtypes, lengths and
finiteness against the model it goes into, so a hostile file can neither run code nor put a model
into a broken state.

    {"embedding.weight": {"shape": [381, 32], "dtype": "float32", "zlib": "eJw…"}, …}

Checking needs only numpy (`check_state`: the window's process never imports torch); `decode_state`
turns the checked arrays into tensors. Values are stored exactly (float32, not float16): a model
opened from a session scores and samples bit for bit as the one that was saved. zlib saves ~8 %
on weights and more on optimiser moments, at no cost in exactness.
"""
from __future__ import annotations

import base64
import binascii
import zlib

import numpy as np

MAX_VALUES = 5_000_000  # all tensors of one block together; far above the app's (~30k a model)
DTYPES = {"float32": "<f4", "uint8": "u1"}   # what a session may hold: weights, generator states


class WeightsError(ValueError):
    pass


def encode_array(array, dtype: str = "float32") -> dict:
    """A numpy array or a torch tensor → {"shape", "dtype", "zlib"}."""
    if hasattr(array, "detach"):
        array = array.detach().cpu().numpy()
    array = np.ascontiguousarray(array, dtype=DTYPES[dtype])
    return {"shape": list(array.shape), "dtype": dtype,
            "zlib": base64.b64encode(zlib.compress(array.tobytes(), 6)).decode("ascii")}


def encode_state(state: dict, dtype: str = "float32") -> dict:
    """{name: tensor} → JSON-ready {name: {"shape": [...], "dtype": ..., "zlib": base64}}."""
    return {name: encode_array(tensor, dtype) for name, tensor in state.items()}


def shapes_of(state: dict) -> dict[str, tuple[int, ...]]:
    """{name: shape} of {name: tensor}: what `check_state` compares a saved block with."""
    return {name: tuple(int(n) for n in tensor.shape) for name, tensor in state.items()}


def check_array(entry, shape, dtype: str = "float32", name: str = "weights",
                budget: list | None = None) -> np.ndarray:
    """The array an entry holds, if it has exactly this shape and dtype, all of its bytes and (for
    floats) only finite values; else WeightsError. `budget` ([values left]) caps a whole block."""
    shape = tuple(shape)
    if not isinstance(entry, dict) or set(entry) != {"shape", "dtype", "zlib"} \
            or not isinstance(entry["zlib"], str) or entry["dtype"] != dtype:
        raise WeightsError(f"{name}: not a {dtype} tensor entry")
    if not isinstance(entry["shape"], list) or tuple(entry["shape"]) != shape \
            or not all(type(n) is int for n in entry["shape"]):
        raise WeightsError(f"{name}: shape {entry['shape']!r} does not fit this model "
                           f"(it needs {list(shape)})")
    count = int(np.prod(shape, dtype=np.int64))
    if budget is not None:
        budget[0] -= count
        if budget[0] < 0:
            raise WeightsError("too many weights")
    size = count * np.dtype(DTYPES[dtype]).itemsize
    try:
        packed = base64.b64decode(entry["zlib"], validate=True)
        unpacker = zlib.decompressobj()
        raw = unpacker.decompress(packed, size + 1)   # never more than the shape needs
    except (binascii.Error, ValueError, zlib.error):
        raise WeightsError(f"{name}: damaged data (not base64 of zlib)") from None
    if len(raw) != size or not unpacker.eof or unpacker.unused_data:
        raise WeightsError(f"{name}: holds the wrong number of values")
    array = np.frombuffer(raw, dtype=DTYPES[dtype]).reshape(shape)
    if dtype == "float32" and not np.isfinite(array).all():
        raise WeightsError(f"{name}: holds values that are not finite (NaN or infinity)")
    return array


def check_state(data, shapes: dict, what: str = "weights", dtype: str = "float32",
                budget: list | None = None) -> dict[str, np.ndarray]:
    """The arrays of `data`, checked to have exactly the names and shapes of `shapes`."""
    if not isinstance(data, dict) or set(data) != set(shapes):
        raise WeightsError(f"the saved {what} do not belong to this model")
    budget = [MAX_VALUES] if budget is None else budget
    return {name: check_array(data[name], shape, dtype, f"{what} {name!r}", budget)
            for name, shape in shapes.items()}


def decode_state(data, like: dict, what: str = "weights") -> dict:
    """The tensors of `data`, checked against `like` ({name: tensor}), in like's dtypes."""
    import torch
    arrays = check_state(data, shapes_of(like), what)
    return {name: torch.from_numpy(arrays[name].astype(np.float32)).to(like[name].dtype)
            for name in like}


# --- a model with its optimiser: what continuing training needs -----------------------------------
def manifest(model) -> dict:
    """What a window needs to check a saved model without torch: each tensor's shape, and the
    names of the trained ones (the optimiser keeps one moment of each)."""
    return {"shapes": shapes_of(model.state_dict()),
            "trained": tuple(n for n, p in model.named_parameters() if p.requires_grad)}


def export_model(model, optimizer=None) -> dict:
    """{"weights": {...}, "optimizer": null | {"t": steps, "mean": {...}, "square": {...}}}:
    Adam's moments and step count, so training goes on exactly as it would have (SGD keeps none)."""
    block = {"weights": encode_state(model.state_dict()), "optimizer": None}
    if optimizer is not None and hasattr(optimizer, "mean"):
        names = manifest(model)["trained"]
        block["optimizer"] = {"t": int(optimizer.t),
                              "mean": encode_state(dict(zip(names, optimizer.mean))),
                              "square": encode_state(dict(zip(names, optimizer.square)))}
    return block


def check_model(block, model_manifest: dict, adam: bool, what: str,
                budget: list | None = None) -> dict:
    """A saved model block checked against a manifest (numpy only); `adam`: whether the optimiser
    it goes with keeps moments (then they must be there, else they must not)."""
    budget = [MAX_VALUES] if budget is None else budget
    if not isinstance(block, dict) or set(block) != {"weights", "optimizer"}:
        raise WeightsError(f"the saved {what} needs 'weights' and 'optimizer'")
    shapes = model_manifest["shapes"]
    checked = {"weights": check_state(block["weights"], shapes, what, budget=budget),
               "optimizer": None}
    saved = block["optimizer"]
    if saved is None and adam:
        raise WeightsError(f"the saved {what} lacks its optimiser's state (Adam)")
    if saved is not None:
        if not adam:
            raise WeightsError(f"the saved {what} has optimiser state this optimiser does not use")
        if not isinstance(saved, dict) or set(saved) != {"t", "mean", "square"} \
                or type(saved["t"]) is not int or not 0 <= saved["t"] <= 10**9:
            raise WeightsError(f"the saved {what}: optimiser state needs 't', 'mean', 'square'")
        trained = {name: shapes[name] for name in model_manifest["trained"]}
        checked["optimizer"] = {
            "t": saved["t"],
            "mean": check_state(saved["mean"], trained, f"{what} (optimiser mean)", budget=budget),
            "square": check_state(saved["square"], trained, f"{what} (optimiser square)",
                                  budget=budget)}
        if any((a < 0).any() for a in checked["optimizer"]["square"].values()):
            raise WeightsError(f"the saved {what}: a mean square is negative")
    return checked


def load_model(model, optimizer, checked: dict) -> None:
    """Put a block `check_model` accepted into the model (and its Adam optimiser)."""
    import torch
    model.load_state_dict({name: torch.from_numpy(array.copy())
                           for name, array in checked["weights"].items()})
    saved = checked["optimizer"]
    if saved is not None:
        names = manifest(model)["trained"]
        with torch.no_grad():
            for kind in ("mean", "square"):
                for tensor, name in zip(getattr(optimizer, kind), names):
                    tensor.copy_(torch.from_numpy(saved[kind][name].copy()))
        optimizer.t = saved["t"]
