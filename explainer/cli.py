"""`explainer export …`: the app's figures, animations and data without a display, for slide makers.

    explainer export --lesson policy --worked-example --steps 8 --out figures/
    explainer export --lesson policy --walkthrough 1 --step 9 --format png,svg,csv --scale 2
    explainer export --session lecture.explainer.json --lesson essentials --format gif
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

FORMATS = ("png", "svg", "gif", "csv", "py", "ipynb")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="explainer export", description=__doc__.split("\n\n")[0])
    p.add_argument("--lesson", choices=("essentials", "policy"), default="policy")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--worked-example", action="store_true", help="the video's worked example")
    source.add_argument("--walkthrough", type=int, metavar="N", help="the N-th shipped walkthrough")
    source.add_argument("--session", type=Path, help="a saved session file")
    p.add_argument("--step", type=int, default=None,
                   help="walkthrough step (1-based; default: the last)")
    p.add_argument("--steps", type=int, default=0, help="phases to step after the set-up")
    p.add_argument("--episodes", type=int, default=0, help="whole episodes to run first")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", default="png,svg,csv,py",
                   help=f"comma-separated, from {', '.join(FORMATS)}")
    p.add_argument("--parts", default="tab", help="comma-separated figure parts, or 'all'")
    p.add_argument("--scale", type=float, default=2.0, help="PNG resolution multiplier")
    p.add_argument("--size", default="1600x950", help="tab size in pixels, WxH")
    p.add_argument("--out", type=Path, default=Path("explainer-export"))
    return p


def export_main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        print(f"unknown format(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        if not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6 import QtWidgets
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["explainer"])
    try:
        tab = _prepared_tab(args)
    except ValueError as exc:
        print(f"explainer export: {exc}", file=sys.stderr)
        return 2
    width, height = (int(v) for v in args.size.lower().split("x"))
    tab.resize(width, height)
    tab.show()
    app.processEvents()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in _write(tab, formats, args):
        print(path)
    tab.close()
    return 0


def _prepared_tab(args):
    from .core.session import load_session
    if args.lesson == "policy":
        from .ui.policy_tab.tab import PolicyTab as Tab
    else:
        from .ui.essentials_tab.tab import EssentialsTab as Tab
    tab = Tab()
    tab.controller.set_param(seed=args.seed)
    if args.session is not None:
        parts = load_session(args.session)
        if args.lesson not in parts:
            raise ValueError(f"{args.session.name} holds no {args.lesson} lesson")
        tab.prepare_session(parts[args.lesson])()
    elif args.walkthrough is not None:
        walks = tab.walkthroughs()
        if not 1 <= args.walkthrough <= len(walks):
            raise ValueError(f"there are {len(walks)} walkthroughs for this lesson")
        tab.start_walkthrough(walks[args.walkthrough - 1])
        last = len(tab.walk.steps)
        tab._show_walk_step(min(max((args.step or last) - 1, 0), last - 1))
    elif args.worked_example:
        tab.worked_example()
    if args.episodes:
        tab.run.fast_forward(args.episodes)
    for _ in range(args.steps):
        tab.controller.next()
    tab.animation.stop()
    tab._on_record_changed(tab.run.current, False)
    return tab


def _write(tab, formats: list[str], args) -> list[Path]:
    from .ui import exporting
    out, stem = args.out, f"{args.lesson}"
    widgets = tab.figure_widgets()
    names = list(widgets) if args.parts == "all" else [p.strip() for p in args.parts.split(",")]
    written: list[Path] = []
    for name in names:
        if name not in widgets:
            raise SystemExit(f"unknown part {name!r}; parts: {', '.join(widgets)}")
        slug = name.replace(" ", "-")
        if "png" in formats:
            written.append(exporting.save_png(widgets[name], out / f"{stem}-{slug}.png", args.scale))
        if "svg" in formats:
            written.append(exporting.save_svg(widgets[name], out / f"{stem}-{slug}.svg"))
    if "gif" in formats:
        frames = tab.episode_frames(tab, 0.6)
        written.append(exporting.save_frames_gif(frames, out / f"{stem}-episode.gif"))
        mp4 = exporting.save_frames_mp4(frames, out / f"{stem}-episode.mp4")
        written += [mp4] if mp4 else []
    if "csv" in formats:
        written.append(exporting.save_csv(tab.history_columns(), out / f"{stem}-history.csv"))
    for fmt in ("py", "ipynb"):
        if fmt in formats:
            path = out / f"{stem}-lesson.{fmt}"
            path.write_text(tab.code(as_notebook=fmt == "ipynb"), encoding="utf-8")
            written.append(path)
    return written
