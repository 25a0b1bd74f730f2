"""`actui fix [POLICY ...] [--dry-run] [--yes] [--json] [--policies FILE]`: every number breaking the policies
set to what they require, by the path of `numbers update --where` (cli/bulk_cmd.py): the copy brought up
to date, the plan (core/policy_fix.plan_fix: fresh copy details without a GET, the others read), the
preview per number and per field, the count typed, one journal run (`actui undo RUN` reverts the whole
fix; `actui resume` finishes it), the engine's apply with progress, the report. What no single value fixes
and what two policies ask differently are listed, never guessed. Refused offline and read-only, like every
write.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..api.errors import NetworkError
from ..core.bulk import BulkPlan
from ..core.local_copy import open_local_copy
from ..core.policies import PolicyResult, evaluate, fix_targets
from ..core.policy_fix import fix_description, fixing_policies, plan_fix
from ..core.session import Session
from . import output
from .bulk_cmd import PREVIEW_NUMBERS, bulk_engine, plan_json, print_plan, report, run_with_progress
from .common import open_journal, refuse_read_only
from .copy_access import bring_up_to_date
from .interaction import ProgressLine, confirm_count
from .offline import is_unreachable, refuse_write, require_reachable
from .policy_check import breach_json, breach_text, load_chosen


async def run_fix(session: Session, args: argparse.Namespace) -> int:
    refuse_read_only(session.connection, "fix is")
    policies, names = load_chosen(args)
    progress = ProgressLine()
    with open_journal(session.connection, writing=not args.dry_run) as journal:
        copy = open_local_copy(journal.store, session.connection.account_key)
        try:
            await bring_up_to_date(session, copy, details=True)
        except NetworkError as error:
            if is_unreachable(error):
                raise refuse_write(error, "fix") from None
            raise
        # a fresh copy answers without a request: make sure the API answers before planning a write
        await require_reachable(session.client, "fix")
        results = evaluate(policies, copy, names)
        engine = bulk_engine(session, journal, args)
        try:
            plan, left_out = await plan_fix(engine, copy, results, max_age=session.connection.max_age,
                                            on_progress=progress.reading)
        finally:
            progress.clear()
        asked = [result.policy.name for result in results]
        limit = None if args.dry_run else PREVIEW_NUMBERS
        if args.json and (args.dry_run or not plan.items):
            output.print_json({"policies": asked, "dryRun": bool(args.dry_run), **plan_json(plan),
                               **not_fixed_json(results, left_out)})
            return 1 if plan.unreadable or plan.refused else 0
        if not args.json:
            print_not_fixed(results, limit)
            print_plan(plan, limit=limit)
            output.say(_summary(plan, results))
        if not plan.items or args.dry_run:
            return 1 if plan.unreadable or plan.refused else 0
        if not confirm_count(len(plan.items), f"change {len(plan.items)} numbers", yes=args.yes):
            print("nothing changed", file=sys.stderr)
            return 1
        description = fix_description(fixing_policies(results, plan))
        result = await run_with_progress(engine.apply, plan, progress, description=description)
        return report(result, args.json, extra={"policies": asked, **not_fixed_json(results, left_out)})


def _summary(plan: BulkPlan, results: list[PolicyResult]) -> str:
    breaking = len({number for result in results for number in result.breaking})
    if not breaking:
        return f"no number breaks {_policies(results)}: nothing to fix"
    if not plan.items:
        return f"nothing to change in the {breaking} numbers breaking {_policies(results)}"
    return f"{len(plan.items)} of the {breaking} numbers breaking {_policies(results)} would change"


def _policies(results: list[PolicyResult]) -> str:
    if len(results) == 1:
        return f"policy {results[0].policy.name}"
    return f"the {len(results)} policies"


def print_not_fixed(results: list[PolicyResult], limit: int | None) -> None:
    """The breaches no single value fixes (per policy and number), then the numbers two policies ask
    different values of (clashes: nothing set on them)."""
    lines = [f"{number}  not fixed: {result.policy.name}: {breach_text(breach)} ({_why_not(result)})"
             for result in results for number, breaches in result.unfixable.items() for breach in breaches]
    lines += [f"{number}  not fixed: {why}" for number, why in fix_targets(results)[1].items()]
    for index, line in enumerate(lines):
        if limit is not None and index >= limit:
            print(f"... and {len(lines) - limit} more not fixed (--dry-run lists every one)")
            break
        output.say(line)


def _why_not(result: PolicyResult) -> str:
    return "a built-in check: fix it by hand" if result.policy.builtin else "no single value to set"


def not_fixed_json(results: list[PolicyResult], left_out: dict[str, str]) -> dict[str, Any]:
    unfixable = [{"policy": result.policy.name, "number": number,
                  "fields": [breach_json(breach) for breach in breaches]}
                 for result in results for number, breaches in result.unfixable.items()]
    return {"unfixable": unfixable, "clashes": fix_targets(results)[1], "leftOut": left_out}
