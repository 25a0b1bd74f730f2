"""The first page of the list as last seen, kept in the cache file (core/cache_store.py): a restarted
actui shows it at its first frame, marked as cached, while the fresh page is fetched
(stale-while-revalidate). A cache that cannot be read or written is only a missed head start: never an
error."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .cache_store import open_cache
from .inventory import NumberRow
from .store import Store, StoreError

# A head start is worth a page of ordinary rows (~30 KB for 100); a page far larger than that is the
# server's oddity, not worth a disk write and a slower start each time.
MAX_CACHED_BYTES = 2 * 1024 * 1024


@dataclass
class CachedPage:
    rows: list[NumberRow]
    total: int | None
    pages: int | None
    fetched_at: float


class ListCache:
    def __init__(self, store: Store, account: str):
        """`store` is the local store; the cache lives in the file beside it (cache_store.open_cache)."""
        self.store = open_cache(store)
        self.account = account

    def save(self, page_size: int, rows: list[NumberRow], total: int | None, pages: int | None,
             fetched_at: float) -> bool:
        """Keep the page (at most page_size rows); False, and nothing kept, when it is oversized or the
        cache cannot be written."""
        if self.store.read_only:
            return False
        document = json.dumps([[row.number, *row.cells] for row in rows[:page_size]], ensure_ascii=False)
        try:
            if len(document) > MAX_CACHED_BYTES:
                self.store.execute("DELETE FROM list_cache WHERE account = ? AND page_size = ?",
                                   (self.account, page_size))
                return False
            self.store.execute(
                "INSERT OR REPLACE INTO list_cache (account, page_size, total, pages, fetched_at, rows)"
                " VALUES (?, ?, ?, ?, ?, ?)", (self.account, page_size, total, pages, fetched_at, document))
        except StoreError:
            return False  # read-only or broken since it was opened: the next start moves a damaged one aside
        return True

    def load(self, page_size: int) -> CachedPage | None:
        try:
            found = self.store.query("SELECT total, pages, fetched_at, rows FROM list_cache"
                                     " WHERE account = ? AND page_size = ?", (self.account, page_size))
        except StoreError:
            return None
        if not found:
            return None
        total, pages, fetched_at, document = found[0]
        try:
            rows = [NumberRow(item[0], tuple(item[1:])) for item in json.loads(document)]
        except (ValueError, TypeError, IndexError):
            return None  # a damaged cache is only a missed head start
        return CachedPage(rows, total, pages, fetched_at)

    def clear(self) -> None:
        if not self.store.read_only:
            try:
                self.store.execute("DELETE FROM list_cache WHERE account = ?", (self.account,))
            except StoreError:
                pass
