"""How far a bulk run has come: counts as items settle, the recent rate, and a callback told at most
~20 times a second (plus once at the end). Also the small helpers the engine and the planner share."""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from .journal import OPEN_STATES, Run

PROGRESS_INTERVAL = 0.05  # at most ~20 progress calls a second, plus a final one
PROBLEM_STATES = ("failed", "unknown", "conflict")


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    changed: int
    unchanged: int
    failed: int        # failed, unknown and conflicts
    in_flight: int
    rate: float        # items a second, recently

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.done)

    @property
    def eta(self) -> float | None:
        """Seconds until done at the recent rate; None before there is a rate."""
        if self.remaining == 0:
            return 0.0
        return self.remaining / self.rate if self.rate > 0 else None


class Tracker:
    """Counts as items settle, and tells on_progress at most every PROGRESS_INTERVAL."""

    WINDOW = 5.0  # seconds of finishes that make the recent rate

    def __init__(self, run: Run, clock: Callable[[], float], on_progress: Callable[[Progress], None] | None):
        self.total = run.total
        self.counts: Counter[str] = Counter({s: n for s, n in run.counts.items() if s not in OPEN_STATES})
        self.clock = clock
        self.on_progress = on_progress
        self.in_flight = 0
        self.started_at = clock()
        self.finishes: deque[float] = deque()
        self.ticker = Ticker(clock)

    def started(self, n: int = 1) -> None:
        self.in_flight += n

    def finished(self, state: str | None) -> None:
        self.in_flight -= 1
        if state is not None:
            self.settled(state)
            self.finishes.append(self.clock())
        self.emit()

    def settled(self, state: str) -> None:
        self.counts[state] += 1

    def snapshot(self) -> Progress:
        now = self.clock()
        while self.finishes and self.finishes[0] < now - self.WINDOW:
            self.finishes.popleft()
        span = min(self.WINDOW, now - self.started_at)
        rate = len(self.finishes) / span if span > 0 else 0.0
        c = self.counts
        return Progress(self.total, sum(c.values()), c["changed"] + c["ordered"], c["unchanged"],
                        sum(c[s] for s in PROBLEM_STATES), self.in_flight, rate)

    def emit(self, force: bool = False) -> None:
        if self.on_progress is not None and (force or self.ticker.due()):
            self.on_progress(self.snapshot())


class Ticker:
    def __init__(self, clock: Callable[[], float] = time.monotonic, interval: float = PROGRESS_INTERVAL):
        self.clock = clock
        self.interval = interval
        self.last = float("-inf")

    def due(self) -> bool:
        now = self.clock()
        if now - self.last >= self.interval:
            self.last = now
            return True
        return False


async def gather(coroutines: Iterable[Awaitable[None]]) -> None:
    """Run the workers; if one fails, cancel the others and raise its error."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
