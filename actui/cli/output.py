"""What the CLI prints: aligned tables for people, CSV and JSON for scripts."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TextIO

from ..api.models import DOCUMENTED_IMMUTABLE, Order, PhoneNumber
from ..core.safe_text import terminal_safe
from ..api.phone import friendly

# (heading, wire field) for list output; the CSV carries every column, the table the first ones that fit.
LIST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("NUMBER", "phoneNumber"),
    ("STATUS", "status"),
    ("CLASS", "provisionClass"),
    ("TYPE", "provisionType"),
    ("PLATFORM", "platformType"),
    ("USER", "userId"),
    ("EMAIL", "email"),
    ("DESCRIPTION", "description"),
    ("PLAN", "billingPlanName"),
)


def number_row(number: PhoneNumber) -> list[str]:
    wire = number.to_wire()
    return [_text(wire.get(field)) for _, field in LIST_COLUMNS]


def print_table(rows: Iterable[Sequence[str]], headings: Sequence[str], out: TextIO | None = None,
                width: int | None = None) -> None:
    out = out or sys.stdout
    rows = [list(r) for r in rows]
    widths = [len(h) for h in headings]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    widths = [min(w, 40) for w in widths]
    line = "  ".join(h.ljust(widths[i]) for i, h in enumerate(headings)).rstrip()
    out.write(line + "\n")
    for row in rows:
        out.write("  ".join(_clip(c, widths[i]).ljust(widths[i]) for i, c in enumerate(row)).rstrip() + "\n")


def numbers_table(numbers: Iterable[PhoneNumber], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    rows = []
    for n in numbers:
        row = number_row(n)
        row[0] = friendly(n.phone_number)
        rows.append(row)
    print_table(rows, [h for h, _ in LIST_COLUMNS], out)


def csv_writer(out: TextIO | None = None) -> "csv._writer":
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([field for _, field in LIST_COLUMNS])
    return writer


def print_json(value: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


def show_number(number: PhoneNumber, out: TextIO | None = None) -> None:
    """Every field the API returned, settings as an indented tree, immutable fields marked."""
    out = out or sys.stdout
    wire = number.to_wire()
    settings = wire.pop("settings", None)
    out.write(f"{friendly(number.phone_number)}  ({number.phone_number})\n")
    pad = max((len(k) for k in wire), default=0) + 2
    for key, value in wire.items():
        mark = "  (immutable)" if key in DOCUMENTED_IMMUTABLE else ""
        out.write(f"  {key.ljust(pad)}{_text(value)}{mark}\n")
    if isinstance(settings, dict) and settings:
        out.write("  settings\n")
        _tree(settings, out, "    ")
    elif settings is not None:   # not an object: shown as it came (and flagged below)
        out.write(f"  {'settings'.ljust(pad)}{_text(settings)}\n")
    for problem in number.problems:   # fields not typed as the guide says: read tolerantly, marked
        out.write(terminal_safe(f"  ⚠ {problem.field}: {problem.message}") + "\n")


def _tree(node: dict[str, Any], out: TextIO, indent: str) -> None:
    for key, value in node.items():
        if isinstance(value, dict):
            out.write(f"{indent}{key}\n")
            _tree(value, out, indent + "  ")
        else:
            out.write(f"{indent}{key}: {_text(value)}\n")


def show_order(order: Order, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(f"order {order.order_id}  {order.action or ''}  {order.status or 'unknown'}\n")
    out.write(f"  class {order.provision_class or '-'}  type {order.provision_type or '-'}"
              f"  created {_text(order.create_date)}  completed {_text(order.completion_date)}\n")
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


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
