"""--fields read before connecting, and whether the list is then answered from the local copy."""

from __future__ import annotations

import argparse

from ..core.field_select import needs_detail
from .list_printer import list_fields


def check_fields(args: argparse.Namespace) -> None:
    """--fields as the wire paths it names (args.fields becomes a tuple), before any request: a path the
    models do not know is accepted only when a number in the local copy holds it. UsageError (exit 2)."""
    text = getattr(args, "fields", None)
    if not isinstance(text, str):
        return
    from ..core.field_select import FieldError, parse_fields
    from .interaction import UsageError

    try:
        args.fields = parse_fields(text)
        return
    except FieldError as first:
        error = first
    from ..config import resolve_connection
    from .connect import flags_from_args
    from .copy_access import opened_copy

    with opened_copy(resolve_connection(flags_from_args(args))) as copy:
        column = getattr(copy.values(), "column", None)
        if column is not None:
            try:
                args.fields = parse_fields(text, lambda path: bool(column(path)))
                return
            except FieldError:
                pass   # the first error says it (a typo's closest field)
    raise UsageError(str(error)) from None


def needs_copy(args: argparse.Namespace) -> bool:
    """Whether the list is answered from the local copy: --where, or a field only details hold."""
    fields = list_fields(args)
    return getattr(args, "where", None) is not None or (fields is not None and needs_detail(fields))
