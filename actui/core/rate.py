"""Pacing requests to what the server allows: the adaptive rate of the bulk engine and the sync.

The server's limiter is not documented (API-NOTES): a token bucket, a sliding window and a fixed window
all answer 429 + Retry-After, at different moments. Rather than guess the shape, the engine measures the
one thing they share, how many requests the server accepts in a second when it starts refusing, and
paces just under that.

- Until the first 429 nothing is paced (only the caller's concurrency bounds it).
- On a 429 (once per episode: 429s to requests sent before the last adjustment belong to it) the
  *ceiling* is measured: requests sent in the last second before the refused one that were accepted or
  are still in flight (they reached the server first), over `max(window, Retry-After)` seconds, or over
  twice that if higher (a stall of our own thins the last second). Our clock is not the server's: a
  count within one request of the known ceiling leaves it as it is, and once two counts agreed a much
  lower one is trusted only in part until a second 429 confirms it (`_learn`). The rate becomes `hold`
  (0.98) x the ceiling, never higher than it was. Against a sliding or a fixed window paced too fast,
  and against a drained bucket, that count is the limit itself.
- Pacing keeps both an even spacing (1/rate) and a window rule: no more than rate x `window` requests
  sent in any `window`. The rule matters after a burst (the first one, before anything was known): the
  server's window is full of it, and the engine waits until enough of the burst has left it.
- The refused request waits its own Retry-After before it is sent again (honoured, to the millisecond:
  the client's retry would add jitter); the other workers go on at the paced rate, which alone keeps under
  the limit. Waiting them all a whole Retry-After (rounded up to whole seconds by the server) is what
  cost 1.45x against a sliding window: ~1 s idle every few seconds.
- Everyone pauses for the Retry-After only when the pacing cannot be trusted with it: a Retry-After over
  `pause_over` seconds (a quota, not a per-second shape), or a 429 with nothing measured (no success yet).
- Probing: `probe_after` seconds after an adjustment without a 429 the rate grows by `probe` a second
  (compounded; time without a success does not count), so a ceiling measured low (a 429 from jitter
  rather than the limit) or a limit the server raised is found again. A probe past the limit costs a
  refused request or two, not a pause.
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
                 hold: float = 0.98, probe: float = 0.03, probe_after: float = 6.0, window: float = 1.0,
                 floor: float = 0.5, default_pause: float = 1.0, pause_over: float = 2.0,
                 drop: float = 0.75, recover: float = 0.15):
        self.clock = clock
        self.sleep = sleep
        self.hold = hold                  # pace at this share of the measured ceiling
        self.probe = probe                # after probe_after quiet seconds, grow this much a second
        self.probe_after = probe_after
        self.window = window              # seconds: the span the ceiling is counted over (at least)
        self.floor = floor                # never slower than this (requests/s)
        self.default_pause = default_pause  # a 429 without Retry-After: this long
        self.pause_over = pause_over      # a longer Retry-After pauses every worker
        self.drop = drop                  # one 429 lowers the ceiling to no less than this share of it
        self.recover = recover            # after a drop, climb back this much a second (see _learn)
        self._recover_to: float | None = None
        self._confirmed = False           # the ceiling was measured twice alike
        self.ceiling: float | None = None  # accepted requests/s measured at the last adjustment
        self.paused_until = 0.0
        self.throttled_count = 0
        self._base: float | None = None   # the rate set at the last adjustment
        self._adjusted_at = float("-inf")
        self._last_ok = float("-inf")     # when the latest success was answered
        self._next = 0.0                  # the earliest start of the next request (even spacing)
        self._sends: deque[float] = deque()      # start times of the last `window` (the window rule)
        self._accepted: deque[float] = deque()   # start times of requests that got through
        self._in_flight: list[float] = []        # start times of requests sent through call(), unanswered

    @property
    def rate(self) -> float | None:
        """Requests/s now; None: not limited (no 429 seen yet)."""
        return self._rate_at(self.clock())

    def _rate_at(self, now: float) -> float | None:
        if self._base is None:
            return None
        # idle time is no probe: a run that resumes after a pause starts where it left off
        # (capped: past a few minutes the rate is as good as unlimited, and a power must not overflow)
        quiet = min(600.0, max(0.0, min(now, self._last_ok) - self._adjusted_at))
        rate = self._base * (1.0 + self.probe) ** max(0.0, quiet - self.probe_after)
        if self._recover_to is not None:
            rate = max(rate, min(self._base * (1.0 + self.recover) ** quiet, self.hold * self._recover_to))
        return rate

    async def acquire(self) -> float:
        """Wait for this request's turn; the time it may start (give it back to throttled())."""
        while True:
            now = self.clock()
            if self.paused_until > now:
                await self.sleep(self.paused_until - now)
                continue
            rate = self._rate_at(now)
            if rate is None:
                return self._sent(now)
            interval = 1.0 / rate
            # a little slack (two intervals, at most 50 ms) so a late wake-up costs no throughput
            slot = max(self._next, now - min(2 * interval, 0.05))
            allowed = max(1, int(rate * self.window))
            sends = self._sends
            while sends and sends[0] <= now - self.window:
                sends.popleft()
            if len(sends) >= allowed:   # the window rule: not before the allowed-th latest start leaves
                slot = max(slot, sends[-allowed] + self.window)
            self._next = slot + interval
            if slot <= now:
                return self._sent(now)
            self._sent(slot)            # reserved: later callers count it in the window rule
            await self.sleep(slot - now)
            if self.paused_until <= self.clock():
                return self.clock()

    def _sent(self, at: float) -> float:
        self._sends.append(at)
        if len(self._sends) > 4096:
            self._sends.popleft()
        return at

    def succeeded(self, sent_at: float | None = None) -> None:
        """A request (started at `sent_at`, else now) got through: whatever its answer, it was not a 429."""
        now = self.clock()
        self._last_ok = now
        accepted = self._accepted
        accepted.append(now if sent_at is None else sent_at)
        horizon = now - 2 * max(self.pause_over, self.window) - 1.0
        while accepted and accepted[0] < horizon:
            accepted.popleft()

    def throttled(self, sent_at: float, retry_after: float | None) -> float:
        """The server answered 429 to a request started at `sent_at`; how long that request should wait
        before it is sent again."""
        now = self.clock()
        self.throttled_count += 1
        wait = self.default_pause if retry_after is None else retry_after
        if sent_at < self._adjusted_at:
            return wait  # sent before the last adjustment: the same episode
        span = max(self.window, min(wait, self.pause_over))
        measured = max(self._got_through(sent_at, span), self._got_through(sent_at, 2 * span))
        if wait > self.pause_over or measured == 0:
            self._pause(now + wait)
        current = self._rate_at(now)
        if measured > 0:
            self.ceiling = self._learn(measured, 1.0 / span)
            target = self.hold * self.ceiling
            self._base = max(self.floor, target if current is None else min(target, current))
        elif current is not None:
            self._base = max(self.floor, self.hold * current)
        self._adjusted_at = now
        return wait

    def _got_through(self, sent_at: float, span: float) -> float:
        """Requests/s started in the `span` before `sent_at` that were accepted or are still unanswered."""
        start = sent_at - span
        return (sum(1 for t in self._accepted if start < t <= sent_at)
                + sum(1 for t in self._in_flight if start < t < sent_at)) / span

    def _learn(self, measured: float, one: float) -> float:
        """The ceiling after measuring `measured` (`one`: a single request in that span), and whether
        to climb back quickly (`_recover_to`).

        Our clock and the server's see a request's start a few ms apart, so a count may be off by one near
        the edge: a measure within one request of the ceiling leaves it (and confirms it); a higher one
        raises it to one under it. A lower one is believed, unless the ceiling was confirmed: then it may
        be the limit lowered, or only a stall (a busy machine: the server took a backlog at once), so the
        ceiling falls at most to `drop` x what it was and the rate climbs back towards the old ceiling at
        `recover` a second; a 429 on the way there settles it."""
        known, confirmed = self.ceiling, self._confirmed
        recovering, self._recover_to, self._confirmed = self._recover_to, None, False
        if known is None:
            return measured
        if measured < known - one:
            if not confirmed:
                return measured
            if recovering is None:
                self._recover_to = known
            return max(measured, self.drop * known)
        if measured > known + one:
            return measured - one
        self._confirmed = True
        return known

    def _pause(self, until: float) -> None:
        if until > self.paused_until:
            self.paused_until = until
            self._next = until

    async def call(self, request: Callable[[], Awaitable[T]], *, max_throttles: int = 50,
                   max_retry_after: float = 120.0) -> T:
        """Run `request` in turn, again after each 429 (up to `max_throttles` times); its result."""
        throttles = 0
        while True:
            sent = await self.acquire()
            self._in_flight.append(sent)
            try:
                result = await request()
            except RateLimited as exc:
                self._in_flight.remove(sent)
                throttles += 1
                if throttles > max_throttles or (exc.retry_after or 0) > max_retry_after:
                    raise
                await self.sleep(self.throttled(sent, exc.retry_after))
                continue
            except BaseException as exc:
                self._in_flight.remove(sent)
                if isinstance(exc, ActuiError):
                    self.succeeded(sent)
                raise
            self._in_flight.remove(sent)
            self.succeeded(sent)
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
