"""Filling the Inventory from the API: one page, or everything with progress (and, given the local copy,
every list item into it as it arrives: the TUI's `L` fills both in one pass)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..api.list_items import ListingNotes
from .inventory import Inventory, NumberRow, rows_from_wire

if TYPE_CHECKING:
    from ..api.client import ApiClient
    from .local_copy import LocalCopy

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
                    notes: ListingNotes | None = None, copy: LocalCopy | None = None,
                    clock: Callable[[], float] = time.time) -> int:
    """Every active number into the inventory; progress(loaded, total) after each page (total None once
    more arrived than the server's total said). `notes` hears of what the user should be told.

    `copy`: each page's items as sent go into the local copy too (a list item carrying `settings` is the
    number's detail, read at no extra cost), and a complete pass removes the numbers the list no longer
    shows. The inventory is replaced only when every page arrived; the copy keeps what did."""
    rows: list[NumberRow] = []
    listing = ListingNotes() if notes is None else notes
    parse: Callable[[list[Any]], list[Any]] = rows_from_wire if copy is None else _as_sent
    async for page in client.iter_pages(limit=inventory.page_size, concurrency=LOAD_ALL_CONCURRENCY,
                                        parse=parse, notes=listing):
        if copy is None:
            rows.extend(page.items)
        else:
            rows.extend(rows_from_wire(page.items))
            copy.put_list_items(page.items, clock())
        if progress:
            total = page.total if page.total is not None and page.total >= len(rows) else None
            progress(len(rows), total)
    if copy is not None and listing.complete:
        copy.keep_only([row.number for row in rows], clock())
    inventory.replace_all(rows)
    return len(rows)


def _as_sent(items: list[Any]) -> list[Any]:
    return [item for item in items if isinstance(item, dict)]
