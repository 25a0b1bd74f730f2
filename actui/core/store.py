"""actui's own local state: one SQLite file (WAL) for tracked orders, and later the journal and drafts.

The schema grows by appending to MIGRATIONS; PRAGMA user_version records how far a file has come.
Several actui processes (the TUI, CLI commands) may use the file at once.
"""

from __future__ import annotations

import os
import sqlite3
import threading
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

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self.db.execute(sql, params)
            return cursor.fetchall()

    def close(self) -> None:
        self.db.close()
