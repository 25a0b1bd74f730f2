"""A simulated server limit for core/rate.py, in virtual time: deterministic, no wall clock.

`VirtualLoop` is an asyncio loop whose clock only moves when every task waits: its selector, instead of
blocking for `timeout`, adds `timeout` to the clock. asyncio.sleep, timers and tasks then run as usual, and
AdaptiveRate is given `loop.time` as its clock and plain `asyncio.sleep`.

The limiters are written here on their own (not the sandbox's), each as the server of that shape would
answer: `admit(now) -> None` (accepted, counted) or the Retry-After in whole seconds.
"""

from __future__ import annotations

import asyncio
import functools
import math
import random
import selectors
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from actui.api.errors import RateLimited
from actui.core.rate import AdaptiveRate


class _VirtualSelector(selectors.SelectSelector):
    def __init__(self, loop: VirtualLoop):
        super().__init__()
        self.loop = loop

    def select(self, timeout: float | None = None):
        ready = super().select(0)
        if ready:
            return ready
        if timeout is None:
            raise RuntimeError("the simulation is stuck: every task waits and no timer is set")
        self.loop.now += max(0.0, timeout)
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self.now = 0.0
        super().__init__(_VirtualSelector(self))

    def time(self) -> float:
        return self.now


def run_virtual(coro_factory: Callable[[VirtualLoop], object]):
    loop = VirtualLoop()
    try:
        return loop.run_until_complete(coro_factory(loop))
    finally:
        loop.close()


def _retry_after(seconds: float) -> int:
    return max(1, math.ceil(seconds - 1e-9))


class Bucket:
    def __init__(self, rate: float):
        self.rate, self.tokens, self.at = rate, rate, 0.0

    def admit(self, now: float) -> int | None:
        self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return None
        return _retry_after((1 - self.tokens) / self.rate)


class Sliding:
    def __init__(self, limit: int, length: float = 1.0):
        self.limit, self.length, self.log = limit, length, deque()

    def admit(self, now: float) -> int | None:
        while self.log and self.log[0] <= now - self.length:
            self.log.popleft()
        if len(self.log) < self.limit:
            self.log.append(now)
            return None
        return _retry_after(self.log[0] + self.length - now)


class Fixed:
    def __init__(self, limit: int, length: float = 1.0, phase: float = 0.37):
        self.limit, self.length, self.phase = limit, length, phase
        self.window, self.count = None, 0

    def admit(self, now: float) -> int | None:
        window = math.floor((now + self.phase) / self.length)
        if window != self.window:
            self.window, self.count = window, 0
        if self.count < self.limit:
            self.count += 1
            return None
        return _retry_after((window + 1) * self.length - self.phase - now)


class Changing:
    """A limit the server changes while the run goes on: `[(from_time, limiter), ...]`, in order."""

    def __init__(self, *stages):
        self.stages = list(stages)

    def admit(self, now: float) -> int | None:
        limiter = [lim for start, lim in self.stages if start <= now][-1]
        return limiter.admit(now)


class Unlimited:
    def admit(self, now: float) -> None:
        return None


@dataclass
class Run:
    accepted: list[float] = field(default_factory=list)   # arrival times at the server
    rejected: list[float] = field(default_factory=list)
    attempts: dict[int, list[tuple[float, int | None]]] = field(default_factory=dict)  # item: (arrival, 429's wait)
    finished_at: float = 0.0
    rate: AdaptiveRate | None = None

    def accepted_between(self, start: float, end: float) -> int:
        return sum(1 for t in self.accepted if start <= t < end)


async def simulate(loop: VirtualLoop, limiter, *, requests: int | None = None, until: float | None = None,
                   concurrency: int = 8, latency: float = 0.004, jitter: float = 0.002, seed: int = 1,
                   rate: AdaptiveRate | None = None, service: float = 0.0) -> Run:
    """Workers send through `rate.call` to `limiter` until `requests` got through or the clock passes
    `until`. Each way takes `latency` plus up to `jitter` (seeded); an accepted request takes `service`
    more at the server."""
    rng = random.Random(seed)
    rate = rate or AdaptiveRate(clock=loop.time)
    run = Run(rate=rate)
    left = [requests if requests is not None else math.inf]

    async def one(item: int) -> None:
        await asyncio.sleep(latency + rng.random() * jitter)
        now = loop.time()
        verdict = limiter.admit(now)
        run.attempts.setdefault(item, []).append((now, verdict))
        if verdict is None:
            run.accepted.append(now)
            await asyncio.sleep(service)
        else:
            run.rejected.append(now)
        await asyncio.sleep(latency + rng.random() * jitter)
        if verdict is not None:
            raise RateLimited("429 Too Many Requests", status=429, retry_after=float(verdict))

    items = iter(range(10**9))

    async def worker() -> None:
        while left[0] > 0 and (until is None or loop.time() < until):
            left[0] -= 1
            item = next(items)
            await rate.call(functools.partial(one, item), max_throttles=1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.finished_at = loop.time()
    return run
