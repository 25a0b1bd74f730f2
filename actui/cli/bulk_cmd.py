"""`actui numbers update --where FILTER`, `actui undo RUN_ID`, `actui resume [RUN_ID]`: the bulk engine's commands
(their --dry-run previews are run_preview.py).

Each shows what it is about to do, asks for the count to be typed (or --yes), runs with a progress line
on stderr, then prints one line per number and the run id. Exit 1 if any number failed or conflicted,
130 after ctrl+c (requests in flight finish and are recorded; `actui resume` does the rest).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..core.bulk import BulkEngine, BulkPlan, BulkResult, check_requested
from ..core.edits import parse_expectations
from ..core.fieldpaths import parse_assignments
from ..core.journal import Journal, JournalError, Run
from ..core.local_copy import LocalCopy, open_local_copy
from ..core.session import Session
from . import output
from .common import (
    changes_json,
    number_arg,
    open_journal,
    refuse_read_only,
    runs_table,
    show_value,
)
from .held_paths import require_held, where_change
from .interaction import (
    EXIT_INTERRUPTED,
    ProgressLine,
    UsageError,
    can_ask,
    cancel_on_interrupt,
    confirm_count,
)
from .offline import is_unreachable, refuse_write, require_reachable

PREVIEW_NUMBERS = 200  # per-number lines shown before a confirmation (all of them with --dry-run)


def check_update_args(args: argparse.Namespace) -> None:
    """NUMBER or --where, exactly one; at least one --set. Checked before connecting."""
    if (args.number is None) == (args.where is None):
        raise UsageError("give a NUMBER or --where FILTER (exactly one)")
    if not args.set:
        raise UsageError("give at least one --set PATH=VALUE")
    if getattr(args, "expect", None) and args.where is not None:
        raise UsageError("--expect checks one NUMBER; with --where, numbers changed since the preview are "
                         "reported as conflicts (see --overwrite)")
    if getattr(args, "overwrite", False) and args.where is None:
        raise UsageError("--overwrite goes with --where (one NUMBER is read right before it is written; "
                         "--expect checks what it holds)")
    # bad values: refused before connecting, never sent nor journaled; a path no model knows waits until
    # the number (or with --where, the selected numbers) is read: it may hold that field
    requested_change(args.set, defer_unknown=True)
    parse_expectations(getattr(args, "expect", None) or [], defer_unknown=True)
    if args.where is not None:
        from .copy_access import check_where

        check_where(args)
        if not args.dry_run:
            require_confirmation_possible(args, "change numbers")


def require_confirmation_possible(args: argparse.Namespace, what: str) -> None:
    """Refuse up front (before any request) when nobody could confirm: no --yes and no terminal."""
    if not getattr(args, "yes", False) and not can_ask():
        raise UsageError(f"refusing to {what} without confirmation: run it in a terminal, or pass --yes "
                         "(--dry-run shows what would change)")


def requested_change(assignments: list[str], defer_unknown: bool = False) -> dict:
    """The nested change every PATH=VALUE makes together, checked before any request (`defer_unknown`:
    paths no model knows are left out, to be settled once the number is read)."""
    requested = parse_assignments(assignments, defer_unknown=defer_unknown)
    return check_requested(requested) if requested or not defer_unknown else requested


def bulk_engine(session: Session, journal: Journal, args: argparse.Namespace) -> BulkEngine:
    concurrency = getattr(args, "concurrency", None) or session.connection.bulk_concurrency
    return BulkEngine(session.client, journal, concurrency=concurrency,
                      reread_after=session.connection.bulk_reread_after)


# --- numbers update --where -----------------------------------------------------------------------


async def update_where(session: Session, args: argparse.Namespace) -> int:
    """The numbers FILTER keeps in the local copy (brought up to date first), planned from the copy's fresh
    details (the others read), then written as every bulk run is."""
    from ..core.copy_plan import fresh_details, keep_read

    refuse_read_only(session.connection, "updates are")
    requested, unknown = where_change(args.set)
    progress = ProgressLine()
    with open_journal(session.connection, writing=not args.dry_run) as journal:
        copy = open_local_copy(journal.store, session.connection.account_key)
        numbers = await _matching_numbers(session, copy, args.where)
        if not numbers:
            if args.json:
                output.print_json({"where": args.where, "requested": requested, "matched": 0, "results": []})
            else:
                output.say(f"no active number matches {args.where!r}: nothing to change")
            return 0
        engine = bulk_engine(session, journal, args)
        # a fresh copy answers without a request: make sure the API answers before planning a write
        await require_reachable(session.client, "numbers update")
        known = fresh_details(copy, numbers, session.connection.max_age, clock=engine.clock)
        read: dict[str, dict] = {}
        try:
            plan = await engine.plan(numbers, requested, on_progress=progress.reading, known=known, read=read)
        finally:
            keep_read(copy, read)
        require_held(unknown, [*(doc for doc, _ in known.values()), *read.values()])   # before any write
        plan.overwrite = bool(getattr(args, "overwrite", False))
        progress.clear()
        if args.json and (args.dry_run or not plan.items):
            output.print_json({"where": args.where, "requested": requested, "matched": len(numbers),
                               "dryRun": bool(args.dry_run), **plan_json(plan)})
            return 1 if plan.unreadable or plan.refused else 0
        if not args.json:
            print_plan(plan, limit=None if args.dry_run else PREVIEW_NUMBERS)
            output.say(f"{len(plan.items)} of {len(numbers)} numbers matching {args.where!r} would change"
                  if plan.items else f"nothing to change in the {len(numbers)} numbers matching {args.where!r}")
        if not plan.items or args.dry_run:
            return 1 if plan.unreadable or plan.refused else 0
        if not confirm_count(len(plan.items), f"change {len(plan.items)} numbers", yes=args.yes):
            print("nothing changed", file=sys.stderr)
            return 1
        result = await run_with_progress(engine.apply, plan, progress,
                                         description=f"{plan.run_description()} where {args.where}")
        return report(result, args.json, extra={"where": args.where, "requested": requested})


async def _matching_numbers(session: Session, copy: LocalCopy, where: str) -> list[str]:
    """The numbers the filter keeps, from the copy brought up to date (the list when older than max_age,
    the details its path terms read). An unreachable API refuses the update: nothing is queued."""
    from ..api.errors import NetworkError
    from ..core.copy_select import matching
    from .copy_access import bring_up_to_date, compile_where

    keep = compile_where(where, copy)
    try:
        await bring_up_to_date(session, copy, details=bool(keep.paths))
    except NetworkError as error:
        if is_unreachable(error):
            raise refuse_write(error, "numbers update") from None
        raise
    return matching(copy, compile_where(where, copy))


async def run_with_progress(start, target, progress: ProgressLine, **options: Any) -> BulkResult:
    with cancel_on_interrupt() as cancel:
        try:
            return await start(target, on_progress=progress.applying, cancel=cancel, **options)
        finally:
            progress.clear()


# --- undo and resume ------------------------------------------------------------------------------


async def undo(session: Session, args: argparse.Namespace) -> int:
    refuse_read_only(session.connection, "undo is")
    require_confirmation_possible(args, "undo")
    numbers = [number_arg(n, session.connection.country) for n in args.number] if args.number else None
    progress = ProgressLine()
    with open_journal(session.connection) as journal:
        engine = bulk_engine(session, journal, args)
        if engine.undo_items(args.run_id, numbers):   # nothing to undo, or no such run: said without a request
            await require_reachable(session.client, "undo")
        plan = await engine.plan_undo(args.run_id, numbers, on_progress=progress.reading)
        progress.clear()
        problems = bool(plan.conflicts or plan.unreadable or plan.refused)
        if not plan.items:
            if args.json:
                output.print_json({"undoes": args.run_id, **plan_json(plan)})
            else:
                print_plan(plan)
                print(f"nothing to undo in run {args.run_id}")
            return 1 if problems else 0
        if not args.json:
            print_plan(plan, limit=PREVIEW_NUMBERS)
            print(f"undo run {args.run_id}: {len(plan.items)} numbers would go back to their old values")
        if not confirm_count(len(plan.items), f"revert {len(plan.items)} numbers", yes=args.yes):
            print("nothing changed", file=sys.stderr)
            return 1
        result = await run_with_progress(engine.apply, plan, progress)
        return report(result, args.json, extra={"undoes": args.run_id})


def chosen_resumable(journal: Journal, args: argparse.Namespace, dry_run: bool = False) -> Run | None:
    """The run `resume` (or `resume --dry-run`) works on: RUN_ID, else the only resumable one; None when
    there is none (said on stdout); a usage error naming the runs when several could be meant."""
    extra = {"dryRun": True} if dry_run else {}
    runs = journal.resumable()
    if args.run_id is not None:
        return resumable_run(journal, args.run_id, runs)
    if not runs:
        if args.json:
            output.print_json({"resumable": [], **extra})
        else:
            print("nothing to resume")
        return None
    if len(runs) > 1:
        if not args.json:
            runs_table(runs)
        again = "actui resume RUN_ID --dry-run" if dry_run else "actui resume RUN_ID"
        raise UsageError(f"{len(runs)} runs can be resumed: name one ({again})")
    return runs[0]


async def resume(session: Session, args: argparse.Namespace) -> int:
    refuse_read_only(session.connection, "resume is")
    with open_journal(session.connection) as journal:
        run = chosen_resumable(journal, args)
        if run is None:
            return 0
        if not args.json:
            output.say(f"run {run.id} ({run.kind}: {run.description}): {run.open} of {run.total} numbers left")
        await require_reachable(session.client, "resume")
        if not confirm_count(run.open, f"resume run {run.id} ({run.open} numbers left)", yes=args.yes):
            print("nothing changed", file=sys.stderr)
            return 1
        make_request = None
        if run.kind == "unprovision" and session.connection.tenant_id:
            tenant = session.connection.tenant_id
            make_request = lambda numbers: session.client.unprovision(tenant, numbers)  # noqa: E731
        result = await run_with_progress(bulk_engine(session, journal, args).resume, run.id, ProgressLine(),
                            make_request=make_request)
        return report(result, args.json)


def resumable_run(journal: Journal, run_id: int, runs: list[Run]) -> Run:
    for run in runs:
        if run.id == run_id:
            return run
    run = journal.run(run_id)
    if run is None:
        raise JournalError(f"there is no run {run_id} in the journal of {journal.account}")
    if run.state != "running":
        raise JournalError(f"run {run_id} is {run.state}: there is nothing to resume")
    if not run.open:
        raise JournalError(f"run {run_id} has nothing left to send")
    raise JournalError(f"run {run_id} is still running in process {run.pid}")


# --- output ---------------------------------------------------------------------------------------


def print_plan(plan: BulkPlan, limit: int | None = None) -> None:
    """Per number old -> new (the first `limit`), then what cannot go ahead, then each field's count."""
    for index, item in enumerate(plan.items):
        if limit is not None and index >= limit:
            print(f"... and {len(plan.items) - limit} more numbers (--dry-run lists every one)")
            break
        for change in item.changes:
            output.say(f"{item.number}  {change.path}: {show_value(change.old)} -> {show_value(change.new)}")
    for number, text in plan.conflicts.items():
        output.say(f"{number}  conflict: {text}")
    for number, text in plan.unreadable.items():
        output.say(f"{number}  could not be read: {text}")
    for number, text in plan.refused.items():
        output.say(f"{number}  {text}")
    if plan.unchanged:
        print(f"unchanged: {len(plan.unchanged)} numbers already as asked (skipped, not sent)")
    counts = plan.field_counts()
    if counts:
        width = max(len(path) for path in counts)
        for path, count in counts.items():
            output.say(f"  {path.ljust(width)}  {count} number{'s' if count != 1 else ''}")


def report(result: BulkResult, as_json: bool, extra: dict | None = None) -> int:
    run = result.run
    if as_json:
        output.print_json({"run": run.id, "state": run.state, "kind": run.kind, **(extra or {}),
                           "counts": result.counts(), "results": [outcome_json(o) for o in result.outcomes],
                           "refused": result.refused})
    else:
        for o in result.outcomes:
            output.say(f"{o.number}  {o.state}" + (f": {o.error}" if o.error else ""))
        for number, text in result.refused.items():
            output.say(f"{number}  {text}")
        counts = ", ".join(f"{n} {state}" for state, n in sorted(result.counts().items()))
        print(f"run {run.id} ({run.state}): {counts}")
        if result.cancelled and run.open == 0 and result.counts().get("cancelled"):
            print("the numbers not sent are marked cancelled; run the command again to change them")
        if any(o.state == "changed" for o in result.outcomes):
            print(f"undo with: actui undo {run.id}")
    if result.cancelled:
        return EXIT_INTERRUPTED
    return 1 if result.failed or result.conflicts or result.refused else 0


def plan_json(plan: BulkPlan) -> dict:
    return {
        "fields": plan.field_counts(),
        "items": [{"number": i.number, "patch": i.patch, "changes": changes_json(i.changes)} for i in plan.items],
        "unchanged": plan.unchanged,
        "unreadable": plan.unreadable,
        "conflicts": plan.conflicts,
        "refused": plan.refused,
    }


def outcome_json(o) -> dict:
    return {"number": o.number, "state": o.state, "error": o.error, "changes": changes_json(o.changes)}
