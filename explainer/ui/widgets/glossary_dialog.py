"""The glossary, one key away (F1); a term clicked anywhere opens it at that term."""
from __future__ import annotations

import html
import re

from PySide6 import QtCore, QtWidgets

from ...core.files.glossary import glossary
from ..theme.style import color


class GlossaryDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary")
        self.resize(900, 640)
        self.terms = glossary()
        self.list = QtWidgets.QListWidget()
        self.list.addItems(list(self.terms))
        self.list.setMaximumWidth(300)
        self.text = QtWidgets.QLabel(wordWrap=True)
        self.text.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.text.setTextFormat(QtCore.Qt.TextFormat.RichText)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.text, 1)
        self.list.currentTextChanged.connect(self._on_term_changed)
        self.list.setCurrentRow(0)

    def _on_term_changed(self, term: str) -> None:
        if term in self.terms:
            self.text.setText(f"<h1 style='color:{color('agent')}'>{term}</h1>"
                              f"<p style='font-size:large'>{self.terms[term]}</p>")

    def show_term(self, term: str) -> None:
        matches = self.list.findItems(term, QtCore.Qt.MatchFlag.MatchFixedString)
        if matches:
            self.list.setCurrentItem(matches[0])
        self.show()
        self.raise_()


def link_terms(text: str, terms) -> str:
    """Rich text with the first occurrence of each glossary term as a link to it (one pass, so a
    link is never placed inside another)."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                         + r")\b")
    seen: set[str] = set()

    def link(match: re.Match) -> str:
        term = match.group(1)
        if term in seen:
            return term
        seen.add(term)
        return f"<a href='glossary:{term}'>{term}</a>"   # coloured by the caption (the theme's)
    return pattern.sub(link, html.escape(text, quote=False))
