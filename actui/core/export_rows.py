"""The documents an export writes, one list row at a time, read from the local copy in small batches: an
export of 100,000 rows holds a batch of documents at once, never a second copy of the inventory.

A row's document is what the copy holds of the number (its detail, else its list item: settings paths need
the detail); a number the copy does not hold (the list read page by page, no copy) is written from the
list's own cells. The SQL reads LocalCopy's table (core/local_copy.py: copy_numbers), as core/copy_select
does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .inventory import COLUMNS

if TYPE_CHECKING:
    from .inventory import NumberRow
    from .local_copy import LocalCopy

BATCH = 500
_LIST_WIRES = tuple(column.wire for column in COLUMNS)


def row_document(row: NumberRow) -> dict[str, Any]:
    """A number as the list shows it (the cells' text), for a number the copy does not hold."""
    document: dict[str, Any] = {"phoneNumber": row.number}
    for wire, cell in zip(_LIST_WIRES[1:], row.cells[1:], strict=False):
        if cell:
            document[wire] = cell
    return document


def _held(copy: LocalCopy, numbers: Sequence[str]) -> dict[str, tuple[str, bool]]:
    """Each held number's document text and whether it is a detail."""
    marks = ", ".join("?" * len(numbers))
    rows = copy.store.query("SELECT number, coalesce(detail, list_item), detail_read_at IS NOT NULL"
                            f" FROM copy_numbers WHERE account = ? AND number IN ({marks})",
                            (copy.account, *numbers))
    return {number: (text, bool(is_detail)) for number, text, is_detail in rows}


def export_documents(copy: LocalCopy | None, rows: Sequence[NumberRow]) -> Iterator[dict[str, Any]]:
    """Each row's document, in the rows' order."""
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        held = _held(copy, [row.number for row in batch]) if copy is not None else {}
        for row in batch:
            found = held.get(row.number)
            yield json.loads(found[0]) if found is not None else row_document(row)


def count_without_detail(copy: LocalCopy | None, numbers: Sequence[str]) -> int:
    """How many of `numbers` the copy holds no detail of (their settings cells will be empty)."""
    if copy is None:
        return len(numbers)
    with_detail = 0
    for start in range(0, len(numbers), BATCH):
        batch = numbers[start:start + BATCH]
        marks = ", ".join("?" * len(batch))
        with_detail += copy.store.query(f"SELECT count(*) FROM copy_numbers WHERE account = ? AND number IN"
                                        f" ({marks}) AND detail_read_at IS NOT NULL",
                                        (copy.account, *batch))[0][0]
    return len(numbers) - with_detail
