"""Figures for slides: any widget or plot as PNG (at a chosen scale) or SVG, an episode as an
animated GIF (and MP4 when ffmpeg is installed), histories as CSV."""
from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets


def _render(widget: QtWidgets.QWidget, painter: QtGui.QPainter) -> None:
    # pyqtgraph's views override render() with QGraphicsView's signature; QWidget's is wanted.
    prepare = getattr(widget.scene(), "prepareForPaint", None) if hasattr(widget, "scene") else None
    if callable(prepare):
        prepare()
    QtWidgets.QWidget.render(widget, painter, QtCore.QPoint(0, 0), QtGui.QRegion(),
                             QtWidgets.QWidget.RenderFlag.DrawChildren)


class _OnTop:
    """A widget on a page that is not shown (another stage tab) is brought to the front while it
    is drawn, so it has its laid-out size and its newest content; the page shown before returns."""

    def __init__(self, widget: QtWidgets.QWidget) -> None:
        self.restore = []
        child, parent = widget, widget.parentWidget()
        while parent is not None and widget.window().isVisible() and not widget.isVisible():
            if isinstance(parent, QtWidgets.QStackedWidget) and parent.currentWidget() is not child:
                self.restore.append((parent, parent.currentWidget()))
                parent.setCurrentWidget(child)
            child, parent = parent, parent.parentWidget()

    def __enter__(self):
        if self.restore:
            QtWidgets.QApplication.processEvents()   # laid out and drawn at its shown size
        return self

    def __exit__(self, *exc) -> None:
        for stack, page in reversed(self.restore):
            stack.setCurrentWidget(page)


def render_image(widget: QtWidgets.QWidget, scale: float = 1.0) -> QtGui.QImage:
    """The widget drawn at `scale` × its size: painted views and text stay sharp when enlarged."""
    with _OnTop(widget):
        return _render_image(widget, scale)


def _render_image(widget: QtWidgets.QWidget, scale: float) -> QtGui.QImage:
    size = widget.size() * scale
    image = QtGui.QImage(size, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    _render(widget, painter)
    painter.end()
    return image


def save_png(widget: QtWidgets.QWidget, path: str | Path, scale: float = 1.0) -> Path:
    path = Path(path)
    if not render_image(widget, scale).save(str(path), "PNG"):
        raise OSError(f"{path.name}: could not be written")
    return path


def save_svg(widget: QtWidgets.QWidget, path: str | Path) -> Path:
    path = Path(path)
    generator = QtSvg.QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(widget.size())
    generator.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), widget.size()))
    generator.setTitle(widget.windowTitle() or "explainer figure")
    painter = QtGui.QPainter(generator)
    _render(widget, painter)
    painter.end()
    return path


def save_frames_gif(frames: list[QtGui.QImage], path: str | Path, frame_ms: int = 60) -> Path:
    from PIL import Image  # only needed for animations
    path = Path(path)
    images = [Image.fromarray(_rgb_array(f)) for f in frames]
    images[0].save(path, save_all=True, append_images=images[1:], duration=frame_ms, loop=0,
                   optimize=False)
    return path


def save_frames_mp4(frames: list[QtGui.QImage], path: str | Path, fps: int = 16) -> Path | None:
    """Encoded by ffmpeg when it is installed and it succeeds; None otherwise (the GIF is always
    written, so a broken ffmpeg costs only the MP4)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        for i, frame in enumerate(frames):
            frame.save(str(Path(folder) / f"f{i:05d}.png"))
        try:
            subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-framerate", str(fps), "-i",
                            str(Path(folder) / "f%05d.png"), "-pix_fmt", "yuv420p",
                            "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", str(path)], check=True,
                           capture_output=True, timeout=120)
        except (subprocess.SubprocessError, OSError):
            return None
    return Path(path)


def _rgb_array(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3).copy()


def save_csv(columns: dict[str, np.ndarray], path: str | Path) -> Path:
    path = Path(path)
    names = list(columns)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(names)
        writer.writerows(zip(*(np.asarray(columns[n]).tolist() for n in names)))
    return path
