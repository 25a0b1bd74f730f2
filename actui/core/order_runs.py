"""Provision and unprovision orders from the TUI's screens and the CLI, through the bulk engine: each
number journaled, orders of at most `batch_size` numbers, a POST never retried.

`place_orders(...)` returns the OrderAck of every order placed. When an order could not be placed, it
raises the error of the first one that failed (OrderStateUnknown when a POST may have reached the
server), after the numbers are journaled, so the callers say what happened in their own words; the
orders placed before it are in the exception's `placed` list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from .bulk import BulkEngine
from .journal import Journal

if TYPE_CHECKING:
    from ..api.client import ApiClient

BATCH_SIZE = 100


async def place_orders(client: ApiClient, journal: Journal, kind: str, numbers: Sequence[str],
                       request: Callable[[list[str]], Awaitable[Any]], *, description: str = "",
                       batch_size: int = BATCH_SIZE) -> list[Any]:
    errors: list[BaseException] = []

    async def send(batch: list[str]) -> Any:
        try:
            return await request(batch)
        except Exception as error:
            errors.append(error)
            raise

    result = await BulkEngine(client, journal).order(kind, numbers, send, batch_size=batch_size,
                                                     description=description)
    if errors:
        error = errors[0]
        error.placed = list(result.orders)  # type: ignore[attr-defined]
        raise error
    return list(result.orders)
