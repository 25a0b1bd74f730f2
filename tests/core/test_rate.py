"""core/rate.py's edges, on a clock and a sleep the test moves by hand: the floor the rate never goes
under, the give-up after too many 429s or too long a Retry-After, and a 429 without Retry-After."""

from __future__ import annotations

import pytest

from actui.api.errors import NetworkError, RateLimited
from actui.core.rate import AdaptiveRate


class Time:
    """A clock and an asyncio-like sleep that only moves the clock."""

    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def rate_on(time: Time, **options) -> AdaptiveRate:
    return AdaptiveRate(clock=time, sleep=time.sleep, **options)


def test_the_rate_never_drops_under_its_floor():
    time = Time()
    rate = rate_on(time, floor=2.0)
    rate.succeeded()                       # one success in the last second: the recent rate is 1/s
    rate.throttled(time.now, 1.0)
    assert rate.rate == 2.0                # 0.9 x 1/s would be under the floor
    for _ in range(5):                     # episode after episode with no success in between
        time.now = rate.paused_until + 0.01
        rate.throttled(time.now, 1.0)
    assert rate.rate == 2.0


async def test_paced_at_the_floor_requests_start_one_interval_apart():
    time = Time()
    rate = rate_on(time, floor=4.0)
    rate.throttled(time.now, 0.5)          # nothing succeeded yet: no rate to lower, only the pause
    assert rate.rate is None and rate.paused_until == 0.5
    rate.succeeded()
    time.now = 0.6
    rate.throttled(time.now, 0.5)
    assert rate.rate == 4.0
    starts = [await rate.acquire() for _ in range(4)]
    assert starts[0] == pytest.approx(1.1)                      # the pause waited out
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == pytest.approx([0.25] * 3)


async def test_a_429_without_retry_after_pauses_the_default_time():
    time = Time()
    rate = rate_on(time, default_pause=1.5)
    time.now = 10.0
    rate.throttled(9.9, None)
    assert rate.paused_until == 11.5
    assert await rate.acquire() == 11.5 and time.slept == [1.5]


async def test_call_gives_up_after_max_throttles_and_says_so():
    time = Time()
    rate = rate_on(time)
    calls = []

    async def always_429():
        calls.append(time.now)
        raise RateLimited("429 Too Many Requests", status=429, retry_after=None)

    with pytest.raises(RateLimited):
        await rate.call(always_429, max_throttles=3)
    assert len(calls) == 4                         # the first try and three after a 429
    assert rate.throttled_count == 3
    assert calls == sorted(calls) and calls[1] - calls[0] >= 1.0   # each after the default pause


async def test_call_gives_up_at_once_on_a_retry_after_beyond_its_limit():
    time = Time()
    rate = rate_on(time)
    calls = []

    async def an_hour():
        calls.append(time.now)
        raise RateLimited("429", status=429, retry_after=3600.0)

    with pytest.raises(RateLimited) as info:
        await rate.call(an_hour, max_retry_after=120.0)
    assert info.value.retry_after == 3600.0 and len(calls) == 1 and time.slept == []
    assert rate.paused_until == 0.0   # not waited for, and no other request held back an hour


async def test_call_returns_after_429s_and_other_errors_pass_through_unpaused():
    time = Time()
    rate = rate_on(time)
    answers = [RateLimited("429", status=429, retry_after=2.0), "ok"]

    async def once_limited():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert await rate.call(once_limited) == "ok" and time.slept == [2.0]

    async def down():
        raise NetworkError("connection refused")

    with pytest.raises(NetworkError):
        await rate.call(down)
    assert time.slept == [2.0]   # a fault is no reason to pause everyone
