"""Reading the whole list: the pages a total implies fetched concurrently, then on while pages come back
full (a total may be wrong or missing: API-NOTES, "a full page means read on")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from .errors import ApiError
from .list_items import ListingNotes
from .list_page import Page, more_after

if TYPE_CHECKING:
    from .client import ApiClient, Parser


async def iterate(client: ApiClient, limit: int, concurrency: int, parse: Parser | None,
                  notes: ListingNotes) -> AsyncIterator[Page[Any]]:
    """Every page in order, each number once (notes.take); notes.complete once the end was reached."""
    first = await client._first_page(limit, parse)
    limit = first.limit
    read = first.received
    yield notes.take(first)
    last = first
    pages = first.pages
    if more_after(first, read) and pages is not None and pages >= 2:
        async for page in client._pages_concurrently(range(2, pages + 1), limit, concurrency, parse):
            read += page.received
            yield notes.take(page)
            last = page
    number = last.page + 1
    while more_after(last, read):
        page = await client.list_page(number, limit, parse)
        read += page.received
        fresh = notes.take(page)
        if page.items and not fresh.items:
            raise ApiError(f"the server answered page {number} with numbers it had already sent: it ignores "
                           "the page parameter")
        yield fresh
        last, number = page, number + 1
    notes.complete = True
