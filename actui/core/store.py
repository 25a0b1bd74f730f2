"""actui's own local state: one SQLite file (WAL) for tracked orders, and later the journal and drafts.

The schema grows by appending to MIGRATIONS; PRAGMA user_version records how far a file has come.
Several actui processes (the TUI, CLI commands) may use the file at once.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..paths import ensure_private_dir, state_db

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE tracked_orders (
        account      TEXT NOT NULL,
        order_id     TEXT NOT NULL,
        action       TEXT,
        status       TEXT,
        provision_class TEXT,
        submitted_at REAL NOT NULL,
        polled_at    REAL,
        final        INTEGER NOT NULL DEFAULT 0,
        document     TEXT,
        PRIMARY KEY (account, order_id)
    );
    """,
    """
    CREATE TABLE drafts (
        account  TEXT NOT NULL,
        number   TEXT NOT NULL,
        base     TEXT NOT NULL,
        edited   TEXT NOT NULL,
        saved_at REAL NOT NULL,
        PRIMARY KEY (account, number)
    );
    """,
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
    # the journal (core/journal.py): one run per bulk edit, single edit, undo or order; one item per number
    """
    CREATE TABLE journal_runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        account     TEXT NOT NULL,
        profile     TEXT NOT NULL DEFAULT '',
        kind        TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        state       TEXT NOT NULL,
        started_at  REAL NOT NULL,
        finished_at REAL,
        undoes      INTEGER,
        requested   TEXT,
        host        TEXT,
        pid         INTEGER,
        token       TEXT
    );
    CREATE INDEX journal_runs_by_account ON journal_runs(account, id);
    CREATE TABLE journal_items (
        run_id     INTEGER NOT NULL,
        number     TEXT NOT NULL,
        seq        INTEGER NOT NULL,
        patch      TEXT NOT NULL,
        changes    TEXT NOT NULL,
        state      TEXT NOT NULL,
        error      TEXT,
        updated_at REAL,
        PRIMARY KEY (run_id, number)
    );
    CREATE INDEX journal_items_by_state ON journal_items(run_id, state);
    """,
)


class Store:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else state_db()
        ensure_private_dir(self.path.parent)
        fresh = not self.path.exists()
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        if fresh:
            os.chmod(self.path, 0o600)
        self.db.execute("PRAGMA journal_mode=WAL")
        # in WAL mode a killed process loses nothing it committed; only a power cut may lose the last few
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=10000")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for index in range(version, len(MIGRATIONS)):
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    # re-read inside the write lock: another process may have migrated meanwhile
                    if self.db.execute("PRAGMA user_version").fetchone()[0] > index:
                        self.db.execute("COMMIT")
                        continue
                    for statement in MIGRATIONS[index].split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                    self.db.execute(f"PRAGMA user_version={index + 1}")
                    self.db.execute("COMMIT")
                except BaseException:
                    self.db.execute("ROLLBACK")
                    raise

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        with self._lock:
            return self.db.execute(sql, params)

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        with self.transaction() as db:
            return db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back if the block raises."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self.db.execute(sql, params)
            return cursor.fetchall()

    def close(self) -> None:
        self.db.close()
