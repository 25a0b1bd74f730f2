"""The sandbox's limiter shapes (`rate_limit=R,window=bucket|sliding|fixed`): who is accepted when, and the
Retry-After each shape sends, on a clock given by hand; then one of each through HTTP."""

from __future__ import annotations

import pytest

from actui.sandbox import Faults, FaultSpecError
from actui.sandbox.fault_help import FAULTS_HELP
from actui.sandbox.rate_limits import FixedWindow, SlidingWindow, TokenBucket, limiter_for

LIST = "/phone-numbers/active"


def test_a_sliding_window_frees_a_slot_when_its_oldest_request_leaves():
    window = SlidingWindow(3, 1.0)
    assert [window.wait(t) for t in (0.0, 0.1, 0.2)] == [None, None, None]
    assert window.wait(0.5) == 1            # 0.5 s until the request of 0.0 leaves, rounded up
    assert window.wait(0.99) == 1
    assert window.wait(1.0) is None         # 0.0 has left (a window is half-open)
    assert window.wait(1.05) == 1           # 0.1, 0.2 and 1.0 are in (0.05, 1.05]
    assert window.wait(1.1) is None


def test_a_sliding_window_of_several_seconds_says_how_long():
    window = SlidingWindow(1, 5.0)
    assert window.wait(0.0) is None
    assert window.wait(0.4) == 5 and window.wait(2.5) == 3 and window.wait(4.99) == 1
    assert window.wait(5.0) is None


def test_a_fixed_window_resets_at_each_clock_second_and_says_until_its_end():
    window = FixedWindow(2, 1.0)
    assert [window.wait(t) for t in (3.9, 3.95)] == [None, None]
    assert window.wait(3.96) == 1           # 0.04 s to the end of window [3, 4): whole seconds
    assert [window.wait(t) for t in (4.0, 4.01)] == [None, None]   # a burst across the boundary passes
    assert window.wait(4.02) == 1
    long = FixedWindow(1, 10.0)
    assert long.wait(12.0) is None and long.wait(13.5) == 7


def test_a_token_bucket_refills_at_its_rate():
    bucket = TokenBucket(2.0, now=0.0)
    assert [bucket.wait(0.0), bucket.wait(0.0)] == [None, None]   # a full second's worth
    assert bucket.wait(0.0) == 1
    assert bucket.wait(0.5) is None         # one token refilled
    slow = TokenBucket(0.25, now=0.0)
    assert slow.wait(0.0) is None and slow.wait(1.0) == 3        # 0.25 of a token: 3 s to the next


def test_rejected_requests_are_not_counted():
    window = SlidingWindow(1, 1.0)
    assert window.wait(0.0) is None
    for t in (0.2, 0.4, 0.6, 0.8):
        assert window.wait(t) == 1
    assert window.wait(1.0) is None


def test_a_rate_under_one_a_second_is_one_request_per_longer_window():
    window = limiter_for("sliding", 0.5, now=0.0)
    assert isinstance(window, SlidingWindow) and (window.limit, window.length) == (1, 2.0)
    fixed = limiter_for("fixed", 50.0, now=0.0)
    assert isinstance(fixed, FixedWindow) and (fixed.limit, fixed.length) == (50, 1.0)
    assert isinstance(limiter_for("bucket", 50.0, now=0.0), TokenBucket)


def test_window_is_parsed_shown_and_documented():
    faults = Faults.parse("rate_limit=50,window=Sliding")
    assert (faults.rate_limit, faults.window) == (50.0, "sliding")
    assert str(faults) == "rate_limit=50,window=sliding" and Faults.parse(str(faults)) == faults
    assert str(Faults.parse("rate_limit=5")) == "rate_limit=5"            # the bucket is the default
    assert not Faults.parse("window=fixed").active                        # a shape alone limits nothing
    for words in ("window=sliding", "window=fixed", "window=bucket", "sliding_limit"):
        assert words in FAULTS_HELP, words
    with pytest.raises(FaultSpecError, match="bucket, sliding or fixed"):
        Faults.parse("rate_limit=5,window=leaky")


@pytest.mark.parametrize("shape", ["sliding", "fixed", "bucket"])
def test_each_shape_answers_429_with_retry_after_over_http(client, server, shape):
    server.faults.set(f"rate_limit=3,window={shape}")
    got = [client.get(LIST, params={"limit": 1}) for _ in range(10)]
    codes = [r.status_code for r in got]
    # ten requests on loopback take well under a second: at most three fit, or six if a fixed window ends
    assert codes.count(429) >= 2 and codes[0] == 200, codes
    limited = next(r for r in got if r.status_code == 429)
    assert limited.headers["retry-after"] == "1" and limited.json()["status"] == 429
    assert server.faults.stats.rate_limited == codes.count(429)


def test_changing_the_shape_starts_a_fresh_limiter(client, server):
    server.faults.set("rate_limit=1,window=sliding")
    assert [client.get(LIST).status_code for _ in range(2)] == [200, 429]
    server.faults.set("rate_limit=1,window=fixed")
    assert client.get(LIST).status_code == 200
