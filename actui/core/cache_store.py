"""The cache file beside the local store: what actui can fetch from the server again (the list's first page).

It has its own file so that the journal never shares a fate with it: a damaged cache is moved aside and
a new one started without a word of warning beyond a note, and a cache that cannot be opened at all is
kept in memory for this run. A read-only cache is read and never written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from .store import Store, StoreDamagedError, StoreNotice, StoreReadOnlyError, cache_path

SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE list_cache (
        account    TEXT NOT NULL,
        page_size  INTEGER NOT NULL,
        total      INTEGER,
        pages      INTEGER,
        fetched_at REAL NOT NULL,
        rows       TEXT NOT NULL,
        PRIMARY KEY (account, page_size)
    );
    """,
    # the local copy of the inventory (core/local_copy.py): per number the list item and the detail as
    # sent; a detail the list item already carried (its `settings`) is not stored twice (detail_in_item).
    # A rowid table: rows of a kilobyte or two would overflow a WITHOUT ROWID table's pages (4 KB each).
    """
    CREATE TABLE copy_numbers (
        account        TEXT NOT NULL,
        number         TEXT NOT NULL,
        position       INTEGER NOT NULL,
        list_item      TEXT NOT NULL,
        list_seen_at   REAL NOT NULL,
        detail         TEXT,
        detail_in_item INTEGER NOT NULL DEFAULT 0,
        detail_read_at REAL
    );
    CREATE UNIQUE INDEX copy_numbers_by_number ON copy_numbers(account, number);
    CREATE INDEX copy_numbers_in_order ON copy_numbers(account, position);
    CREATE TABLE copy_meta (
        account        TEXT PRIMARY KEY,
        list_synced_at REAL
    );
    """,
)


class CacheStore(Store):
    ROLE = "list cache"
    HOLDS = "only what the server sends again"
    SCHEMA = SCHEMA

    @staticmethod
    def default_path() -> Path:
        from ..paths import cache_db

        return cache_db()

    def _open(self, writable: Callable[[Path], str | None]) -> sqlite3.Connection:
        try:
            return super()._open(writable)
        except (StoreDamagedError, StoreReadOnlyError):
            # damaged where it cannot be moved, or too old to upgrade: start empty, for this run only
            return self._memory()

    @property
    def in_memory(self) -> bool:
        """Kept in memory for this run only: its file could not be opened or written."""
        return self.query("PRAGMA database_list")[0][2] == ""

    def _moved_aside_notice(self, error: BaseException | str, aside: Path) -> StoreNotice:
        return StoreNotice(f"the {self.ROLE} {self.path} was damaged ({error}): moved it aside to {aside}; "
                           "a new one fills as pages load", severity="information")

    def _open_empty(self, reason: str) -> sqlite3.Connection:
        return self._memory()

    def _memory(self) -> sqlite3.Connection:
        self.read_only_reason = None  # in memory, it may be written: it lasts as long as this run
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._migrate(db)
        return db


def open_cache(store: Store) -> Store:
    """The cache file beside the local store, opened on first use; what happened to it joins the store's
    notices."""
    if store.cache is None:
        store.cache = CacheStore(cache_path(store.path), writable=store._writable, clock=store.clock)
        store.notices.extend(store.cache.notices)
    return store.cache
