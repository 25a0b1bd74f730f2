"""The SQLite files behind a Store: can they be written, is one damaged, and moving a damaged one aside.

Nothing here deletes a file: a damaged one is renamed with a timestamp (its -wal beside it, under the name
SQLite looks for), so whatever it still holds stays readable with any SQLite tool.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

# SQLite's primary result codes (extended codes keep these in their low byte)
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26


SQLITE_MAGIC = b"SQLite format 3\x00"


def _code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damage(error: BaseException) -> bool:
    """The file is not (or no longer) a readable SQLite database."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = _code(error)
    if code is not None:
        return code in (_CORRUPT, _NOTADB)
    text = str(error)
    return "malformed" in text or "not a database" in text


def header_damage(path: Path) -> str | None:
    """Why the file at path cannot be a SQLite database, judged by its first bytes (None: it may be one)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError:
        return None  # absent, or unreadable: SQLite says which
    if head and head != SQLITE_MAGIC:
        return "file is not a database"
    return None  # an empty file is an empty database


def is_refused_write(error: BaseException) -> bool:
    """SQLite could not write (or create the files it needs): permissions, a read-only disk."""
    return isinstance(error, sqlite3.DatabaseError) and _code(error) in (_READONLY, _CANTOPEN, _PERM)


def problem_words(error: BaseException) -> str | None:
    """What went wrong with the file, for errors that are not damage or a refused write; None: a bug."""
    code = _code(error)
    if code in (_BUSY, _LOCKED):
        return "it stayed locked by another actui process; try again when that one is done"
    if code == _FULL:
        return "the disk is full; free some space and try again"
    if code == _IOERR:
        return f"it cannot be read or written ({error}); check the disk"
    return None


def why_not_writable(path: Path) -> str | None:
    """None when SQLite can write the database at path (creating it and its directory if needed);
    else why not, in a few words. Root passes every permission check (SQLite's writes then succeed too)."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        return f"its directory {directory} cannot be created: {error.strerror or error}"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"its directory {directory} is read-only"  # SQLite keeps its -wal and -shm files there
    return None


def connect_read_only(path: Path, **options: Any) -> sqlite3.Connection:
    """Open an existing database for reading only.

    `mode=ro` reads a WAL database when SQLite can create its -shm file; in a read-only directory it
    cannot, and `immutable=1` (no locking, no WAL) is the only way in: nobody can write there anyway.
    """
    # a file: URI by hand (what urllib.request.pathname2url does on POSIX; that module costs ~10 ms to import,
    # and every start checks the sandbox's file)
    uri = "file:" + quote(str(path.absolute()))
    last: sqlite3.DatabaseError | None = None
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        db = sqlite3.connect(uri + query, uri=True, **options)
        try:
            db.execute("PRAGMA query_only=ON")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.DatabaseError as error:
            db.close()
            if not is_refused_write(error):
                raise
            last = error
    assert last is not None
    raise last


def move_aside(path: Path, clock: Callable[[], float] = time.time) -> Path:
    """Rename a damaged database to `<name>.damaged-<UTC timestamp>` (its -wal and -shm along); the new name."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(clock()))
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    count = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{count}")
        count += 1
    os.rename(path, aside)
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            os.rename(companion, Path(f"{aside}{suffix}"))
    return aside


def inode(path: Path) -> tuple[int, int] | None:
    """Which file path names now (None: none), to tell whether another process replaced it meanwhile."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# --- a file actui can rebuild from nothing (the embedded sandbox's inventory) ----------------------


@dataclass
class UsableFile:
    """Where to open a rebuildable database this run, and what to tell the user about it."""

    path: Path
    notices: list[str] = field(default_factory=list)
    temporary: Path | None = None   # a directory of this run's own, removed by cleanup()

    def cleanup(self) -> None:
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)


def usable_rebuildable(path: Path, role: str, clock: Callable[[], float] = time.time) -> UsableFile:
    """A damaged file is moved aside (a new one gets made); one that cannot be written is copied to a
    temporary directory (or started afresh there) for this run only."""
    reason = why_not_writable(path)
    if reason is None:
        damage = damage_of(path)
        if damage is None:
            return UsableFile(path)
        try:
            aside = move_aside(path, clock)
        except OSError as error:
            reason = f"it is damaged ({damage}) and cannot be moved aside: {error.strerror or error}"
        else:
            return UsableFile(path, [f"the {role} {path} was damaged ({damage}): moved it aside to {aside}; "
                                     "a new one is made"])
    temporary = Path(tempfile.mkdtemp(prefix="actui-"))
    copy = temporary / path.name
    copied = _copy(path, copy)
    return UsableFile(copy, [f"the {role} {path} cannot be written ({reason}): this run uses "
                             f"{'a copy' if copied else 'a new one'} in {temporary}, removed when it ends; fix "
                             f"the permissions of {path.parent}, or set ACTUI_DATA_DIR to a directory you can "
                             "write"], temporary)


def damage_of(path: Path) -> str | None:
    """Why the database at path is damaged, from its header and schema (None: it looks sound, or is absent)."""
    damage = header_damage(path)
    if damage is not None or not path.exists():
        return damage
    try:
        db = connect_read_only(path)
    except sqlite3.DatabaseError as error:
        return str(error) if is_damage(error) else None
    try:
        db.execute("PRAGMA user_version").fetchone()
        return None
    except sqlite3.DatabaseError as error:
        return str(error) if is_damage(error) else None
    finally:
        db.close()


def _copy(source: Path, target: Path) -> bool:
    if not source.exists() or damage_of(source) is not None:
        return False
    try:
        src = connect_read_only(source)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    except sqlite3.Error:
        target.unlink(missing_ok=True)
        return False
    return True
