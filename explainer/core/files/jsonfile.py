"""User files are JSON only: read with a size cap, strict UTF-8 and no NaN/Infinity, and written
atomically. Every failure becomes the caller's own error type with a message a user can act on."""
from __future__ import annotations

import glob
import json
import os
import stat
import tempfile
import time
from contextlib import suppress
from pathlib import Path


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def parse_json(text: str, source: str, error: type[Exception]):
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise error(f"{source}: not valid JSON ({exc})") from None


def checked_header(data, source: str, error: type[Exception], kind: str,
                   versions: tuple[int, ...] = (1,)) -> dict:
    """`data` when it is a JSON object whose "format" is `kind` and whose "version" is one this app
    reads; otherwise `error`, in one sentence. Every file format's loader starts here."""
    if not isinstance(data, dict) or data.get("format") != kind:
        raise error(f"{source}: not an {kind} file")
    version = data.get("version")
    if isinstance(version, bool) or version not in versions:   # true == 1 in Python
        readable = ", ".join(map(str, versions))
        raise error(f"{source}: {kind} version {version!r} is not supported "
                    f"(this app reads version {readable})")
    return data


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
    _remove_stale_temporaries(path)
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


STALE_TEMPORARY_S = 600   # older than any save in progress: left by a save that was killed


def _remove_stale_temporaries(path: Path) -> None:
    """A save killed between writing and renaming leaves its temporary file (a session's can be
    ~1 MB); the next save of the same file removes those no save still writes."""
    now = time.time()
    for old in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with suppress(OSError):
            if now - old.stat().st_mtime > STALE_TEMPORARY_S:
                old.unlink()
