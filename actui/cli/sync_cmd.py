"""`actui sync [--details] [--max-age DURATION] [--status] [--json]`: fill the local copy of the inventory,
or say what it holds."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from typing import Any

from ..core.local_copy import CopyStatus, LocalCopy, open_local_copy
from ..core.safe_text import terminal_safe
from ..core.session import Session
from ..core.store import Store, StoreReadOnlyError
from ..core.sync import SyncProgress, SyncResult, sync
from ..core.timefmt import age
from . import output
from .local_store import open_command_store
from .sync_args import add_parser, max_age_arg  # noqa: F401  (the names this module has always had)

PROGRESS_EVERY = 0.1   # seconds between two redraws of the progress line


def show_status(args: argparse.Namespace) -> int:
    """--status: read from the copy alone (no password, no request)."""
    from ..config import resolve_connection
    from .connect import flags_from_args

    connection = resolve_connection(flags_from_args(args))
    store = open_command_store()
    try:
        copy = _open_copy(store, connection.account_key)
        status, stale = copy.status(), len(copy.stale(connection.max_age))
    finally:
        store.close()
    now = time.time()
    if args.json:
        output.print_json(status_json(status, stale, connection.max_age, now))
        return 0
    rows = [["numbers held", str(status.numbers)],
            ["with details", f"{status.with_details} ({status.missing_details} without)"],
            ["older than max_age", f"{stale} ({age(connection.max_age)}): a sync --details reads them"],
            ["oldest detail", _when(status.oldest_detail_at, now)],
            ["last list sync", _when(status.list_synced_at, now)]]
    output.print_table(rows, ["LOCAL COPY", terminal_safe(connection.label)])
    return 0


def status_json(status: CopyStatus, stale: int, max_age: float, now: float) -> dict[str, Any]:
    return {"numbers": status.numbers, "withDetails": status.with_details, "stale": stale, "maxAge": max_age,
            "oldestDetailAt": _iso(status.oldest_detail_at),
            "oldestDetailAge": None if status.oldest_detail_at is None else round(now - status.oldest_detail_at, 3),
            "listSyncedAt": _iso(status.list_synced_at),
            "listSyncAge": None if status.list_synced_at is None else round(now - status.list_synced_at, 3)}


async def run_sync(session: Session, args: argparse.Namespace) -> int:
    connection = session.connection
    max_age = connection.max_age if args.max_age is None else args.max_age
    details = args.details or args.max_age is not None
    store = open_command_store()
    try:
        copy = _open_copy(store, connection.account_key)
        _require_kept(copy)   # before any request
        line = ProgressLine(sys.stderr)
        try:
            result = await sync(session.client, copy, details=details, max_age=max_age,
                                concurrency=connection.bulk_concurrency, page_size=connection.page_size,
                                on_progress=line.show)
        except asyncio.CancelledError:   # Ctrl-C: what was read is kept (main() then says "interrupted")
            line.clear()
            status = copy.status()
            sys.stderr.write(f"actui: sync stopped; the copy holds {status.numbers} numbers, {status.with_details} "
                             "with details: `actui sync --details` goes on from there\n")
            raise
        finally:
            line.clear()
        for warning in result.warnings:
            sys.stderr.write(f"warning: {terminal_safe(warning)}\n")
        sys.stderr.write(f"actui: {summary(result, details)}\n")
        if args.json:
            output.print_json(result_json(result, copy.status(), len(copy.stale(max_age)), max_age))
    finally:
        store.close()
    return 0


def summary(result: SyncResult, details: bool) -> str:
    """The one line every sync ends with."""
    if result.list_complete:
        listed = f"listed {result.listed} numbers" + (f", removed {result.removed} gone from the list"
                                                      if result.removed else "")
    else:
        listed = f"listed {result.listed} numbers before it was cancelled (none removed)"
    parts = [listed]
    if result.details_in_list:
        parts.append(f"{result.details_in_list} details came with the list")
    if details:
        said = f"read {result.details_read} details"
        if result.details_fresh:
            said += f", {result.details_fresh} already fresh (not read again)"
        parts.append(said)
        if result.details_gone:
            parts.append(f"{result.details_gone} numbers gone (404), removed")
        if result.details_failed:
            parts.append(f"{result.details_failed} could not be read (still stale: sync again)")
        if result.details_left:
            parts.append(f"{result.details_left} left to read: `actui sync --details` resumes")
    elif not result.details_in_list:
        parts.append("no details read (--details reads them)")
    return "; ".join(parts) + f" ({result.elapsed:.1f} s)"


def result_json(result: SyncResult, status: CopyStatus, stale: int, max_age: float) -> dict[str, Any]:
    return {"listed": result.listed, "listComplete": result.list_complete, "removed": result.removed,
            "detailsInList": result.details_in_list, "detailsFresh": result.details_fresh,
            "detailsRead": result.details_read, "detailsFailed": result.details_failed,
            "detailsGone": result.details_gone, "detailsLeft": result.details_left,
            "cancelled": result.cancelled, "elapsed": round(result.elapsed, 3),
            "warnings": result.warnings, "copy": status_json(status, stale, max_age, time.time())}


class ProgressLine:
    """The sync's progress on one line of stderr, redrawn in place; only on a terminal."""

    def __init__(self, out: Any):
        self.out = out
        self.live = _is_terminal(out)
        self.drawn = False
        self.last = 0.0

    def show(self, progress: SyncProgress) -> None:
        now = time.monotonic()
        if not self.live or (now - self.last < PROGRESS_EVERY and progress.phase != "done"):
            return
        self.last = now
        self.out.write("\r\x1b[2K" + progress_text(progress))
        self.out.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.out.write("\r\x1b[2K")
            self.out.flush()
            self.drawn = False


def progress_text(progress: SyncProgress) -> str:
    total = f" of {progress.list_total}" if progress.list_total is not None else ""
    text = f"sync: listed {progress.listed}{total}"
    if progress.phase in ("details", "done") and progress.details_to_read:
        text += f" · details {progress.details_read}/{progress.details_to_read}"
        if progress.details_failed:
            text += f" ({progress.details_failed} failed)"
        if progress.rate is not None:
            text += f" · {progress.rate:.0f}/s"
    return text


def _open_copy(store: Store, account_key: str) -> LocalCopy:
    """The copy in the cache file beside the store; what happened to that file (moved aside, ...) on stderr."""
    copy = open_local_copy(store, account_key)
    for notice in store.take_notices():
        print(f"actui: {terminal_safe(notice.text)}", file=sys.stderr)
    return copy


def _require_kept(copy: LocalCopy) -> None:
    """A sync into a cache that is read-only, or only in memory for this run, would be lost: refused."""
    cache = copy.store
    cache.require_writable("keep the local copy of the inventory")
    if getattr(cache, "in_memory", False):
        raise StoreReadOnlyError(f"cannot keep the local copy of the inventory: the cache file {cache.path} "
                                 f"cannot be opened or written; {cache.fix()}")


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _iso(at: float | None) -> str | None:
    return None if at is None else datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds")


def _when(at: float | None, now: float) -> str:
    if at is None:
        return "never"
    return datetime.fromtimestamp(at).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").strip() + \
        f" ({age(now - at)} ago)"
