"""`explainer gallery`: screenshots of what the lecture hall sees, every tab and phase at each
screen size, presenting or not, in a folder with an index.html to browse; no display needed.

    explainer gallery --out gallery/
    explainer gallery --out gallery/ --sizes 1280x720,1024x768 --presenting --tabs 1,2

Files are named <size>/<mode>/<tab>-<view>.png, e.g. 1280x720/presenting/2-policy-derivative.png.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .cli import _bounded, _size
from .core import lessons

SIZES = ((1024, 768), (1280, 720), (1280, 800), (1600, 950), (1920, 1080))


def _sizes(text: str) -> list[tuple[int, int]]:
    sizes = [_size(part.strip()) for part in text.split(",") if part.strip()]
    if not sizes:
        raise argparse.ArgumentTypeError("no screen size given, e.g. 1280x720,1024x768")
    return sizes


def _tabs(text: str) -> tuple[int, ...]:
    try:
        tabs = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of tab numbers") from None
    last = len(lessons.all_lessons())
    if not tabs or not set(tabs) <= set(range(1, last + 1)):
        raise argparse.ArgumentTypeError(f"{text!r}: tabs are numbered 1 to {last}")
    return tabs


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="explainer gallery", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("explainer-gallery"))
    p.add_argument("--sizes", type=_sizes, default=list(SIZES),
                   help="comma-separated screens, WxH (default: "
                        + ",".join(f"{w}x{h}" for w, h in SIZES) + ")")
    p.add_argument("--presenting", action=argparse.BooleanOptionalAction, default=None,
                   help="only presentation mode (--presenting) or only the window "
                        "(--no-presenting); default both")
    p.add_argument("--tabs", type=_tabs, default=None, help="e.g. 1,2 (default all)")
    p.add_argument("--train-steps", type=_bounded(int, 0, 10_000), default=None, metavar="N",
                   help="tab 3: training steps first (default: one press of Train, 300)")
    p.add_argument("--updates", type=_bounded(int, 0, 5_000), default=None, metavar="N",
                   help="tab 4: policy updates first (default: one press of Run, 60)")
    p.add_argument("--timeout", type=_bounded(float, 1.0, 3600.0), default=300.0, metavar="S",
                   help="tabs 3, 4: seconds to wait for each training stage")
    return p


def gallery_main(argv: list[str]) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        p.error(f"--out {args.out} is a file, not a folder")
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCore, QtWidgets
    QtCore.qInstallMessageHandler(_quiet_offscreen)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["explainer"])
    # Its own settings and autosave folder: the lecturer's window, zoom and rankings stay as they are.
    app.setOrganizationName("explainer")
    app.setApplicationName("explainer-gallery")
    from .cli_report import report_written
    return report_written("explainer gallery", args.out, lambda: write_gallery(app, args))


def _quiet_offscreen(mode, context, message: str) -> None:
    """Qt's messages on stderr, but not the offscreen platform's note, printed on every resize of
    the main window, that it has no window system to pass the window's minimum size to."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def write_gallery(app, args) -> list[Path]:
    """The screenshots and index.html written under args.out; the paths, index last."""
    from .gallery_index import write_index
    from .gallery_shots import GalleryWindow
    from .ui.reward_tab.controller import STEPS_PER_RUN
    from .ui.rlhf_tab.controller import UPDATES_PER_RUN
    modes = (False, True) if args.presenting is None else (args.presenting,)
    steps = STEPS_PER_RUN if args.train_steps is None else args.train_steps
    updates = UPDATES_PER_RUN if args.updates is None else args.updates
    tabs = args.tabs or tuple(range(1, len(lessons.all_lessons()) + 1))
    gallery = GalleryWindow(app, tabs, args.timeout, steps, updates)
    written, sections = [], []
    try:
        gallery.prepare()
        for width, height in args.sizes:
            for presenting in modes:
                mode = "presenting" if presenting else "window"
                folder = args.out / f"{width}x{height}" / mode
                folder.mkdir(parents=True, exist_ok=True)
                images = []
                for shot in gallery.shots(width, height, presenting):
                    path = folder / f"{shot.name}.png"
                    if not shot.image.save(str(path), "PNG"):
                        raise OSError(f"{path}: could not be written")
                    written.append(path)
                    images.append((path, shot.note))
                sections.append((f"{width}×{height}, {mode}", images))
    finally:
        gallery.close()
    written.append(write_index(args.out, sections))
    return written
