"""Budget of the equation views: repainting a chain-rule tab while nothing in it changes.

Four lines as tab 2's Derivative phase shows them, repainted 50 times after two warm-up paints
(the first draws each line's glyphs, the second keeps each line's image). The test suite checks
what makes this cheap (no layout, each line copied from its image); this measures its cost.
"""
from __future__ import annotations

import time

PAINT_BUDGET_MS = 5.0
REPAINTS = 50
CHAIN = (r"\dfrac{\partial C_{\text{Squatch}}}{\partial \text{Bias}} = "
         r"\dfrac{\partial C}{\partial P_{\text{Norm}}} \times "
         r"\dfrac{\partial P_{\text{Norm}}}{\partial X} \times \dfrac{\partial X}{\partial \text{Bias}}")
LINES = [(CHAIN, True), (r"= \color{#CC79A7}{2.000} \times 0.250 \times 1", False),
         (r"= 0.500", False),
         (r"\text{Bias}_{\text{new}} = \text{Bias} - 0.1 \times 0.500", False)]


def measure() -> list[dict]:
    from PySide6 import QtCore, QtWidgets
    from PySide6.QtGui import QImage
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    QtCore.QStandardPaths.setTestModeEnabled(True)
    from explainer.ui.widgets.math_view import MathView
    view = MathView(LINES)
    view.resize(view.sizeHint())
    image = QImage(view.size(), QImage.Format.Format_ARGB32_Premultiplied)
    view.render(image)
    view.render(image)
    start = time.perf_counter()
    for _ in range(REPAINTS):
        view.render(image)
    per_paint = (time.perf_counter() - start) / REPAINTS * 1000
    app.processEvents()
    return [{"name": "math view: repainting an unchanged chain-rule tab (4 lines)",
             "value": round(per_paint, 3), "unit": "ms", "budget": PAINT_BUDGET_MS,
             "ok": per_paint <= PAINT_BUDGET_MS}]


if __name__ == "__main__":
    for row in measure():
        print(row)
