"""A parsed filter made runnable: per row (`test(row, values)`) and over a whole list (`select`).

`select` is what the list runs on every keystroke over up to 100,000 rows, so it avoids a Python call
per row where it can:
- the terms of an `and` narrow the rows in turn, each with a comprehension whose condition is inline
  for words and digits (about one substring search per row per term);
- a path term works on the distinct values of its column (filter_index): the values are looked up once
  per list and path, and each keystroke tests each distinct value once, marking its rows in a mask;
- `or`, `not` and path terms combine masks (one byte per row) with whole-mask operations, and
  `itertools.compress` turns a mask into rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress
from typing import Any, NamedTuple

from .filter_ast import And, Column, Node, Not, Or, Path, Word, digits
from .filter_index import column_index
from .filter_match import matcher
from .filter_values import ABSENT, PathValues

Test = Callable[[Any, PathValues | None], bool]
Select = Callable[[Sequence[Any], PathValues | None], list[Any]]
Masker = Callable[[Sequence[Any], PathValues | None], bytearray]
_FLIP = bytes([1, 0]) + bytes(254)  # bytes.translate table: 0 <-> 1


class Compiled(NamedTuple):
    test: Test      # one row
    select: Select  # the matching rows of a list, in order
    mask: Masker    # one byte per row of a list: 1 where it matches


def compile_node(node: Node) -> Compiled:
    if isinstance(node, Word):
        return _word(node)
    if isinstance(node, Column):
        return _column(node)
    if isinstance(node, Path):
        return _path(node)
    if isinstance(node, Not):
        return _not(node)
    if isinstance(node, And):
        return _and(node)
    return _or(node)


def reads_paths(node: Node) -> bool:
    if isinstance(node, Path):
        return True
    if isinstance(node, Not):
        return reads_paths(node.child)
    if isinstance(node, (And, Or)):
        return any(reads_paths(child) for child in node.children)
    return False


def _word(node: Word) -> Compiled:
    text = node.text
    if node.phone:
        return Compiled(lambda row, values: text in row.digits,
                        lambda rows, values: [row for row in rows if text in row.digits],
                        lambda rows, values: bytearray([text in row.digits for row in rows]))
    return Compiled(lambda row, values: text in row.haystack,
                    lambda rows, values: [row for row in rows if text in row.haystack],
                    lambda rows, values: bytearray([text in row.haystack for row in rows]))


def _column(node: Column) -> Compiled:
    field, text = node.field, node.value
    test: Test
    if node.phone:
        if field == "number":
            test = lambda row, values: text in row.digits  # noqa: E731
        else:
            test = lambda row, values: text in digits(row.field_text(field))  # noqa: E731
    elif node.op == ":" and text:
        test = lambda row, values: text in row.field_text(field).lower()  # noqa: E731
    else:
        match = matcher(node.op, text)
        if field == "number" and node.op != ":":   # compares the number itself, not "E.164 friendly"
            test = lambda row, values: match(row.number)  # noqa: E731
        else:
            test = lambda row, values: match(row.field_text(field))  # noqa: E731
    return _from_test(test)


def _path(node: Path, negate: bool = False) -> Compiled:
    path = node.path
    plain = matcher(node.op, node.value, node.kind, node.present)
    match = (lambda value: not plain(value)) if negate else plain
    unknown = match(ABSENT)

    def test(row: Any, values: PathValues | None) -> bool:
        return match(values.get(row.number, path)) if values is not None else unknown

    def mask(rows: Sequence[Any], values: PathValues | None) -> bytearray:
        if values is None:
            return bytearray(b"\x01" * len(rows)) if unknown else bytearray(len(rows))
        column = getattr(values, "column", None)
        if column is None:
            get = values.get
            return bytearray([match(get(row.number, path)) for row in rows])
        return column_index(rows, path, column(path)).mask(match)

    return Compiled(test, lambda rows, values: list(compress(rows, mask(rows, values))), mask)


def _not(node: Not) -> Compiled:
    child = node.child
    if isinstance(child, Word) and not child.phone:  # `!inactive`: the common negation, inline
        text = child.text
        return Compiled(lambda row, values: text not in row.haystack,
                        lambda rows, values: [row for row in rows if text not in row.haystack],
                        lambda rows, values: bytearray([text not in row.haystack for row in rows]))
    if isinstance(child, Path):  # `!settings.optOut.enabled:true`: the value test turned around
        return _path(child, negate=True)
    inner = compile_node(child)

    def mask(rows: Sequence[Any], values: PathValues | None) -> bytearray:
        return inner.mask(rows, values).translate(_FLIP)

    return Compiled(lambda row, values: not inner.test(row, values),
                    lambda rows, values: list(compress(rows, mask(rows, values))), mask)


def _and(node: And) -> Compiled:
    parts = [compile_node(child) for child in node.children]
    by_path = [part for child, part in zip(node.children, parts, strict=True) if reads_paths(child)]
    by_row = [part for child, part in zip(node.children, parts, strict=True) if not reads_paths(child)]
    tests = [part.test for part in parts]

    def test(row: Any, values: PathValues | None) -> bool:
        for one in tests:
            if not one(row, values):
                return False
        return True

    def select(rows: Sequence[Any], values: PathValues | None) -> list[Any]:
        # path terms over the list as passed (the one whose values filter_index keeps), then the row
        # terms narrow what they kept
        kept: Sequence[Any] = rows
        if by_path:
            kept = list(compress(rows, _combine([part.mask(rows, values) for part in by_path], "and")))
        for part in by_row:
            if not kept:
                break
            kept = part.select(kept, values)
        return list(kept)

    def mask(rows: Sequence[Any], values: PathValues | None) -> bytearray:
        return _combine([part.mask(rows, values) for part in parts], "and")

    return Compiled(test, select, mask)


def _or(node: Or) -> Compiled:
    parts = [compile_node(child) for child in node.children]
    tests = [part.test for part in parts]

    def test(row: Any, values: PathValues | None) -> bool:
        for one in tests:
            if one(row, values):
                return True
        return False

    def mask(rows: Sequence[Any], values: PathValues | None) -> bytearray:
        return _combine([part.mask(rows, values) for part in parts], "or")

    return Compiled(test, lambda rows, values: list(compress(rows, mask(rows, values))), mask)


def _from_test(test: Test) -> Compiled:
    return Compiled(test, lambda rows, values: [row for row in rows if test(row, values)],
                    lambda rows, values: bytearray([test(row, values) for row in rows]))


def _combine(masks: list[bytearray], how: str) -> bytearray:
    """Byte by byte (each 0 or 1), as whole integers: one C operation per mask, not one per row."""
    size = len(masks[0])
    total = int.from_bytes(masks[0], "little")
    for mask in masks[1:]:
        total = total & int.from_bytes(mask, "little") if how == "and" else total | int.from_bytes(mask, "little")
    return bytearray(total.to_bytes(size, "little"))
