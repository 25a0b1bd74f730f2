"""Whole runs of core/rate.py against a simulated server limit of each shape (token bucket, sliding window,
fixed window), in virtual time (tests/core/rate_sim.py): deterministic, nothing timed on the wall clock.

The engine must use what the server allows (accepted rate close to the limit), with few 429s, without
idling every worker a whole Retry-After, and honouring each Retry-After for the request that got it."""

from __future__ import annotations

import pytest

from actui.core.rate import AdaptiveRate
from tests.core.rate_sim import Bucket, Changing, Fixed, Sliding, Unlimited, run_virtual, simulate

SHAPES = {
    "token bucket": lambda r: Bucket(r),
    "sliding window": lambda r: Sliding(r),
    "fixed window": lambda r: Fixed(r),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("limit", [20, 50, 100])
def test_over_a_minute_the_accepted_rate_is_close_to_the_limit_with_few_429s(shape, limit):
    run = run_virtual(lambda loop: simulate(loop, SHAPES[shape](limit), until=60.0))
    settled = run.accepted_between(5.0, 60.0) / 55.0
    assert settled >= 0.93 * limit, settled
    assert len(run.accepted) <= limit * 61 + limit       # never over the limit (a bucket's burst aside)
    # the first burst meets up to one 429 a worker (8); then a probe every ~8 s, a few 429s each
    assert len(run.rejected) <= 8 + 60 / 2, run.rejected


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("limit", [50, 100])
@pytest.mark.parametrize("latency, seed", [(0.002, 1), (0.005, 2), (0.01, 3)])
def test_a_thousand_requests_take_at_most_1_15x_of_requests_over_the_limit(shape, limit, latency, seed):
    run = run_virtual(lambda loop: simulate(loop, SHAPES[shape](limit), requests=1000, latency=latency,
                                            jitter=latency, seed=seed))
    assert len(run.accepted) == 1000
    assert run.finished_at <= 1.15 * 1000 / limit, run.finished_at / (1000 / limit)


@pytest.mark.parametrize("shape", ["sliding window", "fixed window"])
def test_no_whole_second_idles_once_the_limit_is_known(shape):
    """What cost 1.45x: every worker waiting out each (rounded-up) Retry-After while pacing alone would do."""
    run = run_virtual(lambda loop: simulate(loop, SHAPES[shape](50), until=40.0))
    later = [t for t in run.accepted if t >= 3.0]
    gaps = [b - a for a, b in zip(later, later[1:], strict=False)]
    assert run.rejected and max(gaps) < 0.25, max(gaps)


@pytest.mark.parametrize("shape", SHAPES)
def test_each_refused_request_waits_its_retry_after_before_it_is_sent_again(shape):
    run = run_virtual(lambda loop: simulate(loop, SHAPES[shape](50), requests=1500))
    retried = 0
    for attempts in run.attempts.values():
        for (at, wait), (again, _) in zip(attempts, attempts[1:], strict=False):
            assert wait is not None and again >= at + wait
            retried += 1
        assert attempts[-1][1] is None           # each got through in the end
    assert retried == len(run.rejected) > 0


def test_a_limit_lowered_then_raised_is_followed():
    limiter = Changing((0.0, Sliding(100)), (20.0, Sliding(50)), (40.0, Sliding(80)))
    run = run_virtual(lambda loop: simulate(loop, limiter, until=80.0))
    assert run.accepted_between(10, 20) >= 0.93 * 100 * 10
    assert 0.93 * 50 * 10 <= run.accepted_between(25, 35) <= 50 * 10
    assert run.accepted_between(65, 80) >= 0.93 * 80 * 15     # found by probing, without a 429 storm
    assert len(run.rejected) <= 50


def test_a_longer_window_whose_retry_after_says_two_seconds():
    run = run_virtual(lambda loop: simulate(loop, Sliding(40, length=2.0), until=60.0))
    assert run.accepted_between(10.0, 60.0) / 50.0 >= 0.9 * 20
    assert len(run.rejected) <= 30


def test_without_a_limit_nothing_waits():
    engine = run_virtual(lambda loop: simulate(loop, Unlimited(), requests=1000))
    assert engine.rate is not None and engine.rate.rate is None and not engine.rejected

    def plain_loop(loop):
        return simulate(loop, Unlimited(), requests=1000, rate=_NotPaced())
    assert engine.finished_at == pytest.approx(run_virtual(plain_loop).finished_at)


class _NotPaced(AdaptiveRate):
    """The same workers and requests, straight through: what the engine is compared with."""

    async def call(self, request, **_options):
        return await request()


@pytest.mark.parametrize("phase", [0.999, 0.99, 0.97, 0.9])
def test_a_first_burst_across_a_fixed_windows_edge_costs_little(phase):
    """The first count may see two windows' worth: the next 429 corrects it at once."""
    run = run_virtual(lambda loop: simulate(loop, Fixed(50, phase=phase), requests=1000))
    assert run.finished_at <= 1.15 * 1000 / 50 and len(run.rejected) <= 40, (run.finished_at, len(run.rejected))
