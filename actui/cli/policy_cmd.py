"""`actui check` and `actui fix`: the policies of policies.toml (core/policies.py) over the local copy.

This module only holds the arguments, what is checked before connecting and the entries; building the
parser (every command does) imports nothing heavy. The commands themselves: policy_check.py (check) and
policy_fix_cmd.py (fix).
"""

from __future__ import annotations

import argparse
from typing import Any

from .arg_types import positive_int


def add_parser(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    check = sub.add_parser(
        "check", parents=parents, help="judge the inventory by the policies (exit 5 when a number breaks one)",
        description="Every policy of policies.toml (beside config.toml, written with commented examples on "
                    "first use) and every built-in check, over the local copy brought up to date first (the "
                    "details it lacks read, with progress). Exit 0 when no number breaks a policy, 5 when any "
                    "does, 2 when the policy file has an error. When the API is unreachable, the local copy "
                    "answers.")
    check.add_argument("--policy", action="append", metavar="NAME", dest="policy_names",
                       help="only this policy or built-in check (repeatable)")
    _policies_option(check)
    check.add_argument("--all", action="store_true",
                       help="every breaking number (default: the first 20 of each policy)")
    check.add_argument("--json", action="store_true", help="print JSON (values exact)")

    fix = sub.add_parser(
        "fix", parents=parents, help="set the numbers breaking policies as they require (bulk preview, undo)",
        description="Every number breaking the policies named (default: all) set to what they require, as "
                    "`numbers update --where` does it: a preview per field and per number, the count typed to "
                    "confirm, a journal run (`actui undo RUN` reverts the whole fix), resumable. Conditions "
                    "with no single value to set, and policies asking different values of one field, are "
                    "listed, never guessed.")
    fix.add_argument("policy_names", nargs="*", metavar="POLICY", help="only these policies (default: all)")
    _policies_option(fix)
    fix.add_argument("--dry-run", action="store_true", help="show what would change; send nothing")
    fix.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    fix.add_argument("--concurrency", type=positive_int, metavar="N",
                     help="requests in flight (default: the profile's bulk_concurrency, 8)")
    fix.add_argument("--json", action="store_true", help="print JSON")


def _policies_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policies", metavar="FILE", dest="policies_path",
                        help="the policy file (default: policies.toml beside config.toml)")


def check_args(args: argparse.Namespace) -> None:
    """Before connecting (no password asked, no request): the policy file read (an error in it, or a policy
    name it lacks, is a usage error naming the line or the name); fix: someone to confirm, or --yes."""
    from .policy_check import load_chosen

    load_chosen(args)
    if args.command == "fix" and not args.dry_run:
        from .bulk_cmd import require_confirmation_possible

        require_confirmation_possible(args, "change numbers")


async def check(session: Any, args: argparse.Namespace) -> int:
    from .policy_check import run_check

    return await run_check(session, args)


async def fix(session: Any, args: argparse.Namespace) -> int:
    from .policy_fix_cmd import run_fix

    return await run_fix(session, args)
