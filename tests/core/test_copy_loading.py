"""The TUI's load-all filling the local copy as its pages arrive (core/loading.fetch_all with `copy`): every
item as sent, in list order, each number once; the details list items carry; numbers gone removed only
after a complete pass; a pass that fails keeps what arrived and removes nothing."""

import pytest

from actui.api.client import ApiClient
from actui.api.errors import ActuiError
from actui.core.cache_store import CacheStore
from actui.core.inventory import Inventory
from actui.core.loading import fetch_all
from actui.core.local_copy import LocalCopy
from tests.api.lying_server import envelope, numbers
from tests.helpers import client_for, fast_retry

ITEMS = [dict(item, vendorField={"kept": i}) for i, item in enumerate(numbers(250))]


@pytest.fixture
def copy(tmp_path):
    cache = CacheStore(tmp_path / "cache.sqlite3")
    yield LocalCopy(cache, "acct")
    cache.close()


def client_of(server) -> ApiClient:
    return client_for(server, retry=fast_retry(0))


async def test_load_all_puts_every_item_as_sent_and_removes_numbers_gone(lying_server, copy):
    copy.put_list_items([{"phoneNumber": "+15550000000"}], 1.0)          # no longer listed
    items = ITEMS[:100] + ITEMS[:2] + ITEMS[100:]                          # two repeated across pages
    server = lying_server(lambda page, limit: envelope(items, page, limit))
    inventory = Inventory(page_size=100)
    async with client_of(server) as api:
        assert await fetch_all(api, inventory, copy=copy, clock=lambda: 50.0) == 250
    assert copy.list_items() == ITEMS
    assert [row.number for row in inventory.loaded] == copy.numbers()
    status = copy.status()
    assert (status.numbers, status.with_details, status.list_synced_at) == (250, 0, 50.0)


async def test_list_items_carrying_settings_are_the_details(lying_server, copy):
    items = [dict(item, settings={"rateLimit": i}) for i, item in enumerate(ITEMS[:120])]
    server = lying_server(lambda page, limit: envelope(items, page, limit))
    async with client_of(server) as api:
        await fetch_all(api, Inventory(page_size=100), copy=copy, clock=lambda: 60.0)
    assert copy.status().with_details == 120
    assert copy.detail(items[7]["phoneNumber"]) == (items[7], 60.0)
    assert copy.values().get(items[7]["phoneNumber"], "settings.rateLimit") == 7


async def test_a_pass_that_fails_keeps_what_arrived_and_removes_nothing(lying_server, copy):
    copy.put_list_items([{"phoneNumber": "+15550000000"}], 1.0)
    server = lying_server(lambda page, limit: envelope(ITEMS, page, limit) if page == 1 else b"<html>down</html>")
    inventory = Inventory(page_size=100)
    async with client_of(server) as api:
        with pytest.raises(ActuiError):
            await fetch_all(api, inventory, copy=copy, clock=lambda: 70.0)
    assert copy.numbers() == ["+15550000000", *(item["phoneNumber"] for item in ITEMS[:100])]
    assert copy.status().list_synced_at is None and not inventory.all_loaded
