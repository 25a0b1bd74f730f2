"""Filling the local copy (core/local_copy.py) from the API: the list pages, then the details it lacks.

1. The list: every page (client.iter_pages, as loading.fetch_all reads it, but as raw items), each put in
   the copy as it arrives. Only a complete pass removes the numbers the list no longer shows: a pass that
   was interrupted or failed leaves them (it cannot tell gone from not yet seen).
2. With `details`: every number without a detail or with one older than `max_age` is read with GET, at most
   `concurrency` at a time, paced by the bulk engine's adaptive rate (a 429 slows every worker; the list's
   pages count in what it measures, they met the same limit). Each detail is kept as soon as it is read
   (a few at a time), so an interrupted sync (cancelled, killed) loses almost nothing: the next one reads
   only what is still stale, and says how many it found fresh.
   A detail that fails (5xx, network) leaves its number stale, counted; a 404 means the number is gone
   (forgotten); a 401 stops the sync (raised), as does an API that stops answering altogether.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from ..api.errors import ActuiError, AuthenticationError, NetworkError, NotFound
from ..api.list_items import ListingNotes, number_of
from ..profiles import DEFAULT_MAX_AGE
from .local_copy import LocalCopy
from .rate import AdaptiveRate, RetryExcept429

if TYPE_CHECKING:
    from ..api.client import ApiClient

LIST_CONCURRENCY = 6
# the details read are written to the copy this many at a time, or after this long
WRITE_BATCH = 50
WRITE_EVERY = 0.5
# this many network failures in a row, none read between: the API is unreachable, stop
UNREACHABLE_AFTER = 12


@dataclass(frozen=True)
class SyncProgress:
    phase: str                  # "list", "details" or "done"
    listed: int                 # numbers the list has shown so far
    list_total: int | None      # what the server says the list holds (None: not said, or wrong)
    details_read: int
    details_to_read: int
    details_failed: int
    rate: float | None          # details read per second so far (None: none yet)


@dataclass
class SyncResult:
    listed: int = 0                  # numbers the list showed
    list_complete: bool = False      # the whole list was read (so numbers gone from it were removed)
    removed: int = 0                 # numbers the copy held that the list no longer shows
    details_in_list: int = 0         # details the list items carried (read at no extra cost)
    details_fresh: int = 0           # details already held and younger than max_age (not read again)
    details_read: int = 0
    details_failed: int = 0          # could not be read (5xx, network): still stale
    details_gone: int = 0            # 404 when read: removed from the copy
    details_left: int = 0            # not read because the sync was cancelled
    cancelled: bool = False
    elapsed: float = 0.0
    warnings: list[str] = field(default_factory=list)   # what the listing met (items skipped, ...)

    @property
    def stale(self) -> int:
        """Numbers still without a fresh detail (failed or left)."""
        return self.details_failed + self.details_left


async def sync(client: ApiClient, copy: LocalCopy, *, details: bool, max_age: float = DEFAULT_MAX_AGE,
               concurrency: int = 8, on_progress: Callable[[SyncProgress], None] | None = None,
               cancel: asyncio.Event | None = None, page_size: int = 100,
               clock: Callable[[], float] = time.time, read_list: bool = True) -> SyncResult:
    """Read the list into `copy`, then (with `details`) the details that are missing or older than `max_age`
    seconds. Raises AuthenticationError (401), or the error that stopped the list (a NetworkError when the
    API is unreachable); details already read are kept either way. `read_list=False`: the details only
    (the copy's list is fresh enough)."""
    run = _Sync(client, copy, concurrency, on_progress, cancel, clock)
    started = time.monotonic()
    try:
        if read_list:
            await run.read_list(page_size)
        if details and not run.cancelled():
            await run.read_details(max_age)
        elif details:
            run.result.details_left = len(copy.stale(max_age, clock()))
    finally:
        run.result.elapsed = time.monotonic() - started
    run.result.cancelled = run.cancelled()
    run.emit("done")
    return run.result


class _Sync:
    def __init__(self, client: ApiClient, copy: LocalCopy, concurrency: int,
                 on_progress: Callable[[SyncProgress], None] | None, cancel: asyncio.Event | None,
                 clock: Callable[[], float]):
        self.client = client
        self.copy = copy
        self.concurrency = max(1, concurrency)
        self.on_progress = on_progress
        self.cancel = cancel
        self.clock = clock
        self.result = SyncResult()
        self.list_total: int | None = None
        self.to_read = 0
        self.details_started: float | None = None
        # one pace for the whole sync: the details' first 429 measures what the server accepted in the
        # last second, and the list's pages were part of it (see read_list)
        self.limiter = AdaptiveRate()

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def emit(self, phase: str) -> None:
        if self.on_progress is None:
            return
        result = self.result
        rate = None
        if self.details_started is not None and result.details_read:
            rate = result.details_read / max(time.monotonic() - self.details_started, 1e-6)
        self.on_progress(SyncProgress(phase, result.listed, self.list_total, result.details_read, self.to_read,
                                      result.details_failed, rate))

    async def read_list(self, page_size: int) -> None:
        notes = ListingNotes()
        seen: list[str] = []
        async for page in self.client.iter_pages(limit=page_size, concurrency=LIST_CONCURRENCY,
                                                 parse=_as_sent, notes=notes):
            # the page's request counts against the same server limit as the details that follow: without
            # it the first 429 measures the limit less the list's last second (a sliding window of 200/s
            # after 20 pages: 178/s, kept until the probe found the rest; 1.18x requests/R)
            self.limiter.succeeded()
            seen_at = self.clock()
            self.copy.put_list_items(page.items, seen_at)
            seen.extend(number for item in page.items if (number := number_of(item)) is not None)
            self.result.details_in_list += sum(1 for item in page.items if isinstance(item.get("settings"), dict))
            self.result.listed = len(seen)
            self.list_total = page.total if page.total is not None and page.total >= len(seen) else None
            self.emit("list")
            if self.cancelled():
                break
        self.result.warnings = notes.warnings()
        if notes.complete and not self.cancelled():
            self.result.removed = self.copy.keep_only(seen, self.clock())
            self.result.list_complete = True

    async def read_details(self, max_age: float) -> None:
        stale = self.copy.stale(max_age, self.clock())
        self.result.details_fresh = self.copy.status().numbers - len(stale)
        self.to_read = len(stale)
        self.details_started = time.monotonic()
        self.emit("details")
        reader = _DetailReader(self, iter(stale))
        try:
            await asyncio.gather(*(reader.work() for _ in range(min(self.concurrency, len(stale)))))
        finally:
            reader.flush()   # also when cancelled or stopped by an exception: what was read is kept
        done = self.result.details_read + self.result.details_failed + self.result.details_gone
        self.result.details_left = len(stale) - done
        if reader.stop:
            raise reader.stop[0]


class _DetailReader:
    """The workers of the details phase: each takes the next stale number, reads it (paced by one
    AdaptiveRate for all), and keeps what it read a batch at a time."""

    def __init__(self, run: _Sync, numbers: Iterator[str]):
        self.run = run
        self.numbers = numbers
        self.limiter = run.limiter
        self.retry = RetryExcept429.like(run.client.retry)   # 429s are the limiter's, exactly timed
        self.pending: list[tuple[str, Mapping[str, Any], float]] = []
        self.flushed = time.monotonic()
        self.failures_in_a_row = 0
        self.stop: list[BaseException] = []

    async def work(self) -> None:
        try:
            for number in self.numbers:
                if self.stop or self.run.cancelled():
                    return
                await self.read(number)
                self.run.emit("details")
        except Exception as error:   # the store failed, say: stop every worker, keep what was read
            self.stop.append(error)

    async def read(self, number: str) -> None:
        run, result = self.run, self.run.result
        try:
            phone = await self.limiter.call(partial(run.client.get_number, number, retry=self.retry),
                                            max_retry_after=self.retry.max_retry_after)
        except NotFound:
            run.copy.forget(number)
            result.details_gone += 1
        except AuthenticationError as error:
            self.stop.append(error)
        except ActuiError as error:
            result.details_failed += 1
            if isinstance(error, NetworkError):
                self.failures_in_a_row += 1
                if self.failures_in_a_row >= UNREACHABLE_AFTER:
                    self.stop.append(error)
        else:
            self.failures_in_a_row = 0
            self.pending.append((number, phone.to_wire(), run.clock()))
            result.details_read += 1
            if len(self.pending) >= WRITE_BATCH or time.monotonic() - self.flushed >= WRITE_EVERY:
                self.flush()

    def flush(self) -> None:
        if self.pending:
            self.run.copy.put_details(self.pending)
            self.pending.clear()
        self.flushed = time.monotonic()


def _as_sent(items: list[Any]) -> list[Any]:
    return items
