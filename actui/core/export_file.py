"""Writing an export file: the name it is offered under, whether its folder can take it, and the writing
itself, streamed through core/record_writers into a temporary file beside the target that is renamed over
it only when complete (a crash or a cancel never leaves half a file under the name).

The file is the user's own: created with mode 0666 less the umask (0644 usually), as any program's
output, not 0600 as actui's state files (it holds no secret, only what the list shows).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .record_writers import open_writer

EXPORT_FORMATS = ("csv", "json")
_SUFFIXES = tuple(f".{fmt}" for fmt in EXPORT_FORMATS)
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ExportCancelled(Exception):
    """The user cancelled the export while it was written: nothing was left under the name."""


def default_name(label: str, fmt: str, now: float) -> str:
    """`actui-numbers-<profile>-<YYYYmmdd-HHMM>.<fmt>`, the time local (as the user reads a clock)."""
    profile = _UNSAFE_IN_NAME.sub("-", label).strip("-.") or "default"
    return f"actui-numbers-{profile}-{datetime.fromtimestamp(now):%Y%m%d-%H%M}.{fmt}"


def with_format(name: str, fmt: str) -> str:
    """`name` with the suffix of `fmt`: a .csv or .json suffix is replaced, another one kept and added to."""
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] + f".{fmt}"
    return f"{name}.{fmt}" if name else name


def target_path(written: str, folder: Path) -> Path:
    """The file a typed name means: `~` expanded, a relative name in `folder` (the current directory)."""
    path = Path(written.strip()).expanduser()
    return path if path.is_absolute() else folder / path


def target_problem(path: Path) -> str | None:
    """Why the export cannot be written at `path` (its folder missing or not writable, a folder in its
    place), or None when it can. Checked before writing, so the dialog can say so and stay."""
    if not path.name or path.is_dir():
        return f"{path} is a folder: give a file name"
    folder = path.parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} cannot be written (permission denied)"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} cannot be replaced (permission denied)"
    return None


def write_export(path: Path, fmt: str, fields: Sequence[str], documents: Iterable[Mapping[str, Any]], *,
                 on_written: Callable[[int], None] | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> int:
    """Write `documents` (each a number as sent) to `path` as `fmt` with `fields`, one at a time, through a
    temporary file beside it renamed over it at the end. `on_written(count)` after each document;
    `cancelled()` is asked before each one (True: ExportCancelled). Returns how many were written.
    An OSError (disk full, permission) or ExportCancelled leaves no temporary file behind."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    # O_EXCL: a new file of our own; mode 0666 less the umask, as the user's other files
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    count = 0
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as out:
            writer = open_writer(fmt, out, fields)
            for document in documents:
                if cancelled():
                    raise ExportCancelled()
                writer.write(document)
                count += 1
                if on_written is not None:
                    on_written(count)
            writer.close()
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count
