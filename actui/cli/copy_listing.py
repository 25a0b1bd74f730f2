"""`actui numbers list --where FILTER`, and `numbers list` when the API is unreachable: the list from the
local copy, printed exactly as `numbers list` prints the server's (table, --json, --csv; a page, or --all).

--where brings the copy up to date first (cli/copy_access.py): the list when the copy's is older than
max_age, and the details the filter's path terms read when missing or stale. List columns are matched on
each item's row, path terms on the copy's per-path columns (LocalCopy.values())."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..api.errors import NetworkError
from ..config import Connection
from ..core.filtering import Filter, compile_filter
from ..core.local_copy import LocalCopy
from ..core.session import Session
from . import output
from .copy_access import bring_up_to_date, opened_copy
from .offline import answering_from_copy, is_unreachable


async def list_where(session: Session, args: argparse.Namespace) -> int:
    keep = compile_filter(args.where)
    if keep.unknown:
        sys.stderr.write(f"warning: {', '.join(keep.unknown)}: not a field actui knows; only numbers whose "
                         "documents hold it can match\n")
    with opened_copy(session.connection) as copy:
        try:
            await bring_up_to_date(session, copy, details=bool(keep.paths))
        except NetworkError as error:
            if not is_unreachable(error):
                raise
            answering_from_copy(copy, error, details=bool(keep.paths))
            missing = copy.status().missing_details if keep.paths else 0
            if missing:
                sys.stderr.write(f"warning: the local copy holds no detail of {missing} numbers: "
                                 f"{', '.join(keep.paths)} read as absent for them\n")
        return print_from_copy(copy, args, keep, session.connection.page_size)


def list_offline(connection: Connection, args: argparse.Namespace, error: NetworkError) -> int:
    """`numbers list` (a page, or --all) from the copy, after the API did not answer."""
    with opened_copy(connection) as copy:
        answering_from_copy(copy, error)
        return print_from_copy(copy, args, None, connection.page_size)


def matching_items(copy: LocalCopy, keep: Filter | None) -> list[dict[str, Any]]:
    """The copy's list items the filter keeps, in list order."""
    from ..core.inventory import Row

    items = copy.list_items()
    if keep is None or keep.tree is None:
        return items
    by_number = {}
    rows = []
    for item in items:
        row = Row.from_wire(item)
        by_number[row.number] = item
        rows.append(row)
    return [by_number[row.number] for row in keep.select(rows, copy.values() if keep.paths else None)]


def print_from_copy(copy: LocalCopy, args: argparse.Namespace, keep: Filter | None, page_size: int) -> int:
    items = matching_items(copy, keep)
    matching = f" matching {keep.text!r}" if keep is not None else ""
    if not args.all:
        limit = args.limit or page_size
        start = (args.page - 1) * limit
        items, total = items[start:start + limit], len(items)
    numbers = as_numbers(items)
    if args.json:
        if args.all:   # as `numbers list --all` streams it: one number a line
            lines = ",\n  ".join(output.json_text(n.to_wire(), indent=None) for n in numbers)
            sys.stdout.write(f"[\n  {lines}\n]\n" if numbers else "[]\n")
        else:
            output.print_json([n.to_wire() for n in numbers])
        return 0
    if args.csv:
        output.csv_writer().writerows(output.number_row(n) for n in numbers)
        return 0
    output.numbers_table(numbers)
    if args.all:
        sys.stderr.write(f"{len(numbers)} numbers{matching}\n")
    else:
        pages = max(1, -(-total // limit))
        sys.stderr.write(f"page {args.page} of {pages}: {len(numbers)} numbers of {total}{matching}\n")
    return 0


def as_numbers(items: list[dict[str, Any]]) -> list[Any]:
    """The items as the list's models (ListedNumber), read as tolerantly as a page from the server."""
    from ..api.list_items import read_items

    numbers, _ = read_items(items, 0, None)
    return numbers
