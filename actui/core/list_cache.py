"""The first page of the list as last seen, kept in the local store: a restarted actui shows it at its
first frame, marked as cached, while the fresh page is fetched (stale-while-revalidate)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .inventory import Row
from .store import Store


@dataclass
class CachedPage:
    rows: list[Row]
    total: int | None
    pages: int | None
    fetched_at: float


class ListCache:
    def __init__(self, store: Store, account: str):
        self.store = store
        self.account = account

    def save(self, page_size: int, rows: list[Row], total: int | None, pages: int | None,
             fetched_at: float) -> None:
        document = json.dumps([[row.number, *row.cells] for row in rows], ensure_ascii=False)
        self.store.execute(
            "INSERT OR REPLACE INTO list_cache (account, page_size, total, pages, fetched_at, rows)"
            " VALUES (?, ?, ?, ?, ?, ?)", (self.account, page_size, total, pages, fetched_at, document))

    def load(self, page_size: int) -> CachedPage | None:
        found = self.store.query("SELECT total, pages, fetched_at, rows FROM list_cache"
                                 " WHERE account = ? AND page_size = ?", (self.account, page_size))
        if not found:
            return None
        total, pages, fetched_at, document = found[0]
        try:
            rows = [Row(item[0], tuple(item[1:])) for item in json.loads(document)]
        except (ValueError, TypeError, IndexError):
            return None  # a damaged cache is only a missed head start
        return CachedPage(rows, total, pages, fetched_at)

    def clear(self) -> None:
        self.store.execute("DELETE FROM list_cache WHERE account = ?", (self.account,))
