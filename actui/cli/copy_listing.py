"""`actui numbers list --where FILTER` or with a settings field in --fields, and `numbers list` when the
API is unreachable: the list from the local copy, printed as `numbers list` prints the server's (any
--format and --fields; a page, or --all).

The copy is brought up to date first (cli/copy_access.py): the list when the copy's is older than
max_age, and the details the filter's path terms or the settings fields read when missing or stale (for
a page of settings fields without --where, that page's numbers' only). The filter runs over the copy's
columns (core/copy_select.py); only what is printed is read whole. JSON without --fields prints each item
as the copy holds it (the list item as sent: every value exact, keys in the server's order)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Iterator
from typing import Any

from ..api.errors import NetworkError
from ..config import Connection
from ..core import copy_select
from ..core.field_select import needs_detail
from ..core.filtering import Filter
from ..core.local_copy import LocalCopy
from ..core.session import Session
from ..core.timefmt import age
from . import output
from .copy_access import bring_up_to_date, compile_where, opened_copy
from .field_args import check_fields, needs_copy
from .list_printer import ListPrinter, list_fields, list_format
from .offline import answering_from_copy, is_unreachable


def answer_if_fresh(args: argparse.Namespace) -> int | None:
    """`numbers list --where` (or with a settings field) from a copy that needs nothing from the API (its
    list and, for a path term or a settings field, every detail younger than max_age): answered before
    any connection is made (no password, no client, no embedded sandbox). None when the API must be
    asked first (or the copy is not what answers)."""
    from ..config import resolve_connection
    from .connect import flags_from_args

    check_fields(args)
    if not needs_copy(args):
        return None
    connection = resolve_connection(flags_from_args(args))
    with opened_copy(connection) as copy:
        keep = compile_where(args.where, copy) if args.where is not None else None
        details = wants_details(args, keep)
        if keep is None and not args.all and details:   # a page of settings fields: that page's details
            if not is_fresh(copy, connection.max_age, details=False):
                return None
            stale = set(copy.stale(connection.max_age))
            if any(number in stale for number in page_of(copy_select.matching(copy, None), args,
                                                          connection.page_size)):
                return None
        elif not is_fresh(copy, connection.max_age, details=details):
            return None
        if keep is not None:
            warn_unknown(keep)
        return print_from_copy(copy, args, keep, connection.page_size)


def wants_details(args: argparse.Namespace, keep: Filter | None) -> bool:
    """Whether the answer reads details: the filter's path terms, or a settings field."""
    fields = list_fields(args)
    return bool(keep is not None and keep.paths) or (fields is not None and needs_detail(fields))


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
    """--where, or a settings field: the copy brought up to date (the details too when they are read),
    then answering."""
    with opened_copy(session.connection) as copy:
        keep = compile_where(args.where, copy) if args.where is not None else None
        if keep is not None:
            warn_unknown(keep)
        details = wants_details(args, keep)
        one_page = keep is None and not args.all   # a page of settings fields: that page's details only
        try:
            await bring_up_to_date(session, copy, details=details and not one_page)
            if details and one_page:
                await read_page_details(session, copy, page_of(copy_select.matching(copy, None), args,
                                                               session.connection.page_size))
        except NetworkError as error:
            if not is_unreachable(error):
                raise
            answering_from_copy(copy, error, details=details)
            missing = copy.status().missing_details if details else 0
            if missing:
                read = ", ".join(keep.paths if keep is not None and keep.paths else ["settings"])
                sys.stderr.write(f"warning: the local copy holds no detail of {missing} numbers: "
                                 f"{read} read as absent for them\n")
        keep = compile_where(args.where, copy) if args.where is not None else None
        return print_from_copy(copy, args, keep, session.connection.page_size)


def list_offline(connection: Connection, args: argparse.Namespace, error: NetworkError) -> int:
    """`numbers list` (a page, or --all) from the copy, after the API did not answer."""
    with opened_copy(connection) as copy:
        answering_from_copy(copy, error)
        return print_from_copy(copy, args, None, connection.page_size)


def print_from_copy(copy: LocalCopy, args: argparse.Namespace, keep: Filter | None, page_size: int) -> int:
    numbers = copy_select.matching(copy, keep)
    matching = f" matching {keep.text!r}" if keep is not None else ""
    fields = list_fields(args)
    exact_json = list_format(args) == "json" and fields is None   # as it always was
    details = fields is not None and needs_detail(fields)
    if not args.all:
        limit = args.limit or page_size
        total = len(numbers)
        wanted = page_of(numbers, args, page_size)
        printer = ListPrinter(args, streamed=False)
        if exact_json or not details:
            printer.write([n.to_wire() for n in as_models(copy_select.items(copy, wanted))])
        else:
            printer.write(documents(copy, wanted))
        printer.close()
        if list_format(args) == "table":
            pages = max(1, -(-total // limit))
            sys.stderr.write(f"page {args.page} of {pages}: {printer.count} numbers of {total}{matching}\n")
        return 0
    if exact_json:   # as `numbers list --all` streams it: one number a line
        lines = ",\n  ".join(output.json_safe(text) for text in copy_select.item_texts(copy, numbers))
        sys.stdout.write(f"[\n  {lines}\n]\n" if lines else "[]\n")
        return 0
    printer = ListPrinter(args, streamed=True)
    cells_only = list_format(args) in ("table", "csv", "tsv")
    for chunk in streamed_documents(copy, numbers, details=details, fields=fields, cells_only=cells_only):
        printer.write(chunk)
    printer.close()
    if list_format(args) == "table":
        sys.stderr.write(f"{printer.count} numbers{matching}\n")
    return 0


def page_of(numbers: list[str], args: argparse.Namespace, page_size: int) -> list[str]:
    limit = args.limit or page_size
    start = (args.page - 1) * limit
    return numbers[start:start + limit]


async def read_page_details(session: Session, copy: LocalCopy, wanted: list[str]) -> None:
    """The details of a page's numbers that the copy lacks or holds older than max_age, read (a GET each,
    bulk_concurrency at a time) and kept in the copy. A number the server no longer has, or whose detail
    it would not give, keeps what the copy holds (said on stderr); an unreachable API raises NetworkError."""
    from ..api.errors import ApiError, AuthenticationError
    from ..core.copy_plan import keep_read

    connection = session.connection
    stale = set(copy.stale(connection.max_age))
    missing = [number for number in wanted if number in stale]
    if not missing or copy.store.read_only:
        return
    sys.stderr.write(f"actui: reading {len(missing)} detail{'s' if len(missing) != 1 else ''} "
                     f"(missing or older than {age(connection.max_age)})…\n")
    gate = asyncio.Semaphore(max(1, connection.bulk_concurrency))

    async def read(number: str) -> dict[str, Any] | None:
        async with gate:
            try:
                return (await session.client.get_number(number)).to_wire()
            except AuthenticationError:
                raise
            except ApiError:
                return None

    read_docs = await asyncio.gather(*(read(number) for number in missing))
    keep_read(copy, {number: doc for number, doc in zip(missing, read_docs, strict=True) if doc is not None})
    failed = sum(doc is None for doc in read_docs)
    if failed:
        sys.stderr.write(f"warning: {failed} details could not be read: their fields read as the local copy "
                         "holds them\n")


CHUNK = 1000   # documents printed at once from the copy (the table's columns are sized from the first)


def streamed_documents(copy: LocalCopy, numbers: list[str], *, details: bool, fields: tuple[str, ...] | None,
                       cells_only: bool) -> Iterator[list[dict[str, Any]]]:
    """The wanted numbers' documents in list order, a chunk at a time: only the list's columns when
    those are all that is printed as cells (SQLite picks them; an absent one reads as null, which a cell
    shows alike), else the list item or (`details`) the detail."""
    if cells_only and (fields is None or set(fields) <= set(copy_select.LIST_WIRES)):
        wires = copy_select.LIST_WIRES
        rows = (dict(zip(wires, values, strict=True)) for values in copy_select.list_columns(copy, numbers))
    else:
        keep = set(numbers)
        everything = len(keep) == copy.status().numbers
        column = "coalesce(detail, list_item)" if details else "list_item"
        loads = json.loads
        rows = (loads(text) for number, text in copy.store.query(
            f"SELECT number, {column} FROM copy_numbers WHERE account = ? ORDER BY position", (copy.account,))
            if everything or number in keep)
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def documents(copy: LocalCopy, wanted: list[str]) -> list[dict[str, Any]]:
    """The wanted numbers' details (the list item where no detail is held), in the order given."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for number, text in copy.store.query("SELECT number, coalesce(detail, list_item) FROM copy_numbers"
                                             f" WHERE account = ? AND number IN ({marks})", (copy.account, *chunk)):
            found[number] = json.loads(text)
    return [found[number] for number in wanted if number in found]


def as_models(items: list[dict[str, Any]]) -> list[Any]:
    """The items as the list's models (ListedNumber), read as tolerantly as a page from the server."""
    from ..api.list_items import read_items

    models, _ = read_items(items, 0, None)
    return models
