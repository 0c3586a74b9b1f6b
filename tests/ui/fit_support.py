"""What a projector shows that it should not: text cut off, and a window larger than the screen."""
from __future__ import annotations

from PySide6 import QtWidgets

from explainer.ui.widgets.math_view import MathView


def cut_off_texts(root: QtWidgets.QWidget) -> list[str]:
    """Every visible label, button, tab or equation under `root` whose text does not fit its box."""
    found = []
    for w in root.findChildren(QtWidgets.QWidget):
        if not w.isVisible() or w.width() <= 0:
            continue
        problem = _problem(w)
        if problem:
            found.append(f"{type(w).__name__} {problem}")
    return found


def _problem(w: QtWidgets.QWidget) -> str:
    if isinstance(w, QtWidgets.QLabel):
        text = w.text()
        if not text or (w.pixmap() is not None and not w.pixmap().isNull()):
            return ""
        if w.wordWrap():
            needed = w.heightForWidth(w.width())
            return f"{text[:60]!r}: {needed} px tall in {w.height()}" if needed > w.height() + 1 else ""
        hint = w.minimumSizeHint()
        if hint.width() > w.width() + 1 or hint.height() > w.height() + 1:
            return f"{text[:60]!r}: needs {hint.toTuple()}, has {w.size().toTuple()}"
        return ""
    if isinstance(w, QtWidgets.QAbstractButton) and w.text():
        metrics = w.fontMetrics()
        needed = metrics.horizontalAdvance(w.text().replace("&", "").split("\n")[0]) + 6
        if needed > w.width() or metrics.height() > w.height():
            return f"{w.text()[:60]!r}: needs {needed} px, has {w.width()}"
        return ""
    if isinstance(w, QtWidgets.QTabBar):
        for i in range(w.count()):
            rect = w.tabRect(i)
            if rect.width() < w.tabSizeHint(i).width() - 1 or not w.rect().contains(rect):
                return f"tab {w.tabText(i)!r}: {rect.width()} of {w.tabSizeHint(i).width()} px shown"
        return ""
    if isinstance(w, MathView):
        needed = w.sizeHint()
        if needed.width() > w.width() + 2 or needed.height() > w.height() + 2:
            return f"equation needs {needed.toTuple()}, has {w.size().toTuple()}"
        # a view sized to its lines but cut off by the panel it sits in
        shown = w.geometry().intersected(w.parentWidget().rect())
        if shown.width() + 2 < needed.width() or shown.height() + 2 < needed.height():
            return f"equation needs {needed.toTuple()}, {shown.size().toTuple()} of it shown"
    return ""
