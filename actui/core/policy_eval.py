"""Judging the local copy by policies: which numbers each policy's `where` keeps, which of them break it and
how, and the change that fixes each (core/policies.py is the entry).

Fast over 100,000 numbers (goal: ten policies in <= 1 s, benchmarks/policy_check.py): every path any chosen
policy reads is extracted in one SQLite pass (LocalCopy.values().prepare; no document is parsed whole),
each `where` and requirement is judged on its columns' distinct values (core/policy_where.py), and the
numbers failing alike share one outcome.
Only numbers with a detail are judged: a list item may leave settings out, so judging it would invent
breaches (the callers read missing details first).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from typing import Any

from .builtin_checks import BuiltinCheck, builtin_check
from .copy_select import LIST_WIRES
from .filter_ast import ColumnTerm, Word
from .filter_values import ABSENT
from .filtering import Filter, compile_filter, terms_of
from .local_copy import LocalCopy
from .patch import set_path
from .policy_model import Breach, Policy, PolicyNameError, PolicyResult, PolicySet, wire_value
from .policy_where import WIRE_OF, CopyColumns, kept
from .policy_where import breaking as breaking_numbers


def chosen(policies: PolicySet, names: Sequence[str] | None) -> list[Policy]:
    """The policies named (in the set's order), every one for None; PolicyNameError (a KeyError) naming an
    unknown name and the names known."""
    if names is None:
        return list(policies.policies)
    known = policies.names()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise PolicyNameError(f"no policy named {', '.join(unknown)} (the policies: {', '.join(known) or 'none'})",
                              tuple(unknown))
    wanted = set(names)
    return [policy for policy in policies.policies if policy.name in wanted]


def _filter_paths(keep: Filter) -> list[str]:
    """The wire paths answering a filter over the copy: its path terms, and the list columns its words and
    column terms read."""
    terms = list(terms_of(keep.tree))
    paths = list(keep.paths)
    if any(isinstance(term, Word) and not term.phone for term in terms):
        paths += LIST_WIRES[1:]
    paths += [WIRE_OF[t.field] for t in terms if isinstance(t, ColumnTerm) and t.field != "number"]
    return paths


def policy_paths(policy: Policy) -> list[str]:
    """Every wire path judging this policy reads (its where's, its requirements', a built-in's judge's)."""
    paths = _filter_paths(compile_filter(policy.where))
    paths += [requirement.path for requirement in policy.requires]
    check = builtin_check(policy.name) if policy.builtin else None
    if check is not None:
        paths += check.paths
    return list(dict.fromkeys(paths))


def needed_paths(policies: PolicySet, names: Sequence[str] | None = None) -> tuple[str, ...]:
    """The wire paths the chosen policies read: whether a number's detail is needed to judge it."""
    found: list[str] = []
    for policy in chosen(policies, names):
        found += policy_paths(policy)
    return tuple(dict.fromkeys(found))


def detailed_numbers(copy: LocalCopy) -> list[str]:
    """The numbers whose detail the copy holds, in list order."""
    rows = copy.store.query("SELECT number FROM copy_numbers WHERE account = ? AND detail_read_at IS NOT NULL"
                            " ORDER BY position", (copy.account,))
    return [row[0] for row in rows]


def evaluate(policies: PolicySet, copy: LocalCopy, names: Sequence[str] | None = None,
             now: float | None = None, *, keep_columns: bool = False) -> list[PolicyResult]:
    """Each chosen policy judged over the copy's numbers with a detail (the set's order).

    The copy's values keep the columns read for this only with `keep_columns` (judging again then skips
    reading them: ~2.3 s of 3.1 over 100,000 numbers and 24 paths, for ~100 MB held); otherwise they go
    back to the columns they held before (the list's), as few as copy_values keeps."""
    wanted = chosen(policies, names)
    moment = datetime.datetime.fromtimestamp(copy.clock() if now is None else now, datetime.UTC)
    detailed = detailed_numbers(copy)
    if not detailed:
        return [PolicyResult(policy, [], {}, {}, {}) for policy in wanted]
    values = copy.values()
    before = values.paths
    paths = list(dict.fromkeys(path for policy in wanted for path in policy_paths(policy)))
    values.prepare(paths)
    held = CopyColumns({path: values.column(path) for path in paths}, detailed)
    if not keep_columns:
        built = set(values.paths)   # those still built: nothing is read; the ones asked for least recently go
        values.prepare([path for path in before if path in built])
    return [_judge(policy, held, moment) for policy in wanted]


def _judge(policy: Policy, held: CopyColumns, now: datetime.datetime) -> PolicyResult:
    checked = kept(compile_filter(policy.where), held)
    check = builtin_check(policy.name) if policy.builtin else None
    if check is not None:
        found = _builtin(check, checked, held, now)
        return PolicyResult(policy, checked, found, {}, dict(found))
    # per number failing some requirement, the value it holds at each requirement's path (_PASSED where it
    # meets it); numbers failing alike (the same value objects) share their breaches and change
    failing = [dict(zip(found, map(held.columns[r.path].get, found, repeat(ABSENT)), strict=True))
               for r in policy.requires
               for found in [breaking_numbers(held, r.path, r.condition.holds, checked)]]
    if len(failing) == 1:
        order = list(failing[0])
    else:
        anywhere = set().union(*failing)
        order = list(compress(checked, map(anywhere.__contains__, checked)))
    keys, distinct = group_alike(order, [one.get for one in failing], _PASSED)
    outcome = _Outcomes(policy)
    outcomes = {key: outcome.of(values) for key, values in distinct.items()}
    breaking = dict(zip(order, (outcomes[key][0] for key in keys), strict=True))
    fixed = {key for key, found in outcomes.items() if found[1]}
    left = {key for key, found in outcomes.items() if found[2]}
    fixes = {number: outcomes[key][1] for number, key in zip(order, keys, strict=True) if key in fixed} \
        if fixed else {}
    unfixable = {number: outcomes[key][2] for number, key in zip(order, keys, strict=True) if key in left} \
        if left else {}
    return PolicyResult(policy, checked, breaking, fixes, unfixable)


_PASSED: Any = type("Passed", (), {"__repr__": lambda self: "PASSED"})()


def group_alike(numbers: list[str], gets: list[Callable[[str, Any], Any]],
                default: Any) -> tuple[list[tuple[int, ...]], dict[tuple[int, ...], tuple[Any, ...]]]:
    """Each number's key (the ids of its value at each getter) and, per distinct key, the values: map and
    zip, no Python step per number."""
    columns = [list(map(get, numbers, repeat(default))) for get in gets]
    keys = list(zip(*(map(id, column) for column in columns), strict=True))
    return keys, dict(zip(keys, zip(*columns, strict=True), strict=True))


class _Outcomes:
    """What failing a policy's requirements with given values means: the breaches, the change that fixes
    those with one value to set, the breaches left unfixed. Numbers failing alike share these objects
    (read them, never change them)."""

    def __init__(self, policy: Policy):
        requires = policy.requires
        self.requires = requires
        counts = Counter(requirement.path for requirement in requires)
        # a path with another condition beside `equals` is not set: the value set might break the other
        self.settable = [requirement.condition.settable and counts[requirement.path] == 1 for requirement in requires]
        self.described = [requirement.condition.describe() for requirement in requires]

    def of(self, values: tuple[Any, ...]) -> tuple[list[Breach], dict[str, Any], list[Breach]]:
        breaches: list[Breach] = []
        change: dict[str, Any] = {}
        left: list[Breach] = []
        for index, actual in enumerate(values):
            if actual is _PASSED:
                continue
            requirement = self.requires[index]
            breach = Breach(requirement.path, self.described[index], actual)
            breaches.append(breach)
            if self.settable[index]:
                set_path(change, requirement.path, wire_value(requirement.condition.value))
            else:
                left.append(breach)
        return breaches, change, left


def _builtin(check: BuiltinCheck, checked: list[str], held: CopyColumns,
             now: datetime.datetime) -> dict[str, list[Breach]]:
    """A built-in check's breaches per number, its judge asked once per distinct set of values."""
    keys, distinct = group_alike(checked, [held.columns[path].get for path in check.paths], ABSENT)
    verdicts = {key: check.judge(_reader(dict(zip(check.paths, values, strict=True))), now)
                for key, values in distinct.items()}
    bad = {key for key, breaches in verdicts.items() if breaches}
    if not bad:
        return {}
    flags = list(map(bad.__contains__, keys))
    return dict(zip(compress(checked, flags), map(verdicts.__getitem__, compress(keys, flags)), strict=True))


def _reader(by_path: dict[str, Any]) -> Callable[[str], Any]:
    def value(path: str) -> Any:
        return by_path.get(path, ABSENT)

    return value
