"""One saved and journaled edit of one number, shared by the TUI editor and `actui numbers update NUMBER`.

An edit starts from what the user saw (`loaded`) and changes some fields (`patch`). Right before the PUT
the number is read again: a field the user changed that the server changed too since `loaded` is a
conflict (EditConflict: nothing is written, the caller shows loaded → theirs → yours and lets the user
choose); fields the server changed that the user did not touch are left as the server has them (the PUT
carries only the user's fields). What is sent is journaled exactly as the bulk engine does it: the run and
its item "pending", "sending" right before the PUT, then "changed" or "failed", so a kill mid-save leaves
a resumable run; the journal's "old" is the value read just before the write. A value refused locally
(before any request) is never journaled: only what was sent is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api.errors import ActuiError, NetworkError, ServerError
from . import copy_writes
from .journal import Journal, PlannedItem, Run, changes_between
from .patch import diff, get_path, leaves, set_path

if TYPE_CHECKING:
    from ..api.client import ApiClient
    from ..api.number_models import PhoneNumber

ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT", "__bool__": lambda self: False})()
"""The number does not hold the field at all."""


@dataclass(frozen=True)
class FieldConflict:
    """A field the user changed that the server changed too since the user's copy was read."""

    path: str
    loaded: Any    # what the user's copy held (ABSENT: not there)
    theirs: Any    # what the server holds now
    yours: Any     # what the user would write

    def __str__(self) -> str:
        return (f"{self.path}: loaded {json_or_absent(self.loaded)} → theirs {json_or_absent(self.theirs)}"
                f" → yours {json_or_absent(self.yours)}")


class EditConflict(ActuiError):
    """Someone changed a field of this edit on the server since it was read: nothing was written.
    `current` is the number as just read (wire form)."""

    def __init__(self, number: str, conflicts: list[FieldConflict], current: dict[str, Any]):
        self.number = number
        self.conflicts = list(conflicts)
        self.current = current
        fields = "; ".join(str(c) for c in self.conflicts)
        super().__init__(f"{number}: not saved: changed on the server since it was read ({fields}). "
                         "Nothing was written.")


@dataclass(frozen=True)
class Unmet:
    path: str
    expected: Any
    actual: Any


class ExpectationFailed(ActuiError):
    """`--expect PATH=VALUE` did not hold: nothing was written."""

    def __init__(self, number: str, unmet: list[Unmet]):
        self.number = number
        self.unmet = list(unmet)
        said = "; ".join(f"{u.path} is {json_or_absent(u.actual)}, expected {json_or_absent(u.expected)}"
                         for u in self.unmet)
        super().__init__(f"{number}: not changed: {said}. Nothing was written.")


@dataclass(frozen=True)
class Rebased:
    """An edit set against the number as it is now."""

    current: dict[str, Any]           # the number as just read
    send: dict[str, Any]              # the user's changes the server does not hold yet
    conflicts: list[FieldConflict]    # of those, the fields the server changed since `loaded`
    refreshed: list[str]              # fields the server changed that the user did not touch


@dataclass(frozen=True)
class SavedEdit:
    phone: PhoneNumber               # the server's answer (the number as read when nothing was left to send)
    current: dict[str, Any]          # the number as read just before the write
    sent: dict[str, Any]             # what was PUT ({} when the server already held every change)
    run: Run | None                  # the journal's run (None when nothing was sent)


def rebase(loaded: Mapping[str, Any], current: Mapping[str, Any], patch: Mapping[str, Any]) -> Rebased:
    """`patch` (changes made to `loaded`) against `current`: what is left to send, the conflicts, and
    what the server changed on its own."""
    send: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    touched = []
    for path, yours in leaves(patch):
        touched.append(path)
        was, now = get_path(loaded, path, ABSENT), get_path(current, path, ABSENT)
        if same(now, yours):
            continue   # the server already holds it (someone made the same change)
        if not same(now, was):
            conflicts.append(FieldConflict(path, was, now, yours))
        set_path(send, path, yours)
    refreshed = [path for path, _ in leaves(diff(loaded, current))
                 if not any(_overlaps(path, mine) for mine in touched)]
    return Rebased(dict(current), send, conflicts, refreshed)


def unmet_expectations(current: Mapping[str, Any], expected: Mapping[str, Any]) -> list[Unmet]:
    """Each PATH=VALUE of `expected` (dotted paths) the number does not hold."""
    return [Unmet(path, value, get_path(current, path, ABSENT)) for path, value in expected.items()
            if not same(get_path(current, path, ABSENT), value)]


def check_values(patch: Mapping[str, Any], unchanged_from: Mapping[str, Any] | None = None) -> None:
    """The client's own checks of what would be sent (InvalidInput names the field), before any request.

    With `unchanged_from` (the number as read), a value sent as it already was (an old address in a list
    sent whole) is not judged: odd data already on the server never blocks an unrelated change."""
    from ..api.number_models import PhoneNumberUpdate
    from ..api.outgoing import check_outgoing

    check_outgoing(PhoneNumberUpdate, dict(patch), unchanged_from=dict(unchanged_from) if unchanged_from else None)


async def save_edit(client: ApiClient, journal: Journal, number: str, loaded: Mapping[str, Any],
                    patch: Mapping[str, Any], *, current: PhoneNumber | None = None) -> SavedEdit:
    """PUT the user's `patch` (made to `loaded`) if the server did not change those fields since; journaled.

    The number is read first unless `current` (just read by the caller) is given. Raises InvalidInput
    before any request (nothing journaled), EditConflict when a changed field moved on the server
    (nothing written or journaled), or the PUT's error (journaled as failed)."""
    check_values(patch, loaded)
    phone = current if current is not None else await client.get_number(number)
    now = phone.to_wire()
    based = rebase(loaded, now, patch)
    if based.conflicts:
        raise EditConflict(number, based.conflicts, now)
    if not based.send:
        copy_writes.saved(journal, number, now)
        return SavedEdit(phone, now, {}, None)
    send = based.send
    run = journal.begin("edit", [PlannedItem(number, send, changes_between(now, send))], f"edit {number}")
    try:
        journal.sending(run.id, number)
        saved = await _put(client, number, send, now)
    except Exception as exc:
        journal.finish_item(run.id, number, "failed", str(exc))
        journal.finish_run(run.id)
        copy_writes.failed(journal, number, exc)
        raise
    finally:
        journal.release(run.id)   # cancelled mid-PUT: the item stays "sending", the run resumable
    journal.finish_item(run.id, number, "changed")
    copy_writes.saved(journal, number, saved.to_wire())
    return SavedEdit(saved, now, send, journal.finish_run(run.id))


async def _put(client: ApiClient, number: str, send: Mapping[str, Any], now: Mapping[str, Any]) -> PhoneNumber:
    try:
        return await client.update_number(number, send, current=now)
    except (NetworkError, ServerError):
        landed = await _landed(client, number, send)   # it may have been applied all the same
        if landed is None:
            raise
        return landed


async def _landed(client: ApiClient, number: str, send: Mapping[str, Any]) -> PhoneNumber | None:
    """The number read back when it holds every value of `send`, else None (also when unreadable)."""
    try:
        phone = await client.get_number(number)
    except ActuiError:
        return None
    return phone if not diff(phone.to_wire(), send) else None


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same type (1 is not true, 1 is not 1.0); an absent field counts as null."""
    if a is ABSENT or b is ABSENT:
        return (a is ABSENT or a is None) and (b is ABSENT or b is None)
    return a == b and type(a) is type(b)


def json_or_absent(value: Any) -> str:
    """A value as a message names it (JSON; "absent" for a field the number lacks)."""
    return "absent" if value is ABSENT else json.dumps(value, ensure_ascii=False, default=str)


def _overlaps(path: str, other: str) -> bool:
    return path == other or path.startswith(other + ".") or other.startswith(path + ".")


def parse_expectations(texts: Iterable[str], current: Mapping[str, Any] | None = None, *,
                       defer_unknown: bool = False) -> dict[str, Any]:
    """`--expect PATH=VALUE` (repeatable) as {dotted path: value}; InvalidInput names every bad one.
    `current` and `defer_unknown` as for fieldpaths.parse_assignments: a path no model knows is expected
    only of a number that holds it."""
    from ..api.errors import FieldProblem, InvalidInput
    from .fieldpaths import UnknownField, parse_assignment

    out: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for text in texts:
        try:
            path, value = parse_assignment(text, current)
        except UnknownField as exc:
            if not defer_unknown:
                problems += [FieldProblem("--expect", f"{p.field}: {p.message}") for p in exc.problems]
            continue
        except InvalidInput as exc:
            problems += [FieldProblem("--expect", p.message if not p.field else f"{p.field}: {p.message}")
                         for p in exc.problems]
            continue
        out[path] = value
    if problems:
        raise InvalidInput(problems)
    return out
