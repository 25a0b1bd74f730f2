"""The local copy of the inventory: every active number's list item and detail as the server sent them.

It lives in the cache file (core/cache_store.py: "what actui can fetch again"), one row per number and
account: the list item (JSON text, unknown fields kept), when the list last showed it, and the detail with
the time it was read. A list item that carries `settings` is the detail too (read when its page was), and
is not stored twice. core/sync.py fills it; actui's own writes (edits, bulk runs, undo, unprovision) update
it at once through put_detail / forget; filters read it through values().
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..api.list_items import number_of
from .store import Store


@dataclass(frozen=True)
class CopyStatus:
    numbers: int                    # numbers held (as the list showed them)
    with_details: int               # of which a detail is held
    oldest_detail_at: float | None  # the read time of the oldest detail held (None: no detail)
    list_synced_at: float | None    # when the last complete pass over the list ended (None: never)

    @property
    def missing_details(self) -> int:
        return self.numbers - self.with_details


def _absent() -> Any:
    """The filter language's "no such value" (core/filtering.ABSENT)."""
    from . import filtering

    return getattr(filtering, "ABSENT", _NO_VALUE)


_NO_VALUE: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT", "__bool__": lambda self: False})()
_DOCUMENT = "coalesce(detail, list_item)"   # the detail, or the list item where none was read (or it is one)


def json_path(path: str) -> str:
    """A dotted wire path as SQLite's JSON path, every key quoted (`settings.optOut` -> `$."settings"."optOut"`)."""
    keys = [key for key in path.split(".") if key]
    return "$" + "".join('."' + key.replace('"', '""') + '"' for key in keys)


class PathValues:
    """Values of wire paths per number, as the copy held them when made; each path's column is read from
    SQLite once (json_extract over every document), then a lookup is a dict get."""

    def __init__(self, build: Callable[[str], dict[str, Any]], absent: Any):
        self._build = build
        self._absent = absent
        self._columns: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def column(self, path: str) -> dict[str, Any]:
        """number -> value at `path`, for every number whose document holds it."""
        found = self._columns.get(path)
        if found is None:
            with self._lock:
                found = self._columns.get(path)
                if found is None:
                    found = self._columns[path] = self._build(path)
        return found

    def get(self, number: str, path: str) -> Any:
        return self.column(path).get(number, self._absent)


class LocalCopy:
    def __init__(self, cache_store: Store, account_key: str, *, clock: Callable[[], float] = time.time):
        """`cache_store`: the cache file (cache_store.open_cache(store) gives it beside the local store)."""
        self.store = cache_store
        self.account = account_key
        self.clock = clock
        self._values: tuple[tuple[int, int], PathValues] | None = None
        self._next_position: int | None = None

    # --- writing ----------------------------------------------------------------------------------

    def put_list_items(self, items: Sequence[Mapping[str, Any]], seen_at: float) -> int:
        """Hold these list items (one page, in list order, after those put before in this pass); an item
        carrying `settings` is also the number's detail, read at `seen_at`. Items naming no number are
        skipped. Returns how many were held."""
        rows = []
        position = self._positions()
        for item in items:
            number = number_of(item)
            if number is None:
                continue
            position += 1
            carries = isinstance(item.get("settings"), dict)
            rows.append((self.account, number, position, json.dumps(item, ensure_ascii=False, separators=(",", ":")),
                         seen_at, 1 if carries else 0, seen_at if carries else None))
        if not rows:
            return 0
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
        self._changed()
        return len(rows)

    def put_detail(self, number: str, doc: Mapping[str, Any], read_at: float) -> bool:
        """The number's detail as read (or as a write's answer returned it) at `read_at`. The fields its list
        item holds take the detail's values, so list columns follow actui's own edits. Only a number the
        copy holds is updated (a provisioned number joins when the list shows it): False for another."""
        return self.put_details([(number, doc, read_at)]) == 1

    def put_details(self, details: Iterable[tuple[str, Mapping[str, Any], float]]) -> int:
        """put_detail for several numbers in one transaction; how many the copy holds (and updated)."""
        updated = 0
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
                updated += 1
        if updated:
            self._changed()
        return updated

    def forget(self, number: str) -> None:
        """The number is gone (unprovisioned, or the server no longer knows it)."""
        self.store.execute("DELETE FROM copy_numbers WHERE account = ? AND number = ?", (self.account, number))
        self._changed()

    def forget_detail(self, number: str) -> None:
        """The detail held may no longer be what the server holds (a write of unknown outcome): the next
        sync reads it again. The list item stays."""
        self.store.execute("UPDATE copy_numbers SET detail = NULL, detail_in_item = 0, detail_read_at = NULL"
                           " WHERE account = ? AND number = ?", (self.account, number))
        self._changed()

    def keep_only(self, numbers_seen: Iterable[str], synced_at: float | None = None) -> int:
        """After a complete pass over the list: drop every number it did not show, and note the pass's end
        (`synced_at`, default now). Returns how many were dropped."""
        with self.store.transaction() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS copy_seen (number TEXT PRIMARY KEY) WITHOUT ROWID")
            db.execute("DELETE FROM copy_seen")
            db.executemany("INSERT OR IGNORE INTO copy_seen (number) VALUES (?)", ((n,) for n in numbers_seen))
            dropped = db.execute("DELETE FROM copy_numbers WHERE account = ? AND number NOT IN"
                                 " (SELECT number FROM copy_seen)", (self.account,)).rowcount
            db.execute("DELETE FROM copy_seen")
            db.execute("INSERT OR REPLACE INTO copy_meta (account, list_synced_at) VALUES (?, ?)",
                       (self.account, self.clock() if synced_at is None else synced_at))
        self._changed()
        return dropped

    def clear(self) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM copy_numbers WHERE account = ?", (self.account,))
            db.execute("DELETE FROM copy_meta WHERE account = ?", (self.account,))
        self._changed()

    # --- reading ----------------------------------------------------------------------------------

    def detail(self, number: str) -> tuple[dict[str, Any], float] | None:
        """The number's detail as sent and when it was read; None when none is held."""
        found = self.store.query(f"SELECT {_DOCUMENT}, detail_read_at FROM copy_numbers"
                                 " WHERE account = ? AND number = ? AND detail_read_at IS NOT NULL",
                                 (self.account, number))
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
        """Every number's value at any wire path, read from the copy as it is now; the same object (and the
        columns it has built) until the copy changes, here or in another process."""
        # data_version moves when another connection commits; total_changes counts this one's writes
        # (also those made through another LocalCopy on the same store)
        version = (self.store.db.total_changes, self.store.query("PRAGMA data_version")[0][0])
        if self._values is not None and self._values[0] == version:
            return self._values[1]
        values = PathValues(self._column, _absent())
        self._values = (version, values)
        return values

    def _column(self, path: str) -> dict[str, Any]:
        where = json_path(path)
        rows = self.store.query(f"SELECT number, json_type({_DOCUMENT}, ?), json_extract({_DOCUMENT}, ?)"
                                " FROM copy_numbers WHERE account = ?", (where, where, self.account))
        column: dict[str, Any] = {}
        for number, kind, value in rows:
            if kind is None:
                continue            # absent
            if kind == "true":
                column[number] = True
            elif kind == "false":
                column[number] = False
            elif kind in ("object", "array"):
                column[number] = json.loads(value)
            else:                   # null (None), integer, real, text
                column[number] = value
        return column

    # --- inside -----------------------------------------------------------------------------------

    def _positions(self) -> int:
        if self._next_position is None:
            found = self.store.query("SELECT max(position) FROM copy_numbers WHERE account = ?", (self.account,))
            self._next_position = found[0][0] or 0
        return self._next_position

    def _changed(self) -> None:
        self._values = None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _follow(item: dict[str, Any], doc: Mapping[str, Any]) -> dict[str, Any]:
    """The list item with the values of a newer detail for the fields it holds."""
    return {key: doc[key] if key in doc else value for key, value in item.items()}


def open_local_copy(store: Store, account_key: str) -> LocalCopy:
    """The copy of `account_key`'s inventory in the cache file beside the local store `store`."""
    from .cache_store import open_cache

    return LocalCopy(open_cache(store), account_key)
