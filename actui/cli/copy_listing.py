"""`actui numbers list --where FILTER`, and `numbers list` when the API is unreachable: the list from the
local copy, printed as `numbers list` prints the server's (table, --json, --csv; a page, or --all).

--where brings the copy up to date first (cli/copy_access.py): the list when the copy's is older than
max_age, and the details the filter's path terms read when missing or stale. The filter runs over the
copy's columns (core/copy_select.py); only what is printed is read whole. `--all --json` prints each item
as the copy holds it (the list item as sent: every value exact, keys in the server's order)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from ..api.errors import NetworkError
from ..config import Connection
from ..core import copy_select
from ..core.filtering import Filter
from ..core.local_copy import LocalCopy
from ..core.session import Session
from . import output
from .copy_access import bring_up_to_date, compile_where, opened_copy
from .offline import answering_from_copy, is_unreachable


def answer_if_fresh(args: argparse.Namespace) -> int | None:
    """`numbers list --where` from a copy that needs nothing from the API (its list and, for a path term,
    every detail younger than max_age): answered before any connection is made (no password, no client,
    no embedded sandbox). None when the API must be asked first."""
    from ..config import resolve_connection
    from .connect import flags_from_args

    connection = resolve_connection(flags_from_args(args))
    with opened_copy(connection) as copy:
        keep = compile_where(args.where, copy)
        if not is_fresh(copy, connection.max_age, details=bool(keep.paths)):
            return None
        warn_unknown(keep)
        return print_from_copy(copy, args, keep, connection.page_size)


def is_fresh(copy: LocalCopy, max_age: float, *, details: bool) -> bool:
    status = copy.status()
    synced = status.list_synced_at
    if synced is None or time.time() - synced > max_age or not status.numbers:
        return False
    if not details:
        return True
    oldest = status.oldest_detail_at
    return status.with_details == status.numbers and oldest is not None and time.time() - oldest <= max_age


def warn_unknown(keep: Filter) -> None:
    if keep.unknown:
        sys.stderr.write(f"warning: {', '.join(keep.unknown)}: not a field actui knows (some numbers hold "
                         "it); a number whose document lacks it reads it as absent\n")


async def list_where(session: Session, args: argparse.Namespace) -> int:
    with opened_copy(session.connection) as copy:
        keep = compile_where(args.where, copy)
        warn_unknown(keep)
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
        return print_from_copy(copy, args, compile_where(args.where, copy), session.connection.page_size)


def list_offline(connection: Connection, args: argparse.Namespace, error: NetworkError) -> int:
    """`numbers list` (a page, or --all) from the copy, after the API did not answer."""
    with opened_copy(connection) as copy:
        answering_from_copy(copy, error)
        return print_from_copy(copy, args, None, connection.page_size)


def print_from_copy(copy: LocalCopy, args: argparse.Namespace, keep: Filter | None, page_size: int) -> int:
    numbers = copy_select.matching(copy, keep)
    matching = f" matching {keep.text!r}" if keep is not None else ""
    if not args.all:
        limit = args.limit or page_size
        total, start = len(numbers), (args.page - 1) * limit
        page = as_models(copy_select.items(copy, numbers[start:start + limit]))
        if args.json:
            output.print_json([n.to_wire() for n in page])
        elif args.csv:
            output.csv_writer().writerows(output.number_row(n) for n in page)
        else:
            output.numbers_table(page)
            pages = max(1, -(-total // limit))
            sys.stderr.write(f"page {args.page} of {pages}: {len(page)} numbers of {total}{matching}\n")
        return 0
    if args.json:   # as `numbers list --all` streams it: one number a line
        lines = ",\n  ".join(output.json_safe(text) for text in copy_select.item_texts(copy, numbers))
        sys.stdout.write(f"[\n  {lines}\n]\n" if lines else "[]\n")
        return 0
    rows = [[output.cell_text(value) for value in values] for values in copy_select.list_columns(copy, numbers)]
    if args.csv:
        output.csv_writer().writerows(rows)
        return 0
    for row in rows:
        row[0] = output.friendly(row[0])
    output.print_table(rows, [heading for heading, _ in output.LIST_COLUMNS])
    sys.stderr.write(f"{len(numbers)} numbers{matching}\n")
    return 0


def as_models(items: list[dict[str, Any]]) -> list[Any]:
    """The items as the list's models (ListedNumber), read as tolerantly as a page from the server."""
    from ..api.list_items import read_items

    models, _ = read_items(items, 0, None)
    return models
