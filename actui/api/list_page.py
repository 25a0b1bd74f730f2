"""Tolerant reading of the undocumented list response (API-NOTES: "List response shape")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .body_errors import UnreadableAnswer

ITEM_KEYS = ("phoneNumbers", "data", "items", "results")
TOTAL_KEYS = ("total", "totalCount", "count")

T = TypeVar("T")


@dataclass(frozen=True)
class ItemProblem:
    """An item of a list page that could not be used as it came: where it was, and why."""

    page: int
    index: int          # 1-based position in the page's array
    reason: str
    skipped: bool = True  # False: the number was kept, without the fields named in `reason`

    def __str__(self) -> str:
        return f"page {self.page}, item {self.index}: {self.reason}" + ("; skipped" if self.skipped else "")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    limit: int
    total: int | None = None
    total_pages: int | None = None
    has_more: bool | None = None
    problems: tuple[ItemProblem, ...] = ()
    sent: int = -1      # how many items the server's array held (malformed ones included); -1: len(items)

    @property
    def received(self) -> int:
        return len(self.items) if self.sent < 0 else self.sent

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the server said (directly or through a total)."""
        if self.total_pages is not None:
            return self.total_pages
        if self.total is not None and self.limit > 0:
            return max(1, -(-self.total // self.limit))
        return None

    @property
    def is_last(self) -> bool:
        """Whether nothing follows this page. A full page always means "read on", whatever the totals
        say (they may be wrong: API-NOTES); a short page is the end unless the server says more follow."""
        return not more_after(self, (self.page - 1) * self.limit + self.received)


def more_after(page: Page, read: int) -> bool:
    """Whether to ask for the page after `page`, `read` items having arrived so far (this page's included)."""
    received = page.received
    if received == 0:
        return False
    if received >= page.limit:
        return True
    if page.has_more:
        return True
    if page.total is not None and read < page.total:
        return True  # a short page, but the server says there are more (it may cap limit lower than asked)
    return page.total_pages is not None and page.page < page.total_pages


def split_envelope(payload: Any) -> tuple[list[Any], dict[str, Any]]:
    """(the items, the totals) from a bare array or an object holding the array under a known key."""
    if isinstance(payload, list):
        return payload, {}
    if not isinstance(payload, dict):
        raise UnreadableAnswer(f"unexpected list response: a JSON {type(payload).__name__}, "
                               "not an array or object")
    meta: dict[str, Any] = {}
    for nested in ("meta", "pagination", "paging"):
        if isinstance(payload.get(nested), dict):
            meta.update(payload[nested])
    meta.update(payload)
    for key in ITEM_KEYS:
        if isinstance(payload.get(key), list):
            return payload[key], meta
    lists = [v for v in payload.values() if isinstance(v, list)]
    if len(lists) == 1:
        return lists[0], meta
    raise UnreadableAnswer("unexpected list response: no array under " + ", ".join(ITEM_KEYS))


def totals(meta: dict[str, Any]) -> tuple[int | None, int | None, bool | None]:
    """(total, totalPages, hasMore), each None when the server did not say."""
    total = next((_int(meta[k]) for k in TOTAL_KEYS if _int(meta.get(k)) is not None), None)
    total_pages = _int(meta.get("totalPages"))
    has_more = meta.get("hasMore")
    return total, total_pages, has_more if isinstance(has_more, bool) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None  # -1 and the like: "unknown"
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
