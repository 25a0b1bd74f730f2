"""The local copy of the inventory: every active number's list item and detail as the server sent them.

It lives in the cache file (core/cache_store.py: "what actui can fetch again"), one row per number and
account: the list item (JSON text, unknown fields kept), when the list last showed it, and the detail with
the time it was read. A list item that carries `settings` is the detail too (read when its page was), and
is not stored twice. core/sync.py fills it; actui's own writes (edits, bulk runs, undo, unprovision) update
it at once through put_detail / forget (core/copy_writes.py); filters read it through values().
"""

from __future__ import annotations

import json
import math
import time
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..api.list_items import number_of
from . import copy_column_cache
from .copy_values import Column, PathValues, columns_from_rows, json_path
from .store import Store

__all__ = ["CopyStatus", "LocalCopy", "PathValues", "json_path", "open_local_copy"]


@dataclass(frozen=True)
class CopyStatus:
    numbers: int                    # numbers held (as the list showed them)
    with_details: int               # of which a detail is held
    oldest_detail_at: float | None  # the read time of the oldest detail held (None: no detail)
    list_synced_at: float | None    # when the last complete pass over the list ended (None: never)

    @property
    def missing_details(self) -> int:
        return self.numbers - self.with_details


_DOCUMENT = "coalesce(detail, list_item)"   # the detail, or the list item where none was read (or it is one)
_Version = tuple[int, int]
_SLICE = 10_000   # rows read at once when building columns


class LocalCopy:
    def __init__(self, cache_store: Store, account_key: str, *, clock: Callable[[], float] = time.time):
        """`cache_store`: the cache file (open_local_copy(store, account) finds it beside the local store)."""
        self.store = cache_store
        self.account = account_key
        self.clock = clock
        self._values: tuple[_Version, PathValues] | None = None
        self._next_position: int | None = None

    # --- writing ----------------------------------------------------------------------------------

    def put_list_items(self, items: Sequence[Mapping[str, Any]], seen_at: float) -> int:
        """Hold these list items (one page, in list order, after those put before in this pass); an item
        carrying `settings` is also the number's detail, read at `seen_at`. Items naming no number are
        skipped. Returns how many were held."""
        rows = []
        documents = []
        position = self._positions()
        for item in items:
            number = number_of(item)
            if number is None:
                continue
            position += 1
            carries = isinstance(item.get("settings"), dict)
            rows.append((self.account, number, position, _dumps(item), seen_at, 1 if carries else 0,
                         seen_at if carries else None))
            documents.append((number, item) if carries else None)
        if not rows:
            return 0
        values = self._values_before_write()
        # a list item without settings keeps the detail read before (a detail that was the old list item
        # becomes a detail of its own, as read then)
        self.store.executemany(
            "INSERT INTO copy_numbers (account, number, position, list_item, list_seen_at, detail_in_item,"
            " detail_read_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account, number) DO UPDATE SET position = excluded.position,"
            " list_item = excluded.list_item, list_seen_at = excluded.list_seen_at,"
            " detail = CASE WHEN excluded.detail_in_item THEN NULL"
            "               WHEN copy_numbers.detail_in_item THEN copy_numbers.list_item"
            "               ELSE copy_numbers.detail END,"
            " detail_read_at = CASE WHEN excluded.detail_in_item THEN excluded.detail_read_at"
            "                       ELSE copy_numbers.detail_read_at END,"
            " detail_in_item = excluded.detail_in_item", rows)
        self._next_position = position
        # an item without settings shows a number's values only where no detail is held: not known here
        self._after_write(values if None not in documents else None,
                          lambda v: v.put(doc for doc in documents if doc is not None))
        return len(rows)

    def put_detail(self, number: str, doc: Mapping[str, Any], read_at: float) -> bool:
        """The number's detail as read (or as a write's answer returned it) at `read_at`. The fields its list
        item holds take the detail's values, so list columns follow actui's own edits. Only a number the
        copy holds is updated (a provisioned number joins when the list shows it): False for another."""
        return self.put_details([(number, doc, read_at)]) == 1

    def put_details(self, details: Iterable[tuple[str, Mapping[str, Any], float]]) -> int:
        """put_detail for several numbers in one transaction; how many the copy holds (and updated)."""
        values = self._values_before_write()
        updated: list[tuple[str, Mapping[str, Any]]] = []
        with self.store.transaction() as db:
            for number, doc, read_at in details:
                found = db.execute("SELECT list_item FROM copy_numbers WHERE account = ? AND number = ?",
                                   (self.account, number)).fetchone()
                if found is None:
                    continue
                item = _follow(json.loads(found[0]), doc)
                db.execute("UPDATE copy_numbers SET detail = ?, detail_in_item = 0, detail_read_at = ?,"
                           " list_item = ? WHERE account = ? AND number = ?",
                           (_dumps(doc), read_at, _dumps(item), self.account, number))
                updated.append((number, doc))
        self._after_write(values, lambda v: v.put(updated))
        return len(updated)

    def forget(self, number: str) -> None:
        """The number is gone (unprovisioned, or the server no longer knows it)."""
        values = self._values_before_write()
        self.store.execute("DELETE FROM copy_numbers WHERE account = ? AND number = ?", (self.account, number))
        self._after_write(values, lambda v: v.drop([number]))

    def forget_detail(self, number: str) -> None:
        """The detail held may no longer be what the server holds (a write of unknown outcome): the next
        sync reads it again. The list item stays."""
        self.store.execute("UPDATE copy_numbers SET detail = NULL, detail_in_item = 0, detail_read_at = NULL"
                           " WHERE account = ? AND number = ?", (self.account, number))
        self._values = None

    def keep_only(self, numbers_seen: Iterable[str], synced_at: float | None = None) -> int:
        """After a complete pass over the list: drop every number it did not show, and note the pass's end
        (`synced_at`, default now). Returns how many were dropped."""
        seen = set(numbers_seen)
        values = self._values_before_write()
        with self.store.transaction() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS copy_seen (number TEXT PRIMARY KEY) WITHOUT ROWID")
            db.execute("DELETE FROM copy_seen")
            db.executemany("INSERT INTO copy_seen (number) VALUES (?)", ((n,) for n in seen))
            dropped = db.execute("DELETE FROM copy_numbers WHERE account = ? AND number NOT IN"
                                 " (SELECT number FROM copy_seen)", (self.account,)).rowcount
            db.execute("DELETE FROM copy_seen")
            db.execute("INSERT OR REPLACE INTO copy_meta (account, list_synced_at) VALUES (?, ?)",
                       (self.account, self.clock() if synced_at is None else synced_at))
        self._after_write(values, lambda v: v.keep_only(seen) if dropped else None)
        return dropped

    def clear(self) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM copy_numbers WHERE account = ?", (self.account,))
            db.execute("DELETE FROM copy_meta WHERE account = ?", (self.account,))
        self._values = None
        self._next_position = None

    # --- reading ----------------------------------------------------------------------------------

    def detail(self, number: str) -> tuple[dict[str, Any], float] | None:
        """The number's detail as sent and when it was read; None when none is held."""
        found = self.store.query(f"SELECT {_DOCUMENT}, detail_read_at FROM copy_numbers"
                                 " WHERE account = ? AND number = ? AND detail_read_at IS NOT NULL",
                                 (self.account, number))
        if not found:
            return None
        return json.loads(found[0][0]), found[0][1]

    def known(self, number: str) -> tuple[dict[str, Any], float] | None:
        """What the copy holds of the number: its detail and when it was read, else its list item and when
        the list showed it (fewer fields: the list may leave settings out); None when it is not held."""
        found = self.store.query(f"SELECT {_DOCUMENT}, coalesce(detail_read_at, list_seen_at) FROM copy_numbers"
                                 " WHERE account = ? AND number = ?", (self.account, number))
        if not found:
            return None
        return json.loads(found[0][0]), found[0][1]

    def list_items(self) -> list[dict[str, Any]]:
        """Every list item held, in list order (as the last pass saw it)."""
        rows = self.store.query("SELECT list_item FROM copy_numbers WHERE account = ? ORDER BY position",
                                (self.account,))
        return [json.loads(row[0]) for row in rows]

    def numbers(self) -> list[str]:
        rows = self.store.query("SELECT number FROM copy_numbers WHERE account = ? ORDER BY position",
                                (self.account,))
        return [row[0] for row in rows]

    def status(self) -> CopyStatus:
        held, with_details, oldest = self.store.query(
            "SELECT count(*), count(detail_read_at), min(detail_read_at) FROM copy_numbers WHERE account = ?",
            (self.account,))[0]
        meta = self.store.query("SELECT list_synced_at FROM copy_meta WHERE account = ?", (self.account,))
        return CopyStatus(held, with_details, oldest, meta[0][0] if meta else None)

    def stale(self, max_age: float, now: float | None = None) -> list[str]:
        """The numbers (in list order) without a detail or with one read more than `max_age` seconds
        before `now` (default: the clock's now)."""
        limit = (self.clock() if now is None else now) - max_age
        rows = self.store.query("SELECT number FROM copy_numbers WHERE account = ?"
                                " AND (detail_read_at IS NULL OR detail_read_at < ?) ORDER BY position",
                                (self.account, limit))
        return [row[0] for row in rows]

    def values(self) -> PathValues:
        """Every number's value at any wire path, from the copy as it is now: the same object (with the
        columns it has built) until the copy changes in another process, or here other than through this
        object's own writes (which patch the columns built)."""
        version = self._version()
        if self._values is not None and self._values[0] == version:
            return self._values[1]
        values = PathValues(self._cached_columns)
        self._values = (version, values)
        return values

    def _cached_columns(self, paths: Sequence[str]) -> list[Column]:
        # read back from the cache file while no document changed (core/copy_column_cache)
        return copy_column_cache.columns(self.store, self.account, paths, self._columns, self._kept_current)

    def _kept_current(self) -> Callable[[Any], None] | None:
        # the values current now stay current once columns are kept in the cache (no document changed)
        values = self._values[1] if self._values is not None and self._values[0] == self._version() else None

        def kept(db: Any) -> None:
            if values is not None and self._values is not None and self._values[1] is values:
                self._values = ((db.total_changes, db.execute("PRAGMA data_version").fetchone()[0]), values)

        return kept if values is not None else None

    def _columns(self, paths: Sequence[str]) -> list[Column]:
        # one pass: SQLite parses each document once for every path (its JSON parse cache); in slices
        # of the list order, so 100,000 rows are never all held at once (a peak the process keeps)
        picks = ", ".join(f"document -> ?{i + 4}" for i in range(len(paths)))
        sql = (f"SELECT number, {picks}, position FROM (SELECT number, position, {_DOCUMENT} AS document"
               " FROM copy_numbers WHERE account = ?1 AND (position, number) > (?2, ?3)"
               f" ORDER BY position, number LIMIT {_SLICE})")
        extracts = tuple(json_path(path) for path in paths)
        columns = [Column() for _ in paths]
        memo: dict[str, Any] = {}
        after: tuple[Any, str] = (float("-inf"), "")
        while True:
            rows = self.store.query(sql, (self.account, *after, *extracts))
            columns_from_rows((row[:-1] for row in rows), len(paths), into=columns, memo=memo)
            if len(rows) < _SLICE:
                return columns
            after = (rows[-1][-1], rows[-1][0])

    # --- inside -----------------------------------------------------------------------------------

    def _version(self) -> _Version:
        # data_version moves when another connection commits; total_changes counts this connection's
        # writes (also those made through another LocalCopy on the same store)
        return self.store.db.total_changes, self.store.query("PRAGMA data_version")[0][0]

    def _values_before_write(self) -> PathValues | None:
        """The values to patch after a write: those built, if nothing else changed the copy since."""
        if self._values is None or self._values[0] != self._version():
            self._values = None
            return None
        return self._values[1]

    def _after_write(self, values: PathValues | None, patch: Callable[[PathValues], Any]) -> None:
        if values is None:
            self._values = None
            return
        patch(values)
        self._values = (self._version(), values)

    def _positions(self) -> int:
        if self._next_position is None:
            found = self.store.query("SELECT max(position) FROM copy_numbers WHERE account = ?", (self.account,))
            self._next_position = found[0][0] or 0
        return self._next_position


_to_json: Callable[..., bytes] | None = None


def _dumps(value: Any) -> str:
    """Compact JSON text, by pydantic-core's encoder (four times json.dumps's speed). A float JSON cannot
    hold (infinite, NaN: a server's oddity that json.loads accepts) is kept as null: SQLite's JSON functions
    refuse a document holding one. A lone surrogate is escaped by json (SQLite stores only UTF-8)."""
    global _to_json
    if _to_json is None:
        from pydantic_core import to_json

        _to_json = to_json
    try:
        return _to_json(value, inf_nan_mode="null").decode()
    except ValueError:
        return json.dumps(_finite(value), separators=(",", ":"))


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _follow(item: dict[str, Any], doc: Mapping[str, Any]) -> dict[str, Any]:
    """The list item with the values of a newer detail for the fields it holds."""
    return {key: doc[key] if key in doc else value for key, value in item.items()}


_COPIES: weakref.WeakKeyDictionary[Store, dict[str, LocalCopy]] = weakref.WeakKeyDictionary()


def open_local_copy(store: Store, account_key: str) -> LocalCopy:
    """The copy of `account_key`'s inventory in the cache file beside the local store `store`: one object
    per cache file and account, so that every part of actui (the TUI, a sync, the write hooks) shares its
    values' columns."""
    from .cache_store import open_cache

    cache = open_cache(store)
    copies = _COPIES.setdefault(cache, {})
    copy = copies.get(account_key)
    if copy is None:
        copy = copies[account_key] = LocalCopy(cache, account_key)
    return copy
