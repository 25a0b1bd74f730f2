"""The inventory overview (core/overview.py) over a local copy filled with list items built here, at a fixed
`now`: counts per field with the values kept exact, provisioned per week (Mondays, gaps as 0, the window up
to now's week), odd dates counted as undated; and over a copy synced from a real sandbox."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from actui.core.cache_store import CacheStore
from actui.core.local_copy import LocalCopy, open_local_copy
from actui.core.overview import NONE_KEY, overview
from actui.core.sync import sync
from tests.fixtures.hostile import HOSTILE

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC).timestamp()   # a Thursday; its week starts Monday 2026-11-23


def item(index: int, **fields) -> dict:
    return {"phoneNumber": f"+1415555{index:04d}", **fields}


@pytest.fixture
def copy(tmp_path):
    store = CacheStore(tmp_path / "actui-cache.sqlite3")
    yield LocalCopy(store, "sandbox", clock=lambda: NOW)
    store.close()


def test_counts_each_field_biggest_first_ties_by_value(copy):
    copy.put_list_items([
        item(1, provisionClass="A2P", provisionType="New", status="Active", platformType="Zoom",
             billingPlanName="500"),
        item(2, provisionClass="P2P", provisionType="Port", status="Active", platformType="Zoom",
             billingPlanName="1000"),
        item(3, provisionClass="P2P", provisionType="New", status="Pending", platformType="WebexSpace",
             billingPlanName="250"),
        item(4, provisionClass="P2P", provisionType="New", status="Inactive", platformType="TeamsIndividual",
             billingPlanName="500"),
    ], seen_at=NOW)

    seen = overview(copy, orders_pending=3, now=NOW)

    assert seen.total == 4 and seen.orders_pending == 3
    assert list(seen.by_class.items()) == [("P2P", 3), ("A2P", 1)]
    assert list(seen.by_type.items()) == [("New", 3), ("Port", 1)]
    assert list(seen.by_status.items()) == [("Active", 2), ("Inactive", 1), ("Pending", 1)]
    assert list(seen.by_platform.items()) == [("Zoom", 2), ("TeamsIndividual", 1), ("WebexSpace", 1)]
    assert list(seen.by_plan.items()) == [("500", 2), ("1000", 1), ("250", 1)]
    assert [label for label, _ in seen.breakdowns()] == ["Class", "Type", "Status", "Platform", "Plan"]


def test_server_values_are_kept_exact_whatever_they_hold(copy):
    odd = "A2P\"]x\\"                  # a quote and a bracket: the row's JSON array must still read
    surrogate = "bad\ud800half"       # a lone surrogate, as json.loads accepts it from a server
    copy.put_list_items([
        item(1, status=HOSTILE, provisionClass=odd), item(2, status=HOSTILE, provisionClass=surrogate),
        item(3, status=True, provisionClass=5), item(4, status={"odd": [1]}, provisionClass=None),
        item(5),
    ], seen_at=NOW)

    seen = overview(copy, now=NOW)

    assert seen.by_status == {HOSTILE: 2, NONE_KEY: 1, "true": 1, '{"odd":[1]}': 1}
    assert seen.by_class == {NONE_KEY: 2, "5": 1, odd: 1, surrogate: 1}
    assert seen.by_plan == {NONE_KEY: 5}


def test_per_week_holds_the_weeks_up_to_nows_mondays_first_gaps_as_zero(copy):
    copy.put_list_items([
        item(1, createdAt="2026-11-23T00:00:00Z"),        # Monday 00:00: this week
        item(2, createdAt="2026-11-22T23:59:59Z"),        # Sunday: the week before
        item(3, createdAt="2026-11-23T01:30:00+02:00"),   # Sunday 23:30 in UTC: the week before
        item(4, createdAt="2026-11-04T12:00:00.123456Z"), # a Wednesday three weeks back
        item(5, createdAt="2026-11-05"),                  # a date alone
        item(6, createdAt="2026-10-25T12:00:00Z"),        # before the window of four weeks
        item(7, createdAt="2026-12-01T00:00:00Z"),        # after now's week
    ], seen_at=NOW)

    seen = overview(copy, weeks=4, now=NOW)

    assert seen.per_week == [("2026-11-02", 2), ("2026-11-09", 0), ("2026-11-16", 2), ("2026-11-23", 1)]
    assert seen.undated == 0 and seen.total == 7


def test_the_window_defaults_to_26_weeks_ending_with_the_clocks_week(copy):
    copy.put_list_items([item(1, createdAt="2026-06-01T08:00:00Z")], seen_at=NOW)

    seen = overview(copy)

    assert len(seen.per_week) == 26
    assert seen.per_week[0] == ("2026-06-01", 1) and seen.per_week[-1] == ("2026-11-23", 0)
    assert overview(copy, weeks=0).per_week == []


@pytest.mark.parametrize("created", [None, "", "now", "not a date", "2026-13-01T00:00:00Z", " 2026-11-23",
                                     "2026-11-23Tlate", "2460000.5", 2461000, 2461000.5, True, ["2026-11-23"],
                                     {"at": "2026-11-23"}, "23/11/2026"],
                         ids=repr)
def test_an_odd_creation_date_counts_as_undated(copy, created):
    odd = item(1, status="Active", createdAt=created)
    copy.put_list_items([odd, item(2, status="Active", createdAt="2026-11-24T09:00:00Z")], seen_at=NOW)

    seen = overview(copy, weeks=2, now=NOW)

    assert seen.undated == 1 and seen.total == 2
    assert seen.per_week == [("2026-11-16", 0), ("2026-11-23", 1)]
    assert seen.by_status == {"Active": 2}


def test_a_missing_creation_date_is_undated(copy):
    copy.put_list_items([item(1), item(2, createdAt="2026-11-24T09:00:00Z")], seen_at=NOW)

    assert overview(copy, weeks=1, now=NOW).undated == 1


def test_an_empty_copy_has_every_week_at_zero(copy):
    seen = overview(copy, orders_pending=1, weeks=3, now=NOW)

    assert (seen.total, seen.undated, seen.orders_pending) == (0, 0, 1)
    assert seen.by_class == seen.by_status == {}
    assert seen.per_week == [("2026-11-09", 0), ("2026-11-16", 0), ("2026-11-23", 0)]


def test_the_counts_follow_actuis_own_writes_and_keep_to_the_account(copy):
    copy.put_list_items([item(1, status="Active"), item(2, status="Active")], seen_at=NOW)
    other = LocalCopy(copy.store, "another account")
    other.put_list_items([item(3, status="Pending")], seen_at=NOW)

    copy.put_detail(item(1)["phoneNumber"], item(1, status="Inactive", settings={}), read_at=NOW)
    copy.forget(item(2)["phoneNumber"])

    assert overview(copy, now=NOW).by_status == {"Inactive": 1}


async def test_a_copy_synced_from_the_sandbox_counts_what_the_sandbox_holds(sandbox, client, store):
    copy = open_local_copy(store, "sandbox")
    await sync(client, copy, details=False)
    documents = [sandbox.state.detail(number) for number in sandbox.state.numbers()]

    seen = overview(copy, weeks=520, now=NOW)

    assert seen.total == len(documents) == 120
    for counts, wire in [(seen.by_class, "provisionClass"), (seen.by_type, "provisionType"),
                         (seen.by_status, "status"), (seen.by_platform, "platformType"),
                         (seen.by_plan, "billingPlanName")]:
        assert counts == Counter(doc.get(wire) or NONE_KEY for doc in documents), wire
    assert sum(count for _, count in seen.per_week) + seen.undated == 120
