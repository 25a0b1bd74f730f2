"""`actui numbers list|show|update`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from ..api.errors import FieldProblem, InvalidInput, NetworkError, NotFound
from ..core import patch as patching
from ..core.bulk_plan import check_requested
from ..core.edits import ExpectationFailed, parse_expectations, save_edit, unmet_expectations
from ..core.fieldpaths import parse_assignments
from ..core.filter_values import ABSENT
from ..core.session import Session
from . import output
from .common import lookup_arg, number_arg, open_journal, refuse_read_only, warn_listing
from .field_args import check_fields, needs_copy
from .offline import is_unreachable

if TYPE_CHECKING:
    from ..api.number_models import PhoneNumber


def check_list_args(args: argparse.Namespace) -> None:
    """A --where filter or a --fields list that cannot be read is refused before connecting."""
    if getattr(args, "where", None) is not None:
        from .copy_access import check_where

        check_where(args)
    check_fields(args)


async def list_numbers(session: Session, args: argparse.Namespace) -> int:
    """The server's list (a page, or --all streamed); from the local copy with --where or a settings
    field, or when the API is unreachable before anything was printed."""
    if needs_copy(args):
        from .copy_listing import list_where

        return await list_where(session, args)
    printed: list[bool] = []
    try:
        return await _list_from_api(session, args, printed)
    except NetworkError as error:
        if printed or not is_unreachable(error):
            raise
        from .copy_listing import list_offline

        return list_offline(session.connection, args, error)


async def _list_from_api(session: Session, args: argparse.Namespace, printed: list[bool]) -> int:
    from ..api.list_items import ListingNotes
    from .list_printer import ListPrinter, list_format

    client = session.client
    limit = args.limit or session.connection.page_size
    notes = ListingNotes()
    table = list_format(args) == "table"
    if not args.all:
        page = notes.take(await client.list_page(args.page, limit))
        printed.append(True)
        items = page.items[:limit]  # --limit holds whatever the server sends
        if len(page.items) > limit:
            sys.stderr.write(f"warning: the server sent {len(page.items)} numbers for a page of {limit}: "
                             f"showing the first {limit}\n")
        printer = ListPrinter(args, streamed=False)
        printer.write([n.to_wire() for n in items])
        printer.close()
        if table:
            pages = page.pages
            total = f" of {page.total}" if page.total is not None else ""
            of = f" of {pages}" if pages is not None else ""
            sys.stderr.write(f"page {page.page}{of}: {len(items)} numbers{total}\n")
        warn_listing(notes)
        return 0
    # --all streams page by page: the inventory is never held whole to print it; nothing is written
    # before the first page came (without it the copy answers: list_numbers).
    printer = None
    async for page in client.iter_pages(limit=limit, notes=notes):
        printed.append(True)
        printer = printer or ListPrinter(args, streamed=True)
        printer.write([n.to_wire() for n in page.items])
        sys.stdout.flush()
    printer = printer or ListPrinter(args, streamed=True)
    printer.close()
    if table:
        sys.stderr.write(f"{printer.count} numbers\n")
    warn_listing(notes)
    return 0


async def show_number(session: Session, args: argparse.Namespace) -> int:
    wanted = lookup_arg(args.number, session.connection.country)
    try:
        number = await session.client.get_number(wanted)
    except NotFound as exc:
        raise NotFound(f"{wanted}: not found (the server has no such number, HTTP 404).", status=exc.status,
                       method=exc.method, path=exc.path, server_messages=exc.server_messages) from None
    except NetworkError as error:
        if not is_unreachable(error):
            raise
        number = _number_from_copy(session, wanted, error)
    else:
        _keep_in_copy(session, number)
    fields = getattr(args, "fields", None)
    if isinstance(fields, tuple):
        _print_fields(number.to_wire(), fields, as_json=args.json)
    elif args.json:
        output.print_json(number.to_wire())
    else:
        output.print_number(number)
    return 0


def _print_fields(document: dict, fields: tuple[str, ...], *, as_json: bool) -> None:
    """`numbers show --fields`: only those fields, as JSON nested as on the wire or 'path: value' lines."""
    from ..core.field_select import field_text, field_value, pick

    if as_json:
        output.print_json(pick(document, fields))
        return
    for path in fields:
        value = field_value(document, path)
        output.say(f"{path}: {'(absent)' if value is ABSENT else field_text(value)}")


def _number_from_copy(session: Session, number: str, error: NetworkError) -> PhoneNumber:
    from ..api.number_models import PhoneNumber
    from .copy_access import opened_copy
    from .offline import detail_from_copy

    with opened_copy(session.connection) as copy:
        return PhoneNumber.model_validate(detail_from_copy(copy, number, error))


def _keep_in_copy(session: Session, number: PhoneNumber) -> None:
    """The detail just read refreshes the local copy (of a number it holds): a later answer from it is newer."""
    from ..core.copy_plan import keep_read
    from ..core.store import StoreError
    from .copy_access import opened_copy

    try:
        with opened_copy(session.connection) as copy:
            keep_read(copy, {number.phone_number: number.to_wire()})
    except StoreError:
        pass   # the copy is a cache: showing the number does not depend on it


def build_patch(current: dict, assignments: list[str]) -> dict:
    """The minimal PUT document that applies every PATH=VALUE to the number's current state."""
    return patching.update_patch(current, patching.apply(current, parse_assignments(assignments, current)))


async def update_number(session: Session, args: argparse.Namespace) -> int:
    refuse_read_only(session.connection, "updates are")
    if getattr(args, "where", None) is not None:
        from .bulk_cmd import update_where

        return await update_where(session, args)
    e164 = number_arg(args.number, session.connection.country)
    if not args.set:
        raise InvalidInput([FieldProblem("--set", "give at least one PATH=VALUE")])
    # Check every assignment and expectation before any request, so bad input never costs a round trip
    # (and, never sent, is never journaled); a path no model knows waits for the number (build_patch
    # refuses it unless the number holds that field).
    requested = parse_assignments(args.set, defer_unknown=True)
    if requested:
        check_requested(requested)
    parse_expectations(getattr(args, "expect", None) or [], defer_unknown=True)
    # The number is read right before it is written: the change is made to what the server holds now.
    phone = await session.client.get_number(e164)
    current = phone.to_wire()
    expected = parse_expectations(getattr(args, "expect", None) or [], current)   # a path it holds is known now
    unmet = unmet_expectations(current, expected)
    if unmet:
        raise ExpectationFailed(e164, unmet)
    change = build_patch(current, args.set)
    if not change:
        if args.json:
            output.print_json({"number": e164, "changed": {}, "result": current})
        else:
            output.say(f"{e164}: nothing to change (already as asked)")
        return 0
    if getattr(args, "dry_run", False):
        if args.json:
            output.print_json({"number": e164, "dryRun": True, "changed": change})
        else:
            _print_change(e164, current, change)
        return 0
    updated = await _journaled_update(session, e164, phone, change)
    if args.json:
        output.print_json({"number": e164, "changed": change, "result": updated.to_wire()})
    else:
        _print_change(e164, current, change)
    return 0


async def _journaled_update(session: Session, number: str, current, change: dict):
    """PUT one number's change, journaled as the editor does it (core/edits.py)."""
    with open_journal(session.connection) as journal:
        saved = await save_edit(session.client, journal, number, current.to_wire(), change, current=current)
    return saved.phone


def _print_change(number: str, current: dict, change: dict) -> None:
    for path, value in patching.leaves(change):
        before = patching.get_path(current, path)
        output.say(f"{number}  {path}: {json.dumps(before)} -> {json.dumps(value)}")
