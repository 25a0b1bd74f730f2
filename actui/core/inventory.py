"""The numbers the list shows: a page cache, load-all, and a filter + sort index over what is loaded.

Rows are compact (a slotted object of display strings, no pydantic model): the list may hold the whole
inventory (100,000 numbers) within its memory budget. The full document of a number is fetched on
demand by the detail screen.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..api.number_models import PhoneNumber
    from .filtering import PathValues
from ..api.phone import friendly


@dataclass(frozen=True)
class ListColumn:
    key: str          # also the filter language's column name
    title: str
    wire: str         # the field on the wire
    width: int        # preferred width in cells
    drop: int         # narrow terminals drop the highest first; 0 never goes


COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("number", "Number", "phoneNumber", 16, 0),
    ListColumn("status", "Status", "status", 10, 0),
    ListColumn("class", "Class", "provisionClass", 5, 0),
    ListColumn("type", "Type", "provisionType", 6, 2),
    ListColumn("platform", "Platform", "platformType", 14, 6),
    ListColumn("user", "User", "userId", 22, 4),
    ListColumn("email", "Email", "email", 26, 7),
    ListColumn("description", "Description", "description", 24, 1),
    ListColumn("plan", "Plan", "billingPlanName", 8, 5),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


class NumberRow:
    """One number as the list shows it."""

    __slots__ = ("number", "cells", "digits", "haystack")

    def __init__(self, number: str, cells: tuple[str, ...]):
        self.number = number            # E.164
        self.cells = cells              # display text, in COLUMNS order (number in friendly format)
        self.digits = number[1:] if number[1:].isdigit() and number[:1] == "+" else "".join(
            ch for ch in number if ch.isdigit())
        self.haystack = "\x1f".join(cells).lower()

    @classmethod
    def from_wire(cls, doc: Mapping[str, Any]) -> NumberRow:
        # interned: the local copy's path columns (core/copy_values) then share the rows' strings
        number = sys.intern(str(doc.get("phoneNumber") or doc.get("number") or ""))
        values: tuple[Any, ...] | None = None
        if type(doc) is dict:  # itemgetter on another mapping (a defaultdict) could add keys
            try:
                values = _PICK_WIRES(doc)
            except KeyError:
                pass
        if values is None:
            values = tuple([doc.get(wire) for wire in _WIRES])
        return cls(number, (friendly(number), *_cells(values)))

    @classmethod
    def from_model(cls, model: PhoneNumber) -> NumberRow:
        return cls.from_wire(model.to_wire())

    def field_text(self, field: str) -> str:
        if field == "number":
            return self.number + " " + self.cells[0]
        return self.cells[COLUMN_KEYS.index(field)]

    def __repr__(self) -> str:
        return f"NumberRow({self.number!r})"


_WIRES = tuple(col.wire for col in COLUMNS[1:])  # every column after the number
_PICK_WIRES = itemgetter(*_WIRES)


def _cells(values: tuple[Any, ...]) -> tuple[str, ...]:
    """cell_text of each value, judged for the whole row at once (a load-all makes 100,000 rows: one join
    and three scans of it cost a fraction of eight calls). Joined with single spaces, a value cell_text
    would change (not text, a character that is not printable, two spaces, a space at either end: the
    space is the only printable whitespace) shows as a non-str, a character that is not printable, two
    spaces in a row, or a space at an end of the whole; a row showing none is its cells as they are. (An
    empty value shows as two spaces too: that row takes the slow way, to the same cells.)"""
    try:
        joined = " ".join(values)
    except TypeError:  # None, a number, a boolean: the common odd values, made text first
        values = tuple([value if type(value) is str else cell_text(value) for value in values])
        joined = " ".join(values)
    if joined.isprintable() and "  " not in joined and len(joined.strip()) == len(joined):
        return values
    return tuple([cell_text(value) for value in values])


def cell_text(value: Any) -> str:
    """A wire value as a list cell shows it (also the copy's filter: core.copy_select)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.isprintable() and "  " not in text and text.strip() == text:
        return text  # the common case, without splitting and joining
    return " ".join(text.split())  # newlines and tabs never reach a table cell


class Inventory:
    """Loaded pages of the server's list, and the view (filtered, sorted) the table shows."""

    def __init__(self, page_size: int = 100, clock: Callable[[], float] = time.time):
        self.page_size = page_size
        self.clock = clock
        self.pages: dict[int, list[NumberRow]] = {}
        self.fetched_at: dict[int, float] = {}
        self.total: int | None = None
        self.total_pages: int | None = None
        self.all_loaded = False
        self._all: list[NumberRow] | None = None
        self._index: tuple[list[NumberRow], dict[str, NumberRow]] | None = None
        # the current view
        self.query = ""
        self.sort_key: str | None = None
        self.descending = False
        self._view: list[NumberRow] = []
        self._sorted_cache: tuple[tuple, list[NumberRow]] | None = None
        self.path_values: PathValues | None = None  # what the filter's path terms read (the local copy)

    # --- loading ----------------------------------------------------------------------------------

    def add_page(self, page: int, rows: list[NumberRow], total: int | None = None,
                 total_pages: int | None = None, is_last: bool | None = None,
                 fetched_at: float | None = None) -> None:
        """`is_last`: whether the server's page was the last (None: not known, as for a cached page)."""
        self.pages[page] = rows
        self.fetched_at[page] = self.clock() if fetched_at is None else fetched_at
        if total is not None:
            self.total = total
        if total_pages is not None:
            self.total_pages = total_pages
        elif total is not None:
            self.total_pages = max(1, -(-total // self.page_size))
        if is_last:
            self.total_pages = page
            if self.total is None:
                self.total = (page - 1) * self.page_size + len(rows)
        elif (is_last is False and self.total_pages is not None and self.total_pages <= page
              and (self.total is None or page * self.page_size > self.total)):
            self.total_pages = page + 1  # more arrived than the server's total: a full page means read on
        self._all = None
        self._sorted_cache = None

    def replace_all(self, rows: list[NumberRow]) -> None:
        """Everything at once (after load-all): the pages are re-cut from the full list."""
        self.pages = {i // self.page_size + 1: rows[i:i + self.page_size]
                      for i in range(0, len(rows), self.page_size)} or {1: []}
        now = self.clock()
        self.fetched_at = dict.fromkeys(self.pages, now)
        self.total = len(rows)
        self.total_pages = max(1, len(self.pages))
        self.all_loaded = True
        self._all = rows
        self._sorted_cache = None

    def clear(self) -> None:
        self.pages.clear()
        self.fetched_at.clear()
        self.all_loaded = False
        self._all = None
        self._sorted_cache = None

    @property
    def loaded(self) -> list[NumberRow]:
        """Every loaded row in list order, each number once (pages fetched one by one may overlap when
        the server's list moved in between, or when it repeats numbers: the first page wins)."""
        if self._all is None:
            rows = [row for n in sorted(self.pages) for row in self.pages[n]]
            if len({row.number for row in rows}) != len(rows):
                first: dict[str, NumberRow] = {}
                for row in rows:
                    first.setdefault(row.number, row)
                rows = list(first.values())
            self._all = rows
        return self._all

    @property
    def loaded_count(self) -> int:
        return sum(len(rows) for rows in self.pages.values())

    def oldest_fetch(self) -> float | None:
        return min(self.fetched_at.values()) if self.fetched_at else None

    def find(self, number: str) -> NumberRow | None:
        loaded = self.loaded
        if self._index is None or self._index[0] is not loaded:
            self._index = (loaded, {row.number: row for row in loaded})
        return self._index[1].get(number)

    def matching(self, query: str) -> list[NumberRow]:
        """Every loaded row the filter keeps (every loaded row for an empty filter), in list order."""
        from .filtering import compile_filter

        return compile_filter(query, self.path_values).select(self.loaded, self.path_values)

    def update_row(self, row: NumberRow) -> None:
        """Put a fresher row (after an edit) in place of the one with the same number."""
        for rows in self.pages.values():
            for index, old in enumerate(rows):
                if old.number == row.number:
                    rows[index] = row
        self._all = None
        self._sorted_cache = None
        self._view = [row if r.number == row.number else r for r in self._view]

    # --- the view ---------------------------------------------------------------------------------

    def view(self, page: int, query: str = "", sort_key: str | None = None,
             descending: bool = False) -> list[NumberRow]:
        """The rows to show: the current page while browsing; every loaded row, filtered and sorted,
        once a filter or a sort is on or the whole inventory is loaded."""
        if not (query or sort_key or self.all_loaded):
            rows = list(self.pages.get(page, []))
        else:
            from .filtering import compile_filter, narrows  # not at start-up: the first page needs neither

            same_order = (sort_key, descending) == (self.sort_key, self.descending)
            if query and self.query and same_order and narrows(self.query, query):
                pool = self._view  # typing on: search only what already matched
            else:
                pool = self._sorted(sort_key, descending)
            if query:
                rows = compile_filter(query, self.path_values).select(pool, self.path_values)
            else:
                rows = list(pool)
        self.query, self.sort_key, self.descending = query, sort_key, descending
        self._view = rows
        return rows

    def _sorted(self, key: str | None, descending: bool) -> list[NumberRow]:
        cache_key = (key, descending, id(self.loaded), len(self.loaded))
        if self._sorted_cache is None or self._sorted_cache[0] != cache_key:
            from .filtering import RowList

            # a RowList: a path filter may keep an index over it, never keeping it alive (core.filter_index)
            self._sorted_cache = (cache_key, RowList(sort_rows(self.loaded, key, descending)))
        return self._sorted_cache[1]

    @property
    def current(self) -> list[NumberRow]:
        return self._view


def sort_rows(rows: Iterable[NumberRow], key: str | None, descending: bool = False) -> list[NumberRow]:
    if key is None:
        return list(rows)
    index = COLUMN_KEYS.index(key)
    if key == "number":
        return sorted(rows, key=lambda r: r.number, reverse=descending)
    return sorted(rows, key=lambda r: r.cells[index].lower(), reverse=descending)


def rows_from_models(models: Iterable[PhoneNumber]) -> list[NumberRow]:
    return [NumberRow.from_model(m) for m in models]


def rows_from_wire(items: list[Any]) -> list[NumberRow]:
    """The client's parser for list pages: raw items straight to rows (no model in between)."""
    from_wire = NumberRow.from_wire
    return [from_wire(item) for item in items if type(item) is dict or isinstance(item, Mapping)]
