"""Judging the local copy by policies: which numbers each policy's `where` keeps, which of them break it and
how, and the change that fixes each (core/policies.py is the entry).

Fast over 100,000 numbers (goal: `actui check` with ten policies in <= 1 s, benchmarks/check_cli.py): the
columns of every path the chosen policies read come from the cache file as a new process finds them
(core/copy_column_cache: distinct values and a code per number, kept while no document changed), else
from the copy's values (one SQLite pass; kept in the cache for the next process); each `where` and
requirement is judged on its columns' distinct values (core/policy_where.py), and the numbers failing
alike share one outcome.
Only numbers with a detail are judged: a list item may leave settings out, so judging it would invent
breaches (the callers read missing details first).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import compress
from operator import mul
from typing import Any

from . import copy_column_cache
from .builtin_checks import BuiltinCheck, builtin_check
from .copy_select import LIST_WIRES
from .filter_ast import ColumnTerm, Word
from .filter_values import ABSENT
from .filtering import Filter, compile_filter, terms_of
from .local_copy import LocalCopy
from .patch import set_path
from .policy_model import Breach, Policy, PolicyNameError, PolicyResult, PolicySet, wire_value
from .policy_where import WIRE_OF, Coded, CopyColumns, Listed, Selection, kept
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

    The columns come straight from those kept in the cache file (core/copy_column_cache: coded, read back
    in a few ms each while no document changed), else from the copy's values (read from the documents and
    kept in the cache). With `keep_columns` the copy's values keep every column read (~100 MB over
    100,000 numbers and 31 paths; the list's filter then finds them built); otherwise they go back to the
    columns they held before (the list's), as few as copy_values keeps."""
    wanted = chosen(policies, names)
    moment = datetime.datetime.fromtimestamp(copy.clock() if now is None else now, datetime.UTC)
    detailed = detailed_numbers(copy)
    if not detailed:
        return [PolicyResult(policy, [], {}, {}, {}) for policy in wanted]
    paths = list(dict.fromkeys(path for policy in wanted for path in policy_paths(policy)))
    held = _held(copy, paths, detailed, keep_columns)
    return [_judge(policy, held, moment) for policy in wanted]


def _held(copy: LocalCopy, paths: list[str], detailed: list[str], keep_columns: bool) -> CopyColumns:
    values = copy.values()
    before = values.paths
    columns: dict[str, Listed | Coded] = {}
    numbers, found = copy_column_cache.aligned(copy.store, copy.account, paths)
    if found and numbers != detailed:   # some numbers without a detail (not judged), or a new order
        chosen_flags = bytes(map(set(detailed).__contains__, numbers))
        if list(compress(numbers, chosen_flags)) != detailed:
            found = {}   # kept in another order, or the copy changed meanwhile: read from the documents
        else:
            found = {path: (distinct, _chosen(codes, chosen_flags)) for path, (distinct, codes) in found.items()}
    columns.update((path, Coded(*coded)) for path, coded in found.items())
    missing = [path for path in paths if path not in columns]
    if keep_columns:
        values.prepare(paths)   # read back from the cache where kept there
    elif missing:
        values.prepare(missing + list(before))   # those built before stay built (nothing read for them)
    if missing:
        columns.update(CopyColumns.from_columns({path: values.column(path) for path in missing}, detailed).columns)
        if not keep_columns:
            built = set(values.paths)   # those still built: nothing is read; the ones asked for least recently go
            values.prepare([path for path in before if path in built])
    return CopyColumns(columns, detailed)


def _chosen(codes: Sequence[int], flags: bytes) -> Sequence[int]:
    picked = compress(codes, flags)
    return bytes(picked) if isinstance(codes, bytes) else list(picked)


def _judge(policy: Policy, held: CopyColumns, now: datetime.datetime) -> PolicyResult:
    checking = kept(compile_filter(policy.where), held)
    checked = held.in_order(checking)
    check = builtin_check(policy.name) if policy.builtin else None
    if check is not None:
        found = _builtin(check, checking, held, now)
        return PolicyResult(policy, checked, found, {}, dict(found))
    # per number failing some requirement, the value it holds at each requirement's path (_PASSED where it
    # meets it); numbers failing alike (the same value objects) share their breaches and change
    failing = [breaking_numbers(held, r.path, r.condition.holds, checking) for r in policy.requires]
    anywhere = 0
    for one in failing:
        anywhere |= one
    if not anywhere:
        return PolicyResult(policy, checked, {}, {}, {})
    order = held.in_order(anywhere)
    flags = held.flags(anywhere)
    # a number's key: per requirement its value's key + 1 where it fails it, 0 where it meets it
    keys = list(zip(*(map(mul, compress(held.flags(one), flags), map(_NEXT, held.keys(r.path, anywhere)))
                      for r, one in zip(policy.requires, failing, strict=True)), strict=True))
    distinct = [held.distinct(r.path) for r in policy.requires]
    outcome = _Outcomes(policy)
    outcomes = {key: outcome.of(tuple(values[found - 1] if found else _PASSED
                                      for values, found in zip(distinct, key, strict=True)))
                for key in dict.fromkeys(keys)}
    breaking = dict(zip(order, map({key: found[0] for key, found in outcomes.items()}.__getitem__, keys),
                        strict=True))
    return PolicyResult(policy, checked, breaking, _each(order, keys, outcomes, 1), _each(order, keys, outcomes, 2))


def _each(order: list[str], keys: list[Any], outcomes: dict[Any, tuple[Any, ...]], part: int) -> dict[str, Any]:
    """number -> its outcome's `part`, for the numbers whose outcome has one."""
    having = {key: found[part] for key, found in outcomes.items() if found[part]}
    if not having:
        return {}
    flags = list(map(having.__contains__, keys))
    return dict(zip(compress(order, flags), map(having.__getitem__, compress(keys, flags)), strict=True))


_PASSED: Any = type("Passed", (), {"__repr__": lambda self: "PASSED"})()
_NEXT = (1).__add__


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


def _builtin(check: BuiltinCheck, checking: Selection, held: CopyColumns,
             now: datetime.datetime) -> dict[str, list[Breach]]:
    """A built-in check's breaches per number, its judge asked once per distinct set of values."""
    keys = list(zip(*(held.keys(path, checking) for path in check.paths), strict=True))
    distinct = [held.distinct(path) for path in check.paths]
    verdicts = {key: check.judge(_reader({path: values[found] for path, values, found
                                          in zip(check.paths, distinct, key, strict=True)}), now)
                for key in dict.fromkeys(keys)}
    bad = {key for key, breaches in verdicts.items() if breaches}
    if not bad:
        return {}
    flags = list(map(bad.__contains__, keys))
    return dict(zip(compress(held.in_order(checking), flags), map(verdicts.__getitem__, compress(keys, flags)),
                    strict=True))


def _reader(by_path: dict[str, Any]) -> Callable[[str], Any]:
    def value(path: str) -> Any:
        return by_path.get(path, ABSENT)

    return value
