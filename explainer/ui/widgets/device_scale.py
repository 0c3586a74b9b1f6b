"""Device pixels per logical pixel where a painter draws.

A widget's own devicePixelRatioF() says what the screen has; an export draws the same widget into
an image of another ratio (QWidget.render into an image at scale 2). A layer cached as a pixmap
must be drawn at the ratio of the device it lands on, or an enlarged export shows it blurred at 1×.
"""
from __future__ import annotations

import math

from PySide6 import QtGui


def device_scale(painter: QtGui.QPainter) -> float:
    """The device's pixels per unit of the painter's world coordinates' logical pixel: the device
    transform includes the target's pixel ratio, the world transform is what the caller set."""
    device, world = painter.deviceTransform(), painter.worldTransform()
    ratio = math.hypot(device.m11(), device.m12()) / max(math.hypot(world.m11(), world.m12()), 1e-9)
    return round(ratio, 6) if ratio > 0 else 1.0
