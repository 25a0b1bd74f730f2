"""What the CLI prints: aligned tables and lines for people, JSON for scripts (the list's shapes: cli/
list_printer.py; CSV, TSV and NDJSON: core/record_writers.py).

Server text is hostile (it may hold escape sequences): every table cell, plain line and error line goes
through `terminal_safe`. JSON keeps every value exact; the characters a terminal would act on are written
as `\\uXXXX` escapes, which decode to the same value (json_text, from core.record_writers).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from ..api.phone import friendly
from ..api.vocabulary import DOCUMENTED_IMMUTABLE
from ..core.record_writers import escape_json, json_text
from ..core.safe_text import terminal_safe

if TYPE_CHECKING:   # annotations only: answering from the local copy must not import pydantic
    from ..api.number_models import PhoneNumber
    from ..api.order_models import Order


def say(text: object, out: TextIO | None = None) -> None:
    """One line for a person (stdout by default); server text in it cannot drive the terminal."""
    (out or sys.stdout).write(terminal_safe(text) + "\n")


def print_table(rows: Iterable[Sequence[str]], headings: Sequence[str], out: TextIO | None = None,
                width: int | None = None, whole: Sequence[int] = (0,)) -> None:
    """A table sized once to its cells and the width there is (`width`, else COLUMNS, else the terminal,
    else 100 when piped): a long cell is cut with "…" (cli/table_fit.py, as `numbers list` does it),
    except in the columns numbered in `whole` (what names the row: a number, a run, a time)."""
    from .table_fit import FittedTable, fit_widths, terminal_width

    out = out or sys.stdout
    safe_rows = [[terminal_safe(c) for c in r] for r in rows]
    safe_headings = [terminal_safe(h) for h in headings]
    widths = fit_widths(safe_headings, safe_rows, width or terminal_width(out), whole)
    table = FittedTable(safe_headings, widths, out)
    table.heading()
    table.rows(safe_rows)


def json_safe(text: str) -> str:
    """JSON text as json_text leaves it: what a terminal would act on written as `\\uXXXX` escapes."""
    return escape_json(text)


def print_json(value: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(json_text(value) + "\n")


def print_number(number: PhoneNumber, out: TextIO | None = None) -> None:
    """Every field the API returned, settings as an indented tree, immutable fields marked."""
    out = out or sys.stdout
    wire = number.to_wire()
    settings = wire.pop("settings", None)
    say(f"{friendly(number.phone_number)}  ({number.phone_number})", out)
    pad = max((len(terminal_safe(k)) for k in wire), default=0) + 2
    for key, value in wire.items():
        mark = "  (immutable)" if key in DOCUMENTED_IMMUTABLE else ""
        say(f"  {terminal_safe(key).ljust(pad)}{_text(value)}{mark}", out)
    if isinstance(settings, dict) and settings:
        out.write("  settings\n")
        _tree(settings, out, "    ")
    elif settings is not None:   # not an object: shown as it came (and flagged below)
        say(f"  {'settings'.ljust(pad)}{_text(settings)}", out)
    for problem in number.problems:   # fields not typed as the guide says: read tolerantly, marked
        say(f"  ⚠ {problem.field}: {problem.message}", out)


def _tree(node: dict[str, Any], out: TextIO, indent: str) -> None:
    for key, value in node.items():
        if isinstance(value, dict):
            say(f"{indent}{key}", out)
            _tree(value, out, indent + "  ")
        else:
            say(f"{indent}{key}: {_text(value)}", out)


def print_order(order: Order, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    say(f"order {order.order_id}  {order.action or ''}  {order.status or 'unknown'}", out)
    say(f"  class {order.provision_class or '-'}  type {order.provision_type or '-'}"
        f"  created {_text(order.create_date)}  completed {_text(order.completion_date)}", out)
    rows = [[friendly(i.number) if i.number else "-", i.status or "-", i.error_message or ""]
            for i in order.phone_numbers]
    if rows:
        print_table(rows, ["NUMBER", "STATUS", "MESSAGE"], out)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\n", "\\n")
