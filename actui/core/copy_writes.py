"""actui's own writes told to the local copy (core/local_copy.py) at once: a saved edit or a bulk item puts
the server's answer, a write of unknown outcome drops the detail (the next sync reads it again), a number
the server no longer knows or that was unprovisioned is forgotten. A provisioned number joins when the list
shows it.

The copy is found through the journal every write already has (its store and account). It is a cache: a
copy that cannot be written (read-only, damaged) never fails the write it follows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from ..api.errors import NetworkError, NotFound, ServerError
from .journal import Journal
from .local_copy import LocalCopy, open_local_copy
from .store import StoreError


def _copy(journal: Journal) -> LocalCopy | None:
    """The journal's account's copy, in the cache file beside its store (opened once per store)."""
    try:
        return open_local_copy(journal.store, journal.account)
    except StoreError:
        return None


def saved(journal: Journal, number: str, doc: Mapping[str, Any]) -> None:
    """The server answered a write (or a read just before it) with `doc`."""
    copy = _copy(journal)
    if copy is not None and not copy.store.read_only:
        try:
            copy.put_detail(number, doc, time.time())
        except StoreError:
            pass


def unsure(journal: Journal, number: str) -> None:
    """A write that may or may not have landed: the detail held may be wrong."""
    copy = _copy(journal)
    if copy is not None and not copy.store.read_only:
        try:
            copy.forget_detail(number)
        except StoreError:
            pass


def failed(journal: Journal, number: str, error: BaseException) -> None:
    """A write failed: a 404 means the number is gone; a fault after sending may have left it applied."""
    if isinstance(error, NotFound):
        gone(journal, [number])
    elif isinstance(error, (NetworkError, ServerError)):
        unsure(journal, number)


def gone(journal: Journal, numbers: Iterable[str]) -> None:
    """Numbers unprovisioned, or that the server answered 404 for."""
    copy = _copy(journal)
    if copy is not None and not copy.store.read_only:
        try:
            for number in numbers:
                copy.forget(number)
        except StoreError:
            pass
