"""A window made only to be exported (the command line's tab, a training run's frame) is sized by
the export, never by its layout's limits.

A layout hands its minimum size to its top-level window, and the window hands it on to the
window system; headless there is none, and Qt's offscreen platform says so on every export
("This plugin does not support propagateSizeHints()"). An export window's layout therefore sets
no limits, and the window is resized to what was asked, but never below what its contents need.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


def unconstrained(window: QtWidgets.QWidget) -> QtWidgets.QWidget:
    layout = window.layout()
    if layout is not None:
        layout.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)
    return window


def fit(window: QtWidgets.QWidget, width: int, height: int) -> None:
    """width × height, or larger where the contents need more (as a layout's limits would do)."""
    unconstrained(window)
    window.resize(QtCore.QSize(width, height).expandedTo(window.minimumSizeHint()))
