"""Unsaved edits of a number, kept in the local Store so they survive a crash or a lost connection.

A draft holds the number's document as it was when editing started (base) and the form's current
document (edited); the update to send is always recomputed from the two, so a draft restored later
still sends only what the user changed. Every save is a single upsert: SQLite in WAL mode makes it
durable without a separate flush.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .patch import apply, get_path, leaves, update_patch

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True)
class Draft:
    number: str
    base: dict[str, Any]
    edited: dict[str, Any]
    saved_at: float

    @property
    def patch(self) -> dict[str, Any]:
        """The PUT document this draft would send."""
        return update_patch(self.base, self.edited)


class Drafts:
    """The drafts of one account (API user and host, as OrderBook keys them)."""

    def __init__(self, store: Store, account: str, clock: Callable[[], float] = time.time):
        self.store = store
        self.account = account
        self.clock = clock

    def save(self, number: str, base: dict[str, Any], edited: dict[str, Any]) -> Draft | None:
        """Keep the edit; a draft that would send nothing is removed instead (and None returned)."""
        if not update_patch(base, edited):
            self.discard(number)
            return None
        saved_at = self.clock()
        self.store.execute(
            "INSERT INTO drafts (account, number, base, edited, saved_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (account, number) DO UPDATE SET"
            " base = excluded.base, edited = excluded.edited, saved_at = excluded.saved_at",
            (self.account, number, _dumps(base), _dumps(edited), saved_at),
        )
        return Draft(number, json.loads(_dumps(base)), json.loads(_dumps(edited)), saved_at)

    def load(self, number: str) -> Draft | None:
        rows = self.store.query(_SELECT + " AND number = ?", (self.account, number))
        return _draft(rows[0]) if rows else None

    def discard(self, number: str) -> None:
        self.store.execute("DELETE FROM drafts WHERE account = ? AND number = ?", (self.account, number))

    def all(self) -> list[Draft]:
        """Newest first."""
        return [_draft(r) for r in self.store.query(_SELECT + " ORDER BY saved_at DESC", (self.account,))]


_SELECT = "SELECT number, base, edited, saved_at FROM drafts WHERE account = ?"


def _draft(row: Sequence[Any]) -> Draft:
    number, base, edited, saved_at = row
    return Draft(number, json.loads(base), json.loads(edited), saved_at)


def _dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, default=_json_default)


def _json_default(value: Any) -> Any:
    # the form may hold typed dates; they go on the wire as ISO 8601 anyway
    if isinstance(value, (datetime, date)):
        return value.isoformat().replace("+00:00", "Z")
    raise TypeError(f"cannot keep {type(value).__name__} in a draft")


_ABSENT: Any = object()   # the field is not in the document


def rebase_draft(draft: Draft, fresh: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The draft's changes applied to the number as it is now, and the fields where the server changed
    since the draft's base to something else than the draft holds: {path: the server's value now}."""
    patch = draft.patch
    conflicts: dict[str, Any] = {}
    for path, mine in leaves(patch):
        then, now = get_path(draft.base, path, _ABSENT), get_path(fresh, path, _ABSENT)
        if then != now and now != mine:
            conflicts[path] = now
    return apply(fresh, patch), conflicts
