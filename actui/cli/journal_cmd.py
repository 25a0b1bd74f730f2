"""`actui journal [--run ID] [QUERY]`: what actui changed, from the local journal (no API request).

    actui journal                      the runs, newest first
    actui journal --run 12             one run: every number, its result and the fields it changed
    actui journal optout 4155          field changes matching every word (number in any format, field,
                                       values, result, kind, profile; run:12 keeps one run)
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from ..config import resolve_connection
from ..core.journal import Entry, JournalError, JournalItem, Run
from . import output
from .common import changes_json, open_journal, runs_table, show_value, when
from .connect import flags_from_args


def run(args: argparse.Namespace) -> int:
    connection = resolve_connection(flags_from_args(args))  # no password: the journal is local
    query = " ".join(args.query or [])
    with open_journal(connection, writing=False) as journal:
        if args.run is not None:
            found = journal.run(args.run)
            if found is None:
                raise JournalError(f"there is no run {args.run} in the journal of {journal.account}")
            items = journal.items(args.run)
            if args.limit:
                items = items[: args.limit]
            if args.json:
                output.print_json({**run_json(found), "items": [item_json(i) for i in items]})
            else:
                runs_table([found])
                items_table(items)
        elif query:
            entries = journal.entries(query, limit=args.limit or 2000)
            if args.json:
                output.print_json([entry_json(e) for e in entries])
            else:
                entries_table(entries)
        else:
            runs = journal.runs(limit=args.limit or 200)
            if args.json:
                output.print_json([run_json(r) for r in runs])
            elif runs:
                runs_table(runs)
            else:
                print("the journal is empty: nothing changed through actui yet")
    return 0


def items_table(items: list[JournalItem]) -> None:
    rows = []
    for item in items:
        fields = "; ".join(f"{c.path}: {show_value(c.old)} -> {show_value(c.new)}" for c in item.changes)
        rows.append([item.number, item.state, fields, item.error or ""])
    output.print_table(rows, ["NUMBER", "RESULT", "CHANGES", "MESSAGE"])


def entries_table(entries: list[Entry]) -> None:
    rows = [[when(e.at), str(e.run_id), e.kind, e.number, e.path, show_value(e.old), show_value(e.new),
             e.result, e.error or ""] for e in entries]
    output.print_table(rows, ["WHEN", "RUN", "KIND", "NUMBER", "FIELD", "OLD", "NEW", "RESULT", "MESSAGE"],
                       whole=(0, 1, 3))


def run_json(r: Run) -> dict[str, Any]:
    return {"id": r.id, "kind": r.kind, "state": r.state, "description": r.description, "profile": r.profile,
            "startedAt": _iso(r.started_at), "finishedAt": _iso(r.finished_at), "undoes": r.undoes,
            "requested": r.requested, "counts": r.counts, "total": r.total}


def item_json(i: JournalItem) -> dict[str, Any]:
    return {"number": i.number, "state": i.state, "error": i.error, "patch": i.patch,
            "changes": changes_json(i.changes), "updatedAt": _iso(i.updated_at)}


def entry_json(e: Entry) -> dict[str, Any]:
    return {"at": _iso(e.at), "run": e.run_id, "kind": e.kind, "profile": e.profile, "number": e.number,
            "path": e.path, "old": e.old, "new": e.new, "result": e.result, "error": e.error}


def _iso(at: float | None) -> str | None:
    if at is None:
        return None
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
