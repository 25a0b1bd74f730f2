"""core/rate.py's edges, on a clock and a sleep the test moves by hand: the ceiling measured at a 429, the
window rule, who pauses and who waits, the floor the rate never goes under, the give-up after too many 429s
or too long a Retry-After, and a 429 without Retry-After. (tests/core/test_rate_learning.py: whole runs
against simulated limiters.)"""

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
    rate.succeeded(0.0)                    # one success in the last second: the measured ceiling is 1/s
    time.now = 0.1
    rate.throttled(0.05, 1.0)
    assert rate.ceiling == 1.0 and rate.rate == 2.0   # 0.98 x 1/s would be under the floor
    for step in range(5):                  # episode after episode with nothing getting through
        time.now += 1.0
        rate.throttled(time.now - 0.01, 1.0)
        assert rate.rate == 2.0, step


def test_a_429_sets_the_rate_just_under_what_got_through_in_the_last_second():
    time = Time()
    rate = rate_on(time)
    for i in range(60):                    # 60 accepted over 1.2 s: 50 of them in (0.2, 1.2]
        rate.succeeded(i * 0.02)
    time.now = 1.25
    wait = rate.throttled(1.2, 1.0)
    assert rate.ceiling == pytest.approx(50.0) and rate.rate == pytest.approx(49.0)
    assert wait == 1.0 and rate.paused_until == 0.0   # the refused request waits; nobody else pauses
    time.now = 1.3
    rate.throttled(1.21, 1.0)              # sent before the adjustment: the same episode
    assert rate.rate == pytest.approx(49.0) and rate.throttled_count == 2


def test_requests_still_in_flight_count_as_got_through():
    time = Time()
    rate = rate_on(time)
    for i in range(40):
        rate.succeeded(i * 0.02)
    rate._in_flight.extend([0.81, 0.82, 0.9])   # sent before the refused one: they reached the server first
    rate._in_flight.append(0.95)               # sent after it: not counted
    time.now = 0.93
    rate.throttled(0.91, 1.0)
    assert rate.ceiling == pytest.approx(43.0)


def test_a_429_never_raises_the_rate():
    time = Time()
    rate = rate_on(time)
    for i in range(10):
        rate.succeeded(i * 0.1)
    time.now = 1.0
    rate.throttled(0.95, 1.0)
    assert rate.rate == pytest.approx(9.8)
    for i in range(100):                   # a burst got through meanwhile (say, retried requests)
        rate.succeeded(1.0 + i * 0.001)
    time.now = 1.2
    rate.throttled(1.15, 1.0)
    assert rate.rate == pytest.approx(9.8)


def test_quiet_seconds_probe_upward_after_a_while():
    time = Time()
    rate = rate_on(time, probe_after=5.0, probe=0.1)
    for i in range(20):
        rate.succeeded(i * 0.05)
    time.now = 1.0
    rate.throttled(0.99, 1.0)
    assert rate.rate == pytest.approx(19.6)
    time.now = 6.0
    rate.succeeded(5.99)
    assert rate.rate == pytest.approx(19.6)          # held for probe_after seconds
    time.now = 8.0
    rate.succeeded(7.99)
    assert rate.rate == pytest.approx(19.6 * 1.1 ** 2)
    time.now = 60.0                                   # idle: no probing meanwhile
    assert rate.rate == pytest.approx(19.6 * 1.1 ** 2)


async def test_paced_requests_start_evenly_and_the_window_rule_waits_out_a_burst():
    time = Time()
    rate = rate_on(time, floor=4.0)
    for _ in range(6):                     # a burst: six starts at once, nothing paced yet
        assert await rate.acquire() == 0.0
    rate.succeeded(0.0)
    time.now = 0.1
    rate.throttled(0.0, 1.0)               # one got through: the floor (4/s) holds
    assert rate.rate == 4.0 and rate.paused_until == 0.0
    starts = [await rate.acquire() for _ in range(4)]
    # the six of the burst fill the last second (4 allowed at 4/s): the next waits until it has passed
    assert starts[0] == pytest.approx(1.0)
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == pytest.approx([0.25] * 3)


async def test_nothing_measured_pauses_every_worker_for_the_retry_after():
    time = Time()
    rate = rate_on(time)
    rate.throttled(time.now, 0.5)          # nothing succeeded yet: no rate to set, only the pause
    assert rate.rate is None and rate.paused_until == 0.5
    assert await rate.acquire() == 0.5


async def test_a_long_retry_after_pauses_every_worker_and_lowers_the_rate():
    time = Time()
    rate = rate_on(time)
    for i in range(30):
        rate.succeeded(i * 0.1)
    time.now = 3.0
    assert rate.throttled(2.95, 30.0) == 30.0   # a quota, not a per-second shape
    # counted over pause_over (2 s) at most: 20 got through in (0.95, 2.95], 10/s
    assert rate.paused_until == 33.0 and rate.rate == pytest.approx(9.8)
    assert await rate.acquire() == 33.0


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


def test_a_much_lower_measure_is_trusted_in_part_and_the_rate_climbs_back_until_a_429_confirms_it():
    time = Time()
    rate = rate_on(time, drop=0.75, recover=0.15, probe_after=6.0)
    for i in range(100):                   # 100/s for a second: the ceiling is 100
        rate.succeeded(i * 0.01)
    time.now = 1.0
    rate.throttled(0.995, 1.0)
    for i in range(100):                   # and again: the ceiling is confirmed
        rate.succeeded(1.0 + i * 0.01)
    rate.throttled(1.995, 1.0)
    assert rate.ceiling == pytest.approx(100.0) and rate._confirmed
    for i in range(20):                    # a stall: only 20 got through in the next second (nor in two)
        rate.succeeded(2.0 + i * 0.05)
    time.now = 3.0
    rate.throttled(2.999, 1.0)
    assert rate.ceiling == pytest.approx(75.0)          # not 20: at most a quarter lower at once
    assert rate.rate == pytest.approx(73.5)
    time.now = 4.0
    rate.succeeded(3.99)
    assert rate.rate == pytest.approx(73.5 * 1.15)      # climbing back towards 98 (0.98 x 100)...
    time.now = 6.0
    rate.succeeded(5.99)
    assert rate.rate == pytest.approx(98.0)             # ...and no further than that before probing
    rate._accepted.clear()
    for i in range(60):                    # refused again on the way: the drop is real
        rate.succeeded(5.0 + i / 60)
    rate.throttled(5.995, 1.0)
    assert rate.ceiling == pytest.approx(60.0) and rate.rate == pytest.approx(58.8)
    time.now = 8.0
    rate.succeeded(7.99)
    assert rate.rate == pytest.approx(58.8)             # no climbing back: held, then probing as usual


def test_hours_without_a_429_neither_overflow_nor_stop_pacing():
    time = Time()
    rate = rate_on(time)
    rate.succeeded(0.0)
    time.now = 0.5
    rate.throttled(0.4, 1.0)
    time.now = 30_000.0                    # a long sync, never refused again
    rate.succeeded(29_999.0)
    assert rate.rate is not None and rate.rate > 1e6


def test_a_first_ceiling_not_yet_confirmed_gives_way_to_a_lower_measure_at_once():
    time = Time()
    rate = rate_on(time)
    for i in range(180):                   # a first burst across a fixed window's edge: twice the limit
        rate.succeeded(i * 0.001)
    time.now = 0.2
    rate.throttled(0.19, 1.0)
    assert rate.ceiling == pytest.approx(180.0) and not rate._confirmed
    rate._accepted.clear()
    for i in range(90):
        rate.succeeded(1.0 + i / 90)
    time.now = 2.0
    rate.throttled(1.999, 1.0)
    assert rate.ceiling == pytest.approx(90.0) and rate._recover_to is None
