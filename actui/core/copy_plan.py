"""A bulk change planned from the local copy (core/local_copy.py): the numbers whose detail the copy holds,
read less than max_age ago, are planned from it without a GET; the others are read as before, and what is
read is kept in the copy. The engine still reads a number again right before writing it when its reading
is older than the profile's bulk_reread_after, so a colleague's change since is a conflict, not lost."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .local_copy import LocalCopy
from .store import StoreError


def fresh_details(copy: LocalCopy, numbers: Iterable[str], max_age: float, *,
                  clock: Callable[[], float] = time.monotonic,
                  now: float | None = None) -> dict[str, tuple[dict[str, Any], float]]:
    """number -> (detail as held, its reading time on `clock`'s scale), for the numbers whose detail was
    read at most `max_age` seconds ago (the copy's times are wall-clock; the engine's are monotonic)."""
    now = time.time() if now is None else now
    shift = clock() - now
    known: dict[str, tuple[dict[str, Any], float]] = {}
    wanted = list(dict.fromkeys(numbers))
    for start in range(0, len(wanted), 500):   # LocalCopy's table: the detail, or the list item that is one
        chunk = wanted[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for number, text, read_at in copy.store.query(
                "SELECT number, coalesce(detail, list_item), detail_read_at FROM copy_numbers WHERE account = ?"
                f" AND detail_read_at >= ? AND number IN ({marks})", (copy.account, now - max_age, *chunk)):
            known[number] = (json.loads(text), read_at + shift)
    return known


def keep_read(copy: LocalCopy, docs: Mapping[str, Mapping[str, Any]], read_at: float | None = None) -> None:
    """Documents just read (for a plan) into the copy; a copy that cannot be written is only a cache."""
    if not docs or copy.store.read_only:
        return
    at = time.time() if read_at is None else read_at
    try:
        copy.put_details((number, doc, at) for number, doc in docs.items())
    except StoreError:
        pass
