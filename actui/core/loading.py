"""Filling the Inventory from the API: one page, or everything with progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .inventory import Inventory, Row, rows_from_wire

if TYPE_CHECKING:
    from ..api.client import ApiClient

LOAD_ALL_CONCURRENCY = 6


async def fetch_page(client: ApiClient, inventory: Inventory, page: int) -> list[Row]:
    result = await client.list_page(page, inventory.page_size, parse=rows_from_wire)
    inventory.add_page(page, result.items, result.total, result.total_pages, result.is_last)
    return result.items


async def fetch_all(client: ApiClient, inventory: Inventory,
                    progress: Callable[[int, int | None], None] | None = None) -> int:
    """Every active number into the inventory; progress(loaded, total) after each page."""
    rows: list[Row] = []
    async for page in client.iter_pages(limit=inventory.page_size, concurrency=LOAD_ALL_CONCURRENCY,
                                        parse=rows_from_wire):
        rows.extend(page.items)
        if progress:
            progress(len(rows), page.total)
    inventory.replace_all(rows)
    return len(rows)
