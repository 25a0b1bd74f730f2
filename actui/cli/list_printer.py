"""`numbers list` output in the chosen shape: a table that fits, CSV, TSV, JSON or NDJSON, with --fields
and --no-header. Documents (list items or details, as sent) come a page at a time; nothing is held.

The table's columns are sized once, from the first page (the sample) and the terminal's width, and kept
for the pages after it: `--all` prints one heading and columns that do not shift. The list's own columns
(no --fields) in a terminal too narrow for all of them leave out those the TUI leaves out first; the
fields --fields names are all shown, cut to fit. Every table cell goes through terminal_safe; CSV/TSV/JSON
through core.record_writers.

JSON without --fields is what it always was: a page as an indented array, `--all` one number a line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from ..api.phone import friendly
from ..core.field_select import DEFAULT_FIELDS, field_heading, field_text, field_value, pick
from ..core.inventory import COLUMNS
from ..core.record_writers import RecordWriter, json_text, open_writer
from ..core.safe_text import terminal_safe
from .table_fit import GAP, FittedTable, fit_widths, terminal_width

NUMBER = "phoneNumber"


def list_format(args: argparse.Namespace) -> str:
    return getattr(args, "format", None) or "table"


def list_fields(args: argparse.Namespace) -> tuple[str, ...] | None:
    """The fields --fields named (parsed before connecting: numbers_cmd.check_list_args), or None."""
    fields = getattr(args, "fields", None)
    return fields if isinstance(fields, tuple) else None


class ListPrinter:
    """Prints documents page by page in args' format; `close()` ends the output (even with no page)."""

    def __init__(self, args: argparse.Namespace, *, streamed: bool, out: TextIO | None = None):
        self.out = out or sys.stdout
        self.format = list_format(args)
        self.fields = list_fields(args)
        self.header = getattr(args, "header", True)
        self.streamed = streamed
        self.count = 0
        self._table: FittedTable | None = None
        self._shown: list[int] = []   # the fields' columns the table shows
        self._writer: RecordWriter | None = None
        if self.format in ("csv", "tsv", "ndjson") or (self.format == "json" and not streamed):
            self._writer = open_writer(self.format, self.out, self.fields, self.header)

    def write(self, documents: Sequence[Mapping[str, Any]]) -> None:
        if self._writer is not None:
            write = self._writer.write
            for document in documents:
                write(document)
        elif self.format == "json":
            self._json_lines(documents)
        else:
            self._table_rows(documents)
        self.count += len(documents)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        elif self.format == "json":
            self.out.write("\n]\n" if self.count else "[]\n")
        elif self._table is None:   # no number: the heading alone
            self._table_rows([])

    def _json_lines(self, documents: Sequence[Mapping[str, Any]]) -> None:
        """--all as JSON: an array holding one number a line."""
        fields = self.fields
        for index, document in enumerate(documents):
            record = pick(document, fields) if fields is not None else document
            first = self.count == 0 and index == 0
            self.out.write(("[\n  " if first else ",\n  ") + json_text(record, indent=None))

    def _table_rows(self, documents: Sequence[Mapping[str, Any]]) -> None:
        fields = self.fields or DEFAULT_FIELDS
        rows = [table_cells(document, fields) for document in documents]
        if self._table is None:
            self._table, self._shown = self._sized(fields, rows)
            if self.header:
                self._table.heading()
        if len(self._shown) < len(fields):
            shown = self._shown
            rows = [[row[index] for index in shown] for row in rows]
        self._table.rows(rows)

    def _sized(self, fields: Sequence[str], sample: list[list[str]]) -> tuple[FittedTable, list[int]]:
        """The table's columns, sized from `sample`; without --fields, a terminal too narrow for the list's
        columns at their narrowest loses the ones the TUI drops first (core.inventory's `drop`)."""
        width = terminal_width(self.out)
        shown = list(range(len(fields)))
        while True:
            headings = [terminal_safe(field_heading(fields[index])) for index in shown]
            whole = [at for at, index in enumerate(shown) if fields[index] == NUMBER]
            widths = fit_widths(headings, [[row[index] for index in shown] for row in sample], width, whole)
            droppable = [index for index in shown if _DROP.get(fields[index], 0)] if self.fields is None else []
            if not droppable or sum(widths) + len(GAP) * (len(widths) - 1) <= width:
                return FittedTable(headings, widths, self.out), shown
            shown.remove(max(droppable, key=lambda index: _DROP[fields[index]]))


_DROP = {column.wire: column.drop for column in COLUMNS}


def table_cells(document: Mapping[str, Any], fields: Sequence[str]) -> list[str]:
    """One document's cells for a table: terminal-safe text, the number in its friendly form."""
    cells = []
    for path in fields:
        value = field_value(document, path)
        if path == NUMBER and isinstance(value, str):
            value = friendly(value)
        cells.append(terminal_safe(field_text(value)))
    return cells
