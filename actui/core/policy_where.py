"""Which numbers a policy's `where` keeps, and which break a requirement, over the copy's columns, fast.

The list's filter (filter_eval) indexes a column per list for the keystrokes to come: ~150 ms over
100,000 numbers per path term, once. A check runs each filter once, so here a term is judged on its
column's distinct values instead (each tested once; the numbers holding one found by map and compress,
no Python step per number), and and/or/not combine sets; words and list-column terms likewise, on the
list columns' values (what copy_select's rows show: core/inventory.cell_text). Values of one JSON text
are one object in the copy's columns (core/copy_values), so "distinct" is by identity: cheap, and never
wrong (two equal objects are only judged twice).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import compress, repeat
from typing import Any

from ..api.phone import friendly
from .copy_select import LIST_WIRES
from .filter_ast import And, ColumnTerm, Node, Not, Or, PathTerm, Word, digits
from .filter_match import matcher
from .filter_values import ABSENT
from .filtering import Filter
from .inventory import COLUMNS, cell_text

WIRE_OF = {column.key: column.wire for column in COLUMNS}


class CopyColumns:
    """The columns one evaluation reads (path -> number -> value, held so a reader elsewhere dropping one
    meanwhile costs nothing: they are never changed in place), over the numbers judged (list order)."""

    def __init__(self, columns: Mapping[str, Mapping[str, Any]], numbers: list[str]):
        self.columns = columns
        self.numbers = numbers
        self.among = set(numbers)
        self._distinct: dict[str, dict[int, Any]] = {}
        self._position: dict[str, int] | None = None

    def distinct(self, path: str) -> dict[int, Any]:
        """id -> value of the column's distinct value objects (ABSENT among them)."""
        found = self._distinct.get(path)
        if found is None:
            values = self.columns[path].values()
            found = self._distinct[path] = dict(zip(map(id, values), values, strict=True))
            found[id(ABSENT)] = ABSENT
        return found

    def in_order(self, found: set[str]) -> list[str]:
        """These numbers in list order."""
        if len(found) == len(self.among):
            return list(self.numbers)
        if len(found) * 8 > len(self.among):
            return list(compress(self.numbers, map(found.__contains__, self.numbers)))
        if self._position is None:
            self._position = {number: index for index, number in enumerate(self.numbers)}
        return sorted(found, key=self._position.__getitem__)


def kept(keep: Filter, held: CopyColumns) -> list[str]:
    """The numbers judged (list order) that the filter keeps; `held` has every wire path it reads (its
    path terms', and the list columns its words and column terms read)."""
    if keep.tree is None:
        return list(held.numbers)
    return held.in_order(_numbers(keep.tree, held))


def _numbers(node: Node, held: CopyColumns) -> set[str]:
    """The numbers judged that `node` keeps, as filter_eval keeps them over copy_select's rows."""
    if isinstance(node, PathTerm):
        return matching(held, node.path, matcher(node.op, node.value, node.kind, node.present))
    if isinstance(node, ColumnTerm):
        return _column(node, held)
    if isinstance(node, Word):
        return _word(node, held)
    if isinstance(node, Not):
        return held.among - _numbers(node.child, held)
    assert isinstance(node, (And, Or))
    found = [_numbers(child, held) for child in node.children]
    return set.intersection(*found) if isinstance(node, And) else set.union(*found)


def _word(node: Word, held: CopyColumns) -> set[str]:
    text = node.text
    if node.phone:
        return {number for number in held.among if text in _digits(number)}
    found = {number for number in held.among if text in friendly(number).lower()}
    for wire in LIST_WIRES[1:]:
        found |= matching(held, wire, lambda value: text in cell_text(value).lower())
    return found


def _column(node: ColumnTerm, held: CopyColumns) -> set[str]:
    field, text = node.field, node.value
    test: Callable[[str], bool]
    if node.phone:
        test = lambda cell: text in digits(cell)  # noqa: E731
    elif node.op == ":" and text:
        test = lambda cell: text in cell.lower()  # noqa: E731
    else:
        test = matcher(node.op, text)
    if field == "number":
        if node.phone:
            return {number for number in held.among if text in _digits(number)}
        if node.op != ":":   # compares the number itself
            return {number for number in held.among if test(number)}
        return {number for number in held.among if test(number + " " + friendly(number))}
    return matching(held, WIRE_OF[field], lambda value: test(cell_text(value)))


def _digits(number: str) -> str:
    return number[1:] if number[:1] == "+" and number[1:].isdigit() else digits(number)


def matching(held: CopyColumns, path: str, match: Callable[[Any], bool]) -> set[str]:
    """The numbers judged whose value at `path` (ABSENT where they lack it) `match` holds for."""
    distinct = held.distinct(path)
    if match(ABSENT):
        bad = {key for key, value in distinct.items() if not match(value)}
        return held.among - _holding(held.columns[path], bad) if bad else set(held.among)
    good = {key for key, value in distinct.items() if match(value)}
    return _holding(held.columns[path], good) & held.among if good else set()


def _holding(column: Mapping[str, Any], ids: set[int]) -> set[str]:
    """The numbers whose value is one of these objects (no Python step per number: map and compress)."""
    return set(compress(column.keys(), map(ids.__contains__, map(id, column.values()))))


def breaking(held: CopyColumns, path: str, holds: Callable[[Any], bool], checked: Sequence[str]) -> list[str]:
    """The numbers of `checked` (in order) whose value at `path` does not meet `holds`."""
    bad = {key for key, value in held.distinct(path).items() if not holds(value)}
    if not bad:
        return []
    get = held.columns[path].get
    return list(compress(checked, map(bad.__contains__, map(id, map(get, checked, repeat(ABSENT))))))
