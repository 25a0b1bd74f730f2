"""Which numbers a policy's `where` keeps, and which break a requirement, over the copy's columns, fast.

The list's filter (filter_eval) indexes a column per list for the keystrokes to come: ~150 ms over
100,000 numbers per path term, once. A check runs each filter once, so here a path term is judged on its
column's distinct values instead (each tested once; the numbers holding one a set lookup away), and
and/or/not combine sets. A where with words or list-column terms goes through the filter as written
(copy_select's rows). Values of one JSON text are one object in the copy's columns (core/copy_values),
so "distinct" is by identity: cheap, and never wrong (two equal objects are only judged twice).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .copy_select import CopyRow
from .copy_values import PathValues
from .filter_ast import And, Node, Not, Or, PathTerm
from .filter_match import matcher
from .filter_values import ABSENT
from .filtering import Filter

Columns = Mapping[str, Mapping[str, Any]]


def only_paths(node: Node | None) -> bool:
    if node is None or isinstance(node, PathTerm):
        return True
    if isinstance(node, Not):
        return only_paths(node.child)
    if isinstance(node, (And, Or)):
        return all(only_paths(child) for child in node.children)
    return False


def kept(keep: Filter, detailed: list[str], values: PathValues, columns: Columns) -> list[str]:
    """The numbers of `detailed` (list order) the filter keeps."""
    if keep.tree is None:
        return list(detailed)
    if only_paths(keep.tree):
        among = set(detailed)
        found = _numbers(keep.tree, among, columns)
        return detailed if len(found) == len(among) else [number for number in detailed if number in found]
    rows = [CopyRow(number, values) for number in detailed]
    return [row.number for row in keep.select(rows, _Lookup(columns, values))]


def _numbers(node: Node, among: set[str], columns: Columns) -> set[str]:
    if isinstance(node, PathTerm):
        return matching(columns[node.path], matcher(node.op, node.value, node.kind, node.present), among)
    if isinstance(node, Not):
        return among - _numbers(node.child, among, columns)
    assert isinstance(node, (And, Or))   # only_paths(tree) holds
    found = [_numbers(child, among, columns) for child in node.children]
    return set.intersection(*found) if isinstance(node, And) else set.union(*found)


def matching(column: Mapping[str, Any], match: Callable[[Any], bool], among: set[str]) -> set[str]:
    """The numbers of `among` whose value (ABSENT where the column lacks them) `match` holds for."""
    bad = failing_ids(column, lambda value: not match(value))
    if match(ABSENT):
        return among - {number for number, value in column.items() if id(value) in bad}
    return {number for number, value in column.items() if id(value) not in bad and number in among}


def failing_ids(column: Mapping[str, Any], fails: Callable[[Any], bool]) -> set[int]:
    """The ids of the column's distinct value objects for which `fails` holds."""
    distinct = {id(value): value for value in column.values()}
    return {key for key, value in distinct.items() if fails(value)}


def breaking(column: Mapping[str, Any], holds: Callable[[Any], bool], checked: Sequence[str]) -> list[str]:
    """The numbers of `checked` (in order) whose value does not meet `holds`."""
    bad = failing_ids(column, lambda value: not holds(value))
    if not holds(ABSENT):
        bad.add(id(ABSENT))
    if not bad:
        return []
    get = column.get
    return [number for number in checked if id(get(number, ABSENT)) in bad]


class _Lookup:
    """PathValues over the columns held (`get` alone: a one-shot pass builds no index)."""

    __slots__ = ("get",)

    def __init__(self, columns: Columns, values: PathValues):
        def get(number: str, path: str) -> Any:
            column = columns.get(path)
            return values.get(number, path) if column is None else column.get(number, ABSENT)

        self.get = get

