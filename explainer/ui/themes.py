"""Light, dark and high-contrast themes. The accents stay Okabe–Ito (colour-blind safe) in every
theme; only text, background and greys change. Painted views read style.COLORS when they paint,
so a theme change is a palette swap plus a repaint."""
from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from . import style

THEMES = {
    "light": {"text": "#1a1a1a", "muted": "#8a8a8a", "background": "#ffffff", "panel": "#f4f5f7"},
    "dark": {"text": "#ececec", "muted": "#8f8f8f", "background": "#1c1d21", "panel": "#2a2c31"},
    "high contrast": {"text": "#ffffff", "muted": "#c8c8c8", "background": "#000000",
                      "panel": "#000000"},
}


def apply_theme(name: str, app: QtWidgets.QApplication) -> None:
    style.COLORS.update(THEMES[name])
    c = style.COLORS
    palette = QtGui.QPalette()
    role = QtGui.QPalette.ColorRole
    for r, key in ((role.Window, "panel"), (role.Base, "background"), (role.AlternateBase, "panel"),
                   (role.Button, "panel"), (role.WindowText, "text"), (role.Text, "text"),
                   (role.ButtonText, "text"), (role.ToolTipBase, "background"),
                   (role.ToolTipText, "text"), (role.PlaceholderText, "muted")):
        palette.setColor(r, QtGui.QColor(c[key]))
    palette.setColor(role.Highlight, QtGui.QColor(c["agent"]))
    palette.setColor(role.HighlightedText, QtGui.QColor("#ffffff"))
    palette.setColor(role.Link, QtGui.QColor(c["text"]))
    app.setPalette(palette)
    for widget in app.allWidgets():
        refresh = getattr(widget, "apply_theme", None)
        if callable(refresh):
            refresh()
        widget.update()
