"""The local audit log: every change actui makes to a number, field by field, and what came of it.

A run is one operation (a single edit, a bulk edit, an undo, a provision or unprovision order); it holds
one item per number. Items are written before anything is sent ("pending" at begin, "sending" right before
the request) and again after ("changed", "failed" with the server's message, ...), so a run cut short by a
crash or a kill can be resumed without writing a number twice (core/bulk.py reads "sending" items back
first). A run records the process that owns it; a "running" run whose owner is gone is resumable.

Rows hold numbers, field paths and values only: never the password or a header.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..api.errors import ActuiError
from .patch import get_path, leaves

if TYPE_CHECKING:
    from .store import Store

ITEM_STATES = ("pending", "sending", "changed", "unchanged", "failed", "cancelled", "conflict", "ordered", "unknown")
OPEN_STATES = ("pending", "sending")
RUN_KINDS = ("edit", "bulk", "undo", "provision", "unprovision")
ORDER_KINDS = ("provision", "unprovision")

# runs this process is executing right now (a run of a live process is resumable only when it is not here)
_ACTIVE: set[tuple[str, int]] = set()


class JournalError(ActuiError):
    """A run cannot be used as asked (unknown, still running elsewhere, nothing left to do)."""


@dataclass(frozen=True)
class FieldChange:
    """One leaf of a change: its dotted wire path ("settings.optOut.text", "billingPlanName")."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class PlannedItem:
    """One number of a run: the PUT document (only what differs from the server) and its leaves."""

    number: str
    patch: dict
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class JournalItem:
    run_id: int
    number: str
    patch: dict
    changes: tuple[FieldChange, ...]
    state: str
    error: str | None
    updated_at: float | None


@dataclass(frozen=True)
class Run:
    id: int
    kind: str
    account: str
    profile: str
    description: str
    state: str                     # "running", "done", "cancelled"
    started_at: float
    finished_at: float | None
    undoes: int | None
    counts: dict[str, int]         # item state -> how many
    requested: dict | None = None  # the change asked for (bulk runs)
    pid: int | None = None         # the process that runs (or ran) it

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open(self) -> int:
        """Items not settled yet (pending or sending)."""
        return sum(self.counts.get(s, 0) for s in OPEN_STATES)


@dataclass(frozen=True)
class Entry:
    """One field change as the journal screen lists it."""

    at: float
    profile: str
    run_id: int
    kind: str
    number: str
    path: str
    old: Any
    new: Any
    result: str
    error: str | None


@dataclass
class _Query:
    run_id: int | None = None
    words: list[str] = field(default_factory=list)


class Journal:
    """The runs of one account (as config.Connection.account_key names it), kept in the Store."""

    def __init__(self, store: Store, account: str, profile: str = "", clock: Callable[[], float] = time.time):
        self.store = store
        self.account = account
        self.profile = profile or ""
        self.clock = clock

    # --- writing ----------------------------------------------------------------------------------

    def begin(self, kind: str, items: Sequence[PlannedItem], description: str = "", undoes: int | None = None,
              *, requested: Mapping[str, Any] | None = None,
              settled: Iterable[tuple[PlannedItem, str, str | None]] = ()) -> Run:
        """A new run owned by this process; every item "pending" (or as `settled` says), in one transaction."""
        if kind not in RUN_KINDS:
            raise ValueError(f"unknown run kind {kind!r}")
        now = self.clock()
        pid = os.getpid()
        rows: list[tuple[PlannedItem, str, str | None]] = [(item, "pending", None) for item in items]
        rows += [(item, _check_state(state), error) for item, state, error in settled]
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO journal_runs (account, profile, kind, description, state, started_at, undoes,"
                " requested, host, pid, token) VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                (self.account, self.profile, kind, description, now, undoes,
                 _dumps(requested) if requested is not None else None, _HOST, pid, process_token(pid)))
            run_id = cursor.lastrowid
            assert run_id is not None  # an INSERT always sets it
            db.executemany(
                "INSERT INTO journal_items (run_id, number, seq, patch, changes, state, error, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, item.number, seq, _dumps(item.patch), _changes_json(item.changes), state, error,
                  None if state == "pending" else now)
                 for seq, (item, state, error) in enumerate(rows)])
        _ACTIVE.add((str(self.store.path), run_id))
        return self._run_or_fail(run_id)

    def sending(self, run_id: int, number: str, replanned: PlannedItem | None = None) -> None:
        """The item's request is about to go out. `replanned`: the number was read again just before, so
        the item's patch and "old" values become what that reading found (in the same write)."""
        if replanned is None:
            self.store.execute(
                "UPDATE journal_items SET state = 'sending', updated_at = ? WHERE run_id = ? AND number = ?",
                (self.clock(), run_id, number))
            return
        self.store.execute(
            "UPDATE journal_items SET state = 'sending', patch = ?, changes = ?, updated_at = ?"
            " WHERE run_id = ? AND number = ?",
            (_dumps(replanned.patch), _changes_json(replanned.changes), self.clock(), run_id, number))

    def sending_many(self, run_id: int, numbers: Iterable[str]) -> None:
        now = self.clock()
        self.store.executemany(
            "UPDATE journal_items SET state = 'sending', updated_at = ? WHERE run_id = ? AND number = ?",
            [(now, run_id, n) for n in numbers])

    def finish_item(self, run_id: int, number: str, state: str, error: str | None = None,
                    changes: Sequence[FieldChange] | None = None) -> None:
        _check_state(state)
        if changes is None:
            self.store.execute(
                "UPDATE journal_items SET state = ?, error = ?, updated_at = ? WHERE run_id = ? AND number = ?",
                (state, error, self.clock(), run_id, number))
        else:
            self.store.execute(
                "UPDATE journal_items SET state = ?, error = ?, changes = ?, updated_at = ?"
                " WHERE run_id = ? AND number = ?",
                (state, error, _changes_json(changes), self.clock(), run_id, number))

    def finish_items(self, run_id: int, numbers: Iterable[str], state: str, error: str | None = None,
                     changes: Sequence[FieldChange] | None = None) -> None:
        """Settle many items alike, in one transaction (e.g. the pending rest of a cancelled run)."""
        _check_state(state)
        now = self.clock()
        if changes is None:
            self.store.executemany(
                "UPDATE journal_items SET state = ?, error = ?, updated_at = ? WHERE run_id = ? AND number = ?",
                [(state, error, now, run_id, n) for n in numbers])
        else:
            text = _changes_json(changes)
            self.store.executemany(
                "UPDATE journal_items SET state = ?, error = ?, changes = ?, updated_at = ?"
                " WHERE run_id = ? AND number = ?", [(state, error, text, now, run_id, n) for n in numbers])

    def finish_run(self, run_id: int, state: str = "done") -> Run:
        if state not in ("done", "cancelled", "running"):
            raise ValueError(f"unknown run state {state!r}")
        self.store.execute("UPDATE journal_runs SET state = ?, finished_at = ? WHERE id = ? AND account = ?",
                           (state, None if state == "running" else self.clock(), run_id, self.account))
        self.release(run_id)
        return self._run_or_fail(run_id)

    def release(self, run_id: int) -> None:
        """This process no longer executes the run (it stays "running" if it was: resumable)."""
        _ACTIVE.discard((str(self.store.path), run_id))

    def claim(self, run_id: int) -> Run:
        """Take over a resumable run: it becomes this process's, or JournalError says why it cannot."""
        with self.store.transaction() as db:
            row = db.execute("SELECT state, host, pid, token FROM journal_runs WHERE id = ? AND account = ?",
                             (run_id, self.account)).fetchone()
            if row is None:
                raise JournalError(f"there is no run {run_id} in the journal of {self.account}")
            state, host, pid, token = row
            if state != "running":
                raise JournalError(f"run {run_id} is {state}: there is nothing to resume")
            if self._owner_alive(run_id, host, pid, token):
                raise JournalError(f"run {run_id} is still running in process {pid}")
            pid = os.getpid()
            db.execute("UPDATE journal_runs SET host = ?, pid = ?, token = ? WHERE id = ?",
                       (_HOST, pid, process_token(pid), run_id))
        _ACTIVE.add((str(self.store.path), run_id))
        return self._run_or_fail(run_id)

    def record_edit(self, number: str, old_doc: Mapping[str, Any], patch: Mapping[str, Any], state: str,
                    error: str | None = None) -> Run:
        """Journal an edit already settled, in one go. The editor and `actui numbers update NUMBER` do not
        use it: they journal through core.edits.save_edit (pending, "sending" right before the PUT, then
        the result), as the bulk engine does, so a kill mid-save leaves a resumable run."""
        item = PlannedItem(number, dict(patch), changes_between(old_doc, patch))
        run = self.begin("edit", [], f"edit {number}", settled=[(item, state, error)])
        return self.finish_run(run.id)

    # --- reading ----------------------------------------------------------------------------------

    def runs(self, limit: int = 200) -> list[Run]:
        """Newest first, this account only."""
        rows = self.store.query(_RUN_SELECT + " WHERE account = ? ORDER BY id DESC LIMIT ?", (self.account, limit))
        counts = self._counts([r[0] for r in rows])
        return [_run(r, counts.get(r[0], {})) for r in rows]

    def run(self, run_id: int) -> Run | None:
        rows = self.store.query(_RUN_SELECT + " WHERE account = ? AND id = ?", (self.account, run_id))
        return _run(rows[0], self._counts([run_id]).get(run_id, {})) if rows else None

    def items(self, run_id: int, states: Iterable[str] | None = None) -> list[JournalItem]:
        sql = ("SELECT i.run_id, i.number, i.patch, i.changes, i.state, i.error, i.updated_at FROM journal_items i"
               " JOIN journal_runs r ON r.id = i.run_id WHERE i.run_id = ? AND r.account = ?")
        params: list[Any] = [run_id, self.account]
        if states is not None:
            wanted = list(states)
            sql += f" AND i.state IN ({','.join('?' * len(wanted))})"
            params += wanted
        return [JournalItem(r[0], r[1], json.loads(r[2]), _changes(r[3]), r[4], r[5], r[6])
                for r in self.store.query(sql + " ORDER BY i.seq", tuple(params))]

    def entries(self, query: str = "", limit: int = 2000) -> list[Entry]:
        """Field changes, newest first. `query`: words that must all match (case-insensitively) the number
        (in any format), the field, the old or new value, the result, the error, the kind or the profile;
        "run:12" keeps run 12 only."""
        q = _parse_query(query)
        sql = ("SELECT COALESCE(i.updated_at, r.started_at), r.profile, r.id, r.kind, i.number, i.changes,"
               " i.state, i.error FROM journal_items i JOIN journal_runs r ON r.id = i.run_id"
               " WHERE r.account = ? AND i.state != 'unchanged'")
        params: list[Any] = [self.account]
        if q.run_id is not None:
            sql += " AND r.id = ?"
            params.append(q.run_id)
        sql += " ORDER BY 1 DESC, r.id DESC, i.seq"
        out: list[Entry] = []
        for at, profile, run_id, kind, number, changes, state, error in self.store.query(sql, tuple(params)):
            for change in _changes(changes) or (FieldChange("", None, None),):
                entry = Entry(at, profile, run_id, kind, number, change.path, change.old, change.new, state, error)
                if q.words and not _matches(entry, q.words):
                    continue
                out.append(entry)
                if len(out) >= limit:
                    return out
        return out

    def resumable(self) -> list[Run]:
        """Runs still "running" with items left to send whose owning process is gone, newest first."""
        rows = self.store.query(
            _RUN_SELECT + " WHERE account = ? AND state = 'running' AND EXISTS (SELECT 1 FROM journal_items i"
            " WHERE i.run_id = journal_runs.id AND i.state IN ('pending', 'sending')) ORDER BY id DESC",
            (self.account,))
        owners = {r[0]: r for r in self.store.query(
            "SELECT id, host, pid, token FROM journal_runs WHERE account = ? AND state = 'running'", (self.account,))}
        ids = [r[0] for r in rows if not self._owner_alive(r[0], *owners[r[0]][1:])]
        counts = self._counts(ids)
        return [_run(r, counts.get(r[0], {})) for r in rows if r[0] in ids]

    # --- helpers ----------------------------------------------------------------------------------

    def _owner_alive(self, run_id: int, host: str | None, pid: int | None, token: str | None) -> bool:
        if pid is None or host != _HOST:
            return False  # another machine's run cannot be checked from here: the user decides
        if pid == os.getpid() and token == process_token(pid):
            return (str(self.store.path), run_id) in _ACTIVE
        if not _HAS_PROC:
            return _pid_exists(pid)
        current = process_token(pid)
        return current is not None and (not token or current == token)

    def _counts(self, run_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = {}
        for chunk in _chunks(list(run_ids), 500):
            rows = self.store.query(
                f"SELECT run_id, state, count(*) FROM journal_items WHERE run_id IN ({','.join('?' * len(chunk))})"
                " GROUP BY run_id, state", tuple(chunk))
            for run_id, state, n in rows:
                out.setdefault(run_id, {})[state] = n
        return out

    def _run_or_fail(self, run_id: int) -> Run:
        run = self.run(run_id)
        if run is None:
            raise JournalError(f"there is no run {run_id} in the journal of {self.account}")
        return run


def changes_between(old_doc: Mapping[str, Any], patch: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """The leaves of `patch`, each with the value `old_doc` held before."""
    return tuple(FieldChange(path, get_path(old_doc, path), value) for path, value in leaves(patch))


# --- processes ------------------------------------------------------------------------------------

_HOST = socket.gethostname()
_HAS_PROC = Path("/proc/self/stat").exists()


def process_token(pid: int) -> str | None:
    """What tells this process apart from a later one given the same pid: its start time (Linux), or
    None when the process is gone (or a zombie). Elsewhere, "" for any pid."""
    if not _HAS_PROC:
        return ""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rpartition(")")[2].split()
    if not fields or fields[0] in ("Z", "X"):
        return None
    return fields[19]


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- rows -----------------------------------------------------------------------------------------

_RUN_SELECT = ("SELECT id, kind, account, profile, description, state, started_at, finished_at, undoes,"
               " requested, pid FROM journal_runs")


def _run(row: Sequence[Any], counts: dict[str, int]) -> Run:
    run_id, kind, account, profile, description, state, started, finished, undoes, requested, pid = row
    return Run(run_id, kind, account, profile or "", description or "", state, started, finished, undoes,
               dict(counts), json.loads(requested) if requested else None, pid)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _changes_json(changes: Sequence[FieldChange]) -> str:
    return _dumps([[c.path, c.old, c.new] for c in changes])


def _changes(text: str) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(path, old, new) for path, old, new in json.loads(text))


def _check_state(state: str) -> str:
    if state not in ITEM_STATES:
        raise ValueError(f"unknown item state {state!r} (states: {', '.join(ITEM_STATES)})")
    return state


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _parse_query(query: str) -> _Query:
    q = _Query()
    for word in query.lower().split():
        head, sep, tail = word.partition(":")
        if sep and head == "run" and tail.isdigit():
            q.run_id = int(tail)
        else:
            q.words.append(word)
    return q


def _matches(entry: Entry, words: list[str]) -> bool:
    digits = "".join(ch for ch in entry.number if ch.isdigit())
    haystack = "\x1f".join((entry.number, entry.path, _dumps(entry.old), _dumps(entry.new), entry.result,
                            entry.error or "", entry.kind, entry.profile, f"run:{entry.run_id}")).lower()
    for word in words:
        if word in haystack:
            continue
        wanted = "".join(ch for ch in word if ch.isdigit())
        if not (_PHONE_WORD.match(word) and len(wanted) >= 3 and wanted in digits):
            return False
    return True


_PHONE_WORD = re.compile(r"^\+?[\d().\-]*\d[\d().\-]*$")  # one word of a number in any format: (415) 555-12
