"""Figures for slides: any widget or plot as PNG (at a chosen scale) or SVG, an episode as an
animated GIF (and MP4 when ffmpeg is installed) at a chosen scale up to a 1080p slide's width,
histories as CSV."""
from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
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


MAX_ANIMATION_WIDTH = 1920   # a 1080p slide; every frame is kept until the GIF is written


def animation_scale(width: int, scale: float) -> float:
    """`scale`, or less where frames of a widget `width` px wide would be wider than a slide."""
    return min(scale, MAX_ANIMATION_WIDTH / max(width, 1))


def save_animation(frames: Iterable[QtGui.QImage], path: str | Path, frame_ms: int = 60,
                   fps: int = 16) -> list[Path]:
    """`path` as .gif, and as .mp4 when ffmpeg is installed and succeeds (a broken ffmpeg costs
    only the MP4). Each frame is reduced to the GIF's 256 colours (and, for ffmpeg, written to
    disk) before the next is drawn: one full-colour frame is in memory at a time."""
    from PIL import Image  # only needed for animations
    path, ffmpeg = Path(path), shutil.which("ffmpeg")
    with tempfile.TemporaryDirectory() as folder:
        images = []
        for i, frame in enumerate(frames):
            if ffmpeg is not None and not frame.save(str(Path(folder) / f"f{i:05d}.png")):
                ffmpeg = None   # the scratch folder is full: the GIF still gets written
            # what Pillow's GIF writer does to an RGB frame, done now rather than to all at the end
            images.append(Image.fromarray(_rgb_array(frame)).convert(
                "P", palette=Image.Palette.ADAPTIVE))
        if not images:
            raise ValueError("there are no frames to animate")
        gif = path.with_suffix(".gif")
        images[0].save(gif, save_all=True, append_images=images[1:], duration=frame_ms, loop=0,
                       optimize=False)
        mp4 = _encode_mp4(ffmpeg, folder, path.with_suffix(".mp4"), fps) if ffmpeg else None
    return [gif] + ([mp4] if mp4 else [])


def save_frames_mp4(frames: Iterable[QtGui.QImage], path: str | Path, fps: int = 16) -> Path | None:
    """Encoded by ffmpeg when it is installed and it succeeds; None otherwise."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        for i, frame in enumerate(frames):
            frame.save(str(Path(folder) / f"f{i:05d}.png"))
        return _encode_mp4(ffmpeg, folder, Path(path), fps)


def _encode_mp4(ffmpeg: str, folder: str, path: Path, fps: int) -> Path | None:
    """The numbered PNGs in folder as an MP4 (sides rounded down to even, as yuv420p needs)."""
    try:
        subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-framerate", str(fps), "-i",
                        str(Path(folder) / "f%05d.png"), "-pix_fmt", "yuv420p",
                        "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", str(path)], check=True,
                       capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError):
        return None
    return path


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
