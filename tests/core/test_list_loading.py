"""Filling the inventory from a server that lies about its list (tests/api/lying_server.py), the list cache
refusing an oversized page, and where the body cap's setting comes from."""

import pytest

from actui.api.errors import ConfigError
from actui.api.list_items import ListingNotes
from actui.config import ConnectionFlags, resolve_connection
from actui.core.inventory import Inventory, NumberRow
from actui.core.list_cache import ListCache
from actui.core.loading import fetch_all, fetch_page
from actui.core.session import Session
from actui.profiles import ConfigFile, Profile
from tests.api.lying_server import envelope, numbers
from tests.helpers import client_for, fast_retry

REAL = numbers(250)


async def test_load_all_reads_past_a_total_that_is_too_low(lying_server):
    server = lying_server(lambda page, limit: envelope(REAL, page, limit, total=50, totalPages=1))
    inventory, notes, seen = Inventory(page_size=100), ListingNotes(), []
    async with client_for(server, retry=fast_retry(0)) as api:
        count = await fetch_all(api, inventory, lambda loaded, total: seen.append((loaded, total)), notes)
    assert count == 250 and [r.number for r in inventory.loaded] == [i["phoneNumber"] for i in REAL]
    assert seen == [(100, None), (200, None), (250, None)]  # never "100 of 50"
    assert notes.warnings() == ["the server's total said 50 numbers, but 250 arrived (read until a page came "
                                "back short): every number that arrived is listed"]


async def test_load_all_lists_a_repeated_number_once(lying_server):
    items = REAL[:100] + REAL[:5] + REAL[100:]
    server = lying_server(lambda page, limit: envelope(items, page, limit))
    inventory, notes = Inventory(page_size=100), ListingNotes()
    async with client_for(server, retry=fast_retry(0)) as api:
        assert await fetch_all(api, inventory, notes=notes) == 250
    assert len({r.number for r in inventory.loaded}) == len(inventory.loaded) == 250
    assert notes.duplicates == 5


async def test_a_page_skips_malformed_items_and_a_full_page_past_the_total_is_not_the_last(lying_server):
    page1 = REAL[:50] + [None, {"phoneNumber": None}] + REAL[50:98]
    server = lying_server(lambda page, limit: {"phoneNumbers": page1 if page == 1 else REAL[98:150],
                                               "total": 40, "totalPages": 1})
    inventory, notes = Inventory(page_size=100), ListingNotes()
    async with client_for(server, retry=fast_retry(0)) as api:
        rows = await fetch_page(api, inventory, 1, notes)
    assert len(rows) == 98 and all(r.number for r in rows)
    assert [str(p) for p in notes.problems] == ["page 1, item 51: null instead of a number; skipped",
                                                "page 1, item 52: phoneNumber is empty; skipped"]
    assert inventory.total_pages == 2  # full, and more than the total said: the next one can be asked for


def test_an_oversized_first_page_is_not_written_to_the_list_cache(store):
    cache = ListCache(store, "acct")
    small = [NumberRow(f"+1415555{1000 + i}", ("x",) * 9) for i in range(120)]
    assert cache.save(100, small, 120, 2, 1.0)
    assert len(cache.load(100).rows) == 100  # a page holds page_size rows, whatever the server sent
    huge = [NumberRow("+14155551000", ("x" * 3_000_000,) * 9)]
    assert cache.save(100, huge, 1, 1, 2.0) is False
    assert cache.load(100) is None  # nor is the old page kept as if it were the latest


def test_max_body_mb_comes_from_the_environment_then_the_profile(tmp_path):
    config = ConfigFile(tmp_path / "config.toml", {"p": Profile("p", base_url="https://api.example.com",
                                                                user="me", max_body_mb=16)}, "p")
    assert resolve_connection(ConnectionFlags(), env={}, config=config).max_body_mb == 16
    assert resolve_connection(ConnectionFlags(), env={"ACTUI_MAX_BODY_MB": "200"}, config=config).max_body_mb == 200
    assert resolve_connection(ConnectionFlags(sandbox=True), env={}, config=config).max_body_mb == 64
    with pytest.raises(ConfigError, match="ACTUI_MAX_BODY_MB must be a whole number of megabytes"):
        resolve_connection(ConnectionFlags(), env={"ACTUI_MAX_BODY_MB": "lots"}, config=config)
    (tmp_path / "config.toml").write_text('[profiles.p]\nbase_url = "https://api.example.com"\nmax_body_mb = 0\n')
    with pytest.raises(ConfigError, match="profile 'p': max_body_mb must be"):
        ConfigFile.load(tmp_path / "config.toml")
    connection = resolve_connection(ConnectionFlags(), env={"ACTUI_MAX_BODY_MB": "3"}, config=config)
    client = Session(connection.with_password("pw"))._make_client()
    assert client._wire.max_body == 3 * 1024 * 1024


def test_pages_loaded_one_by_one_that_overlap_list_a_number_once():
    inventory = Inventory(page_size=3)
    rows = [NumberRow(f"+1415555{1000 + i}", ("x",) * 9) for i in range(5)]
    inventory.add_page(1, rows[:3])
    inventory.add_page(2, rows[2:5])  # the list moved between the two fetches
    assert [r.number for r in inventory.loaded] == [r.number for r in rows]
    assert [r.number for r in inventory.matching("")] == [r.number for r in rows]
