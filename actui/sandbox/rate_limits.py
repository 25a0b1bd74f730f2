"""The sandbox's 429 limiters, one class per shape a real API may use (API-NOTES: "the limiter's shape is
not documented"). Each answers `wait(now)`: None when the request is accepted (and counted), else the
`Retry-After` that shape would send, in whole seconds (at least 1, rounded up as HTTP requires).

- `TokenBucket(rate)`: holds one second's worth (at least one token), refilled at `rate` a second; a full
  bucket at the start. Retry-After: until the next token.
- `SlidingWindow(limit, length)`: at most `limit` accepted requests in any `length` seconds (a log of
  accepted times). Retry-After: until the oldest accepted request leaves the window.
- `FixedWindow(limit, length)`: at most `limit` accepted requests per window [k*length, (k+1)*length) of
  the clock. Retry-After: until the window's end.

Rejected requests are not counted by any of them. `limiter_for(shape, rate)` builds the limiter that
`--faults rate_limit=R,window=SHAPE` means: R requests a second (for R < 1, one request per 1/R seconds).
"""

from __future__ import annotations

import math
from collections import deque
from typing import Protocol

SHAPES = ("bucket", "sliding", "fixed")


class Limiter(Protocol):
    def wait(self, now: float) -> int | None: ...


def _whole_seconds(seconds: float) -> int:
    return max(1, math.ceil(seconds - 1e-9))


class TokenBucket:
    def __init__(self, rate: float, now: float):
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self.tokens = self.capacity
        self.refilled = now

    def wait(self, now: float) -> int | None:
        self.tokens = min(self.capacity, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return None
        return _whole_seconds((1.0 - self.tokens) / self.rate)


class SlidingWindow:
    def __init__(self, limit: int, length: float):
        self.limit = limit
        self.length = length
        self.accepted: deque[float] = deque()

    def wait(self, now: float) -> int | None:
        accepted = self.accepted
        while accepted and accepted[0] <= now - self.length:
            accepted.popleft()
        if len(accepted) < self.limit:
            accepted.append(now)
            return None
        return _whole_seconds(accepted[0] + self.length - now)


class FixedWindow:
    def __init__(self, limit: int, length: float):
        self.limit = limit
        self.length = length
        self.window = -1
        self.count = 0

    def wait(self, now: float) -> int | None:
        window = math.floor(now / self.length)
        if window != self.window:
            self.window, self.count = window, 0
        if self.count < self.limit:
            self.count += 1
            return None
        return _whole_seconds((window + 1) * self.length - now)


def limiter_for(shape: str, rate: float, now: float) -> Limiter:
    """The limiter of `rate_limit=rate,window=shape`: windows of one second holding floor(rate) requests
    (a rate under 1: one request per window of 1/rate seconds)."""
    if shape == "bucket":
        return TokenBucket(rate, now)
    length = max(1.0, 1.0 / rate)
    limit = max(1, math.floor(rate * length + 1e-9))
    return SlidingWindow(limit, length) if shape == "sliding" else FixedWindow(limit, length)
