"""Which numbers of the local copy a filter keeps, and what to print of them, without reading every document
whole: a copy of 100,000 numbers whose list items carry settings holds ~120 MB of JSON, and parsing all of
it costs seconds where an answer should take well under one.

The filter runs over light rows (CopyRow): the number, and the list columns read from the copy's per-path
columns (LocalCopy.values(), one SQLite pass for every path the filter needs) only when a word or column
term asks for them. What is printed is read for the matching numbers only: the list items of one page,
or every matching item's JSON text as the copy holds it (`item_texts`).

The SQL here reads LocalCopy's table (core/local_copy.py: copy_numbers, one row per account and number,
`position` the list order, `list_item` the item as sent).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from ..api.phone import friendly
from .copy_values import PathValues, json_path
from .filter_ast import ColumnTerm, PathTerm, Word
from .filtering import Filter, terms_of
from .inventory import COLUMNS, cell_text
from .local_copy import LocalCopy

LIST_WIRES: tuple[str, ...] = tuple(column.wire for column in COLUMNS)
_WIRE_OF = {column.key: column.wire for column in COLUMNS}


class CopyRow:
    """One number as the filter reads it (core/filtering.Searchable), its list columns read on demand from
    the copy's columns."""

    __slots__ = ("number", "_values")

    def __init__(self, number: str, values: PathValues):
        self.number = number
        self._values = values

    @property
    def digits(self) -> str:
        number = self.number
        return number[1:] if number[:1] == "+" and number[1:].isdigit() else "".join(c for c in number if c.isdigit())

    @property
    def haystack(self) -> str:
        return "\x1f".join([friendly(self.number), *[self.field_text(c.key) for c in COLUMNS[1:]]]).lower()

    def field_text(self, field: str) -> str:
        if field == "number":
            return self.number + " " + friendly(self.number)
        return cell_text(self._values.get(self.number, _WIRE_OF[field]))


class NumberRow(str):
    """A row for a filter of path terms only: the number is all it reads (made at C speed, 100,000 at once)."""

    __slots__ = ()
    number = property(str.__str__)


def numbers(copy: LocalCopy) -> list[str]:
    """Every number the copy holds, in list order."""
    return copy.numbers()


def matching(copy: LocalCopy, keep: Filter | None) -> list[str]:
    """The numbers the filter keeps, in list order (every number for no filter)."""
    held = numbers(copy)
    if keep is None or keep.tree is None:
        return held
    values = copy.values()
    needed = list(keep.paths)
    terms = list(terms_of(keep.tree))
    if any(isinstance(term, Word) and not term.phone for term in terms):
        needed += LIST_WIRES[1:]
    needed += [_WIRE_OF[t.field] for t in terms if isinstance(t, ColumnTerm) and t.field != "number"]
    if needed:
        values.prepare(dict.fromkeys(needed))
    if all(isinstance(term, PathTerm) for term in terms):
        rows: list[Any] = list(map(NumberRow, held))
    else:
        rows = [CopyRow(number, values) for number in held]
    # lookups only: a filter indexes a column's distinct values for the keystrokes to come (the TUI's list);
    # one pass is cheaper without
    return [row.number for row in keep.select(rows, Lookups(values))]


class Lookups:
    """PathValues offering `get` alone."""

    __slots__ = ("get",)

    def __init__(self, values: PathValues):
        self.get = values.get


def list_columns(copy: LocalCopy, wanted: Sequence[str]) -> Iterator[list[Any]]:
    """Each wanted number's list columns (LIST_WIRES' order; None where absent), in list order: SQLite picks
    them from each list item in one parse, and only the wanted numbers' are read into Python."""
    keep = set(wanted)
    everything = len(keep) == copy.status().numbers
    picks = ", ".join(f"?{index + 2}" for index in range(len(LIST_WIRES)))
    rows = copy.store.query(f"SELECT number, json_extract(list_item, {picks}) FROM copy_numbers"
                            " WHERE account = ?1 ORDER BY position",
                            (copy.account, *(json_path(wire) for wire in LIST_WIRES)))
    loads = json.loads
    for number, text in rows:
        if everything or number in keep:
            yield loads(text)


def items(copy: LocalCopy, wanted: Sequence[str]) -> list[dict[str, Any]]:
    """The list items of these numbers (a page of them), in the order given."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for number, text in copy.store.query(f"SELECT number, list_item FROM copy_numbers WHERE account = ?"
                                             f" AND number IN ({marks})", (copy.account, *chunk)):
            found[number] = json.loads(text)
    return [found[number] for number in wanted if number in found]


def item_texts(copy: LocalCopy, wanted: Sequence[str]) -> Iterator[str]:
    """The JSON text of each wanted number's list item as the copy holds it (compact, values as sent), in
    list order."""
    keep = set(wanted)
    everything = len(keep) == copy.status().numbers
    for number, text in copy.store.query("SELECT number, list_item FROM copy_numbers WHERE account = ?"
                                         " ORDER BY position", (copy.account,)):
        if everything or number in keep:
            yield text
