"""What the File-menu exports of tabs 3 (Reward model) and 4 (RLHF) share: frames drawn offscreen
(a widget built for the export, laid out at a fixed size and grabbed, never shown), the frame
counts of a run's animation, the adapters' base (`_Exports`: the code and its notes, the animation
loop), and the rankings' training triples both run logs compare.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.files import export_code_rlhf as gen
from ..theme import style

MAX_FRAMES = 40     # a run's animation: at most this many distinct frames…
HOLD_FRAMES = 8     # …and its last frame held this long, so a looping slide pauses on it


def _training_triples(feedback) -> list:
    return [p.triple() for p in feedback.pairs(held_out=False)]


def _frame_indices(n: int) -> list[int]:
    """Up to MAX_FRAMES counts from 1 to n, evenly spaced, ending at n."""
    if n <= MAX_FRAMES:
        return list(range(1, n + 1))
    return sorted({round(1 + (n - 1) * i / (MAX_FRAMES - 1)) for i in range(MAX_FRAMES)})


class _Offscreen:
    """A widget drawn for export only: laid out at a fixed size, never shown on screen."""

    def __init__(self, widget: QtWidgets.QWidget, size: QtCore.QSize) -> None:
        self.widget = widget
        from ..shell.export_window import fit
        widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        fit(widget, size.width(), size.height())
        widget.show()

    def grab(self, scale: float) -> QtGui.QImage:
        from ..shell.exporting import render_image
        QtWidgets.QApplication.sendPostedEvents()
        self.widget.layout().activate()
        return render_image(self.widget, scale)

    def close(self) -> None:
        self.widget.hide()
        self.widget.deleteLater()


def _frame_widget(title: QtWidgets.QLabel, body: QtWidgets.QWidget,
                  caption: QtWidgets.QLabel) -> QtWidgets.QWidget:
    frame = QtWidgets.QWidget()
    frame.setAutoFillBackground(True)
    palette = frame.palette()
    # The plots' own background and text colours (white and black in the light theme).
    palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(style.color("background")))
    palette.setColor(QtGui.QPalette.ColorRole.WindowText, QtGui.QColor(style.color("text")))
    frame.setPalette(palette)
    layout = QtWidgets.QVBoxLayout(frame)
    layout.addWidget(title)
    layout.addWidget(body, 1)
    layout.addWidget(caption)
    for label in (title, caption):
        label.setWordWrap(True)
        label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    caption.setFont(font)
    font.setBold(True)
    title.setFont(font)
    return frame


class _Exports:
    """What both tabs' adapters share: the code and its notes come from the log's state."""
    kind = ""
    log_kind: type | None = None   # the run log `training_exports.watch` attaches to the tab
    frame_ms, fps = 150, 7         # an animation shows a step or update every 150 ms
    animation_name = "training.gif"

    def __init__(self, tab, log) -> None:
        self.tab, self.log = tab, log

    def code(self, as_notebook: bool = False) -> str:
        state = self.log.state()
        return gen.notebook(self.kind, state) if as_notebook else gen.script(self.kind, state)

    def notes(self) -> list[str]:
        return self.log.state()["notes"]

    def sft_columns(self) -> dict | None:
        """A second CSV's columns, if the run has them (tab 4's SFT loss)."""
        return None

    @staticmethod
    def _animate(plots: QtWidgets.QWidget, size: QtCore.QSize, title: str, count: int, draw,
                 scale: float) -> list[QtGui.QImage]:
        """Frames of `plots` under `title`: draw(n) shows the first n records in them and returns
        the caption; n runs up to count (MAX_FRAMES of them at most), the last frame held. At
        `scale`, but never wider than a 1080p slide."""
        from ..shell.exporting import animation_scale
        scale = animation_scale(size.width(), scale)
        heading, caption = QtWidgets.QLabel(title), QtWidgets.QLabel()
        frame = _Offscreen(_frame_widget(heading, plots, caption), size)
        images = []
        try:
            for n in _frame_indices(count):
                caption.setText(draw(n))
                images.append(frame.grab(scale))
        finally:
            frame.close()
        return images + [images[-1]] * HOLD_FRAMES
