"""What a lesson's tab offers the window (`WindowTab`), the defaults of what it may leave out
(`TabDefaults`), and building a tab from its `LessonSpec` (the registry, `core/lessons.py`).

The window, sessions and exports ask a tab through this interface, never by probing for
attributes: a tab that does not train has no weights to hand over (`request_weights` answers
False), one without presentation mode ignores it, and so on.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6 import QtCore, QtWidgets

from ...core import lessons
from ...core.lessons import LessonSpec

TabLookup = Callable[[str], QtWidgets.QWidget]   # a lesson's key -> its tab, built if need be


class WindowTab(Protocol):
    """A lesson's tab as the main window, sessions and the File menu use it."""

    lesson: str                    # its key in the registry
    state_changed: QtCore.Signal   # what a session saves has changed: autosave soon
    session_failed: QtCore.Signal  # (str) an opened part was refused late; the run before is back

    @property
    def spec(self) -> LessonSpec: ...
    @property
    def walk(self) -> object | None: ...          # the walkthrough shown, or None
    def end_walkthrough(self) -> None: ...
    def set_presentation(self, on: bool) -> None: ...
    def start(self) -> None: ...                  # warm up (a training process) while hidden
    def shutdown(self) -> None: ...               # background work stops before the window goes
    def figure_widgets(self) -> dict[str, QtWidgets.QWidget]: ...
    def session_state(self) -> dict: ...
    def prepare_session(self, state: dict) -> Callable[[], None]: ...
    def request_weights(self, callback) -> bool: ...   # False: no trained models to hand over
    def weights_manifest(self) -> dict | None: ...
    def training(self) -> bool: ...   # its models train now (a save holds them as trained so far)


class TabDefaults:
    """The optional part of `WindowTab`, for tabs to inherit before QWidget."""

    lesson = ""  # its key in the registry (core/lessons.py): sessions, walkthroughs, exported code
    state_changed = QtCore.Signal()  # anything a session would save has changed
    session_failed = QtCore.Signal(str)
    walk = None

    @property
    def spec(self) -> LessonSpec:
        return lessons.lesson(self.lesson)

    def end_walkthrough(self) -> None:
        pass

    def set_presentation(self, on: bool) -> None:
        pass

    def start(self) -> None:
        pass

    def shutdown(self) -> None:
        pass

    def figure_widgets(self) -> dict[str, QtWidgets.QWidget]:
        return {"tab": self}

    def request_weights(self, callback) -> bool:
        return False

    def weights_manifest(self) -> dict | None:
        return None

    def training(self) -> bool:
        return False


@runtime_checkable
class Zoomable(Protocol):
    """A view that redraws at the lecture's text size (painted views, typeset equations)."""

    def set_zoom(self, zoom: float) -> None: ...


def spec_of(widget: QtWidgets.QWidget | None) -> LessonSpec | None:
    """The registered lesson a widget is the tab of, or None (a placeholder, another widget)."""
    if isinstance(widget, TabDefaults):
        return lessons.find(widget.lesson)
    return None


def resolve(name: str):
    """The attribute a "module:attribute" text names, imported now."""
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)


def build_tab(spec: LessonSpec, tabs: TabLookup) -> QtWidgets.QWidget:
    """A new tab of `spec`: its QWidget class called without arguments, or its factory function
    given `tabs` (for a tab that works with another)."""
    factory = resolve(spec.tab)
    if isinstance(factory, type) and issubclass(factory, QtWidgets.QWidget):
        return factory()
    return factory(tabs)
