"""The typeset equation widget: the shared MathView, or a rich-text QLabel until it is available.

Both answer the same three calls (set_latex, set_lines, set_point_size), so the loss panel does not
care which one it got.
"""
from __future__ import annotations

import re

from PySide6 import QtCore, QtWidgets

from .. import style

_SIMPLE = {r"\times": "×", r"\sigma": "σ", r"\log": "log", r"\left(": "(", r"\right)": ")",
           r"\left[": "[", r"\right]": "]", r"\,": " ", r"\;": " ", r"\approx": "≈", "-": "−"}


def _to_html(latex: str) -> str:
    """A readable rendering of the LaTeX subset the lessons use (the fallback only)."""
    text = re.sub(r"\\color\{(#[0-9a-fA-F]{6})\}\{([^{}]*)\}", r'<span style="color:\1">\2</span>',
                  latex)
    text = re.sub(r"\\text\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"_\{([^{}]*)\}", r"<sub>\1</sub>", text)
    for command, plain in _SIMPLE.items():
        text = text.replace(command, plain)
    return text


class _FallbackMathView(QtWidgets.QLabel):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.set_point_size(style.BASE_POINT_SIZE * style.EQUATION_SCALE)

    def set_latex(self, latex: str) -> None:
        self.set_lines([(latex, False)])

    def set_lines(self, lines) -> None:
        html = [f'<div style="color:{style.color("muted") if grey else style.color("text")}">'
                f"{_to_html(latex)}</div>" for latex, grey in lines]
        self.setText("".join(html))

    def set_point_size(self, point_size: float) -> None:
        font = self.font()
        font.setPointSizeF(point_size)
        self.setFont(font)


def make_math_view(parent: QtWidgets.QWidget | None = None) -> QtWidgets.QWidget:
    try:
        from ..widgets.math_view import MathView
    except ImportError:
        return _FallbackMathView(parent)
    return MathView(parent=parent)
