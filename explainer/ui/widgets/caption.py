"""The one- or two-sentence caption above a lesson, in rich text with glossary links.

Painted from a QTextDocument rather than shown by a QLabel: a QLabel asks its parents to lay
out again on every setText, which made each slider move re-lay out the whole window. This widget
only repaints itself; its height is two lines at the zoom's size, and more only while a text
needs more at its width (a narrow projector, presenting): then the window lays out again."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme.style import color
from .type_scale import font_px

LINES = 2
PADDING = 4


class Caption(QtWidgets.QWidget):
    linkActivated = QtCore.Signal(str)

    def __init__(self) -> None:
        super().__init__(objectName="caption")
        self._doc = QtGui.QTextDocument(self)
        self._doc.setDocumentMargin(PADDING)
        self._text = ""
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self._fit_height()

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._parse()

    def apply_theme(self) -> None:
        self._parse()

    def smallest_text_px(self) -> float:
        """Links and text share the widget's font (the window's zoom sets it)."""
        return font_px(self.font()) * self.devicePixelRatioF() if self._text else float("inf")

    def _parse(self) -> None:
        """Links in the theme's text colour, fixed when the text is parsed: parsed again on a
        theme change (links once stayed near-black on the dark and black backgrounds)."""
        self._doc.setDefaultStyleSheet(f"a {{ color: {color('text')}; }}")
        self._doc.setHtml(self._text)
        self._fit_height()
        self.update()

    def _fit_height(self) -> None:
        line, lines = self.fontMetrics().lineSpacing(), LINES
        # Hidden (a tab not on screen), its width is stale, often Qt's 640 px for a widget never
        # shown: measured there, a long caption asked for a third line, and the window's minimum
        # height (every tab's) grew past a 720-px screen. It is measured when shown.
        if self.isVisible():
            self._doc.setDefaultFont(self.font())
            self._doc.setTextWidth(self.width())
            lines = max(LINES, round((self._doc.size().height() - 2 * PADDING) / line))
        height = lines * line + 2 * PADDING + 6
        if height != self.height() or self.maximumHeight() != height:
            self.setFixedHeight(height)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_height()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange,
                            QtCore.QEvent.Type.PaletteChange):
            self._fit_height()
            self.update()

    def paintEvent(self, _event) -> None:
        painter = QtGui.QPainter(self)
        self._doc.setTextWidth(self.width())
        context = QtGui.QAbstractTextDocumentLayout.PaintContext()
        context.palette = self.palette()
        context.palette.setColor(QtGui.QPalette.ColorRole.Text,
                                 self.palette().color(QtGui.QPalette.ColorRole.WindowText))
        self._doc.documentLayout().draw(painter, context)
        painter.end()

    def _anchor(self, pos: QtCore.QPointF) -> str:
        return self._doc.documentLayout().anchorAt(pos)

    def mouseMoveEvent(self, event) -> None:
        shape = (QtCore.Qt.CursorShape.PointingHandCursor if self._anchor(event.position())
                 else QtCore.Qt.CursorShape.ArrowCursor)
        self.setCursor(shape)

    def mousePressEvent(self, event) -> None:
        anchor = self._anchor(event.position())
        if anchor:
            self.linkActivated.emit(anchor)
