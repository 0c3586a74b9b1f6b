"""The caption's height: two lines, and more only while its text needs them at the width it is
shown at; a hidden caption (a tab not on screen) keeps two lines, since its width is stale."""
from PySide6 import QtWidgets

from explainer.ui.widgets.caption import LINES, Caption

LONG = "Update: step size = learning rate × derivative × reward = 0.500. " * 4


def _lines(caption: Caption) -> int:
    return round((caption.height() - 6 - 8) / caption.fontMetrics().lineSpacing())


def test_a_hidden_caption_keeps_two_lines_whatever_its_text(qtbot):
    caption = Caption()
    qtbot.addWidget(caption)
    caption.setText(LONG)                       # never shown: Qt's default width of 640 px
    assert _lines(caption) == LINES and caption.minimumSizeHint().height() <= caption.height()


def test_a_shown_caption_grows_to_its_text_at_its_width_and_shrinks_back(qtbot):
    parent = QtWidgets.QWidget()
    qtbot.addWidget(parent)
    caption = Caption()
    QtWidgets.QVBoxLayout(parent).addWidget(caption)
    parent.resize(400, 300)
    caption.setText(LONG)
    parent.show()
    qtbot.waitExposed(parent)
    assert _lines(caption) > LINES              # at 400 px the text needs more than two lines
    caption.setText("Guess.")
    assert _lines(caption) == LINES
