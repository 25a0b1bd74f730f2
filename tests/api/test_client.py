"""The client against the sandbox over real loopback HTTP."""

import time

import pytest

from actui.api.client import ApiClient
from actui.api.errors import (
    AuthenticationError,
    InvalidInput,
    NetworkError,
    NotFound,
    OrderStateUnknown,
    RateLimited,
    ServerError,
    ServerValidationError,
)
from actui.api.number_models import PhoneNumber
from actui.core.orders import watch_order
from actui.core.patch import apply, update_patch
from tests.helpers import TENANT, client_for, fast_retry

KNOWN = set(PhoneNumber.model_fields) | {f.alias for f in PhoneNumber.model_fields.values() if f.alias}


def api_for(server, **kw) -> ApiClient:
    kw.setdefault("retry", fast_retry())
    return client_for(server, timeout=10, **kw)


@pytest.mark.parametrize("shape", ["envelope", "array", "data", "items", "results", "nototal"])
async def test_pages_to_the_end_with_every_list_shape(sandbox_factory, shape):
    server = sandbox_factory(numbers=230, list_shape=shape)
    async with api_for(server) as api:
        numbers = await api.list_all(limit=50, concurrency=4)
    assert len(numbers) == 230
    assert len({n.phone_number for n in numbers}) == 230


async def test_concurrent_paging_keeps_server_order(sandbox_factory):
    server = sandbox_factory(numbers=230)
    async with api_for(server) as api:
        sequential = [n.phone_number async for n in api.iter_numbers(limit=230)]
        concurrent = [n.phone_number async for n in api.iter_numbers(limit=20, concurrency=6)]
    assert concurrent == sequential


async def test_a_400_on_a_large_limit_falls_back_to_a_smaller_one(sandbox_factory):
    server = sandbox_factory(numbers=120, max_limit=40)
    async with api_for(server) as api:
        numbers = await api.list_all(limit=500)
    assert len(numbers) == 120


async def test_page_answers_with_totals(client, sandbox):
    page = await client.list_page(2, 50)
    assert page.page == 2 and len(page.items) == 50
    assert page.total == 120 and page.pages == 3
    assert all(n.settings is None for n in page.items)  # the list is a summary


async def find_number_with_unknown_fields(api) -> PhoneNumber:
    for summary in await api.list_all(limit=100):
        detail = await api.get_number(summary.phone_number)
        if set(detail.model_extra) and detail.settings and detail.settings.model_extra:
            return detail
    raise AssertionError("the seed has no number with unknown fields")


async def test_update_round_trip_keeps_every_other_field(client):
    before = await find_number_with_unknown_fields(client)
    old = before.to_wire()
    wanted = apply(old, {"settings": {"autoResponse": {"message": "Back at 9"}}, "description": "Edited"})
    change = update_patch(old, wanted)
    assert change == {"settings": {"autoResponse": {"message": "Back at 9"}}, "description": "Edited"}
    answer = await client.update_number(before.phone_number, change)
    after = (await client.get_number(before.phone_number)).to_wire()
    assert answer.to_wire() == after
    assert after == wanted  # every other field, unknown ones included, exactly as before


async def test_provision_to_completed_and_failed_numbers(client):
    ack = await client.provision({
        "action": "Provision", "tenantId": TENANT,
        "phoneNumbers": [
            {"number": "+14155550234", "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}},
            {"number": "+14155550150", "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}},
        ]})
    assert ack.order_id and ack.status
    seen = []
    final = await watch_order(client, ack.order_id, seen.append, fast=0.1)
    assert final.status == "PartiallyCompleted"
    by_number = {i.number: i for i in final.phone_numbers}
    assert by_number["+14155550234"].status == "Completed"
    assert by_number["+14155550150"].status == "Failed" and by_number["+14155550150"].error_message
    assert seen[0].status in ("Pending", "InProgress") and seen[-1] is not seen[0]
    assert (await client.get_number("+14155550234")).status == "Active"
    with pytest.raises(NotFound):
        await client.get_number("+14155550150")


async def test_unprovision_removes_the_number(client):
    number = (await client.list_page(1, 1)).items[0].phone_number
    ack = await client.unprovision(TENANT, [number])
    final = await watch_order(client, ack.order_id, fast=0.1)
    assert final.status == "Completed"
    with pytest.raises(NotFound):
        await client.get_number(number)


async def test_invalid_input_is_refused_before_sending(client):
    before = client.stats.requests
    with pytest.raises(InvalidInput) as info:
        await client.update_number("+14155551234", {"settings": {"rateLimit": -5}})
    assert "settings.rateLimit" in info.value.fields
    with pytest.raises(InvalidInput) as info:
        await client.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
            {"number": "+14155550234", "messagingFeature": {"provisionType": "SMS", "provisionClass": "A2P"}}]})
    assert "phoneNumbers[0].campaignId" in info.value.fields
    with pytest.raises(InvalidInput):   # reading refuses only an empty number (see test_reading)
        await client.get_number("   ")
    assert client.stats.requests == before


async def test_error_kinds(sandbox, client):
    async with client_for(sandbox, "wrong-password", retry=fast_retry()) as bad:
        with pytest.raises(AuthenticationError) as info:
            await bad.list_page()
        assert info.value.status == 401 and "wrong-password" not in str(info.value)
    with pytest.raises(NotFound):
        await client.get_number("+14155550123")
    with pytest.raises(NotFound):
        await client.get_order(999999)
    taken = (await client.list_page(1, 1)).items[0].phone_number
    with pytest.raises(ServerValidationError) as info:
        await client.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
            {"number": taken, "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}}]})
    assert info.value.status == 400 and info.value.server_messages


async def test_network_error_when_nothing_listens():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with ApiClient(f"http://127.0.0.1:{port}/api/v1", "u", "p", retry=fast_retry(1)) as api:
        with pytest.raises(NetworkError) as info:
            await api.list_page()
    assert "could not connect" in str(info.value)
    assert api.stats.retries == 1


async def test_get_and_put_are_retried_through_503s(sandbox, client):
    sandbox.faults.error_every = 2
    number = (await client.list_page(1, 5)).items[1].phone_number
    await client.get_number(number)
    await client.update_number(number, {"description": "retried"})
    assert (await client.get_number(number)).description == "retried"
    assert client.stats.retries >= 1
    assert client.stats.by_status.get(503, 0) >= 1


async def test_dropped_connections_are_retried_for_reads(sandbox, client):
    sandbox.faults.drop_every = 2
    pages = await client.list_all(limit=30)
    assert len(pages) == 120
    assert client.stats.retries >= 1


async def test_post_is_never_retried(sandbox, client):
    sandbox.faults.error_every = 1
    with pytest.raises(OrderStateUnknown) as info:
        await client.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
            {"number": "+14155550234", "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}}]})
    assert "NOT retried" in str(info.value)
    assert client.stats.requests == 1 and client.stats.retries == 0
    sandbox.faults.error_every = 0
    number = (await client.list_page(1, 1)).items[0].phone_number
    sandbox.faults.drop_every = 1
    with pytest.raises(OrderStateUnknown):
        await client.unprovision(TENANT, [number])
    assert client.stats.requests == 3 and client.stats.retries == 0


async def test_429_is_honoured(sandbox):
    sandbox.faults.rate_limit = 2
    async with api_for(sandbox, retry=fast_retry(3)) as api:
        start = time.monotonic()
        for _ in range(4):
            await api.list_page(1, 1)
        elapsed = time.monotonic() - start
    assert api.stats.by_status.get(429, 0) >= 1
    assert elapsed >= 1.0  # waited out Retry-After (whole seconds) before trying again


async def test_429_beyond_the_retry_budget_is_reported(sandbox):
    sandbox.faults.rate_limit = 1
    async with api_for(sandbox, retry=fast_retry(0)) as api:
        with pytest.raises(RateLimited) as info:
            for _ in range(5):
                await api.list_page(1, 1)
    assert info.value.retry_after and info.value.retry_after >= 1


async def test_server_errors_surface_after_the_retry_budget(sandbox):
    sandbox.faults.error_every = 1
    async with api_for(sandbox, retry=fast_retry(2)) as api:
        with pytest.raises(ServerError):
            await api.list_page()
    assert api.stats.requests == 3


async def test_loa_upload(client, tmp_path):
    loa = tmp_path / "loa.pdf"
    loa.write_bytes(b"%PDF-1.4 letter of authorization")
    url = await client.upload_loa(loa)
    assert url.startswith("https://")
    with pytest.raises(InvalidInput):
        await client.upload_loa(tmp_path / "missing.pdf")
