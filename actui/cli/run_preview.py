"""`actui undo RUN_ID --dry-run` and `actui resume [RUN_ID] --dry-run`: what the run would write, sent nowhere.

Undo reads the numbers' current values (as `undo` does) to tell what would go back from what changed since;
resume answers from the journal alone, with no request. Neither writes to the journal.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..config import resolve_connection
from ..core.journal import ORDER_KINDS, JournalItem, Run
from ..core.session import Session
from . import output
from .bulk_cmd import bulk_engine, chosen_resumable, plan_json, print_plan
from .common import changes_json, number_arg, open_journal, show_value
from .connect import flags_from_args
from .interaction import ProgressLine
from .offline import require_reachable

SENDING_NOTE = "was being sent when the run stopped: read back first, sent only if the server lacks it"
ORDER_SENDING_NOTE = "was being ordered when the run stopped: marked unknown, never ordered twice"


async def preview_undo(session: Session, args: argparse.Namespace) -> int:
    """Per number and field, the value now -> the value undo would write back; conflicts and unreadable
    numbers listed. Exit 1 when some of the run could not be undone, as the undo itself would."""
    numbers = [number_arg(n, session.connection.country) for n in args.number] if args.number else None
    progress = ProgressLine()
    with open_journal(session.connection, writing=False) as journal:
        engine = bulk_engine(session, journal, args)
        if engine.undo_items(args.run_id, numbers):   # nothing to undo, or no such run: said without a request
            await require_reachable(session.client, "undo")
        plan = await engine.plan_undo(args.run_id, numbers, on_progress=progress.reading)
        progress.clear()
    problems = bool(plan.conflicts or plan.unreadable or plan.refused)
    if args.json:
        output.print_json({"undoes": args.run_id, "dryRun": True, **plan_json(plan)})
    else:
        print_plan(plan)
        if plan.items:
            count = len(plan.items)
            print(f"undo run {args.run_id}: {count} number{'s' if count != 1 else ''} would go back to their "
                  f"old values (dry run: nothing sent)")
        else:
            print(f"nothing to undo in run {args.run_id}")
    return 1 if problems else 0


def preview_resume(args: argparse.Namespace) -> int:
    """The run's numbers left to send, each with the fields it would change (old -> new as planned)."""
    connection = resolve_connection(flags_from_args(args))  # no password: the journal is local
    with open_journal(connection, writing=False) as journal:
        run = chosen_resumable(journal, args, dry_run=True)
        if run is None:
            return 0
        items = journal.items(run.id, ("pending", "sending"))
    if args.json:
        output.print_json({**resume_json(run, items), "dryRun": True})
        return 0
    output.say(f"run {run.id} ({run.kind}: {run.description}): {run.open} of {run.total} numbers left")
    print_resume(run, items)
    print(f"resume run {run.id}: {len(items)} number{'s' if len(items) != 1 else ''} left "
          "(dry run: nothing sent)")
    return 0


def print_resume(run: Run, items: list[JournalItem]) -> None:
    for item in items:
        if run.kind in ORDER_KINDS:
            note = ORDER_SENDING_NOTE if item.state == "sending" else f"would be ordered ({run.kind})"
            output.say(f"{item.number}  {note}")
            continue
        if item.state == "sending":
            output.say(f"{item.number}  ({SENDING_NOTE})")
        for change in item.changes:
            output.say(f"{item.number}  {change.path}: {show_value(change.old)} -> {show_value(change.new)}")


def resume_json(run: Run, items: list[JournalItem]) -> dict[str, Any]:
    return {"run": run.id, "kind": run.kind, "description": run.description, "left": len(items),
            "total": run.total,
            "items": [{"number": i.number, "state": i.state, "patch": i.patch, "changes": changes_json(i.changes)}
                      for i in items]}
