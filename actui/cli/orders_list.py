"""`actui orders list [--pending] [--json]`: the orders actui tracks, from the local store (no request).

The same orders, per account, as the TUI's order tracker, newest first, each with the status it had when
it was last checked (by `orders watch`, `--wait` or the TUI's poller). No connection, no password.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from typing import Any

from ..config import resolve_connection
from ..core.orders import OrderBook, TrackedOrder
from ..core.timefmt import age
from . import output
from .connect import flags_from_args
from .local_store import open_command_store

FAILED_STATUSES = frozenset({"failed", "error", "rejected"})
NUMBERS_SHOWN = 3   # numbers named in the table's NUMBERS cell; the rest counted


def run(args: argparse.Namespace) -> int:
    connection = resolve_connection(flags_from_args(args))  # the store is per account: which one, no password
    store = open_command_store()
    try:
        book = OrderBook(store, connection.account_key)
        tracked = book.pending() if args.pending else book.all()
    finally:
        store.close()
    tracked.sort(key=lambda t: (t.submitted_at, _id_key(t.order_id)), reverse=True)
    if args.json:
        output.print_json([order_json(t) for t in tracked])
    elif tracked:
        print_orders(tracked, time.time())
    else:
        which = "pending " if args.pending else ""
        output.say(f"no {which}orders tracked for {connection.label}: orders placed with actui provision, "
                   "unprovision or the TUI show up here")
    return 0


def print_orders(tracked: list[TrackedOrder], now: float) -> None:
    from ..tui.widgets.order_lines import order_age  # the tracker's own age, so both say the same

    rows = [[t.order_id, t.action or "", t.provision_class or "", t.status or "-", _counts_text(t),
             order_age(t, now), _numbers_text(t), _checked(t, now)] for t in tracked]
    output.print_table(rows, ["ORDER", "ACTION", "CLASS", "STATUS", "OK/FAIL/ALL", "AGE", "NUMBERS", "CHECKED"])


def order_json(t: TrackedOrder) -> dict[str, Any]:
    """One tracked order: what actui knows locally, and the order as the API last sent it (exact)."""
    return {"orderId": int(t.order_id) if t.order_id.isdigit() else t.order_id, "action": t.action,
            "provisionClass": t.provision_class, "status": t.status, "final": t.final,
            "submittedAt": _iso(t.submitted_at), "checkedAt": _iso(t.polled_at), "counts": _counts(t),
            "order": t.order.to_wire() if t.order is not None else None}


def _counts(t: TrackedOrder) -> dict[str, int] | None:
    if t.order is None:
        return None
    items = t.order.phone_numbers
    failed = sum(1 for i in items if (i.status or "").strip().lower() in FAILED_STATUSES)
    return {"completed": t.order.count("Completed"), "failed": failed, "total": len(items)}


def _counts_text(t: TrackedOrder) -> str:
    counts = _counts(t)
    return "" if counts is None else f"{counts['completed']}/{counts['failed']}/{counts['total']}"


def _numbers_text(t: TrackedOrder) -> str:
    if t.order is None:
        return ""
    numbers = [i.number or "?" for i in t.order.phone_numbers]
    more = len(numbers) - NUMBERS_SHOWN
    return ", ".join(numbers[:NUMBERS_SHOWN]) + (f" +{more} more" if more > 0 else "")


def _checked(t: TrackedOrder, now: float) -> str:
    return "never" if t.polled_at is None else f"{age(now - t.polled_at)} ago"


def _iso(at: float | None) -> str | None:
    if at is None:
        return None
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _id_key(order_id: str) -> tuple:
    return (0, int(order_id), "") if order_id.isdigit() else (1, 0, order_id)
