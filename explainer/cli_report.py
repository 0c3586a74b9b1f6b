"""How `explainer export` and `explainer gallery` end: the files written, one per line, or one
clear line on stderr and an exit code (2: the request was wrong; 1: the work or the disk failed)."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def report_written(prog: str, out: Path, write: Callable[[], Iterable[Path]]) -> int:
    from .cli_training import ExportFailed
    try:
        written = list(write())
    except ExportFailed as exc:    # a training process failed, or was too slow
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:      # a bad session, walkthrough or part name
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:         # the folder is not writable, the disk is full
        print(f"{prog}: could not write to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0
