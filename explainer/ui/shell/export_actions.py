"""File-menu actions that take what is on screen out of the room: figures, animations, CSV,
code, sessions. Each dialog only picks a path; the work is in a plain method tests can call."""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from . import exporting
from .. import training_exports
from .lesson_tabs import spec_of

SCALES = (1.0, 2.0, 3.0)


class SteppedExports:
    """A stepped lesson's exports, offered as the trained lessons' adapters offer theirs: the
    tab's history, its code, and the shown episode (the lesson without its controls)."""

    frame_ms, fps = 60, 16
    animation_name = "episode.gif"

    def __init__(self, tab) -> None:
        self.tab = tab

    def history_columns(self) -> dict:
        return self.tab.history_columns()

    def sft_columns(self) -> None:
        return None

    def code(self, as_notebook: bool = False) -> str:
        return self.tab.code(as_notebook)

    def notes(self) -> list[str]:
        return []   # a stepped run's log replays exactly

    def frames(self, scale: float):
        widget = self.tab.figure_widgets().get("lesson only", self.tab)
        return self.tab.episode_frames(widget, exporting.animation_scale(widget.width(), scale))


class ExportActions(QtCore.QObject):
    message = QtCore.Signal(str)

    def __init__(self, window: QtWidgets.QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.note = ""   # what the last export could not do exactly (shown with its message)
        # Tabs 3 and 4 log their training runs from the start, for exporting them as code.
        stack = window.tabs.findChild(QtWidgets.QStackedWidget)
        if stack is not None:
            stack.widgetAdded.connect(lambda index: training_exports.watch(stack.widget(index)))
        for index in range(window.tabs.count()):
            training_exports.watch(window.tabs.widget(index))

    @property
    def tab(self) -> QtWidgets.QWidget:
        return self.window.tabs.currentWidget()

    def parts(self) -> dict[str, QtWidgets.QWidget]:
        tab = self.tab
        return tab.figure_widgets() if spec_of(tab) is not None else {"tab": tab}

    # --- plain methods --------------------------------------------------------------------------
    def export_figure(self, part: str, path: str | Path, scale: float = 1.0) -> Path:
        widget = self.parts()[part]
        path = Path(path)
        if path.suffix.lower() == ".svg":
            return exporting.save_svg(widget, path)
        return exporting.save_png(widget, path.with_suffix(".png") if not path.suffix else path, scale)

    def _source(self):
        """What the shown lesson exports as history, animation and code, by its spec: the tab
        itself for a stepped lesson, else its training run's adapter."""
        spec = spec_of(self.tab)
        if spec is not None and spec.stepped:
            return SteppedExports(self.tab)
        adapter = training_exports.exports_for(self.tab)
        if adapter is None:
            raise ValueError("this tab has nothing to export that way")
        return adapter

    def export_animation(self, path: str | Path, scale: float = 1.0) -> list[Path]:
        """The shown episode (stepped lessons: the lesson without its controls), or the training
        run as it grew (trained lessons), at `scale`, but never wider than a 1080p slide."""
        source = self._source()
        return exporting.save_animation(source.frames(scale), path, source.frame_ms, source.fps)

    def export_csv(self, path: str | Path) -> Path | list[Path]:
        """The history; tab 4 adds the SFT loss per epoch in a second file when stage 1 ran."""
        source = self._source()
        written = exporting.save_csv(source.history_columns(), path)
        sft = source.sft_columns()
        if sft is None:
            return written
        return [written, exporting.save_csv(sft, written.with_name(f"{written.stem}-sft.csv"))]

    def export_code(self, path: str | Path, as_notebook: bool) -> Path:
        path = Path(path)
        source = self._source()
        text = source.code(as_notebook)
        notes = source.notes()
        path.write_text(text, encoding="utf-8")
        self.note = ("not an exact replay, see the comment at its top: " + "; ".join(notes)
                     if notes else "")
        return path

    # --- dialogs --------------------------------------------------------------------------------
    def _ask_path(self, title: str, suggestion: str, filters: str, save: bool = True) -> str:
        dialog = QtWidgets.QFileDialog.getSaveFileName if save else QtWidgets.QFileDialog.getOpenFileName
        path, _ = dialog(self.window, title, suggestion, filters)
        return path

    def _run(self, what: str, work) -> None:
        self.note = ""
        try:
            result = work()
        except (OSError, ValueError, AttributeError) as exc:
            self.message.emit(f"{what} failed: {exc}")
            return
        names = ", ".join(Path(p).name for p in (result if isinstance(result, list) else [result]))
        self.message.emit(f"{what}: wrote {names}" + (f" — {self.note}" if self.note else ""))

    def figure_dialog(self) -> None:
        part, ok = QtWidgets.QInputDialog.getItem(self.window, "Export figure", "Which part?",
                                                  list(self.parts()), 0, False)
        if not ok:
            return
        scale, ok = QtWidgets.QInputDialog.getItem(
            self.window, "Export figure", "Resolution (PNG)", [f"{s:g}×" for s in SCALES], 1, False)
        if not ok:
            return
        path = self._ask_path("Export figure", f"{part}.png", "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            self._run("Export", lambda: self.export_figure(part, path, float(scale.rstrip("×"))))

    def animation_dialog(self) -> None:
        width = exporting.MAX_ANIMATION_WIDTH
        scale, ok = QtWidgets.QInputDialog.getItem(
            self.window, "Export animation", f"Resolution (at most {width} px wide)",
            [f"{s:g}×" for s in SCALES], 1, False)
        if not ok:
            return
        try:
            suggestion = self._source().animation_name
        except ValueError as exc:
            self.message.emit(f"Animation failed: {exc}")
            return
        path = self._ask_path("Export animation", suggestion, "Animated GIF (*.gif)")
        if path:
            self._run("Animation", lambda: self.export_animation(path, float(scale.rstrip("×"))))

    def csv_dialog(self) -> None:
        path = self._ask_path("Export history", "history.csv", "CSV (*.csv)")
        if path:
            self._run("CSV", lambda: self.export_csv(path))

    def code_dialog(self, as_notebook: bool) -> None:
        suggestion, filters = (("lesson.ipynb", "Jupyter notebook (*.ipynb)") if as_notebook
                               else ("lesson.py", "Python script (*.py)"))
        path = self._ask_path("Export as code", suggestion, filters)
        if path:
            self._run("Code", lambda: self.export_code(path, as_notebook))

    def save_session_dialog(self) -> None:
        path = self._ask_path("Save session", "lecture.explainer.json", "Session (*.json)")
        if path:
            self.window.sessions.save(path)

    def open_session_dialog(self) -> None:
        path = self._ask_path("Open session", "", "Session (*.json)", save=False)
        if path:
            self.window.sessions.open(path)
