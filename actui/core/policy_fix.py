"""Fixing what policies find (`actui fix`, the health screen's `f`): the bulk plan that sets every breaking
number to what its policies require.

The change per number comes from policies.fix_targets (every breaking policy's settable requirements merged;
two policies asking different values of one field: a clash, nothing set on that number). It is planned by
the bulk engine like any `numbers update --where`: the local copy's fresh details are its `known` readings
(no GET), the others are read (and kept in the copy); the engine reads a number again right before writing
when its reading is older than bulk_reread_after, so a number changed on the server since is a conflict,
left alone. Conditions with no single value to set (`present`, `max`, ...) are never guessed: the numbers
breaking only those are left out, with why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .bulk import BulkEngine
from .bulk_plan import BulkPlan, plan_targets
from .copy_plan import fresh_details, keep_read
from .local_copy import LocalCopy
from .policies import PolicyResult, fix_targets


async def plan_fix(engine: BulkEngine, copy: LocalCopy, results: Sequence[PolicyResult], *, max_age: float,
                   on_progress: Callable[[int, int], None] | None = None) -> tuple[BulkPlan, dict[str, str]]:
    """The bulk plan setting every fixable number as its policies require, and the numbers left out with why
    (a clash between policies; only breaches no value can fix). `on_progress(done, total)` counts the
    numbers read (those the copy holds fresh are not read)."""
    targets, left_out = fix_targets(results)
    left_out = dict(left_out)
    for number, why in unfixable_reasons(results).items():
        if number not in targets and number not in left_out:
            left_out[number] = why
    known = fresh_details(copy, targets, max_age, clock=engine.clock)
    read: dict[str, dict[str, Any]] = {}
    try:
        plan = await plan_targets(engine.client, targets, common_change(targets), concurrency=engine.concurrency,
                                  on_progress=on_progress, limiter=engine.limiter, clock=engine.clock,
                                  known=known, read=read)
    finally:
        keep_read(copy, read)
    return plan, left_out


def unfixable_reasons(results: Sequence[PolicyResult]) -> dict[str, str]:
    """number -> what no value can fix in it ("forward: settings.autoForward.emailAddresses must be present
    (no single value to set: not guessed)"), over every policy, in the results' order."""
    said: dict[str, list[str]] = {}
    for result in results:
        why = "a built-in check: fixed by hand" if result.policy.builtin else "no single value to set: not guessed"
        for number, breaches in result.unfixable.items():
            said.setdefault(number, []).extend(
                f"{result.policy.name}: {breach.path} must be {breach.expected} ({why})" for breach in breaches)
    return {number: "; ".join(parts) for number, parts in said.items()}


def common_change(targets: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The run's `requested` in the journal: the change when every number gets the same one, else empty
    (each item's planned values say what it becomes)."""
    changes = list(targets.values())
    if changes and all(change == changes[0] for change in changes[1:]):
        return dict(changes[0])
    return {}


def fix_description(names: Sequence[str]) -> str:
    """The journal run's description: "fix a2p-stop, ooo-ended"."""
    return "fix " + ", ".join(dict.fromkeys(names)) if names else "fix"


def fixing_policies(results: Sequence[PolicyResult], plan: BulkPlan) -> list[str]:
    """The names of the policies whose fixes the plan writes (for the description), in the results' order."""
    planned = {item.number for item in plan.items}
    return [result.policy.name for result in results if planned & result.fixes.keys()]
