"""What several commands share: reading a NUMBER argument, the journal, listing warnings, change values."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ..api.errors import ConfigError, FieldProblem, InvalidInput
from ..api.phone import InvalidNumber, for_lookup, is_e164, to_e164
from ..config import Connection
from ..core.journal import Journal, Run
from ..core.safe_text import terminal_safe
from ..core.timefmt import local
from . import output
from .local_store import open_command_store


def number_arg(text: str, country: str) -> str:
    try:
        return to_e164(text, country)
    except InvalidNumber as exc:
        raise InvalidInput([FieldProblem("number", str(exc))]) from None


def lookup_arg(text: str, country: str) -> str:
    """A number to read: any number in E.164 shape, even one libphonenumber calls invalid (the server's 404
    says whether it exists); text that is no number at all is refused before a request."""
    try:
        wanted = for_lookup(text, country)
    except InvalidNumber as exc:
        raise InvalidInput([FieldProblem("number", str(exc))]) from None
    if not is_e164(wanted):   # the server answers only E.164 (a 400): said here, nothing sent (exit 2)
        raise InvalidInput([FieldProblem("number", f"{text.strip()!r} is not a phone number: give E.164 "
                                                   "(+14155551234) or a national form ((415) 555-1234)")])
    return wanted


def warn_listing(notes) -> None:
    """What reading the list met (malformed items skipped, duplicates, a wrong total), on stderr."""
    for line in notes.warnings():
        sys.stderr.write(f"warning: {terminal_safe(line)}\n")


@contextmanager
def open_journal(connection: Connection, writing: bool = True) -> Iterator[Journal]:
    """writing=False for commands that only read the journal: they work on a read-only store too."""
    store = open_command_store("journal a change" if writing else None)
    try:
        yield Journal(store, connection.account_key, connection.label)
    finally:
        store.close()


def refuse_read_only(connection: Connection, what: str) -> None:
    if connection.read_only:
        raise ConfigError(f"read-only: {what} refused (drop --read-only or use a profile that allows writes)")


def runs_table(runs: list[Run]) -> None:
    rows = [[str(r.id), when(r.started_at), r.kind, r.state, _counts(r), r.description] for r in runs]
    output.print_table(rows, ["RUN", "STARTED", "KIND", "STATE", "NUMBERS", "DESCRIPTION"], whole=(0, 1))


def _counts(r: Run) -> str:
    return ", ".join(f"{n} {state}" for state, n in sorted(r.counts.items())) or "0"


def when(at: float) -> str:
    """A journal timestamp in local time, as the tables show it."""
    return local(datetime.fromtimestamp(at, UTC))


def changes_json(changes) -> list[dict]:
    return [{"path": c.path, "old": c.old, "new": c.new} for c in changes]


def show_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
