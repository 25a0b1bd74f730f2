"""A path's values over a list of rows, grouped by distinct value, kept between keystrokes.

Looking 100,000 numbers up in a column costs a cache miss or two each (~100 ms on a busy machine), and
testing 100,000 values a Python call each; but the list passes the same rows (its sorted view) and the
local copy the same column object until either changes, and a column holds few distinct values
(booleans, limits, dates). So the lookup is made once per list and path, and a keystroke tests each
distinct value once and marks its rows. The list is held weakly (RowList), and so is the column where it
can be (core/copy_values.Column): an index dies with the column the local copy dropped. Positions are
kept as machine integers (array), not a Python int each.
"""

from __future__ import annotations

import weakref
from array import array
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .filter_values import ABSENT

KEPT = 4  # indexes kept, one per list and path, most recent last: a few paths of the list shown
_KEPT: list[tuple[weakref.ref, str, Callable[[], Mapping[str, Any] | None], ColumnIndex]] = []


class ColumnIndex:
    __slots__ = ("size", "groups", "loose")

    def __init__(self, rows: Sequence[Any], column: Mapping[str, Any]):
        self.size = len(rows)
        # (type, value) -> (the value, positions): True and 1 are equal as dict keys, not to a filter; a
        # list groups by its elements (addresses to forward to repeat across numbers)
        self.groups: dict[tuple[type, Any], tuple[Any, array]] = {}
        self.loose: list[tuple[int, Any]] = []  # objects, and lists holding some, cannot be grouped
        get, groups = column.get, self.groups
        for position, row in enumerate(rows):
            value = get(row.number, ABSENT)
            kind = type(value)
            try:
                key = (kind, tuple(value) if kind is list else value)
                found = groups.get(key)
            except TypeError:
                self.loose.append((position, value))
                continue
            if found is None:
                groups[key] = (value, array("I", (position,)))
            else:
                found[1].append(position)

    def mask(self, match: Callable[[Any], bool]) -> bytearray:
        """One byte per row: 1 where `match` holds for the row's value."""
        mask = bytearray(self.size)
        for value, positions in self.groups.values():
            if match(value):
                for position in positions:
                    mask[position] = 1
        for position, value in self.loose:
            if match(value):
                mask[position] = 1
        return mask


class RowList(list):
    """A list of rows a column index may be kept for: it can be referred to weakly, so an index never
    keeps 100,000 rows alive after their owner (the list's sorted view) has let them go."""

    __slots__ = ("__weakref__",)


def column_index(rows: Sequence[Any], path: str, column: Mapping[str, Any]) -> ColumnIndex:
    """The index of `column` (the values of `path`) over `rows`. Kept while `rows` is the same RowList
    (of the same length: one grown in place is indexed again) and `column` the same object (a PathValues
    hands out a new one when its values change); other sequences are indexed on every call."""
    if not isinstance(rows, RowList):
        return ColumnIndex(rows, column)
    _KEPT[:] = [entry for entry in _KEPT if entry[0]() is not None and entry[2]() is not None]
    for at, (kept_rows, kept_path, kept_column, index) in enumerate(_KEPT):
        if kept_rows() is rows and kept_path == path:
            del _KEPT[at]
            if kept_column() is column and index.size == len(rows):
                _KEPT.append((kept_rows, kept_path, kept_column, index))
                return index
            break
    index = ColumnIndex(rows, column)
    _KEPT.append((weakref.ref(rows), path, _held(column), index))
    del _KEPT[:-KEPT]
    return index


def _held(column: Mapping[str, Any]) -> Callable[[], Mapping[str, Any] | None]:
    """A weak reference to the column where it takes one, else the column held strongly."""
    try:
        return weakref.ref(column)
    except TypeError:
        return lambda: column
