"""Light, dark and high-contrast themes. The accents stay Okabe–Ito (colour-blind safe) in every
theme; only text, background and greys change. Painted views read style.COLORS when they paint,
so a theme change is a palette swap plus a repaint.

Under a style sheet (the window's sets the zoomed font size) Qt fixes each widget's palette when
it polishes the widget, so a new application palette reaches a widget only when it is polished
again; plots restyle their axes and titles (`apply_theme`). Doing both for every widget of every
tab at once, with the font set again, stalled the window (2.4 s once): the window restyles what is
on screen (`restyle_around`, `restyle`) and each other tab page when it is next shown."""
from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from . import style, theme_style

# outline: the control outlines ("" keeps Fusion's, see theme_style); disabled: the text and
# slider fill of a control that is switched off
THEMES = {
    "light": {"text": "#1a1a1a", "muted": "#8a8a8a", "background": "#ffffff", "panel": "#f4f5f7",
              "outline": "", "disabled": "#a8a8a8"},
    "dark": {"text": "#ececec", "muted": "#8f8f8f", "background": "#1c1d21", "panel": "#2a2c31",
             "outline": "#686b73", "disabled": "#63666d"},
    "high contrast": {"text": "#ffffff", "muted": "#c8c8c8", "background": "#000000",
                      "panel": "#000000", "outline": "#ffffff", "disabled": "#7a7a7a"},
}


def prepare(app: QtWidgets.QApplication) -> None:
    """Called before the window builds its widgets: setting the theme style re-polishes every
    widget there is (1.2 s with every tab built), so it is set while there are none."""
    theme_style.install(app)


def set_palette(name: str, app: QtWidgets.QApplication) -> None:
    """The theme's colours for painted views (style.COLORS) and the application's palette."""
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
    # a control switched off reads as off: greyed text and slider fill
    off = QtGui.QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText, role.Highlight):
        palette.setColor(off, r, QtGui.QColor(c["disabled"]))
    theme_style.install(app)   # before the palette: a new style resets the application's
    app.setPalette(palette)


def apply_theme(name: str, app: QtWidgets.QApplication) -> None:
    """The theme on every widget there is, at once."""
    set_palette(name, app)
    for widget in app.allWidgets():
        _refresh(widget)


def restyle(root: QtWidgets.QWidget) -> None:
    """`root` and everything in it (its popups too) in the theme now in force."""
    root.setStyleSheet(root.styleSheet())   # the same sheet again: Qt re-polishes the subtree
    for widget in [root, *root.findChildren(QtWidgets.QWidget)]:
        _refresh(widget)


def restyle_around(app: QtWidgets.QApplication, pages: list[QtWidgets.QWidget]) -> None:
    """Every widget not in one of `pages` (menus, banner, tab bar, dialogs) in the theme now in
    force, polished one at a time: a few dozen."""
    pages = set(pages)
    for widget in app.allWidgets():
        holder = widget
        while holder is not None and holder not in pages:
            holder = holder.parent()
        if holder is None:
            widget.style().polish(widget)
            _refresh(widget)


def _refresh(widget: QtWidgets.QWidget) -> None:
    # looked up on the class: a missing attribute on a Qt object costs ~30 µs, ×1,200 widgets
    refresh = getattr(type(widget), "apply_theme", None)
    if callable(refresh):
        refresh(widget)
    widget.update()
