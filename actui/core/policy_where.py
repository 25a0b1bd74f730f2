"""Which numbers a policy's `where` keeps, and which break a requirement, over the copy's columns, fast.

The list's filter (filter_eval) indexes a column per list for the keystrokes to come: ~150 ms over
100,000 numbers per path term, once. A check runs each filter once, so here a term is judged on its
column's distinct values instead (each tested once; the numbers holding one found without a Python step
per number: bytes.translate of a coded column's codes, or map over a listed one's value ids), and
and/or/not combine Selections (a byte per number in a big int); words and list-column terms likewise, on
the list columns' values (what copy_select's rows show: core/inventory.cell_text). Values of one JSON
text are one object in the copy's columns (core/copy_values), so "distinct" is by identity (or code):
cheap, and never wrong (two equal objects are only judged twice).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, repeat
from typing import Any

from ..api.phone import friendly
from .copy_column_cache import ABSENT_MARK as HELD_ABSENT
from .copy_select import LIST_WIRES
from .filter_ast import And, ColumnTerm, Node, Not, Or, PathTerm, Word, digits
from .filter_match import matcher
from .filter_values import ABSENT
from .filtering import Filter
from .inventory import COLUMNS, cell_text

WIRE_OF = {column.key: column.wire for column in COLUMNS}


Selection = int         # numbers judged, one byte per position (0 or 1) in a big int: & | ^ at C speed
Keys = Iterable[int]


class Listed:
    """One path's values aligned to the numbers judged; a value's key is its object's id (values of one
    JSON text are one object: core/copy_values)."""

    def __init__(self, values: Sequence[Any]):
        self.values = values

    def distinct(self) -> dict[int, Any]:
        values = self.values
        return dict(zip(map(id, values), values, strict=True))

    def holding(self, keys: set[int]) -> bytes:
        return bytes(map(keys.__contains__, map(id, self.values)))

    def keys(self, flags: bytes | None) -> Keys:
        return map(id, self.values if flags is None else compress(self.values, flags))


class Coded:
    """One path's distinct values and each number's code (its index among them, a byte where fewer than
    257, as core/copy_column_cache keeps them): a value's key is its code."""

    def __init__(self, distinct: list[Any], codes: Sequence[int]):
        self.values = distinct
        self.codes = codes

    def distinct(self) -> dict[int, Any]:
        return dict(enumerate(self.values))

    def holding(self, keys: set[int]) -> bytes:
        if isinstance(self.codes, bytes):
            return self.codes.translate(bytes(code in keys for code in range(256)))
        return bytes(map(keys.__contains__, self.codes))

    def keys(self, flags: bytes | None) -> Keys:
        return iter(self.codes) if flags is None else compress(self.codes, flags)


class CopyColumns:
    """The columns one evaluation reads over the numbers judged (list order), Listed or Coded: never
    changed in place. Sets of numbers are Selections (one byte per position), so and/or/not and picking
    in list order never step per number in Python."""

    def __init__(self, columns: Mapping[str, Listed | Coded], numbers: list[str]):
        self.columns = columns
        self.numbers = numbers
        self.everyone: Selection = int.from_bytes(b"\x01" * len(numbers), "big")
        self._distinct: dict[str, dict[int, Any]] = {}

    @classmethod
    def from_columns(cls, columns: Mapping[str, Mapping[str, Any]], numbers: list[str]) -> CopyColumns:
        """From number -> value columns (a number lacking the path not in it)."""
        return cls({path: Listed(list(map(column.get, numbers, repeat(ABSENT)))) for path, column in columns.items()},
                   numbers)

    def distinct(self, path: str) -> dict[int, Any]:
        """key -> value of the column's distinct values, as the filter language sees them (ABSENT where
        the number lacks the path)."""
        found = self._distinct.get(path)
        if found is None:
            found = self._distinct[path] = self.columns[path].distinct()
            for key, value in found.items():
                if value is HELD_ABSENT:
                    found[key] = ABSENT
        return found

    def holding(self, path: str, keys: set[int]) -> Selection:
        """The numbers whose value has one of these keys."""
        return int.from_bytes(self.columns[path].holding(keys), "big")

    def keys(self, path: str, chosen: Selection) -> Keys:
        """The keys of the chosen numbers' values, in list order."""
        return self.columns[path].keys(None if chosen == self.everyone else self.flags(chosen))

    def flags(self, chosen: Selection) -> bytes:
        return chosen.to_bytes(len(self.numbers), "big")

    def in_order(self, chosen: Selection) -> list[str]:
        """These numbers in list order."""
        if chosen == self.everyone:
            return list(self.numbers)
        return list(compress(self.numbers, self.flags(chosen)))

    def by_number(self, test: Callable[[str], bool]) -> Selection:
        return _selection(map(test, self.numbers))


def _selection(flags: Iterable[bool]) -> Selection:
    return int.from_bytes(bytes(flags), "big")


def kept(keep: Filter, held: CopyColumns) -> Selection:
    """The numbers judged that the filter keeps; `held` has every wire path it reads (its path terms',
    and the list columns its words and column terms read)."""
    if keep.tree is None:
        return held.everyone
    return _numbers(keep.tree, held)


def _numbers(node: Node, held: CopyColumns) -> Selection:
    """The numbers judged that `node` keeps, as filter_eval keeps them over copy_select's rows."""
    if isinstance(node, PathTerm):
        return matching(held, node.path, matcher(node.op, node.value, node.kind, node.present))
    if isinstance(node, ColumnTerm):
        return _column(node, held)
    if isinstance(node, Word):
        return _word(node, held)
    if isinstance(node, Not):
        return held.everyone ^ _numbers(node.child, held)
    assert isinstance(node, (And, Or))
    found = [_numbers(child, held) for child in node.children]
    result = found[0]
    for other in found[1:]:
        result = result & other if isinstance(node, And) else result | other
    return result


_NANP_CHARACTERS = frozenset("0123456789() -")


def _word(node: Word, held: CopyColumns) -> Selection:
    text = node.text
    if node.phone:
        return held.by_number(lambda number: text in _digits(number))
    if set(text) <= _NANP_CHARACTERS:
        found = held.by_number(lambda number: text in friendly(number).lower())
    else:   # a NANP number's friendly form holds none of its characters: only the others can match
        found = held.by_number(_not_nanp(held.numbers, lambda number: text in friendly(number).lower()).__contains__)
    for wire in LIST_WIRES[1:]:
        found |= matching(held, wire, lambda value: text in cell_text(value).lower())
    return found


# the numbers api.phone.friendly does not format as (NXX) NXX-XXXX (one per line; a number never holds a
# line break: api.list_items.number_of)
_NOT_NANP = re.compile(r"^(?!\+1[0-9]{10}$).*$", re.MULTILINE)


def _not_nanp(numbers: list[str], test: Callable[[str], bool]) -> set[str]:
    """The numbers friendly() does not format as NANP for which `test` holds (found at C speed: nearly all
    numbers are NANP ones)."""
    lines = "\n".join(numbers)
    if lines.count("\n") != len(numbers) - 1:   # a number holding a line break: one by one
        return {number for number in numbers if test(number)}
    return {number for number in _NOT_NANP.findall(lines) if test(number)}


def _column(node: ColumnTerm, held: CopyColumns) -> Selection:
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
            return held.by_number(lambda number: text in _digits(number))
        if node.op != ":":   # compares the number itself
            return held.by_number(test)
        return held.by_number(lambda number: test(number + " " + friendly(number)))
    return matching(held, WIRE_OF[field], lambda value: test(cell_text(value)))


def _digits(number: str) -> str:
    return number[1:] if number[:1] == "+" and number[1:].isdigit() else digits(number)


def matching(held: CopyColumns, path: str, match: Callable[[Any], bool]) -> Selection:
    """The numbers judged whose value at `path` (ABSENT where they lack it) `match` holds for."""
    distinct = held.distinct(path)
    if match(ABSENT):
        bad = {key for key, value in distinct.items() if not match(value)}
        return held.everyone ^ held.holding(path, bad) if bad else held.everyone
    good = {key for key, value in distinct.items() if match(value)}
    return held.holding(path, good) if good else 0


def breaking(held: CopyColumns, path: str, holds: Callable[[Any], bool], checked: Selection) -> Selection:
    """The numbers of `checked` whose value at `path` does not meet `holds`."""
    bad = {key for key, value in held.distinct(path).items() if not holds(value)}
    return held.holding(path, bad) & checked if bad and checked else 0
