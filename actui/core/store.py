"""actui's own local state in SQLite (WAL): tracked orders, the journal and drafts in one file (Store),
what can be fetched again (the list's first page) in another beside it (CacheStore in core/cache_store.py,
opened on first use by `cache_store.open_cache(store)`: this module does not import it).

The schema grows by appending to MIGRATIONS; PRAGMA user_version records how far a file has come (a
migration re-reads it inside the write lock). Several actui processes (the TUI, CLI commands) may use a
file at once.

Opening never fails silently and never loses the journal:
- a damaged file is moved aside (core/store_files.py) and a new one started; `notices` says where the
  old one is, for the CLI's stderr and the TUI's notification;
- a file actui may not write is opened read-only: reading works, a write raises StoreReadOnlyError
  naming the file and the fix; a store that cannot even be created is an empty one in memory, read-only;
- a damaged file that cannot be moved aside, or one too old to upgrade that cannot be written, makes
  Store() raise a StoreError; `open_store` then gives an empty read-only stand-in whose first notice says why;
- every SQLite failure while in use becomes a StoreError naming the file (damaged, read-only, locked, full).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..api.errors import ActuiError
from ..paths import state_db
from . import store_files
from .store_files import connect_read_only, header_damage, inode, is_damage, is_refused_write, move_aside, problem_words

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
    # the list cache moved to its own file (CacheStore): it is rebuilt from the server, the rest is not
    "DROP TABLE IF EXISTS list_cache;",
)


class StoreError(ActuiError):
    """The local store cannot be used as asked; the message names the file and what to do."""


class StoreDamagedError(StoreError):
    """The file is not a readable database and could not be moved aside (or broke while in use)."""


class StoreReadOnlyError(StoreError):
    """A write to a store actui may only read."""


@dataclass(frozen=True)
class StoreNotice:
    """Something the user must be told once: the CLI prints it on stderr, the TUI notifies."""

    text: str
    severity: str = "warning"   # "error", "warning" or "information" (Textual's notification severities)


class Store:
    ROLE = "local store"
    HOLDS = "its journal, drafts and tracked orders"
    SCHEMA: tuple[str, ...] = MIGRATIONS
    SETTING = "ACTUI_DATA_DIR"

    def __init__(self, path: Path | None = None, *,
                 writable: Callable[[Path], str | None] | None = None,
                 clock: Callable[[], float] = time.time):
        """`writable(path)` says why the file cannot be written (None: it can); tests inject it."""
        writable = writable or store_files.why_not_writable
        self._setup(path, writable, clock)
        self.db = self._open(writable)

    def _setup(self, path: Path | None, writable: Callable[[Path], str | None], clock: Callable[[], float]) -> None:
        self.path = Path(path) if path else self.default_path()
        self.clock = clock
        self.notices: list[StoreNotice] = []
        self.read_only_reason: str | None = None
        self._lock = threading.Lock()
        self._writable = writable
        self.cache: Store | None = None  # the cache file beside it, once opened (cache_store.open_cache)

    @classmethod
    def standing_in(cls, error: StoreError, path: Path | None = None) -> Store:
        """An empty, read-only store in memory in place of one that cannot be opened, so that the TUI
        still starts (and shows `error` as its first notice)."""
        store = cls.__new__(cls)
        store._setup(path, lambda _: "it cannot be opened", time.time)
        store.read_only_reason = f"it cannot be opened: {error}"
        store.notices.append(StoreNotice(f"{error}; until then nothing is saved", severity="error"))
        store.db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        store._migrate(store.db)
        store.db.execute("PRAGMA query_only=ON")
        return store

    @staticmethod
    def default_path() -> Path:
        return state_db()

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def take_notices(self) -> list[StoreNotice]:
        """What to tell the user about this store (and its cache, if opened), once."""
        notices, self.notices = self.notices, []
        return notices

    # --- opening ----------------------------------------------------------------------------------

    def _open(self, writable: Callable[[Path], str | None]) -> sqlite3.Connection:
        reason = writable(self.path)
        if reason is None:
            seen = inode(self.path)
            damage = header_damage(self.path)  # before SQLite meets it: closing, it would delete a -wal
            if damage is not None:
                return self._replace_damaged(damage, seen)
            db = self._connect()
            try:
                self._prepare(db)
                return db
            except sqlite3.DatabaseError as error:
                if is_damage(error):
                    return self._replace_damaged(error, seen, holding=db)
                db.close()
                if not is_refused_write(error):
                    raise self.error(error) from None
                reason = f"SQLite cannot write it: {error}"
            except BaseException:
                db.close()
                raise
        self.read_only_reason = reason
        if not self.path.exists():
            return self._open_empty(reason)
        try:
            db = connect_read_only(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        except sqlite3.DatabaseError as error:
            if is_damage(error):
                raise StoreDamagedError(self._damaged_text(error, f"it cannot be moved aside: {reason}")) from None
            raise self.error(error) from None
        if db.execute("PRAGMA user_version").fetchone()[0] < len(self.SCHEMA):
            db.close()
            return self._open_outdated(reason)
        return db

    def _connect(self) -> sqlite3.Connection:
        fresh = not self.path.exists()
        db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        if fresh:
            os.chmod(self.path, 0o600)
        return db

    def _prepare(self, db: sqlite3.Connection) -> None:
        db.execute("PRAGMA journal_mode=WAL")
        # in WAL mode a killed process loses nothing it committed; only a power cut may lose the last few
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=10000")
        self._migrate(db)

    def _replace_damaged(self, error: BaseException | str, seen: tuple[int, int] | None,
                         holding: sqlite3.Connection | None = None) -> sqlite3.Connection:
        """Move the damaged file aside and start a new one. `holding`, the connection that found the
        damage, is closed only once its files are renamed: SQLite deletes a -wal by name as it closes."""
        try:
            if inode(self.path) == seen:  # else another actui process has just replaced it: use the new one
                try:
                    aside = move_aside(self.path, self.clock)
                except OSError as move_error:
                    raise StoreDamagedError(self._damaged_text(
                        error, f"it cannot be moved aside: {move_error.strerror or move_error}")) from None
                self.notices.append(self._moved_aside_notice(error, aside))
        finally:
            if holding is not None:
                holding.close()
        db = self._connect()
        try:
            self._prepare(db)
        except sqlite3.DatabaseError as again:
            db.close()
            raise self.error(again) from None
        return db

    def _moved_aside_notice(self, error: BaseException | str, aside: Path) -> StoreNotice:
        return StoreNotice(f"the {self.ROLE} {self.path} was damaged ({error}): moved it aside to {aside} "
                           f"({self.HOLDS} stay there, readable with any SQLite tool) and started a new one")

    def _open_empty(self, reason: str) -> sqlite3.Connection:
        """Nothing to read and nowhere to write: an empty store in memory that refuses writes."""
        self.notices.append(StoreNotice(f"the {self.ROLE} {self.path} cannot be created ({reason}): "
                                        f"nothing is kept; {self.fix()}"))
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._migrate(db)
        db.execute("PRAGMA query_only=ON")
        return db

    def _open_outdated(self, reason: str) -> sqlite3.Connection:
        raise StoreReadOnlyError(f"the {self.ROLE} {self.path} was written by an older actui and needs an "
                                 f"upgrade that cannot be written ({reason}): {self.fix()}")

    def _migrate(self, db: sqlite3.Connection) -> None:
        with self._lock:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for index in range(version, len(self.SCHEMA)):
                db.execute("BEGIN IMMEDIATE")
                try:
                    # re-read inside the write lock: another process may have migrated meanwhile
                    if db.execute("PRAGMA user_version").fetchone()[0] > index:
                        db.execute("COMMIT")
                        continue
                    for statement in self.SCHEMA[index].split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute(f"PRAGMA user_version={index + 1}")
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise

    # --- messages ---------------------------------------------------------------------------------

    def fix(self) -> str:
        return f"fix the permissions of {self.path.parent}, or set {self.SETTING} to a directory you can write"

    def _damaged_text(self, error: BaseException | str, why: str) -> str:
        return (f"the {self.ROLE} {self.path} is damaged ({error}) and {why}: move it away yourself "
                f"({self.HOLDS} stay in it) and actui starts a new one, or set {self.SETTING} to another "
                "directory")

    def read_only_text(self, doing: str = "save changes") -> str:
        return f"cannot {doing}: the {self.ROLE} {self.path} is read-only ({self.read_only_reason}); {self.fix()}"

    def error(self, error: sqlite3.DatabaseError) -> Exception:
        """The StoreError a SQLite failure on this store means (a programming error is returned as is)."""
        if is_damage(error):
            return StoreDamagedError(self._damaged_text(error, "broke while in use"))
        if is_refused_write(error):
            if self.read_only_reason is None:
                self.read_only_reason = f"SQLite cannot write it: {error}"
            return StoreReadOnlyError(self.read_only_text())
        words = problem_words(error)
        if words is not None:
            return StoreError(f"the {self.ROLE} {self.path} cannot be used: {words}")
        return error

    def read_only_notice(self) -> StoreNotice:
        return StoreNotice(f"the {self.ROLE} {self.path} is read-only ({self.read_only_reason}): showing what "
                           f"it holds, changes are refused; {self.fix()}")

    def require_writable(self, doing: str = "save changes") -> None:
        """Refuse up front (before any request) what would have to be written here."""
        if self.read_only:
            raise StoreReadOnlyError(self.read_only_text(doing))

    # --- use --------------------------------------------------------------------------------------

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as error:
            translated = self.error(error)
            if translated is error:
                raise
            raise translated from None

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        with self._lock, self._translated():
            return self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        with self.transaction() as db:
            return db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back if the block raises."""
        with self._lock, self._translated():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock, self._translated():
            cursor = self.db.execute(sql, params)
            return cursor.fetchall()

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
        with self._lock:   # never under a query of another thread (the TUI reads the copy in threads)
            self.db.close()


def cache_path(store_path: Path) -> Path:
    """The cache file beside a store: actui.sqlite3 -> actui-cache.sqlite3."""
    return store_path.with_name(f"{store_path.stem}-cache{store_path.suffix}")


def open_store(path: Path | None = None, **options: Any) -> Store:
    """The store at path, or when it cannot be opened an empty read-only stand-in (its first notice says why)."""
    try:
        return Store(path, **options)
    except StoreError as error:
        return Store.standing_in(error, path)
