"""Immutable records (frozen dataclasses of numbers, text, tuples and records) to JSON and back.

A session keeps what a tab showed when it was saved (the RLHF tab's last update, its series, the
Reward model's loss history) so that opening it shows the same without computing anything again.
Reading is strict and follows the record's own type hints: every field present, each of its
declared type, floats finite, text and tuples of bounded length; anything else is a RecordError.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache

from explainer.core.common.checks import is_finite_number

MAX_TEXT = 10_000
MAX_ITEMS = 1_000_000


class RecordError(ValueError):
    pass


def to_plain(record):
    """A record (or tuple, number, text) as JSON-ready lists, dicts and numbers."""
    if dataclasses.is_dataclass(record):
        return {f.name: to_plain(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, tuple):
        return [to_plain(item) for item in record]
    return record


def from_plain(cls, data, where: str = "record"):
    """The record of type cls that `data` describes; RecordError names the first bad field."""
    return _read(cls, data, where)


@lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _read(kind, value, where: str):
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        names = [f.name for f in dataclasses.fields(kind)]
        if not isinstance(value, dict) or set(value) != set(names):
            raise RecordError(f"{where}: needs exactly the fields {names}")
        return kind(**{name: _read(hints[name], value[name], f"{where}.{name}") for name in names})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise RecordError(f"{where}: unsupported field type")
        return _read(options[0], value, where)
    if origin is tuple:
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise RecordError(f"{where}: must be a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_read(args[0], item, f"{where}[{i}]") for i, item in enumerate(value))
        if len(args) != len(value):
            raise RecordError(f"{where}: must hold {len(args)} items")
        return tuple(_read(a, item, f"{where}[{i}]") for i, (a, item) in enumerate(zip(args, value)))
    if kind is float:
        if not is_finite_number(value):
            raise RecordError(f"{where}: must be a finite number")
        return float(value)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecordError(f"{where}: must be a whole number")
        return value
    if kind is str:
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise RecordError(f"{where}: must be text")
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise RecordError(f"{where}: must be true or false")
        return value
    raise RecordError(f"{where}: unsupported field type")
