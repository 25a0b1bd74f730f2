"""The sandbox's inventory, orders and LOA files, in one SQLite file.

Several processes may open the same file at once (the TUI, CLI commands, a standalone `actui sandbox`),
so every write is a short `BEGIN IMMEDIATE` transaction and every connection waits on a busy database.

Each number is stored pre-serialized in two parts: its list summary (the detail minus `settings`) and
its settings. The list joins summaries, the detail is the summary with the settings spliced in: no
json.loads/dumps per row on the read path. (Storing the detail whole as well doubled the file, 243 MB at
100k numbers, and made seeding 1.5 s slower.)

Orders progress by the clock, not by a background thread: an order is Pending for the first 20% of
its duration, InProgress until it is due, then final. Whoever touches the state first after an order
is due settles it: its effects on the inventory are applied exactly once, in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..paths import sandbox_db
from .rules import Problem, Refused, check_update
from .seed import generate, is_failing_number, iso, provisioned_number

SCHEMA_VERSION = "2"
FIRST_ORDER_ID = 12345
PENDING_SHARE = 0.2  # an order is "Pending" for this share of its duration, then "InProgress"
CARRIER_FAILURE = "Number not available from the carrier (sandbox: numbers ending 0100-0199 always fail)"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS numbers (
    seq INTEGER PRIMARY KEY,            -- insertion order: the list's stable order
    number TEXT NOT NULL UNIQUE,
    summary_json TEXT NOT NULL,         -- the detail without settings: a list entry
    settings_json TEXT NOT NULL
);
-- a slim copy of the order: paging's OFFSET walks this index, not the wide rows
CREATE INDEX IF NOT EXISTS numbers_by_seq ON numbers(seq);
CREATE TABLE IF NOT EXISTS orders (
    order_id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    provision_class TEXT,
    provision_type TEXT,
    owner TEXT,
    created REAL NOT NULL,
    due REAL NOT NULL,
    final_status TEXT,                  -- NULL until settled
    applied INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS orders_unsettled ON orders(applied, due);
CREATE TABLE IF NOT EXISTS order_items (
    order_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    email TEXT,
    entry_json TEXT NOT NULL,           -- the request's entry: what a provisioned number becomes
    status TEXT,                        -- NULL until settled
    error_message TEXT,
    PRIMARY KEY (order_id, position)
);
CREATE INDEX IF NOT EXISTS order_items_number ON order_items(number);
CREATE TABLE IF NOT EXISTS loa_files (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created REAL NOT NULL
);
"""
_TABLES = ("meta", "numbers", "orders", "order_items", "loa_files")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def serialize(detail: dict[str, Any]) -> tuple[str, str]:
    """(summary JSON, settings JSON) of one number; the summary is every field but `settings`."""
    return dumps({k: v for k, v in detail.items() if k != "settings"}), dumps(detail.get("settings"))


def detail_text(summary_json: str, settings_json: str) -> str:
    return f'{summary_json[:-1]},"settings":{settings_json}}}'


def deep_merge(base: Any, patch: Any) -> Any:
    """Dicts merge key by key, recursively; lists and scalars replace."""
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return patch
    merged = dict(base)
    for key, value in patch.items():
        merged[key] = deep_merge(base.get(key), value) if key in base else value
    return merged


class SandboxState:
    def __init__(self, path: str | Path | None = None, *, numbers: int = 500, seed: int = 1,
                 reset: bool = False, p2p_seconds: float = 3.0, a2p_seconds: float = 40.0,
                 clock: Callable[[], float] | None = None):
        self.path = Path(path) if path is not None else sandbox_db()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.clock = clock or time.time
        self.p2p_seconds = p2p_seconds
        self.a2p_seconds = a2p_seconds
        self._lock = threading.RLock()
        # successful PUTs per number since this object opened (in memory: tests check nothing is written twice)
        self.put_counts: Counter[str] = Counter()
        self._db = sqlite3.connect(self.path, timeout=15.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._open(numbers, seed, reset)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SandboxState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions -----------------------------------------------------------------------------

    @contextmanager
    def _tx(self, mode: str = "") -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute(f"BEGIN {mode}")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _write(self) -> Any:
        return self._tx("IMMEDIATE")

    # --- schema and seed --------------------------------------------------------------------------

    def _open(self, numbers: int, seed: int, reset: bool) -> None:
        with self._write() as db:
            version = None
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                version = row and row[0]
            if reset or (version is not None and version != SCHEMA_VERSION):
                for table in _TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
            # statement by statement: executescript() would COMMIT the open transaction
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            if db.execute("SELECT 1 FROM meta WHERE key = 'seed'").fetchone() is None:
                self._seed(db, numbers, seed)

    def _seed(self, db: sqlite3.Connection, numbers: int, seed: int) -> None:
        db.executemany(
            "INSERT INTO numbers (number, summary_json, settings_json) VALUES (?, ?, ?)",
            ((doc["phoneNumber"], *serialize(doc)) for doc in generate(numbers, seed)),
        )
        db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                       [("schema_version", SCHEMA_VERSION), ("seed", str(seed)), ("count", str(numbers))])

    def meta(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- inventory --------------------------------------------------------------------------------

    def count(self) -> int:
        self.settle()
        with self._lock:
            return self._db.execute("SELECT count(*) FROM numbers").fetchone()[0]

    def page(self, page: int, limit: int, *, with_settings: bool = False) -> tuple[list[str], int]:
        """One page (1-based) of list summaries (or whole details) as JSON texts, and the total count."""
        self.settle()
        with self._tx() as db:
            total = db.execute("SELECT count(*) FROM numbers").fetchone()[0]
            rows = db.execute(
                f"SELECT summary_json{', settings_json' if with_settings else ''} FROM numbers WHERE seq >= "
                "(SELECT seq FROM numbers INDEXED BY numbers_by_seq ORDER BY seq LIMIT 1 OFFSET ?) "
                "ORDER BY seq LIMIT ?",
                ((page - 1) * limit, limit),
            ).fetchall()
        if with_settings:
            return [detail_text(*r) for r in rows], total
        return [r[0] for r in rows], total

    def numbers(self) -> list[str]:
        """Every number in the inventory, in list order."""
        self.settle()
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT number FROM numbers ORDER BY seq")]

    def detail_json(self, number: str) -> str | None:
        self.settle()
        with self._lock:
            row = self._db.execute("SELECT summary_json, settings_json FROM numbers WHERE number = ?",
                                   (number,)).fetchone()
        return detail_text(*row) if row else None

    def detail(self, number: str) -> dict[str, Any] | None:
        text = self.detail_json(number)
        return json.loads(text) if text else None

    def update(self, number: str, body: Any) -> str | None:
        """Apply a PUT body (validated, deep-merged); the new detail JSON, or None if not in the inventory.

        Raises rules.Refused for a body the guide does not allow (immutable or unknown top-level fields,
        bad values), naming each field by its wire path. Only what the body sends is judged (odd values
        already stored stay, see rules.py).
        """
        self.settle()
        with self._write() as db:
            row = db.execute("SELECT summary_json, settings_json FROM numbers WHERE number = ?",
                             (number,)).fetchone()
            if row is None:
                return None
            stored = json.loads(detail_text(*row))
            check_update(body, stored)
            detail = deep_merge(stored, body)
            if "isActivated" in body:
                if body["isActivated"] and detail.get("status") == "Inactive":
                    detail["status"] = "Active"
                elif not body["isActivated"] and detail.get("status") == "Active":
                    detail["status"] = "Inactive"
            summary, settings = serialize(detail)
            db.execute("UPDATE numbers SET summary_json = ?, settings_json = ? WHERE number = ?",
                       (summary, settings, number))
            self.put_counts[number] += 1
        return detail_text(summary, settings)

    def put_raw(self, detail: dict[str, Any]) -> None:
        """Store a number exactly as given, unchecked: odd-but-real or hostile data a real server may hold.

        Adds the number (at the end of the list) or replaces it whole. Strings are stored JSON-escaped,
        so even lone surrogates and control characters reach the client exactly as given.
        """
        self.settle()
        summary = json.dumps({k: v for k, v in detail.items() if k != "settings"}, separators=(",", ":"))
        settings = json.dumps(detail.get("settings"), separators=(",", ":"))
        with self._write() as db:
            updated = db.execute("UPDATE numbers SET summary_json = ?, settings_json = ? WHERE number = ?",
                                 (summary, settings, detail["phoneNumber"])).rowcount
            if not updated:
                db.execute("INSERT INTO numbers (number, summary_json, settings_json) VALUES (?, ?, ?)",
                           (detail["phoneNumber"], summary, settings))

    # --- orders -----------------------------------------------------------------------------------

    def submit(self, request: dict[str, Any], owner: str = "") -> int:
        """Place an (un)provision order (a body rules.check_order passed); raise rules.Refused when the
        inventory forbids it."""
        self.settle()
        provision = request["action"] == "Provision"
        entries = [dict(e) for e in request["phoneNumbers"]]
        now = self.clock()
        with self._write() as db:
            problems: list[Problem] = []
            seen: set[str] = set()
            details: dict[str, dict[str, Any]] = {}
            for index, entry in enumerate(entries):
                number, field = entry["number"], f"phoneNumbers[{index}].number"
                if number in seen:
                    problems.append(Problem(field, f"{number} is listed more than once"))
                    continue
                seen.add(number)
                row = db.execute("SELECT summary_json FROM numbers WHERE number = ?", (number,)).fetchone()
                pending = db.execute(
                    "SELECT o.order_id FROM order_items i JOIN orders o ON o.order_id = i.order_id "
                    "WHERE i.number = ? AND o.applied = 0 LIMIT 1", (number,)).fetchone()
                if provision and row:
                    problems.append(Problem(field, f"{number} is already provisioned"))
                elif not provision and not row:
                    problems.append(Problem(field, f"{number} is not in the inventory"))
                elif pending:
                    problems.append(Problem(field, f"{number} is already in order {pending[0]}, "
                                                        "which is not complete yet"))
                elif row:
                    details[number] = json.loads(row[0])
            if problems:
                raise Refused(problems)
            features = ([e.get("messagingFeature") or {} for e in entries] if provision
                        else [details[e["number"]] for e in entries])
            classes = [f.get("provisionClass") for f in features]
            order_class = "A2P" if "A2P" in classes else (classes[0] or "P2P")
            duration = self.a2p_seconds if order_class == "A2P" else self.p2p_seconds
            order_id = db.execute("SELECT COALESCE(MAX(order_id) + 1, ?) FROM orders",
                                  (FIRST_ORDER_ID,)).fetchone()[0]
            db.execute(
                "INSERT INTO orders (order_id, action, tenant_id, provision_class, provision_type, owner, "
                "created, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (order_id, request["action"], request["tenantId"], order_class, features[0].get("provisionType"),
                 owner, now, now + duration))
            db.executemany(
                "INSERT INTO order_items (order_id, position, number, phone_number_id, email, entry_json) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(order_id, index, e["number"],
                  details[e["number"]]["phoneNumberId"] if not provision else str(uuid.uuid4()),
                  e.get("email") if provision else details[e["number"]].get("email"), dumps(e))
                 for index, e in enumerate(entries)])
        return order_id

    def order(self, order_id: int) -> dict[str, Any] | None:
        """The order as GET /orders/{id} shows it, or None."""
        self.settle()
        with self._tx() as db:
            row = db.execute(
                "SELECT action, tenant_id, provision_class, provision_type, created, due, final_status "
                "FROM orders WHERE order_id = ?", (order_id,)).fetchone()
            if row is None:
                return None
            items = db.execute(
                "SELECT number, phone_number_id, status, email, error_message FROM order_items "
                "WHERE order_id = ? ORDER BY position", (order_id,)).fetchall()
        action, tenant_id, pclass, ptype, created, due, final = row
        status = final or self._progress(created, due)
        phone_numbers = []
        for number, phone_number_id, item_status, email, error in items:
            item = {"number": number, "phoneNumberId": phone_number_id, "status": item_status or status,
                    "email": email}
            if error:
                item["errorMessage"] = error
            phone_numbers.append(item)
        return {
            "orderId": order_id, "status": status, "action": action, "tenantId": tenant_id,
            "provisionClass": pclass, "provisionType": ptype, "createDate": iso(created),
            "completionDate": iso(due) if final else None, "phoneNumbers": phone_numbers,
        }

    def _progress(self, created: float, due: float) -> str:
        elapsed = self.clock() - created
        return "Pending" if elapsed < (due - created) * PENDING_SHARE or elapsed <= 0 else "InProgress"

    def settle(self) -> int:
        """Apply every order that is due and not yet applied; how many were."""
        now = self.clock()
        with self._lock:
            if not self._db.execute("SELECT 1 FROM orders WHERE applied = 0 AND due <= ? LIMIT 1",
                                    (now,)).fetchone():
                return 0
            with self._write() as db:
                due = db.execute("SELECT order_id FROM orders WHERE applied = 0 AND due <= ? "
                                 "ORDER BY due, order_id", (now,)).fetchall()
                for (order_id,) in due:
                    self._apply(db, order_id)
            return len(due)

    def _apply(self, db: sqlite3.Connection, order_id: int) -> None:
        action, tenant_id, owner, created, due = db.execute(
            "SELECT action, tenant_id, owner, created, due FROM orders WHERE order_id = ?",
            (order_id,)).fetchone()
        items = db.execute("SELECT position, number, phone_number_id, entry_json FROM order_items "
                           "WHERE order_id = ?", (order_id,)).fetchall()
        outcomes = []
        for position, number, phone_number_id, entry_json in items:
            present = db.execute("SELECT 1 FROM numbers WHERE number = ?", (number,)).fetchone()
            error = None
            if is_failing_number(number):
                error = CARRIER_FAILURE
            elif action == "Provision":
                if present:
                    error = f"{number} was provisioned by another order in the meantime"
                else:
                    doc = provisioned_number(json.loads(entry_json), phone_number_id, tenant_id, owner,
                                             created, due)
                    db.execute("INSERT INTO numbers (number, summary_json, settings_json) VALUES (?, ?, ?)",
                               (number, *serialize(doc)))
            elif not present:
                error = f"{number} was no longer in the inventory"
            else:
                db.execute("DELETE FROM numbers WHERE number = ?", (number,))
            outcomes.append("Failed" if error else "Completed")
            db.execute("UPDATE order_items SET status = ?, error_message = ? WHERE order_id = ? AND position = ?",
                       (outcomes[-1], error, order_id, position))
        final = ("Completed" if all(o == "Completed" for o in outcomes)
                 else "Failed" if all(o == "Failed" for o in outcomes) else "PartiallyCompleted")
        db.execute("UPDATE orders SET final_status = ?, applied = 1 WHERE order_id = ?", (final, order_id))

    # --- LOA documents ----------------------------------------------------------------------------

    def store_loa(self, file_name: str, content_type: str, data: bytes, extension: str) -> dict[str, Any]:
        loa_id = str(uuid.uuid4())
        with self._write() as db:
            db.execute("INSERT INTO loa_files (id, file_name, content_type, size, data, created) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (loa_id, file_name, content_type, len(data), data, self.clock()))
        return {"loaUrl": f"https://sandbox.actui.invalid/loa/{loa_id}.{extension}", "fileName": file_name,
                "size": len(data)}

    def loa_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM loa_files").fetchone()[0]

