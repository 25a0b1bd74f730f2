"""A filter over the local copy (core/copy_select.py) keeps what the same filter keeps over the list's rows;
a bulk plan takes the copy's fresh details (core/copy_plan.py) on the engine's clock."""

from __future__ import annotations

import pytest

from actui.core import copy_select
from actui.core.cache_store import CacheStore
from actui.core.copy_plan import fresh_details, keep_read
from actui.core.filtering import compile_filter
from actui.core.inventory import NumberRow
from actui.core.local_copy import LocalCopy

ITEMS = [
    {"phoneNumber": "+14155550101", "status": "Active", "provisionClass": "A2P", "description": "Acme  support",
     "billingPlanName": "2000", "settings": {"optOut": {"enabled": True}, "rateLimit": 800}},
    {"phoneNumber": "+14155550102", "status": "Inactive", "provisionClass": "P2P", "description": True,
     "settings": {"optOut": {"enabled": False}, "rateLimit": "abc"}},
    {"phoneNumber": "+442071838750", "status": "Active", "provisionClass": "P2P", "userId": {"odd": 1},
     "description": "London\nline", "settings": {"autoForward": {"emailAddresses": ["lead0@example.com"]}}},
    {"phoneNumber": "+14155550104", "status": "Active", "email": "ops@acme.example", "description": None},
]
QUERIES = ["", "acme", "class:a2p", "inactive", "!inactive", "yes", "london line", "4155", "number:0101",
           "settings.optOut.enabled:true", "!settings.optOut.enabled:true", "settings.rateLimit>500",
           "settings.autoForward.emailAddresses:lead0@example.com", "class:p2p or settings.rateLimit>500",
           "(acme or london) !settings.optOut.enabled:false", "description:", "plan:2000", "user:odd"]


@pytest.fixture
def copy(tmp_path):
    store = CacheStore(tmp_path / "actui-cache.sqlite3")
    held = LocalCopy(store, "sandbox")
    held.put_list_items(ITEMS, seen_at=1000.0)
    yield held
    store.close()


@pytest.mark.parametrize("query", QUERIES)
def test_the_copy_keeps_what_the_list_rows_keep(copy, query):
    keep = compile_filter(query)
    rows = [NumberRow.from_wire(item) for item in ITEMS]
    expected = [row.number for row in keep.select(rows, copy.values())]

    assert copy_select.matching(copy, keep) == expected


def test_a_page_of_items_and_the_texts_of_all(copy):
    numbers = copy_select.matching(copy, compile_filter("active"))
    assert copy_select.items(copy, numbers[1:3]) == ITEMS[1:3]
    import json

    assert [json.loads(text) for text in copy_select.item_texts(copy, numbers[::2])] == [ITEMS[0], ITEMS[2]]


def test_fresh_details_are_those_younger_than_max_age_on_the_engines_clock(copy):
    copy.put_detail(ITEMS[3]["phoneNumber"], {**ITEMS[3], "settings": {}}, read_at=1000.0)
    numbers = [item["phoneNumber"] for item in ITEMS]

    known = fresh_details(copy, numbers, max_age=60, clock=lambda: 5.0, now=1030.0)

    assert set(known) == set(numbers)       # the list carried settings: each item is a detail, read at 1000
    assert {at for _, at in known.values()} == {5.0 - 30.0}   # 30 s before the engine's now
    assert known[ITEMS[0]["phoneNumber"]][0] == ITEMS[0]
    assert fresh_details(copy, numbers, max_age=10, clock=lambda: 5.0, now=1030.0) == {}


def test_what_a_plan_read_is_kept(copy):
    doc = {**ITEMS[1], "description": "read for a plan"}
    keep_read(copy, {ITEMS[1]["phoneNumber"]: doc}, read_at=2000.0)
    assert copy.detail(ITEMS[1]["phoneNumber"]) == (doc, 2000.0)
