"""The sync (core/sync.py) against a real sandbox on loopback: the list, the details, interruption and
resume, numbers gone, max_age, and what the server's faults do to it."""

from __future__ import annotations

import asyncio

import pytest

from actui.api.client import ApiClient
from actui.api.errors import AuthenticationError, NetworkError, ServerError
from actui.api.retry import RetryPolicy
from actui.core.local_copy import open_local_copy
from actui.core.sync import sync
from tests.fixtures.hostile import seed_hostile
from tests.helpers import fast_retry

GONE = "+14155550999"


@pytest.fixture
def copy(store):
    return open_local_copy(store, "sandbox")


async def test_list_only_holds_every_number_in_list_order_without_details(sandbox, client, copy):
    result = await sync(client, copy, details=False)

    assert result.listed == 120 and result.list_complete
    assert copy.numbers() == sandbox.state.numbers()
    assert copy.list_items()[5] == {k: v for k, v in sandbox.state.detail(copy.numbers()[5]).items()
                                    if k != "settings"}
    status = copy.status()
    assert (status.numbers, status.with_details) == (120, 0)
    assert status.list_synced_at is not None


async def test_details_are_read_for_every_number_exactly_as_sent(sandbox, client, copy):
    hostile = seed_hostile(sandbox)

    result = await sync(client, copy, details=True, max_age=900)

    assert (result.details_read, result.details_failed, result.details_in_list) == (120, 0, 0)
    for number in (hostile, sandbox.state.numbers()[77]):
        doc, _read_at = copy.detail(number)
        assert doc == sandbox.state.detail(number)
    assert copy.status().with_details == 120
    assert copy.stale(900) == []


async def test_a_list_carrying_settings_fills_the_details_without_a_get(sandbox_factory, copy):
    server = sandbox_factory(list_settings=True)
    async with ApiClient(server.base_url, server.user, server.password, retry=fast_retry()) as client:
        result = await sync(client, copy, details=True)
        gets = client.stats.requests

    assert result.details_in_list == 120
    assert result.details_read == 0
    assert gets == 2   # two pages of 100, no detail read
    number = server.state.numbers()[3]
    assert copy.detail(number)[0] == server.state.detail(number)


async def test_numbers_gone_from_the_list_are_removed_after_a_complete_pass(sandbox, client, copy):
    copy.put_list_items([{"phoneNumber": GONE, "status": "Active"}], seen_at=1.0)

    result = await sync(client, copy, details=False)

    assert result.removed == 1
    assert GONE not in copy.numbers()
    assert len(copy.numbers()) == 120


async def test_an_interrupted_list_pass_removes_nothing(sandbox, client, copy):
    copy.put_list_items([{"phoneNumber": GONE, "status": "Active"}], seen_at=1.0)
    cancel = asyncio.Event()

    result = await sync(client, copy, details=True, cancel=cancel, page_size=50,
                        on_progress=lambda progress: cancel.set())

    assert result.cancelled and not result.list_complete
    assert result.removed == 0
    assert GONE in copy.numbers()
    assert copy.status().list_synced_at is None
    assert result.details_read == 0


async def test_a_list_that_fails_midway_removes_nothing(sandbox_factory, copy):
    server = sandbox_factory(faults="error_every=2,on=GET")
    copy.put_list_items([{"phoneNumber": GONE, "status": "Active"}], seen_at=1.0)
    async with ApiClient(server.base_url, server.user, server.password,
                         retry=RetryPolicy(retries=0)) as client:
        with pytest.raises(ServerError):
            await sync(client, copy, details=False, page_size=50)

    assert GONE in copy.numbers()
    assert copy.status().list_synced_at is None


async def test_an_interrupted_sync_resumes_reading_only_what_is_still_stale(sandbox, client, copy):
    cancel = asyncio.Event()

    def stop_after_30(progress) -> None:
        if progress.details_read >= 30:
            cancel.set()

    first = await sync(client, copy, details=True, concurrency=4, cancel=cancel, on_progress=stop_after_30)
    assert first.cancelled
    kept = copy.status().with_details
    assert kept == first.details_read >= 30
    assert first.details_left == 120 - kept

    before = client.stats.requests
    second = await sync(client, copy, details=True, concurrency=4)

    assert second.details_fresh == kept
    assert second.details_read == 120 - kept
    assert client.stats.requests - before == 2 + (120 - kept)   # the list's two pages, then only the stale
    assert copy.stale(900) == []


async def test_max_age_decides_which_details_are_read_again(sandbox, client, copy):
    now = [1_000_000.0]
    await sync(client, copy, details=True, clock=lambda: now[0])
    now[0] += 600

    assert (await sync(client, copy, details=True, max_age=900, clock=lambda: now[0])).details_read == 0
    again = await sync(client, copy, details=True, max_age=300, clock=lambda: now[0])

    assert again.details_read == 120
    assert copy.status().oldest_detail_at == now[0]


async def test_a_detail_that_fails_stays_stale_and_the_sync_goes_on(sandbox, copy):
    async with ApiClient(sandbox.base_url, sandbox.user, sandbox.password, retry=RetryPolicy(retries=0)) as client:
        def after_listing(progress) -> None:
            if progress.phase == "details" and not sandbox.faults.active:
                sandbox.faults.set("error_every=10")

        result = await sync(client, copy, details=True, concurrency=4, on_progress=after_listing)

    assert result.details_failed > 0
    assert result.details_read + result.details_failed == 120
    assert len(copy.stale(900)) == result.details_failed == result.stale


async def test_a_detail_answering_404_is_removed(sandbox_factory, copy):
    server = sandbox_factory(faults="vanish_every=40")
    async with ApiClient(server.base_url, server.user, server.password, retry=fast_retry()) as client:
        result = await sync(client, copy, details=True)

    assert result.details_gone == 3
    assert result.details_read == 117
    assert server.state.numbers()[39] not in copy.numbers()
    assert copy.status().numbers == 117


async def test_429s_are_paced_and_every_detail_read(sandbox_factory, copy):
    server = sandbox_factory(numbers=40)
    async with ApiClient(server.base_url, server.user, server.password, retry=fast_retry()) as client:
        await sync(client, copy, details=False)
        server.faults.set("rate_limit=15")
        result = await sync(client, copy, details=True, concurrency=8)

    assert server.faults.stats.rate_limited > 0
    assert (result.details_read, result.details_failed) == (40, 0)


async def test_a_401_stops_the_sync(sandbox, copy):
    async with ApiClient(sandbox.base_url, sandbox.user, "wrong", retry=fast_retry()) as client:
        with pytest.raises(AuthenticationError):
            await sync(client, copy, details=True)
    assert copy.numbers() == []


async def test_an_api_that_stops_answering_stops_the_details(sandbox_factory, copy):
    server = sandbox_factory()
    async with ApiClient(server.base_url, server.user, server.password, retry=RetryPolicy(retries=0)) as client:
        def drop_everything(progress) -> None:
            if progress.phase == "details" and not server.faults.active:
                server.faults.set("drop_rate=1")

        with pytest.raises(NetworkError):
            await sync(client, copy, details=True, concurrency=2, on_progress=drop_everything)

    assert copy.status().numbers == 120      # the list stays
    assert len(copy.stale(900)) == 120
