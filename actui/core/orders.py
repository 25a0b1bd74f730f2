"""Watching provisioning orders until they are final: the polling schedule and the wait loop.

Final states follow API-NOTES (`models.is_final_status`); anything else is polled on, a few seconds apart
while the order is young, backing off to a minute for the long A2P ones.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from ..api.client import ApiClient
from ..api.models import Order

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
