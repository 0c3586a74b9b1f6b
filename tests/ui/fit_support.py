"""What a projector shows that it should not: text cut off, text too small for the back row, and
a window larger than the screen."""
from __future__ import annotations

from PySide6 import QtWidgets

from explainer.ui.widgets.math_view import MathView
from explainer.ui.widgets.type_scale import widget_text_px

# Widgets whose text is in their own font (a QLabel's rich text may name another size: none here).
FONT_TEXT = (QtWidgets.QLabel, QtWidgets.QAbstractButton, QtWidgets.QTabBar, QtWidgets.QComboBox,
             QtWidgets.QLineEdit, QtWidgets.QAbstractSpinBox, QtWidgets.QAbstractItemView,
             QtWidgets.QTextEdit, QtWidgets.QPlainTextEdit)


def small_texts(root: QtWidgets.QWidget, least_px: float) -> list[str]:
    """Every visible text under `root` smaller than `least_px` device pixels: a widget that paints
    its own text reports its smallest (`smallest_text_px`, measured as it last painted, so `root`
    is painted first); a label, button, tab, field, list or table is as large as its font."""
    root.grab()
    found = []
    for w in root.findChildren(QtWidgets.QWidget):
        if not w.isVisible() or w.width() <= 0 or not _shows_text(w):
            continue
        px = widget_text_px(w)
        if px < least_px - 0.05:
            found.append(f"{type(w).__name__} {_name(w)}: {px:.1f} px")
    return found


def _shows_text(w: QtWidgets.QWidget) -> bool:
    if callable(getattr(w, "smallest_text_px", None)):
        return True
    if isinstance(w, QtWidgets.QLabel):
        return bool(w.text()) and (w.pixmap() is None or w.pixmap().isNull())
    if isinstance(w, QtWidgets.QAbstractButton):
        return bool(w.text())
    if isinstance(w, QtWidgets.QTabBar):
        return w.count() > 0
    return isinstance(w, FONT_TEXT)


def _name(w: QtWidgets.QWidget) -> str:
    text = getattr(w, "text", None)
    text = text() if callable(text) else ""
    return repr(text[:40]) if isinstance(text, str) and text else w.objectName()


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
