"""A path's values over a list of rows, grouped by distinct value, kept between keystrokes.

Looking 100,000 numbers up in a column costs a cache miss or two each (~100 ms on a busy machine), and
testing 100,000 values a Python call each; but the list passes the same rows (its sorted view) and the
local copy the same column object until either changes, and a column holds few distinct values
(booleans, limits, dates). So the lookup is made once per list and path, and a keystroke tests each
distinct value once and marks its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .filter_values import ABSENT

KEPT = 4  # indexes kept: a few paths of one list (most recent last)
_KEPT: list[tuple[Sequence[Any], Mapping[str, Any], ColumnIndex]] = []


class ColumnIndex:
    __slots__ = ("size", "groups", "loose")

    def __init__(self, rows: Sequence[Any], column: Mapping[str, Any]):
        self.size = len(rows)
        # (type, value) -> (the value, positions): True and 1 are equal as dict keys, not to a filter; a
        # list groups by its elements (addresses to forward to repeat across numbers)
        self.groups: dict[tuple[type, Any], tuple[Any, list[int]]] = {}
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
                groups[key] = (value, [position])
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


def column_index(rows: Sequence[Any], column: Mapping[str, Any]) -> ColumnIndex:
    """The index of `column` over `rows`, made once while both stay the same objects (rows of the same
    length: a list grown in place is indexed again). A PathValues hands out a new column object when its
    values change (filter_values.PathValues)."""
    for at, (kept_rows, kept_column, index) in enumerate(_KEPT):
        if kept_rows is rows and kept_column is column and index.size == len(rows):
            _KEPT.append(_KEPT.pop(at))
            return index
    index = ColumnIndex(rows, column)
    _KEPT.append((rows, column, index))
    del _KEPT[:-KEPT]
    return index
