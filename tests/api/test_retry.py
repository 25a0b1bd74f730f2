"""api/retry.py: when a GET or PUT is tried again and after how long. Unit tests with a fixed "random"
(the longest back-off the jitter allows), then the real client against a scripted server on loopback
(tests/scripted_proxy.py) for what only an HTTP answer shows: Retry-After dates, empty PUT answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from actui.api.client import ApiClient
from actui.api.errors import NetworkError, NotFound, PermissionDenied, RateLimited, ServerError
from actui.api.retry import RetryPolicy, parse_retry_after
from tests.helpers import client_for
from tests.scripted_proxy import number_path

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)


class Longest:
    """A stand-in for random.Random: uniform(a, b) is always b (the longest wait the jitter allows)."""

    def uniform(self, a: float, b: float) -> float:
        return b


def policy(**options) -> RetryPolicy:
    return RetryPolicy(rng=Longest(), **options)


def test_back_off_doubles_from_base_and_is_capped():
    p = policy(base=0.5, cap=3.0, retries=10)
    error = ServerError("503", status=503)
    assert [p.delay(error, attempt) for attempt in range(1, 7)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def test_retry_budget_and_which_errors_are_retried():
    p = policy(retries=2)
    assert p.should_retry(ServerError("503", status=503), 1) and p.should_retry(NetworkError("down"), 2)
    assert not p.should_retry(ServerError("503", status=503), 3)   # the budget is spent
    assert not p.should_retry(NotFound("404", status=404), 1)
    assert not p.should_retry(PermissionDenied("403", status=403), 1)   # a 403 is an answer, not a fault


def test_retry_after_is_waited_out_up_to_its_cap_and_a_longer_one_is_reported():
    p = policy(base=0.5, max_retry_after=120.0)
    assert p.delay(RateLimited("429", retry_after=7.0), 1) == 7.5        # never shorter than asked (+ jitter)
    assert p.should_retry(RateLimited("429", retry_after=120.0), 1)
    assert not p.should_retry(RateLimited("429", retry_after=121.0), 1)  # too long: reported, not waited
    assert p.should_retry(RateLimited("429", retry_after=None), 1)       # no Retry-After: plain back-off
    assert p.delay(RateLimited("429", retry_after=None), 3) == 2.0
    # the jitter added to a Retry-After is at most a second, however large base is
    assert policy(base=5.0).delay(RateLimited("429", retry_after=2.0), 1) == 3.0


def test_retry_after_as_seconds_or_a_date_and_a_past_date_means_now():
    assert parse_retry_after(" 4 ", NOW) == 4.0
    assert parse_retry_after("-3", NOW) == 0.0
    assert parse_retry_after(format_datetime(NOW + timedelta(seconds=30), usegmt=True), NOW) == 30.0
    assert parse_retry_after(format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW) == 0.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:59:00", NOW) == 0.0   # no zone: taken as UTC, past
    assert parse_retry_after("soon", NOW) is None and parse_retry_after("", NOW) is None
    assert parse_retry_after("nan", NOW) is None                       # says nothing: the usual back-off
    assert parse_retry_after("inf", NOW) == float("inf")               # longer than any cap: reported
    assert not policy().should_retry(RateLimited("429", retry_after=float("inf")), 1)


# --- against a server on loopback ------------------------------------------------------------------


def api(server, retries: int = 2, **options) -> ApiClient:
    return client_for(server, timeout=10,
                      retry=RetryPolicy(retries=retries, base=0.01, cap=0.05, **options))


async def test_a_retry_after_date_in_the_past_is_retried_at_once(sandbox, scripted_proxy):
    proxy = scripted_proxy(sandbox)
    number = sandbox.state.numbers()[0]
    past = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
    proxy.script("GET", number_path(number), 429, json={"message": "slow down"}, headers={"Retry-After": past},
                 times=1)
    async with api(proxy) as client:
        got = await client.get_number(number)
    assert got.phone_number == number
    assert [s for _, _, s in proxy.seen] == [429, 200] and client.stats.retries == 1


async def test_a_retry_after_beyond_the_cap_is_reported_not_waited(sandbox, scripted_proxy):
    proxy = scripted_proxy(sandbox)
    number = sandbox.state.numbers()[0]
    proxy.script("GET", number_path(number), 429, json={"message": "slow down"}, headers={"Retry-After": "3600"})
    async with api(proxy, retries=4) as client:
        with pytest.raises(RateLimited) as info:
            await client.get_number(number)
    assert info.value.retry_after == 3600.0
    assert len(proxy.seen) == 1   # asked once: an hour is not waited out


@pytest.mark.parametrize("status, body", [(200, b""), (204, b""), (200, b"  \n")])
async def test_a_put_answered_with_an_empty_body_reads_the_number_back(sandbox, scripted_proxy, status, body):
    proxy = scripted_proxy(sandbox)
    number = sandbox.state.numbers()[0]
    path = number_path(number)
    proxy.script("PUT", path, status, body=body, times=1)
    async with api(proxy) as client:
        saved = await client.update_number(number, {"description": "answered with nothing"})
    # the scripted PUT never reached the sandbox: what comes back is the server's state, read afresh
    assert [(m, s) for m, _, s in proxy.seen] == [("PUT", status), ("GET", 200)]
    assert saved.phone_number == number
    assert saved.description == sandbox.state.detail(number)["description"]
