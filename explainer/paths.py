"""Find files in resources/: from a checkout (resources/ beside the package) or an installed wheel
(where the same folder ships as the package explainer.resources)."""
from __future__ import annotations

from importlib import resources as _ilr
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"


def resource_dir():
    """A Traversable for resources/ (a Path in a checkout)."""
    if _CHECKOUT.is_dir():
        return _CHECKOUT
    return _ilr.files("explainer.resources")


def resource(*parts: str):
    return resource_dir().joinpath(*parts)


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")
