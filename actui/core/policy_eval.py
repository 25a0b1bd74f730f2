"""Judging the local copy by policies: which numbers each policy's `where` keeps, which of them break it and
how, and the change that fixes each (core/policies.py is the entry).

Fast over 100,000 numbers (goal: ten policies in <= 1 s, benchmarks/policy_check.py): every path any chosen
policy reads is extracted in one SQLite pass (LocalCopy.values().prepare), each `where` runs once over
light rows, and a requirement looks its column up once per number (no document is parsed whole).
Only numbers with a detail are judged: a list item may leave settings out, so judging it would invent
breaches (the callers read missing details first).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .builtin_checks import builtin_check
from .copy_select import LIST_WIRES
from .copy_values import PathValues
from .filter_ast import ColumnTerm, Word
from .filter_values import ABSENT
from .filtering import Filter, compile_filter, terms_of
from .inventory import COLUMNS
from .local_copy import LocalCopy
from .patch import set_path
from .policy_model import Breach, Policy, PolicyResult, PolicySet, Requirement, wire_value
from .policy_where import breaking as breaking_numbers
from .policy_where import kept

_WIRE_OF = {column.key: column.wire for column in COLUMNS}


def chosen(policies: PolicySet, names: Sequence[str] | None) -> list[Policy]:
    """The policies named (in the set's order), every one for None; KeyError naming an unknown name."""
    if names is None:
        return list(policies.policies)
    known = policies.names()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise KeyError(f"no policy named {', '.join(unknown)} (policies: {', '.join(known) or 'none'})")
    wanted = set(names)
    return [policy for policy in policies.policies if policy.name in wanted]


def _filter_paths(keep: Filter) -> list[str]:
    """The wire paths answering a filter over the copy: its path terms, and the list columns its words and
    column terms read."""
    terms = list(terms_of(keep.tree))
    paths = list(keep.paths)
    if any(isinstance(term, Word) and not term.phone for term in terms):
        paths += LIST_WIRES[1:]
    paths += [_WIRE_OF[t.field] for t in terms if isinstance(t, ColumnTerm) and t.field != "number"]
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
             now: float | None = None) -> list[PolicyResult]:
    """Each chosen policy judged over the copy's numbers with a detail (the set's order)."""
    wanted = chosen(policies, names)
    moment = datetime.datetime.fromtimestamp(copy.clock() if now is None else now, datetime.UTC)
    detailed = detailed_numbers(copy)
    if not detailed:
        return [PolicyResult(policy, [], {}, {}, {}) for policy in wanted]
    values = copy.values()
    paths = list(dict.fromkeys(path for policy in wanted for path in policy_paths(policy)))
    values.prepare(paths)
    # the columns held here, so a reader elsewhere dropping one meanwhile costs nothing (never changed in place)
    columns = {path: values.column(path) for path in paths}
    return [_judge(policy, detailed, values, columns, moment) for policy in wanted]


def _judge(policy: Policy, detailed: list[str], values: PathValues, columns: dict[str, dict[str, Any]],
           now: datetime.datetime) -> PolicyResult:
    checked = kept(compile_filter(policy.where), detailed, values, columns)
    breaking: dict[str, list[Breach]] = {}
    check = builtin_check(policy.name) if policy.builtin else None
    if check is not None:
        for number in checked:
            found = check.judge(_lookup(columns, number), now)
            if found:
                breaking[number] = found
        return PolicyResult(policy, checked, breaking, {}, dict(breaking))
    for requirement in policy.requires:
        condition = requirement.condition
        failing = breaking_numbers(columns[requirement.path], condition.holds, checked)
        if failing:
            expected, column = condition.describe(), columns[requirement.path]
            for number in failing:
                breaking.setdefault(number, []).append(Breach(requirement.path, expected,
                                                              column.get(number, ABSENT)))
    if len(policy.requires) > 1:   # each number's breaches in the order of the requirements, numbers in list order
        breaking = {number: breaking[number] for number in checked if number in breaking}
    fixes: dict[str, dict[str, Any]] = {}
    unfixable: dict[str, list[Breach]] = {}
    settable = {requirement.path: requirement for requirement in policy.requires if requirement.condition.settable}
    for number, breaches in breaking.items():
        change: dict[str, Any] = {}
        for breach in breaches:
            setter = settable.get(breach.path)
            if setter is not None and _only_condition(policy.requires, breach.path):
                set_path(change, breach.path, wire_value(setter.condition.value))
            else:
                unfixable.setdefault(number, []).append(breach)
        if change:
            fixes[number] = change
    return PolicyResult(policy, checked, breaking, fixes, unfixable)


def _only_condition(requires: Iterable[Requirement], path: str) -> bool:
    """Whether the path's one requirement is `equals` (a value set must also meet any other on the path:
    not guessed when there is another)."""
    return sum(1 for requirement in requires if requirement.path == path) == 1


def _lookup(columns: dict[str, dict[str, Any]], number: str) -> Callable[[str], Any]:
    return lambda path: columns[path].get(number, ABSENT)
