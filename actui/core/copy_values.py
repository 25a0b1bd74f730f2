"""The values of wire paths over the whole local copy, for filters: one column (number -> value) per path,
read from SQLite with json_extract over every document once, then a dict get per lookup. The copy patches
the columns built for its own writes (a sync's details, an edit) rather than reading them all again.

Memory (100,000 numbers): the columns share their number strings (interned) and each distinct value is
one object (read once per distinct JSON text: many numbers share a value), and only the few columns
asked for last are kept (KEPT_COLUMNS); a column dropped is read again when asked for."""

from __future__ import annotations

import itertools
import json
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any


def absent() -> Any:
    """The filter language's "no such value" (core/filtering.ABSENT)."""
    from . import filtering

    return getattr(filtering, "ABSENT", NO_VALUE)


NO_VALUE: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT", "__bool__": lambda self: False})()
_MISSING = object()
MEMO_SIZE = 4096   # distinct JSON texts read once per column build
KEPT_COLUMNS = 3   # columns kept, the last asked for; more only while one filter reads more paths at once


class Column(dict):
    """number -> value at one path. A dict that can be referred to weakly, so a filter's index of it
    (core/filter_index) never keeps a column alive that the values have dropped."""

    __slots__ = ("__weakref__",)


def json_path(path: str) -> str:
    """A dotted wire path as SQLite's JSON path, every key quoted (`settings.optOut` -> `$."settings"."optOut"`)."""
    keys = [key for key in path.split(".") if key]
    return "$" + "".join('."' + key.replace('"', '""') + '"' for key in keys)


def value_at(doc: Any, path: str) -> Any:
    """The value at a dotted path of a document, as json_extract finds it; _MISSING when it has none."""
    node = doc
    for key in path.split("."):
        if not key:
            continue
        if not isinstance(node, Mapping) or key not in node:
            return _MISSING
        node = node[key]
    return node


def columns_from_rows(rows: Iterable[Any], count: int, *, into: list[Column] | None = None,
                      memo: dict[str, Any] | None = None) -> list[Column]:
    """(number, JSON text of the value at each of `count` paths) rows, as SQLite's `->` gives them (NULL:
    the document lacks the path), as a column of Python values per path. The JSON text, not json_extract's
    SQL value: JSON booleans stay booleans, and a string holding an escaped lone surrogate still reads
    (SQLite would hand it back as bytes that are not UTF-8). Values of the same text are one object (the
    first MEMO_SIZE distinct texts: shared values come early; a column of unique values would only grow
    the memo); values are never changed in place. The numbers are interned: all columns share them.
    `into`: columns to add to (a build read in slices), `memo` (JSON text -> value) shared by its slices."""
    columns = [Column() for _ in range(count)] if into is None else into
    memo = {} if memo is None else memo
    known, intern = memo.get, sys.intern
    for row in rows:
        number = intern(row[0])
        for column, text in zip(columns, row[1:], strict=True):
            if text is None:
                continue
            value = known(text, _MISSING)
            if value is _MISSING:
                value = _parse(text)
                if len(memo) < MEMO_SIZE:
                    memo[text] = value
            column[number] = value
    return columns


def _parse(text: str) -> Any:
    first = text[0]
    if first == '"':
        return text[1:-1] if "\\" not in text else json.loads(text)
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "null":
        return None
    if first in "[{" or "." in text or "e" in text or "E" in text:
        return json.loads(text)
    return int(text)


class PathValues:
    """Values of wire paths per number, as the copy holds them; `get(number, path)` is the filter's
    PathValues (core/filtering), returning ABSENT for a number or a path the copy does not hold."""

    def __init__(self, build: Callable[[Sequence[str]], Sequence[dict[str, Any]]], absent_value: Any = None):
        """`build(paths)`: a column for each path, read in one pass over the copy."""
        self._build = build
        self._absent = absent() if absent_value is None else absent_value
        self._columns: dict[str, dict[str, Any]] = {}
        # columns column() handed out: a filter keeps an index of such a column while it is the same object
        # (core/filter_index), so a change makes a new one (filtering.PathValues: never changed in place)
        self._lent: set[str] = set()
        self._asked: dict[str, int] = {}   # path -> when last asked for (a count), for dropping the oldest
        self._clock = itertools.count(1)
        self._lock = threading.Lock()

    def column(self, path: str) -> dict[str, Any]:
        """number -> value at `path`, for every number whose document holds it."""
        found = self._columns.get(path)
        if found is None:
            with self._lock:
                found = self._ready((path,))[0]
        else:   # no lock: a keystroke never waits for another path's column being read in a thread
            self._asked[path] = next(self._clock)
        self._lent.add(path)
        return found

    def prepare(self, paths: Iterable[str]) -> None:
        """Build the columns of these paths not built yet, in one pass over the copy (a filter's paths,
        before its first row)."""
        with self._lock:
            self._ready(paths)

    def _ready(self, paths: Iterable[str]) -> list[dict[str, Any]]:
        """These paths' columns, built where missing, now the most recently asked for; the columns asked
        for least recently dropped beyond KEPT_COLUMNS (never one of these: a filter reading more paths
        keeps them all while it is the one asked for)."""
        wanted = list(dict.fromkeys(paths))
        columns = self._columns
        missing = [path for path in wanted if path not in columns]
        if missing:
            columns.update(zip(missing, self._build(missing), strict=True))
        for path in wanted:
            self._asked[path] = next(self._clock)
        others = sorted((path for path in columns if path not in wanted), key=lambda p: self._asked.get(p, 0))
        for path in others[:max(0, len(columns) - max(KEPT_COLUMNS, len(wanted)))]:
            del columns[path]
            self._asked.pop(path, None)
            self._lent.discard(path)
        return [columns[path] for path in wanted]

    def get(self, number: str, path: str) -> Any:
        column = self._columns.get(path)
        if column is None:
            column = self.column(path)
        return column.get(number, self._absent)

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths whose columns are built."""
        return tuple(self._columns)

    # --- kept up to date by the copy's own writes --------------------------------------------------

    def put(self, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """These numbers' documents are now these."""
        with self._lock:
            columns = self._to_change()
            for number, doc in documents:
                number = sys.intern(number)
                for path, column in columns.items():
                    value = value_at(doc, path)
                    if value is _MISSING:
                        column.pop(number, None)
                    else:
                        column[number] = value

    def drop(self, numbers: Iterable[str]) -> None:
        with self._lock:
            columns = self._to_change().values()
            for number in numbers:
                for column in columns:
                    column.pop(number, None)

    def keep_only(self, numbers: Collection[str]) -> None:
        with self._lock:
            for column in self._to_change().values():
                for number in [n for n in column if n not in numbers]:
                    del column[number]

    def _to_change(self) -> dict[str, dict[str, Any]]:
        """The columns, those handed out by column() replaced by copies of them first."""
        for path in list(self._lent):   # a copy: column() adds to it without the lock
            if path in self._columns:
                self._columns[path] = Column(self._columns[path])
        self._lent.clear()
        return self._columns
