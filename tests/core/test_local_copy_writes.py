"""actui's own writes update the local copy at once (core/copy_writes.py): a saved edit, bulk items, undo,
unprovision; provision adds nothing until listed; writes of unknown outcome leave the number to be read again."""

from __future__ import annotations

import pytest

from actui.api.client import ApiClient
from actui.api.errors import NotFound
from actui.api.retry import RetryPolicy
from actui.core import copy_writes
from actui.core.bulk import BulkEngine
from actui.core.edits import save_edit
from actui.core.journal import Journal
from actui.core.local_copy import open_local_copy
from actui.core.order_runs import place_orders
from actui.core.sync import sync
from tests.helpers import TENANT

OPT_OUT = {"settings": {"optOut": {"enabled": False, "text": "HALT"}}}


@pytest.fixture
def journal(store):
    return Journal(store, "sandbox", "sandbox")


@pytest.fixture
def copy(store):
    return open_local_copy(store, "sandbox")


@pytest.fixture
async def synced(sandbox, client, copy):
    await sync(client, copy, details=True)
    return copy


async def test_a_saved_edit_puts_the_servers_answer_in_the_copy(sandbox, client, journal, synced):
    number = sandbox.state.numbers()[4]
    loaded, read_before = synced.detail(number)

    await save_edit(client, journal, number, loaded, {"description": "edited here", **OPT_OUT})

    doc, read_at = synced.detail(number)
    assert doc == sandbox.state.detail(number)
    assert doc["description"] == "edited here" and doc["settings"]["optOut"]["text"] == "HALT"
    assert read_at > read_before
    assert synced.values().get(number, "settings.optOut.enabled") is False
    listed = next(item for item in synced.list_items() if item["phoneNumber"] == number)
    assert listed["description"] == "edited here"   # the list columns follow


async def test_a_bulk_run_and_its_undo_put_each_new_document(sandbox, client, journal, synced):
    numbers = sandbox.state.numbers()[:6]
    engine = BulkEngine(client, journal)

    done = await engine.apply(await engine.plan(numbers, OPT_OUT))

    assert done.counts() == {"changed": 6}
    for number in numbers:
        assert synced.detail(number)[0] == sandbox.state.detail(number)
        assert synced.values().get(number, "settings.optOut.text") == "HALT"

    undone = await engine.undo(done.run.id)

    assert undone.counts() == {"changed": 6}
    for number in numbers:
        assert synced.detail(number)[0] == sandbox.state.detail(number)
        assert synced.values().get(number, "settings.optOut.text") != "HALT"


async def test_a_bulk_put_of_unknown_outcome_leaves_the_number_to_be_read_again(sandbox, journal, synced):
    numbers = sandbox.state.numbers()[:3]
    async with ApiClient(sandbox.base_url, sandbox.user, sandbox.password, retry=RetryPolicy(retries=0)) as client:
        engine = BulkEngine(client, journal)
        plan = await engine.plan(numbers, OPT_OUT)
        sandbox.faults.set("error_every=1,on=PUT")
        result = await engine.apply(plan)

    assert result.counts() == {"failed": 3}
    for number in numbers:
        assert synced.detail(number) is None
        assert number in synced.numbers()
    assert set(numbers) <= set(synced.stale(900))


async def test_unprovisioned_numbers_leave_the_copy_and_provisioned_ones_wait_for_the_list(
        sandbox, client, journal, synced):
    numbers = sandbox.state.numbers()[:2]

    await place_orders(client, journal, "unprovision", numbers, lambda batch: client.unprovision(TENANT, batch))

    assert not set(numbers) & set(synced.numbers())
    assert synced.status().numbers == 118

    new = "+14155550177"
    request = {"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
        {"number": new, "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}}]}
    await place_orders(client, journal, "provision", [new], lambda batch: client.provision(request))

    assert new not in synced.numbers()


async def test_a_write_answered_404_forgets_the_number(sandbox, journal, synced):
    number = sandbox.state.numbers()[0]
    copy_writes.failed(journal, number, NotFound("gone", status=404))
    assert number not in synced.numbers()


async def test_a_read_only_cache_never_fails_the_write(sandbox, client, journal, synced, store):
    number = sandbox.state.numbers()[1]
    loaded, _ = synced.detail(number)
    store.cache.read_only_reason = "a test says so"

    saved = await save_edit(client, journal, number, loaded, {"description": "still saved"})

    assert saved.phone.description == "still saved"
    assert synced.detail(number)[0]["description"] == loaded["description"]
