"""`actui check [--policy NAME ...] [--policies FILE] [--all] [--json]`: every policy over the local copy.

The copy is brought up to date first (the list when older than max_age, every detail missing or older than
max_age read, with the progress line on stderr); then each policy is judged (core/policies.evaluate) and
printed: its numbers checked, those breaking it with each field's held value -> required, and the data's
age. Exit 5 when any number breaks a policy, 0 when none (for cron jobs and monitoring); 2 for an error in
the policy file. The API unreachable: the copy answers as it is, with the offline warning, same exit codes.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from ..api.errors import NetworkError
from ..core.local_copy import CopyStatus, LocalCopy
from ..core.policies import BUILTIN_NAMES, Breach, PolicyFileError, PolicyResult, PolicySet, evaluate, load_policies
from ..core.session import Session
from . import output
from .check_json import document_text, result_head
from .copy_access import bring_up_to_date, opened_copy
from .interaction import UsageError
from .offline import answering_from_copy, copy_age_text, is_unreachable
from .sync_cmd import status_json

EXIT_POLICY_BROKEN = 5
SHOWN_PER_POLICY = 20    # breaking numbers printed per policy without --all
VALUE_WIDTH = 60         # a held value longer than this is cut (the JSON keeps it whole)


def load_chosen(args: argparse.Namespace) -> tuple[PolicySet, list[str] | None]:
    """The policy file and the names asked for (None: every policy), kept on `args` once read. An error in
    the file or a name it lacks is a UsageError (exit 2) naming the line or the name."""
    held = getattr(args, "chosen_policies", None)
    if held is not None:
        return held
    try:
        policies = load_policies(getattr(args, "policies_path", None))
    except PolicyFileError as error:
        raise UsageError(str(error)) from None
    names = list(dict.fromkeys(args.policy_names)) if args.policy_names else None
    known = policies.names()
    unknown = [name for name in names or [] if name not in known]
    off = [name for name in unknown if name in BUILTIN_NAMES]
    if off:
        raise UsageError(f"the built-in check {', '.join(off)} is switched off in [builtin] of {policies.path}")
    if unknown:
        raise UsageError(f"no policy named {', '.join(unknown)} in {policies.path} "
                         f"(policies: {', '.join(known) or 'none'})")
    args.chosen_policies = (policies, names)
    return policies, names


async def run_check(session: Session, args: argparse.Namespace) -> int:
    policies, names = load_chosen(args)
    with opened_copy(session.connection) as copy:
        offline = False
        try:
            await bring_up_to_date(session, copy, details=True)
        except NetworkError as error:
            if not is_unreachable(error):
                raise
            answering_from_copy(copy, error, details=True)
            offline = True
        results = evaluate(policies, copy, names)
        if args.json:
            document = {"file": str(policies.path), "policies": results, "broken": is_broken(results),
                        "offline": offline, "dataAge": data_age(copy, session.connection.max_age)}
            sys.stdout.write(document_text(document, results) + "\n")   # = print_json of result_json's
        else:
            for result in results:
                print_result(result, None if args.all else SHOWN_PER_POLICY)
            print_summary(results, copy.status())
    return EXIT_POLICY_BROKEN if is_broken(results) else 0


def is_broken(results: list[PolicyResult]) -> bool:
    return any(result.breaking for result in results)


def data_age(copy: LocalCopy, max_age: float) -> dict[str, Any]:
    return status_json(copy.status(), len(copy.stale(max_age)), max_age, time.time())


# --- for people -----------------------------------------------------------------------------------


def print_result(result: PolicyResult, limit: int | None) -> None:
    policy = result.policy
    kind = " (built-in)" if policy.builtin else ""
    output.say(f"{policy.name}{kind}: {policy.description}" if policy.description else f"{policy.name}{kind}")
    breaking = len(result.breaking)
    fixable = f", {len(result.fixes)} fixable by `actui fix {policy.name}`" if result.fixes else ""
    output.say(f"  {_count(len(result.checked))} checked, {breaking} breaking{fixable}")
    for index, (number, breaches) in enumerate(result.breaking.items()):
        if limit is not None and index >= limit:
            output.say(f"  ... and {breaking - limit} more (--all lists every one)")
            break
        for line, breach in enumerate(breaches):
            output.say(f"  {number if line == 0 else ' ' * len(number)}  {breach_text(breach)}")


def breach_text(breach: Breach) -> str:
    """'settings.optOut.text: "HALT" → "STOP"' (what is held → what is required)."""
    return f"{breach.path}: {held_text(breach)} → {breach.expected}"


def held_text(breach: Breach) -> str:
    shown = breach.actual_text()
    return shown if len(shown) <= VALUE_WIDTH else shown[:VALUE_WIDTH - 1] + "…"


def print_summary(results: list[PolicyResult], status: CopyStatus) -> None:
    broken = [result for result in results if result.breaking]
    numbers = len(set().union(*(result.breaking for result in broken)))
    if broken:
        print(f"{_count(numbers)} break {len(broken)} of {len(results)} policies "
              f"({', '.join(result.policy.name for result in broken)})")
    else:
        print(f"no number breaks any of the {len(results)} policies")
    said = (f"data: {_count(status.numbers)} in the local copy, {status.with_details} with details"
            f" (judged), oldest detail {copy_age_text(status.oldest_detail_at)}")
    if status.missing_details:
        said += f"; {status.missing_details} without a detail, not judged (`actui sync --details` reads them)"
    print(said)


def _count(n: int) -> str:
    return f"{n} number{'s' if n != 1 else ''}"


# --- for scripts ----------------------------------------------------------------------------------


def result_json(result: PolicyResult) -> dict[str, Any]:
    return {**result_head(result),
            "breaking": [{"number": number, "fields": [breach_json(breach) for breach in breaches]}
                         for number, breaches in result.breaking.items()]}



def breach_json(breach: Breach) -> dict[str, Any]:
    """The held value exact; absent: `actual` null and `absent` true (null held: `absent` false)."""
    return breach.to_json()
