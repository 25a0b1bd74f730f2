"""The values of wire paths over the whole local copy, for filters: one column (number -> value) per path,
read from SQLite with json_extract over every document once, then a dict get per lookup. The copy patches
the columns built for its own writes (a sync's details, an edit) rather than reading them all again."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any


def absent() -> Any:
    """The filter language's "no such value" (core/filtering.ABSENT)."""
    from . import filtering

    return getattr(filtering, "ABSENT", NO_VALUE)


NO_VALUE: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT", "__bool__": lambda self: False})()
_MISSING = object()


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


def columns_from_rows(rows: Iterable[Any], count: int) -> list[dict[str, Any]]:
    """(number, JSON text of the value at each of `count` paths) rows, as SQLite's `->` gives them (NULL:
    the document lacks the path), as a column of Python values per path. The JSON text, not json_extract's
    SQL value: JSON booleans stay booleans, and a string holding an escaped lone surrogate still reads
    (SQLite would hand it back as bytes that are not UTF-8)."""
    columns: list[dict[str, Any]] = [{} for _ in range(count)]
    loads = json.loads
    for row in rows:
        number = row[0]
        for column, text in zip(columns, row[1:], strict=True):
            if text is None:
                continue
            first = text[0]
            if first == '"':
                column[number] = text[1:-1] if "\\" not in text else loads(text)
            elif text == "true":
                column[number] = True
            elif text == "false":
                column[number] = False
            elif text == "null":
                column[number] = None
            elif first in "[{" or "." in text or "e" in text or "E" in text:
                column[number] = loads(text)
            else:
                column[number] = int(text)
    return columns


class PathValues:
    """Values of wire paths per number, as the copy holds them; `get(number, path)` is the filter's
    PathValues (core/filtering), returning ABSENT for a number or a path the copy does not hold."""

    def __init__(self, build: Callable[[Sequence[str]], list[dict[str, Any]]], absent_value: Any = None):
        """`build(paths)`: a column for each path, read in one pass over the copy."""
        self._build = build
        self._absent = absent() if absent_value is None else absent_value
        self._columns: dict[str, dict[str, Any]] = {}
        # columns column() handed out: a filter keeps an index of such a column while it is the same object
        # (core/filter_index), so a change makes a new one (filtering.PathValues: never changed in place)
        self._lent: set[str] = set()
        self._lock = threading.Lock()

    def column(self, path: str) -> dict[str, Any]:
        """number -> value at `path`, for every number whose document holds it."""
        found = self._columns.get(path)
        if found is None:
            self.prepare((path,))
            found = self._columns[path]
        self._lent.add(path)
        return found

    def prepare(self, paths: Iterable[str]) -> None:
        """Build the columns of these paths not built yet, in one pass over the copy (a filter's paths,
        before its first row)."""
        with self._lock:
            missing = list(dict.fromkeys(path for path in paths if path not in self._columns))
            if missing:
                self._columns.update(zip(missing, self._build(missing), strict=True))

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
        for path in self._lent:
            self._columns[path] = dict(self._columns[path])
        self._lent.clear()
        return self._columns
