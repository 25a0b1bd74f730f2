"""Kept columns (core/copy_column_cache: distinct values and a code per number, in one list order) brought
to a newer content generation from the few numbers whose documents changed since, instead of read again
from every document: the numbers of the new list order are laid out as runs of the kept codes (numbers
unchanged, in the same order) and the changed or new numbers' values, coded among the kept distinct values
(a new value appended). Pure: no SQLite here.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Mapping, Sequence
from itertools import count
from typing import Any

# a run of the new order: (start, stop) of the kept codes, or a list of numbers whose values are new
Run = tuple[int, int] | list[str]
Held = tuple[list[Any], int, bytes]   # as kept: distinct values, bytes per code (1 or 4), the codes
LOOKED_UP = 4096   # a patched value is coded as an equal kept one among at most this many


def runs(kept: list[str], now: list[str], changed: set[str]) -> list[Run]:
    """The new order `now` as runs over the `kept` order: slices of it for numbers unchanged and in the
    same order, and the numbers to read again (changed, or not kept)."""
    layout: list[Run] = []
    if now == kept:
        at = [position for position, number in enumerate(kept) if number in changed]
        start = 0
        for position in at:
            if position > start:
                layout.append((start, position))
            _add_new(layout, kept[position])
            start = position + 1
        if start < len(kept):
            layout.append((start, len(kept)))
        return layout
    where = dict(zip(kept, count()))
    run_start = run_stop = -1
    for number in now:
        old = where.get(number) if number not in changed else None
        if old is not None and old == run_stop:
            run_stop += 1
            continue
        if run_stop > run_start:
            layout.append((run_start, run_stop))
        run_start = run_stop = -1
        if old is None:
            _add_new(layout, number)
        else:
            run_start, run_stop = old, old + 1
    if run_stop > run_start:
        layout.append((run_start, run_stop))
    return layout


def _add_new(layout: list[Run], number: str) -> None:
    if layout and isinstance(layout[-1], list):
        layout[-1].append(number)
    else:
        layout.append([number])


def patched(held: Held, layout: Sequence[Run], values: Mapping[str, Any], absent: Any) -> Held | None:
    """The column laid out anew: kept codes for the runs, and for the numbers read again their value in
    `values` (`absent` where their document lacks the path). None when nothing in it changed."""
    distinct, width, raw = held
    codes: Sequence[int] = raw if width == 1 else array("I", raw)
    code_of: dict[Any, int] | None = None
    pieces: list[Sequence[int]] = []
    for run in layout:
        if isinstance(run, tuple):
            pieces.append(codes[run[0]:run[1]])
            continue
        if code_of is None:   # a column of mostly unique values (dates, ids): new values appended
            code_of = {}
            for at, value in enumerate(distinct if len(distinct) <= LOOKED_UP else ()):
                code_of.setdefault(_key(value), at)
        fresh = []
        for number in run:
            value = values.get(number, absent)
            key = _key(value)
            found = code_of.get(key)
            if found is None:
                if distinct is held[0]:
                    distinct = list(distinct)   # the kept list is never changed in place
                found = code_of[key] = len(distinct)
                distinct.append(value)
            fresh.append(found)
        pieces.append(fresh)
    coded = _coded(distinct, pieces)
    return None if coded[0] is held[0] and coded[1:] == (width, raw) else coded


def _coded(distinct: list[Any], pieces: list[Sequence[int]]) -> Held:
    if len(distinct) <= 256:
        return distinct, 1, b"".join(piece if isinstance(piece, bytes) else bytes(piece) for piece in pieces)
    joined = array("I")
    for piece in pieces:
        joined.extend(piece if isinstance(piece, array) else iter(piece))   # never array("I", bytes): raw
    used = sorted(set(joined))
    if len(used) < len(distinct) and (len(used) <= 256 or len(distinct) > max(2 * len(used), 1024)):
        # values no number holds any more (replaced ones): dropped, so codes stay bytes where they can
        renumbered = dict(zip(used, count()))
        distinct = [distinct[code] for code in used]
        if len(distinct) <= 256:
            return distinct, 1, bytes(map(renumbered.__getitem__, joined))
        joined = array("I", map(renumbered.__getitem__, joined))
    return distinct, 4, joined.tobytes()


def _key(value: Any) -> Any:
    """Values that are one JSON text are one key: never True and 1, 1 and 1.0, 0.0 and -0.0 as one."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return kind, value
    if kind is float:
        return kind, repr(value)
    if kind is tuple:   # the kept columns' mark of an absent value
        return kind, value
    return "json", json.dumps(value)   # a list or an object: one key per JSON text
