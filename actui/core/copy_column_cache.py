"""The local copy's columns (core/copy_values: number -> value at one wire path), kept in the cache file so a
new process (`actui check` from cron) reads them back instead of extracting every path from every document
again (~95 ms per path over 100,000 numbers; read back: a few ms).

Validity: a content generation per account, moved by SQLite triggers on copy_numbers whenever a document
(`coalesce(detail, list_item)`, what the columns are read from) or the set of numbers changes, in the
writer's own transaction, whoever writes (this process, another one, an older actui). A sync that reads an
unchanged page or detail again changes only read times and positions (each pass numbers the list anew):
the generation stays. A column is kept with the generation it was read at and used only while that is
still the generation; the list order is kept beside the columns, and a reader that needs it (aligned())
compares it with the copy's own. Anything unreadable is read from the documents again, never guessed. A
read-only cache file is only read.

Patching: the same triggers note each number whose document changed, or that came or went, with the
generation it last did (copy_changes, whole from the account's copy_changes_floor on). Columns kept at an
older generation are brought to the current one by reading only those numbers' documents again (one
query) and patching the codes (core/copy_column_patch), in the copy's list order now, unless more than
PATCH_SHARE of the numbers changed or the log does not reach back to them: then every column is read
again as before. The log is pruned to the changes after the generation the columns are kept at.

Format (marshal, the cache file is private to the user like the documents it holds): per account the
numbers in list order, and per path its distinct values (by object: copy_values reads one object per
distinct JSON text) and each number's index among them, bytes where there are at most 256, `()` among
them where the document lacks the path (a tuple is never a JSON value).
"""

from __future__ import annotations

import json
import marshal
import sqlite3
import sys
import weakref
from array import array
from collections.abc import Callable, Sequence
from itertools import compress, count, repeat
from operator import ne
from typing import Any

from .copy_column_patch import patched, runs
from .copy_values import Column, columns_from_rows, json_path
from .store import Store, StoreError

_DOCUMENT_CHANGED = ("coalesce(old.detail, old.list_item) IS NOT coalesce(new.detail, new.list_item)"
                     " OR old.number IS NOT new.number OR old.account IS NOT new.account")
_BUMP = ("INSERT INTO copy_generation (account, generation) VALUES ({row}.account, 1)"
         " ON CONFLICT (account) DO UPDATE SET generation = generation + 1;"
         " INSERT INTO copy_changes (account, number, generation)"
         " SELECT account, {row}.number, generation FROM copy_generation WHERE account = {row}.account"
         " ON CONFLICT (account, number) DO UPDATE SET generation = excluded.generation;")
_TRACKING = (
    "CREATE TABLE IF NOT EXISTS copy_generation (account TEXT PRIMARY KEY, generation INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS copy_column_cache (account TEXT NOT NULL, path TEXT NOT NULL,"
    " generation INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (account, path))",
    "CREATE TABLE IF NOT EXISTS copy_column_numbers (account TEXT PRIMARY KEY, generation INTEGER NOT NULL,"
    " data BLOB NOT NULL)",
    # the numbers whose document changed (or that came or went), each at the last generation it did; the
    # log is whole from the account's floor on (the generation it began at, or was pruned to)
    "CREATE TABLE IF NOT EXISTS copy_changes (account TEXT NOT NULL, number TEXT NOT NULL,"
    " generation INTEGER NOT NULL, PRIMARY KEY (account, number)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS copy_changes_since ON copy_changes(account, generation)",
    "CREATE TABLE IF NOT EXISTS copy_changes_floor (account TEXT PRIMARY KEY, generation INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO copy_changes_floor (account, generation) SELECT account, generation FROM copy_generation",
    # what a check reads besides the columns (the numbers with a detail, the copy's status, the stale
    # ones: LocalCopy) without stepping through each document's overflow pages
    "CREATE INDEX IF NOT EXISTS copy_numbers_reading ON copy_numbers(account, position, number, detail_read_at)",
    # the triggers before the log was kept (issue 12, checkfast): replaced by those that also log
    "DROP TRIGGER IF EXISTS copy_generation_insert",
    "DROP TRIGGER IF EXISTS copy_generation_delete",
    "DROP TRIGGER IF EXISTS copy_generation_update",
    f"CREATE TRIGGER IF NOT EXISTS copy_changes_insert AFTER INSERT ON copy_numbers"
    f" BEGIN {_BUMP.format(row='new')} END",
    f"CREATE TRIGGER IF NOT EXISTS copy_changes_delete AFTER DELETE ON copy_numbers"
    f" BEGIN {_BUMP.format(row='old')} END",
    f"CREATE TRIGGER IF NOT EXISTS copy_changes_update AFTER UPDATE ON copy_numbers"
    f" WHEN {_DOCUMENT_CHANGED} BEGIN {_BUMP.format(row='old')} {_BUMP.format(row='new')} END",
)
_MADE = ("copy_generation", "copy_column_cache", "copy_column_numbers", "copy_changes", "copy_changes_since",
         "copy_changes_floor", "copy_numbers_reading", "copy_changes_insert", "copy_changes_delete",
         "copy_changes_update")
# more numbers changed than this share of those kept (and than PATCH_LEAST): every column read again
PATCH_SHARE = 0.05
PATCH_LEAST = 100
ABSENT_MARK: Any = ()   # a number lacking the path, in a column read back aligned (never a JSON value)
_TRACKED: weakref.WeakSet[Store] = weakref.WeakSet()

Build = Callable[[Sequence[str]], list[Column]]


def tracking(store: Store) -> bool:
    """The generation tracked in this cache file (tables and triggers made on first use); False when they
    are not there and cannot be made (a read-only file): then nothing is cached."""
    if store in _TRACKED:
        return True
    try:
        marks = ", ".join("?" * len(_MADE))
        found = store.query(f"SELECT count(*) FROM sqlite_master WHERE name IN ({marks})", _MADE)
        if found[0][0] < len(_MADE):
            with store.transaction() as db:
                for statement in _TRACKING:
                    db.execute(statement)
    except (StoreError, sqlite3.Error):
        return False
    _TRACKED.add(store)
    return True


def generation(store: Store, account: str) -> int:
    """The account's content generation: moves with every change of a document, the order or the numbers."""
    found = store.query("SELECT generation FROM copy_generation WHERE account = ?", (account,))
    return found[0][0] if found else 0


Kept = Callable[[sqlite3.Connection], None]


def columns(store: Store, account: str, paths: Sequence[str], build: Build,
            watch: Callable[[], Kept | None] | None = None) -> list[Column]:
    """The columns of `paths`: those kept for the current generation read back, the others built by
    `build(paths)` (from the documents) and kept. `watch()`, called once the generation is read, may give
    a `written(db)` called inside the transaction that keeps the columns built (no document changed)."""
    if not paths or not tracking(store):
        return build(paths)
    try:
        now = generation(store, account)
        written = watch() if watch is not None else None
        _bring_up(store, account, now, written)
        held = _read(store, account, now, paths)
    except (StoreError, sqlite3.Error):
        return build(paths)
    missing = [path for path in paths if path not in held]
    if missing:
        built = build(missing)
        held.update(zip(missing, built, strict=True))
        _keep(store, account, now, dict(zip(missing, built, strict=True)), written)
    return [held[path] for path in paths]


Coded = tuple[list[Any], Sequence[int]]   # a column as distinct values and each number's index among them


def aligned(store: Store, account: str, paths: Sequence[str]) -> tuple[list[str], dict[str, Coded]]:
    """The numbers in the list order they were kept in (compare it with the copy's: positions may have
    changed since) and, for those of `paths` kept for the current generation, the column coded in that
    order (ABSENT_MARK among the distinct values where a document lacks the path; the codes are bytes where
    there are at most 256): no dict per column built. Nothing kept (or the file unreadable): ([], {})."""
    try:
        if not paths or not tracking(store):
            return [], {}
        now = generation(store, account)
        _bring_up(store, account, now)
        return _aligned(store, account, now, paths)
    except (StoreError, sqlite3.Error):
        return [], {}


def _aligned(store: Store, account: str, now: int, paths: Sequence[str]) -> tuple[list[str], dict[str, Coded]]:
    marks = ", ".join("?" * len(paths))
    rows = store.query(f"SELECT path, data FROM copy_column_cache WHERE account = ? AND generation = ?"
                       f" AND path IN ({marks})", (account, now, *paths))
    if not rows:
        return [], {}
    numbers = _numbers(store, account, now)
    if numbers is None:
        return [], {}
    found: dict[str, Coded] = {}
    for path, data in rows:
        coded = _coded(_loaded(data), len(numbers))
        if coded is not None:
            found[path] = coded
    return numbers, found


def _bring_up(store: Store, account: str, now: int, written: Kept | None = None) -> None:
    """The columns kept at an older generation patched to `now` when the log of changes reaches back to
    them and few numbers changed since (their documents read again, one query); else left as they are
    (read from every document again when asked for)."""
    held = store.query("SELECT generation FROM copy_column_numbers WHERE account = ?", (account,))
    if not held or held[0][0] >= now:
        return
    try:
        with store.transaction() as db:
            _patch(db, account, now, written)
    except (StoreError, sqlite3.Error, ValueError, TypeError):
        return   # left: read again from the documents


def _patch(db: sqlite3.Connection, account: str, now: int, written: Kept | None) -> None:
    found = db.execute("SELECT generation FROM copy_generation WHERE account = ?", (account,)).fetchone()
    held = db.execute("SELECT generation, data FROM copy_column_numbers WHERE account = ?", (account,)).fetchone()
    if (found[0] if found else 0) != now or held is None or held[0] >= now:
        return   # a document changed meanwhile, or another process brought them up
    kept_at, kept = held[0], _loaded(held[1])
    floor = db.execute("SELECT generation FROM copy_changes_floor WHERE account = ?", (account,)).fetchone()
    if (floor[0] if floor else 0) > kept_at or not isinstance(kept, list) \
            or not set(map(type, kept)) <= {str}:
        return
    changed = {row[0] for row in db.execute("SELECT number FROM copy_changes WHERE account = ? AND generation > ?",
                                            (account, kept_at))}
    if len(changed) > max(PATCH_SHARE * len(kept), PATCH_LEAST):
        return
    rows = db.execute("SELECT path, data FROM copy_column_cache WHERE account = ? AND generation = ?",
                      (account, kept_at)).fetchall()
    # the numbers in list order as one JSON text (~10 times faster than a row each); an order that were
    # not the list's would only make readers read the documents (they compare it with the copy's)
    order = json.loads(db.execute(f"SELECT json_group_array(number) FROM ({_IN_ORDER})", (account,)).fetchone()[0])
    layout = runs(kept, order, changed)
    # the numbers laid out anew: those logged, and any not kept (never taken as lacking every path)
    anew = [number for run in layout if isinstance(run, list) for number in run]
    again = _read_again(db, account, [row[0] for row in rows], anew)
    moved, rewritten, dropped = [], [], []
    for (path, data), column in zip(rows, again, strict=True):
        coded = _loaded(data)
        if _coded(coded, len(kept)) is None:
            dropped.append((account, path))
            continue
        patch = patched(coded, layout, column, ABSENT_MARK)
        if patch is None:
            moved.append((now, account, path))
        else:
            rewritten.append((now, marshal.dumps(patch), account, path))
    db.executemany("DELETE FROM copy_column_cache WHERE account = ? AND path = ?", dropped)
    db.executemany("UPDATE copy_column_cache SET generation = ? WHERE account = ? AND path = ?", moved)
    db.executemany("UPDATE copy_column_cache SET generation = ?, data = ? WHERE account = ? AND path = ?", rewritten)
    db.execute("UPDATE copy_column_numbers SET generation = ?, data = ? WHERE account = ?",
               (now, marshal.dumps(order), account))
    _prune(db, account, now)
    if written is not None:
        written(db)


def _read_again(db: sqlite3.Connection, account: str, paths: list[str], numbers: list[str]) -> list[Column]:
    """The columns of `paths` over these numbers (as LocalCopy._columns reads them: the JSON text of each
    path in `coalesce(detail, list_item)`)."""
    if not paths or not numbers:
        return [Column() for _ in paths]
    picks = ", ".join(f"document -> ?{i + 3}" for i in range(len(paths)))
    rows = db.execute(f"SELECT number, {picks} FROM (SELECT number, coalesce(detail, list_item) AS document"
                      " FROM copy_numbers WHERE account = ?1 AND number IN (SELECT value FROM json_each(?2)))",
                      (account, json.dumps(numbers), *map(json_path, paths)))
    return columns_from_rows(rows, len(paths))


def _prune(db: sqlite3.Connection, account: str, kept_at: int) -> None:
    """The log kept only for changes after the generation the columns are kept at."""
    db.execute("DELETE FROM copy_changes WHERE account = ? AND generation <= ?", (account, kept_at))
    db.execute("INSERT OR REPLACE INTO copy_changes_floor (account, generation) VALUES (?, ?)", (account, kept_at))


def _coded(held: Any, count: int) -> Coded | None:
    """A kept column checked whole (never an index out of its values, never a count that differs)."""
    if not (isinstance(held, tuple) and len(held) == 3 and isinstance(held[0], list) and held[1] in (1, 4)
            and isinstance(held[2], bytes) and len(held[2]) == count * held[1]):
        return None
    distinct, width, raw = held
    if width == 1:   # no code beyond the values: none left once the valid ones are deleted
        valid = len(distinct) >= 256 or not raw.translate(None, bytes(range(len(distinct))))
        return (distinct, raw) if valid else None
    codes = array("I", raw)
    if count and max(codes) >= len(distinct):
        return None
    return distinct, codes


def _read(store: Store, account: str, now: int, paths: Sequence[str]) -> dict[str, Column]:
    numbers, found = _aligned(store, account, now, paths)
    return {path: _column(numbers, coded) for path, coded in found.items()}


def _column(numbers: list[str], coded: Coded) -> Column:
    distinct, codes = coded
    pairs = zip(numbers, map(distinct.__getitem__, codes), strict=True)
    absent = [code for code, value in enumerate(distinct) if value is ABSENT_MARK]
    if not absent:
        return Column(pairs)
    return Column(compress(pairs, map(ne, codes, repeat(absent[0]))))


def _numbers(store: Store, account: str, now: int) -> list[str] | None:
    rows = store.query("SELECT data FROM copy_column_numbers WHERE account = ? AND generation = ?", (account, now))
    numbers = _loaded(rows[0][0]) if rows else None
    if not isinstance(numbers, list) or not set(map(type, numbers)) <= {str}:
        return None
    return list(map(sys.intern, numbers))


def _loaded(data: Any) -> Any:
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None


def _keep(store: Store, account: str, built_at: int, built: dict[str, Column], written: Kept | None) -> None:
    """Keep these columns for generation `built_at`, unless a document changed meanwhile; other
    generations' columns go (the cache holds one generation per account)."""
    try:
        numbers = _in_order(store, account)
        data = [(account, path, built_at, _dumped(numbers, column)) for path, column in built.items()]
        with store.transaction() as db:
            found = db.execute("SELECT generation FROM copy_generation WHERE account = ?", (account,)).fetchone()
            if (found[0] if found else 0) != built_at:
                return   # a document changed while they were built
            held = db.execute("SELECT generation, data FROM copy_column_numbers WHERE account = ?",
                              (account,)).fetchone()
            if held is None or held[0] != built_at or _loaded(held[1]) != numbers:
                # columns are kept aligned to one list of numbers: those of another generation or order go
                db.execute("DELETE FROM copy_column_cache WHERE account = ?", (account,))
                db.execute("INSERT OR REPLACE INTO copy_column_numbers (account, generation, data) VALUES (?, ?, ?)",
                           (account, built_at, marshal.dumps(numbers)))
                _prune(db, account, built_at)
            db.executemany("INSERT OR REPLACE INTO copy_column_cache (account, path, generation, data)"
                           " VALUES (?, ?, ?, ?)", data)
            if written is not None:
                written(db)
    except (StoreError, sqlite3.Error, ValueError):
        return   # not kept: built again next time


_IN_ORDER = "SELECT number FROM copy_numbers WHERE account = ? ORDER BY position, number"


def _in_order(store: Store, account: str) -> list[str]:
    rows = store.query(_IN_ORDER, (account,))
    return [sys.intern(row[0]) for row in rows]


def _dumped(numbers: list[str], column: Column) -> bytes:
    values = list(map(column.get, numbers, repeat(ABSENT_MARK)))
    ids = list(map(id, values))
    first = dict(zip(ids, values, strict=True))   # one per object: values of one JSON text are one
    code_of = dict(zip(first, count()))
    codes = list(map(code_of.__getitem__, ids))
    if len(first) <= 256:
        return marshal.dumps((list(first.values()), 1, bytes(codes)))
    return marshal.dumps((list(first.values()), 4, array("I", codes).tobytes()))
