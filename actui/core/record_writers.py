"""Numbers written as records for scripts and files: CSV, TSV, a JSON array, or one JSON object a line.

`open_writer(fmt, out, fields)` gives a writer taking one document (a number as sent) at a time and
writing it at once: nothing is held, so an export of the whole inventory streams. The CLI's --format and
the TUI's export both write through here.

Server text is hostile: every CSV/TSV cell goes through `csv_safe` (nothing that drives a terminal, no
formula a spreadsheet would run); a TSV cell also stays on one line (a tab or newline in it is drawn as
␉/␊: TSV has no quoting). JSON keeps every value exact; the characters a terminal would act on are written
as `\\uXXXX` escapes, which decode to the same value. With `fields`, a JSON record holds only those paths,
nested as on the wire; `fields=None` writes the whole document (JSON) or the list's columns (CSV/TSV).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from .field_select import DEFAULT_FIELDS, field_text, field_value, pick
from .safe_text import csv_safe, terminal_safe

FORMATS = ("csv", "tsv", "json", "ndjson")

# Inside a JSON string these would still act on a terminal (json.dumps escapes only C0 and the quote):
# C1 controls, DEL, bidi overrides and isolates, line separators, and lone surrogates (unprintable).
_JSON_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(value: Any, indent: int | None = 2) -> str:
    """`value` as JSON: every value exact, nothing in it that would drive a terminal."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _JSON_RAW_UNSAFE.sub(_escape, text)


def json_line(value: Any) -> str:
    """`value` as one line of compact JSON, made safe as json_text does."""
    return _JSON_RAW_UNSAFE.sub(_escape, json.dumps(value, ensure_ascii=False, separators=(",", ":")))


class RecordWriter:
    """Writes one document at a time; `close()` ends the output (a JSON array's closing bracket)."""

    def write(self, document: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Ends the output; the stream itself is the caller's to close."""

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _DelimitedWriter(RecordWriter):
    def __init__(self, out: TextIO, fields: Sequence[str], header: bool):
        self._out = out
        self._fields = tuple(fields)
        if header:
            self._row(list(self._fields))

    def write(self, document: Mapping[str, Any]) -> None:
        self._row([field_text(field_value(document, path)) for path in self._fields])

    def _row(self, cells: list[str]) -> None:
        raise NotImplementedError


class CsvWriter(_DelimitedWriter):
    def __init__(self, out: TextIO, fields: Sequence[str], header: bool):
        self._csv = csv.writer(out, lineterminator="\n")
        super().__init__(out, fields, header)

    def _row(self, cells: list[str]) -> None:
        self._csv.writerow([csv_safe(cell) for cell in cells])


class TsvWriter(_DelimitedWriter):
    def _row(self, cells: list[str]) -> None:
        self._out.write("\t".join([terminal_safe(csv_safe(cell)) for cell in cells]) + "\n")


class JsonArrayWriter(RecordWriter):
    """A JSON array, indented as json.dumps(list, indent=2) would, written one item at a time."""

    def __init__(self, out: TextIO, fields: Sequence[str] | None):
        self._out = out
        self._fields = tuple(fields) if fields is not None else None
        self._count = 0
        self._closed = False

    def write(self, document: Mapping[str, Any]) -> None:
        record = pick(document, self._fields) if self._fields is not None else document
        item = json_text(record).replace("\n", "\n  ")  # JSON strings hold no raw newline
        self._out.write(("[\n  " if self._count == 0 else ",\n  ") + item)
        self._count += 1

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._out.write("[]\n" if self._count == 0 else "\n]\n")


class NdjsonWriter(RecordWriter):
    def __init__(self, out: TextIO, fields: Sequence[str] | None):
        self._out = out
        self._fields = tuple(fields) if fields is not None else None

    def write(self, document: Mapping[str, Any]) -> None:
        record = pick(document, self._fields) if self._fields is not None else document
        self._out.write(json_line(record) + "\n")


def open_writer(fmt: str, out: TextIO, fields: Sequence[str] | None, header: bool = True) -> RecordWriter:
    """A writer of `fmt` ("csv", "tsv", "json", "ndjson") onto `out`.

    `fields`: the wire paths each record carries (core.field_select.parse_fields); None: the whole
    document (JSON) or the list's columns (CSV/TSV). `header`: CSV/TSV start with the paths as a row."""
    if fmt == "csv":
        return CsvWriter(out, DEFAULT_FIELDS if fields is None else fields, header)
    if fmt == "tsv":
        return TsvWriter(out, DEFAULT_FIELDS if fields is None else fields, header)
    if fmt == "json":
        return JsonArrayWriter(out, fields)
    if fmt == "ndjson":
        return NdjsonWriter(out, fields)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
