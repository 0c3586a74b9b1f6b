"""`explainer export …`: the app's figures, animations and data without a display, for slide makers.

    explainer export --lesson policy --worked-example --steps 8 --out figures/
    explainer export --lesson policy --walkthrough 1 --step 9 --format png,svg,csv --scale 2
    explainer export --lesson policy --worked-example --parts "lesson only,network" --scale 1
    explainer export --session lecture.explainer.json --lesson essentials --format gif
    explainer export --lesson reward --train-steps 30 --format png,gif,csv,py --out figures/
    explainer export --lesson rlhf --sft --updates 20 --format png,gif,csv,py --out figures/

The lessons and the options each takes come from the registry (core/lessons.py). Lessons 3 and 4
(reward, rlhf) train in their training process first; see cli_training.py.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .cli_report import report_written
from .core import lessons

FORMATS = ("png", "svg", "gif", "csv", "py", "ipynb")


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WxH, e.g. 1600x950") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"{text!r}: each side must be 200 to 8000 pixels")
    return width, height


def _bounded(kind, low, high):
    """An argparse type: a number of `kind` from low to high (nan, inf and 10**20 refused: a
    --scale of 30 took 6.6 GB, --steps 10**8 never ended)."""
    def parse(text: str):
        try:
            value = kind(text)
        except (ValueError, OverflowError):
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:   # also false for nan
            raise argparse.ArgumentTypeError(f"{text!r} must be from {low} to {high}")
        return value
    return parse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="explainer export", description=__doc__.split("\n\n")[0])
    p.add_argument("--lesson", choices=[spec.key for spec in lessons.all_lessons()],
                   default="policy")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--worked-example", action="store_true", help="the video's worked example")
    source.add_argument("--walkthrough", type=_bounded(int, 1, 100), metavar="N",
                        help="the N-th shipped walkthrough")
    source.add_argument("--session", type=Path, help="a saved session file")
    p.add_argument("--step", type=_bounded(int, 1, 1000), default=None,
                   help="walkthrough step (1-based; default: the last)")
    p.add_argument("--steps", type=_bounded(int, 0, 10_000), default=None,
                   help="phases to step after the set-up")
    p.add_argument("--episodes", type=_bounded(int, 0, 100_000), default=None,
                   help="whole episodes to run first")
    p.add_argument("--train-steps", type=_bounded(int, 0, 10_000), metavar="N",
                   help="reward: training steps (default: one press of Train, 300; 0 after "
                        "--session)")
    p.add_argument("--updates", type=_bounded(int, 0, 5_000), metavar="N",
                   help="rlhf: policy updates (default: one press of Run, 60; 0 after --session)")
    p.add_argument("--sft", action="store_true", help="rlhf: supervised fine-tuning first")
    p.add_argument("--seed", type=_bounded(int, 0, 2**32 - 1), default=None,
                   help="essentials, policy and rlhf (default 0)")
    p.add_argument("--timeout", type=_bounded(float, 1.0, 3600.0), default=300.0, metavar="S",
                   help="reward, rlhf: seconds to wait for each training stage")
    p.add_argument("--format", default="png,svg,csv,py",
                   help=f"comma-separated, from {', '.join(FORMATS)}")
    p.add_argument("--parts", default=None,
                   help="comma-separated figure parts, or 'all' (default: 'lesson only', the "
                        "lesson without its controls, for essentials and policy; 'tab' for "
                        "reward and rlhf)")
    p.add_argument("--scale", type=_bounded(float, 0.25, 4.0), default=2.0,
                   help="resolution multiplier of PNGs and animations (animations at most "
                        "1920 px wide)")
    p.add_argument("--size", type=_size, default=(1600, 950), help="tab size in pixels, WxH")
    p.add_argument("--out", type=Path, default=Path("explainer-export"))
    return p


def _misused(args) -> str | None:
    """Why the options do not fit the lesson, or None."""
    given = {"--worked-example": args.worked_example, "--walkthrough": args.walkthrough,
             "--step": args.step, "--steps": args.steps, "--episodes": args.episodes,
             "--train-steps": args.train_steps, "--updates": args.updates, "--sft": args.sft,
             "--seed": args.seed}
    allowed = lessons.lesson(args.lesson).export_options
    wrong = [name for name, value in given.items()
             if value not in (None, False) and name not in allowed]
    if wrong:
        return f"{', '.join(wrong)} cannot be used with --lesson {args.lesson}"
    if args.out.exists() and not args.out.is_dir():
        return f"--out {args.out} is a file, not a folder"
    if args.lesson == "rlhf" and args.session is not None and args.seed is not None:
        return "--seed cannot be used with --session: the session holds its own seed"
    return None


def export_main(argv: list[str]) -> int:
    p = parser()
    args = p.parse_args(argv)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        print(f"unknown format(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    misuse = _misused(args)
    if misuse:
        p.error(misuse)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        if not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        p.error(f"--out {args.out}: {exc.strerror or exc}")
    from PySide6 import QtWidgets
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["explainer"])
    if not lessons.lesson(args.lesson).stepped:   # it trains in its training process first
        return _export_training(app, args, formats)
    tabs = []

    def write():
        tabs.append(_prepared_tab(args))
        from .ui.shell import export_window
        export_window.fit(tabs[0], *args.size)
        tabs[0].show()
        app.processEvents()
        return _write(tabs[0], formats, args)
    try:
        return report_written("explainer export", args.out, write)
    finally:
        for tab in tabs:
            tab.close()


def _export_training(app, args, formats: list[str]) -> int:
    from .cli_training import export_training
    parts = None if args.parts == "all" else _names(args.parts or "tab")
    return report_written("explainer export", args.out,
                          lambda: export_training(app, args, formats, parts))


def _prepared_tab(args):
    from .core.files.session import load_session
    from .ui.shell.lesson_tabs import build_tab
    spec = lessons.lesson(args.lesson)
    tab = build_tab(spec, _no_other_tabs)
    # A fresh run, not the one the tab opened on (lesson 2's worked example): a seed starts the
    # run afresh anyway, and the exported script replays the log, which then held the worked
    # example twice, and run.set(seed=0) twice, under --worked-example.
    tab.controller.run = spec.run_class()
    tab.controller.set_param(seed=args.seed or 0)
    if args.session is not None:
        parts = load_session(args.session)
        if spec.part not in parts:
            raise ValueError(f"{args.session.name} holds no {args.lesson} lesson")
        tab.prepare_session(parts[spec.part])()
    elif args.walkthrough is not None:
        walks = tab.walkthroughs()
        if not 1 <= args.walkthrough <= len(walks):
            raise ValueError(f"there are {len(walks)} walkthroughs for this lesson")
        tab.start_walkthrough(walks[args.walkthrough - 1])
        last = len(tab.walk.steps)
        tab.show_walk_step(min(max((args.step or last) - 1, 0), last - 1))
    elif args.worked_example:
        tab.worked_example()
    if args.episodes:
        tab.run.fast_forward(args.episodes)
    for _ in range(args.steps or 0):
        tab.controller.next()
    tab.show_record()
    return tab


def _no_other_tabs(key: str):
    raise ValueError(f"a stepped lesson's tab is exported on its own, without the {key} tab")


def _names(parts: str) -> list[str]:
    return [p.strip() for p in parts.split(",") if p.strip()]


def _write(tab, formats: list[str], args) -> list[Path]:
    from .ui.shell import exporting
    out, stem = args.out, f"{args.lesson}"
    widgets = tab.figure_widgets()
    names = list(widgets) if args.parts == "all" else _names(args.parts or "lesson only")
    written: list[Path] = []
    for name in names:
        if name not in widgets:
            raise ValueError(f"unknown part {name!r}; parts: {', '.join(widgets)}")
        slug = name.replace(" ", "-")
        if "png" in formats:
            written.append(exporting.save_png(widgets[name], out / f"{stem}-{slug}.png", args.scale))
        if "svg" in formats:
            written.append(exporting.save_svg(widgets[name], out / f"{stem}-{slug}.svg"))
    if "gif" in formats:   # the lesson without its controls; ValueError when no episode is shown
        widget = widgets["lesson only"]
        frames = tab.episode_frames(widget, exporting.animation_scale(widget.width(), args.scale))
        written += exporting.save_animation(frames, out / f"{stem}-episode")
    if "csv" in formats:
        written.append(exporting.save_csv(tab.history_columns(), out / f"{stem}-history.csv"))
    for fmt in ("py", "ipynb"):
        if fmt in formats:
            path = out / f"{stem}-lesson.{fmt}"
            path.write_text(tab.code(as_notebook=fmt == "ipynb"), encoding="utf-8")
            written.append(path)
    return written
