"""The CLI's way to the local copy of the inventory (core/local_copy.py): opened beside the local store, and
brought up to date before a command answers from it: the list read again when the copy's is older than the
profile's max_age, and the details a filter's path terms read, when missing or older than max_age, read
first (how many, said on stderr). A NetworkError (the API unreachable) is raised for the caller to answer
from the copy as it is (cli/offline.py)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..config import Connection
from ..core.filtering import Filter, FilterError, compile_filter
from ..core.local_copy import LocalCopy, open_local_copy
from ..core.safe_text import terminal_safe
from ..core.session import Session
from ..core.timefmt import age
from .local_store import open_command_store
from .offline import probe


@dataclass
class Freshened:
    """What bringing the copy up to date did."""

    list_read: bool = False
    details_read: int = 0
    details_failed: int = 0   # still stale: a path term reads what the copy holds for them


@contextmanager
def opened_copy(connection: Connection) -> Iterator[LocalCopy]:
    """The account's local copy for the life of a command (its store closed after)."""
    store = open_command_store()
    try:
        yield open_local_copy(store, connection.account_key)
    finally:
        store.close()


def compile_where(query: str, copy: LocalCopy | None = None) -> Filter:
    """The --where filter; a field the models do not know is accepted when a number in the copy holds it.
    A query that cannot be read is a UsageError naming the term."""
    from .interaction import UsageError

    try:
        return compile_filter(query)
    except FilterError as first:
        if copy is not None:
            try:
                return compile_filter(query, copy.values())
            except FilterError:
                pass   # the first error says it (a typo's closest field)
        raise UsageError(f"--where: {first}") from None


def check_where(args: argparse.Namespace) -> None:
    """Before connecting: a --where that cannot be read is refused (no password asked, no request)."""
    from ..config import resolve_connection
    from .connect import flags_from_args

    try:
        compile_filter(args.where)
    except FilterError:
        with opened_copy(resolve_connection(flags_from_args(args))) as copy:
            compile_where(args.where, copy)


def list_is_stale(copy: LocalCopy, max_age: float, now: float | None = None) -> bool:
    synced = copy.status().list_synced_at
    return synced is None or (time.time() if now is None else now) - synced > max_age


async def bring_up_to_date(session: Session, copy: LocalCopy, *, details: bool) -> Freshened:
    """Read the list into the copy when the copy's is older than max_age; with `details`, every detail
    missing or older than max_age too. Raises what stops a sync (NetworkError, AuthenticationError)."""
    from ..core.sync import sync
    from .sync_cmd import ProgressLine

    connection = session.connection
    max_age = connection.max_age
    done = Freshened()
    if copy.store.read_only:   # nothing can be kept: answer from the copy as it is
        return done
    options = dict(concurrency=connection.bulk_concurrency, page_size=connection.page_size, max_age=max_age)
    line = ProgressLine(sys.stderr)
    try:
        if list_is_stale(copy, max_age):   # said on the progress line only: offline, the one line is the warning
            result = await sync(session.client, copy, details=False, on_progress=line.show, **options)
            line.clear()
            for warning in result.warnings:
                sys.stderr.write(f"warning: {terminal_safe(warning)}\n")
            done.list_read = True
        if details:
            stale = len(copy.stale(max_age))
            if stale:
                await probe(session.client)   # an unreachable API: the warning alone, not this line first
                sys.stderr.write(f"actui: reading {stale} detail{'s' if stale != 1 else ''} "
                                 f"(missing or older than {age(max_age)})…\n")
                result = await sync(session.client, copy, details=True, read_list=False, on_progress=line.show,
                                    **options)
                done.details_read, done.details_failed = result.details_read, result.details_failed
                if result.details_failed:
                    sys.stderr.write(f"warning: {result.details_failed} details could not be read: for those "
                                     "numbers the filter reads what the local copy holds\n")
    finally:
        line.clear()
    return done
