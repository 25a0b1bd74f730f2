"""Tolerant reading of the undocumented list response (API-NOTES: "List response shape")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import ApiError

ITEM_KEYS = ("phoneNumbers", "data", "items", "results")
TOTAL_KEYS = ("total", "totalCount", "count")

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    limit: int
    total: int | None = None
    total_pages: int | None = None
    has_more: bool | None = None

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
        if not self.items:
            return True
        if self.has_more is not None:
            return not self.has_more
        pages = self.pages
        if pages is not None:
            return self.page >= pages
        return len(self.items) < self.limit


def split_envelope(payload: Any) -> tuple[list[Any], dict[str, Any]]:
    """(the items, the totals) from a bare array or an object holding the array under a known key."""
    if isinstance(payload, list):
        return payload, {}
    if not isinstance(payload, dict):
        raise ApiError(f"unexpected list response: a JSON {type(payload).__name__}, not an array or object")
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
    raise ApiError("unexpected list response: no array under " + ", ".join(ITEM_KEYS))


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
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
