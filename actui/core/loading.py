"""Filling the Inventory from the API: one page, or everything with progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..api.list_items import ListingNotes
from .inventory import Inventory, NumberRow, rows_from_wire

if TYPE_CHECKING:
    from ..api.client import ApiClient

LOAD_ALL_CONCURRENCY = 6


async def fetch_page(client: ApiClient, inventory: Inventory, page: int,
                     notes: ListingNotes | None = None) -> list[NumberRow]:
    """One page into the inventory, each number once; `notes` hears of items left out."""
    result = await client.list_page(page, inventory.page_size, parse=rows_from_wire)
    result = (ListingNotes() if notes is None else notes).take(result)
    inventory.add_page(page, result.items, result.total, result.total_pages, result.is_last)
    return result.items


async def fetch_all(client: ApiClient, inventory: Inventory,
                    progress: Callable[[int, int | None], None] | None = None,
                    notes: ListingNotes | None = None) -> int:
    """Every active number into the inventory; progress(loaded, total) after each page (total None once
    more arrived than the server's total said). `notes` hears of what the user should be told."""
    rows: list[NumberRow] = []
    async for page in client.iter_pages(limit=inventory.page_size, concurrency=LOAD_ALL_CONCURRENCY,
                                        parse=rows_from_wire, notes=notes):
        rows.extend(page.items)
        if progress:
            total = page.total if page.total is not None and page.total >= len(rows) else None
            progress(len(rows), total)
    inventory.replace_all(rows)
    return len(rows)
