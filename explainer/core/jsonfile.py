"""User files are JSON only: read with a size cap, strict UTF-8 and no NaN/Infinity, and written
atomically. Every failure becomes the caller's own error type with a message a user can act on."""
from __future__ import annotations

import json
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def parse_json(text: str, source: str, error: type[Exception]):
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise error(f"{source}: not valid JSON ({exc})") from None


def read_text_file(path: str | Path, max_bytes: int, error: type[Exception], what: str) -> str:
    """The UTF-8 text of a file of at most max_bytes; `what` names the kind of file in messages."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"{path.name}: cannot be read ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise error(f"{path.name}: larger than {max_bytes // 1024} KB, not {what}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{path.name}: not UTF-8 text") from None
    return text


def atomic_write(path: str | Path, data: bytes, error: type[Exception]) -> None:
    """A temporary file in the same folder, flushed to disk, then renamed over the target: a crash
    leaves either the old file or the new one, never half of one."""
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise error(f"{path.name}: cannot be saved ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise error(f"{path.name}: cannot be saved ({exc.strerror})") from None
        raise
