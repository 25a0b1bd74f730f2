"""Pacing requests to what the server allows: the bulk engine's adaptive rate.

Until the server first answers 429 nothing is paced (only the engine's concurrency bounds it). On a 429:

- every worker waits until the Retry-After has passed (the server's bucket refills meanwhile);
- the send rate is set a little under the rate of recent successes (measured over the last second, or
  Retry-After if longer): multiplicative decrease, once per episode (429s of requests sent before the
  decrease belong to the same episode);
- while no 429 comes, each success raises the rate a little (about 5% a second at any rate).

A server that refills a bucket at R a second and lets a second's worth through in a burst is then used
at close to R: a rate over R drains the bucket slowly until a 429, and the pause that follows refills it.
Retry-After is honoured to the millisecond here: the client's own retry would add jitter to every pause.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from ..api.errors import ActuiError, RateLimited
from ..api.retry import RetryPolicy

T = TypeVar("T")


class AdaptiveRate:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 decrease: float = 0.9, growth: float = 0.05, window: float = 1.0, floor: float = 0.5,
                 default_pause: float = 1.0):
        self.clock = clock
        self.sleep = sleep
        self.decrease = decrease          # new rate = this x the recent success rate
        self.growth = growth              # per success, the rate grows by this many requests/s
        self.window = window              # seconds of successes that make "the recent rate"
        self.floor = floor                # never slower than this (requests/s)
        self.default_pause = default_pause  # a 429 without Retry-After pauses this long
        self.rate: float | None = None    # requests/s; None: not limited (no 429 seen yet)
        self.paused_until = 0.0
        self.throttled_count = 0
        self._next = 0.0                  # the earliest start of the next request (pacing)
        self._decreased_at = float("-inf")
        self._successes: deque[float] = deque()

    async def acquire(self) -> float:
        """Wait for this request's turn; the time it may start (give it back to throttled())."""
        while True:
            now = self.clock()
            if self.paused_until > now:
                await self.sleep(self.paused_until - now)
                continue
            rate = self.rate
            if rate is None:
                return now
            interval = 1.0 / rate
            # a little slack (two intervals, at most 50 ms) so a late wake-up costs no throughput
            slot = max(self._next, now - min(2 * interval, 0.05))
            self._next = slot + interval
            if slot <= now:
                return now
            await self.sleep(slot - now)
            if self.paused_until <= self.clock():
                return self.clock()

    def succeeded(self) -> None:
        """A request got through (whatever its answer, it was not a 429)."""
        now = self.clock()
        self._successes.append(now)
        while self._successes and self._successes[0] < now - 10 * self.window:
            self._successes.popleft()
        if self.rate is not None:
            self.rate += self.growth

    def throttled(self, sent_at: float, retry_after: float | None) -> None:
        """The server answered 429 to a request started at `sent_at`."""
        now = self.clock()
        self.throttled_count += 1
        pause = self.default_pause if retry_after is None else retry_after
        if now + pause > self.paused_until:
            self.paused_until = now + pause
            self._next = self.paused_until
        if sent_at < self._decreased_at:
            return  # sent before the last decrease: the same episode
        span = max(self.window, pause)
        recent = sum(1 for t in self._successes if t > now - span) / span
        if recent > 0:
            self.rate = max(self.floor, self.decrease * min(recent, self.rate or recent))
        elif self.rate is not None:
            self.rate = max(self.floor, self.decrease * self.rate)
        self._decreased_at = now

    async def call(self, request: Callable[[], Awaitable[T]], *, max_throttles: int = 50,
                   max_retry_after: float = 120.0) -> T:
        """Run `request` in turn, again after each 429 (up to `max_throttles` times); its result."""
        throttles = 0
        while True:
            sent = await self.acquire()
            try:
                result = await request()
            except RateLimited as exc:
                throttles += 1
                if throttles > max_throttles or (exc.retry_after or 0) > max_retry_after:
                    raise
                self.throttled(sent, exc.retry_after)
                continue
            except ActuiError:
                self.succeeded()
                raise
            self.succeeded()
            return result


@dataclass
class RetryExcept429(RetryPolicy):
    """The client's retries for network faults and 5xx, leaving 429 to AdaptiveRate (which waits exactly)."""

    def should_retry(self, error: ActuiError, attempt: int) -> bool:
        return not isinstance(error, RateLimited) and super().should_retry(error, attempt)

    @classmethod
    def like(cls, policy: RetryPolicy) -> RetryExcept429:
        return cls(retries=policy.retries, base=policy.base, cap=policy.cap,
                   max_retry_after=policy.max_retry_after, rng=policy.rng)
