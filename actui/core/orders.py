"""Watching provisioning orders until they are final: the polling schedule and the wait loop.

Final states follow API-NOTES (`api.order_models.is_final_status`); anything else is polled on, a few
seconds apart while the order is young, backing off to a minute for the long A2P ones.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the TUI imports this module before its first frame: keep pydantic and httpx out
    from ..api.client import ApiClient
    from ..api.order_models import Order
    from .store import Store

FAST_POLL = 2.0
SLOW_POLL = 60.0


def poll_delay(age: float, fast: float = FAST_POLL, slow: float = SLOW_POLL) -> float:
    """Seconds until the next poll of an order that has been pending for `age` seconds."""
    if age < 30:
        return fast
    if age < 300:
        return min(slow, max(fast, age / 15))   # 2 s at 30 s, 20 s at 5 min
    return slow


def summary(order: Order) -> str:
    total = len(order.phone_numbers)
    done = order.count("Completed")
    failed = sum(1 for i in order.phone_numbers if (i.status or "").lower() in ("failed", "error", "rejected"))
    return f"order {order.order_id}: {order.status or 'unknown'} ({done} completed, {failed} failed, {total} total)"


async def watch_order(
    client: ApiClient,
    order_id: int | str,
    on_change: Callable[[Order], None] | None = None,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    fast: float = FAST_POLL,
    slow: float = SLOW_POLL,
) -> Order:
    """Poll one order until it is final; call on_change whenever what it says changes."""
    started = clock()
    last: dict | None = None
    while True:
        order = await client.get_order(order_id)
        state = order.to_wire()
        if state != last:
            last = state
            if on_change:
                on_change(order)
        if order.is_final:
            return order
        await sleep(poll_delay(clock() - started, fast, slow))


# --- tracked orders, kept in the local store so tracking survives a restart ------------------------


@dataclass
class TrackedOrder:
    order_id: str
    action: str | None
    status: str | None
    provision_class: str | None
    submitted_at: float
    polled_at: float | None
    final: bool
    order: Order | None

    def age(self, now: float) -> float:
        return max(0.0, now - self.submitted_at)

    def next_poll_at(self) -> float:
        if self.polled_at is None:
            return self.submitted_at
        return self.polled_at + poll_delay(self.polled_at - self.submitted_at)


class OrderBook:
    """The orders this user tracks on one API, persisted in the Store."""

    def __init__(self, store: Store, account: str, clock: Callable[[], float] = time.time):
        self.store = store
        self.account = account
        self.clock = clock

    def track(self, order_id: int | str, action: str | None = None,
              provision_class: str | None = None) -> TrackedOrder:
        self.store.execute(
            "INSERT OR IGNORE INTO tracked_orders (account, order_id, action, provision_class, submitted_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (self.account, str(order_id), action, provision_class, self.clock()),
        )
        return self.get(order_id)

    def record(self, order: Order) -> TrackedOrder:
        """Store what a poll said."""
        self.store.execute(
            "UPDATE tracked_orders SET status = ?, action = COALESCE(?, action),"
            " provision_class = COALESCE(?, provision_class), polled_at = ?, final = ?, document = ?"
            " WHERE account = ? AND order_id = ?",
            (order.status, order.action, order.provision_class, self.clock(), int(order.is_final),
             json.dumps(order.to_wire()), self.account, str(order.order_id)),
        )
        return self.get(order.order_id)

    def untrack(self, order_id: int | str) -> None:
        self.store.execute("DELETE FROM tracked_orders WHERE account = ? AND order_id = ?",
                           (self.account, str(order_id)))

    def get(self, order_id: int | str) -> TrackedOrder:
        rows = self.store.query(_SELECT + " AND order_id = ?", (self.account, str(order_id)))
        if not rows:
            raise KeyError(order_id)
        return _tracked(rows[0])

    def all(self) -> list[TrackedOrder]:
        return [_tracked(r) for r in self.store.query(_SELECT + " ORDER BY submitted_at DESC", (self.account,))]

    def pending(self) -> list[TrackedOrder]:
        return [t for t in self.all() if not t.final]

    def due(self) -> list[TrackedOrder]:
        now = self.clock()
        return [t for t in self.pending() if t.next_poll_at() <= now]

    def next_due_in(self) -> float | None:
        """Seconds until the next pending order wants a poll; None when nothing is pending."""
        pending = self.pending()
        if not pending:
            return None
        return max(0.0, min(t.next_poll_at() for t in pending) - self.clock())


_SELECT = ("SELECT order_id, action, status, provision_class, submitted_at, polled_at, final, document"
           " FROM tracked_orders WHERE account = ?")


def _tracked(row: Sequence[Any]) -> TrackedOrder:
    order_id, action, status, provision_class, submitted_at, polled_at, final, document = row
    order = None
    if document:
        from ..api.order_models import Order

        order = Order.model_validate(json.loads(document))
    return TrackedOrder(order_id, action, status, provision_class, submitted_at, polled_at, bool(final), order)
