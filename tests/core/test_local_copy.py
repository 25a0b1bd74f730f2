"""The local copy (core/local_copy.py): what it holds per number, how writes change it, and values()."""

from __future__ import annotations

import pytest

from actui.core.cache_store import CacheStore
from actui.core.local_copy import LocalCopy, json_path, open_local_copy


def item(number: str, **fields) -> dict:
    return {"phoneNumber": number, "status": "Active", "description": f"desc {number}", **fields}


def settings(enabled: bool = True, emails: list | None = None) -> dict:
    return {"optOut": {"enabled": enabled}, "autoForward": {"emailAddresses": emails or []}, "rateLimit": 500}


@pytest.fixture
def cache(tmp_path):
    store = CacheStore(tmp_path / "actui-cache.sqlite3")
    yield store
    store.close()


@pytest.fixture
def copy(cache):
    return LocalCopy(cache, "sandbox")


def test_list_items_are_kept_as_sent_in_list_order(copy):
    odd = item("+14155550002", futureField={"nested": [1, "x"]}, description="caf\u00e9 \u202e")
    copy.put_list_items([item("+14155550001"), odd], seen_at=100.0)
    copy.put_list_items([item("+14155550003"), {"noNumber": True}, "junk"], seen_at=101.0)

    assert copy.list_items() == [item("+14155550001"), odd, item("+14155550003")]
    assert copy.numbers() == ["+14155550001", "+14155550002", "+14155550003"]


def test_a_list_item_without_settings_is_no_detail(copy):
    copy.put_list_items([item("+14155550001")], seen_at=100.0)

    assert copy.detail("+14155550001") is None
    assert copy.status().numbers == 1
    assert copy.status().with_details == 0
    assert copy.stale(max_age=900, now=100.0) == ["+14155550001"]


def test_a_list_item_carrying_settings_is_the_detail_read_with_its_page(copy):
    full = item("+14155550001", settings=settings())
    copy.put_list_items([full], seen_at=100.0)

    assert copy.detail("+14155550001") == (full, 100.0)
    assert copy.stale(max_age=900, now=200.0) == []
    assert copy.stale(max_age=50, now=200.0) == ["+14155550001"]


def test_put_detail_holds_the_document_and_its_read_time(copy):
    copy.put_list_items([item("+14155550001"), item("+14155550002")], seen_at=100.0)
    doc = item("+14155550001", settings=settings(), unknownTop="kept")

    assert copy.put_detail("+14155550001", doc, read_at=150.0) is True

    assert copy.detail("+14155550001") == (doc, 150.0)
    status = copy.status()
    assert (status.numbers, status.with_details, status.oldest_detail_at) == (2, 1, 150.0)
    assert copy.stale(max_age=900, now=200.0) == ["+14155550002"]


def test_put_detail_updates_the_list_columns_it_holds(copy):
    copy.put_list_items([item("+14155550001")], seen_at=100.0)
    copy.put_detail("+14155550001", item("+14155550001", description="edited", settings=settings()), 150.0)

    assert copy.list_items() == [item("+14155550001", description="edited")]


def test_put_detail_of_a_number_not_held_adds_nothing(copy):
    assert copy.put_detail("+14155550009", item("+14155550009"), read_at=1.0) is False
    assert copy.list_items() == []
    assert copy.status().numbers == 0


def test_a_later_list_item_without_settings_keeps_the_detail_read_before(copy):
    full = item("+14155550001", settings=settings(enabled=False))
    copy.put_list_items([full], seen_at=100.0)
    copy.put_list_items([item("+14155550001", description="renamed")], seen_at=200.0)

    assert copy.detail("+14155550001") == (full, 100.0)
    assert copy.list_items() == [item("+14155550001", description="renamed")]


def test_forget_removes_the_number(copy):
    copy.put_list_items([item("+14155550001"), item("+14155550002")], seen_at=100.0)
    copy.forget("+14155550001")
    assert copy.numbers() == ["+14155550002"]


def test_forget_detail_leaves_the_number_stale(copy):
    copy.put_list_items([item("+14155550001", settings=settings())], seen_at=100.0)
    copy.forget_detail("+14155550001")
    assert copy.detail("+14155550001") is None
    assert copy.stale(max_age=900, now=100.0) == ["+14155550001"]


def test_keep_only_drops_numbers_gone_from_the_list_and_notes_the_pass(copy):
    copy.put_list_items([item(f"+1415555000{i}") for i in range(5)], seen_at=100.0)
    assert copy.status().list_synced_at is None

    dropped = copy.keep_only(["+14155550001", "+14155550003"], synced_at=120.0)

    assert dropped == 3
    assert copy.numbers() == ["+14155550001", "+14155550003"]
    assert copy.status().list_synced_at == 120.0


def test_a_new_pass_puts_numbers_in_its_order(copy):
    copy.put_list_items([item("+14155550001"), item("+14155550002")], seen_at=100.0)
    copy.put_list_items([item("+14155550002"), item("+14155550001")], seen_at=200.0)
    assert copy.numbers() == ["+14155550002", "+14155550001"]


def test_accounts_do_not_share_a_copy(cache):
    one, other = LocalCopy(cache, "sandbox"), LocalCopy(cache, "ops@api.example.com")
    one.put_list_items([item("+14155550001")], seen_at=100.0)
    other.keep_only([])
    assert one.numbers() == ["+14155550001"]
    assert other.numbers() == []


def test_the_copy_survives_reopening(tmp_path):
    path = tmp_path / "actui-cache.sqlite3"
    first = CacheStore(path)
    LocalCopy(first, "sandbox").put_list_items([item("+14155550001", settings=settings())], seen_at=100.0)
    first.close()
    again = CacheStore(path)
    try:
        assert LocalCopy(again, "sandbox").detail("+14155550001") == (item("+14155550001", settings=settings()),
                                                                      100.0)
    finally:
        again.close()


def test_open_local_copy_uses_the_cache_file_beside_the_store(store):
    copy = open_local_copy(store, "sandbox")
    copy.put_list_items([item("+14155550001")], seen_at=1.0)
    assert copy.store is store.cache
    assert store.cache.path.name == "actui-cache.sqlite3"


# --- values() --------------------------------------------------------------------------------------


def test_values_read_any_wire_path_with_json_types(copy):
    copy.put_list_items([item("+14155550001"), item("+14155550002"), item("+14155550003")], seen_at=100.0)
    copy.put_detail("+14155550001", item("+14155550001", settings=settings(False, ["a@x.com", "b@x.com"]),
                                         externalId=None), 110.0)
    copy.put_detail("+14155550002", item("+14155550002", settings=settings(True)), 110.0)
    values = copy.values()
    absent = values.get("+14155550003", "settings.optOut.enabled")

    assert values.get("+14155550001", "settings.optOut.enabled") is False
    assert values.get("+14155550002", "settings.optOut.enabled") is True
    assert values.get("+14155550001", "settings.autoForward.emailAddresses") == ["a@x.com", "b@x.com"]
    assert values.get("+14155550001", "settings.optOut") == {"enabled": False}
    assert values.get("+14155550001", "settings.rateLimit") == 500
    assert values.get("+14155550001", "externalId") is None
    assert values.get("+14155550003", "description") == "desc +14155550003"   # from the list item
    assert values.get("+14155550002", "externalId") is absent
    assert values.get("+19999999999", "description") is absent                # a number not held
    assert absent is not None and not absent


def test_values_are_cached_until_the_copy_changes(copy):
    copy.put_list_items([item("+14155550001", settings=settings(True))], seen_at=100.0)
    values = copy.values()
    assert values.get("+14155550001", "settings.optOut.enabled") is True
    assert copy.values() is values

    LocalCopy(copy.store, "sandbox").put_detail("+14155550001", item("+14155550001", settings=settings(False)),
                                                 200.0)

    fresh = copy.values()
    assert fresh is not values
    assert fresh.get("+14155550001", "settings.optOut.enabled") is False


def test_values_see_writes_of_another_process(tmp_path):
    path = tmp_path / "actui-cache.sqlite3"
    mine, theirs = CacheStore(path), CacheStore(path)
    try:
        copy = LocalCopy(mine, "sandbox")
        copy.put_list_items([item("+14155550001")], seen_at=100.0)
        values = copy.values()
        LocalCopy(theirs, "sandbox").put_detail("+14155550001", item("+14155550001", settings=settings()), 1.0)
        assert copy.values() is not values
        assert copy.values().get("+14155550001", "settings.rateLimit") == 500
    finally:
        mine.close()
        theirs.close()


def test_json_path_quotes_every_key():
    assert json_path("settings.optOut.enabled") == '$."settings"."optOut"."enabled"'
    assert json_path('odd"key.x') == '$."odd""key"."x"'


def test_own_writes_patch_the_columns_built_instead_of_reading_them_again(copy):
    copy.put_list_items([item("+14155550001"), item("+14155550002"), item("+14155550003")], seen_at=100.0)
    copy.put_detail("+14155550001", item("+14155550001", settings=settings(True)), 110.0)
    values = copy.values()
    column = values.column("settings.optOut.enabled")
    assert column == {"+14155550001": True}

    copy.put_detail("+14155550002", item("+14155550002", settings=settings(False)), 120.0)
    copy.put_list_items([item("+14155550003", settings=settings(True))], seen_at=130.0)
    copy.put_details([("+14155550001", item("+14155550001", settings={"rateLimit": 5}), 140.0)])

    assert copy.values() is values   # patched, not rebuilt
    # a column handed out never changes in place (a filter indexes it while it is the same object)
    assert column == {"+14155550001": True}
    enabled = values.column("settings.optOut.enabled")
    assert enabled is not column and enabled == {"+14155550002": False, "+14155550003": True}
    assert values.get("+14155550001", "settings.rateLimit") == 5

    copy.forget("+14155550002")
    assert copy.values() is values and values.column("settings.optOut.enabled") == {"+14155550003": True}
    copy.keep_only(["+14155550001"])
    assert copy.values() is values and values.column("settings.optOut.enabled") == {}
    # what was patched is what reading it again finds
    assert copy.values().column("settings.optOut.enabled") == LocalCopy(copy.store, "sandbox").values().column(
        "settings.optOut.enabled")


def test_a_list_item_without_settings_makes_the_values_read_again(copy):
    copy.put_list_items([item("+14155550001")], seen_at=100.0)
    copy.put_detail("+14155550001", item("+14155550001", description="from the detail"), 110.0)
    values = copy.values()
    assert values.get("+14155550001", "description") == "from the detail"

    copy.put_list_items([item("+14155550001", description="listed later")], seen_at=120.0)

    assert copy.values() is not values
    # the detail held is still the number's document; the list item changed only the list's columns
    assert copy.values().get("+14155550001", "description") == "from the detail"
    assert copy.list_items()[0]["description"] == "listed later"


def test_odd_values_are_stored_and_read_back(copy):
    odd = item("+14155550001", description="lone \ud800 surrogate", settings={"rateLimit": float("nan")})
    copy.put_list_items([odd], seen_at=1.0)

    doc, _ = copy.detail("+14155550001")
    assert doc["description"] == "lone \ud800 surrogate"
    assert doc["settings"] == {"rateLimit": None}   # JSON has no NaN: SQLite would refuse the document
    assert copy.values().get("+14155550001", "description") == "lone \ud800 surrogate"


def test_open_local_copy_gives_one_copy_per_cache_and_account(store):
    assert open_local_copy(store, "sandbox") is open_local_copy(store, "sandbox")
    assert open_local_copy(store, "sandbox") is not open_local_copy(store, "other")


def test_prepare_builds_several_paths_in_one_pass(copy):
    copy.put_list_items([item("+14155550001", settings=settings(False, ["a@x.com"])), item("+14155550002")],
                        seen_at=1.0)
    values = copy.values()
    values.prepare(["settings.optOut.enabled", "description", "settings.autoForward.emailAddresses", "nope"])

    assert set(values.paths) == {"settings.optOut.enabled", "description", "settings.autoForward.emailAddresses",
                                 "nope"}
    assert values.column("settings.optOut.enabled") == {"+14155550001": False}
    assert values.column("description") == {"+14155550001": "desc +14155550001", "+14155550002": "desc +14155550002"}
    assert values.column("settings.autoForward.emailAddresses") == {"+14155550001": ["a@x.com"]}
    assert values.column("nope") == {}


@pytest.mark.parametrize("value", [500, -3, 0, 0.5, -2.25, 1e30, 10 ** 20, "", "a \"quoted\" \\ text", "é\u202e",
                                   None, True, False, [], [1, "x", None], {}, {"a": {"b": [True]}}])
def test_values_come_back_as_the_json_held(copy, value):
    copy.put_list_items([item("+14155550001", settings={"odd": value})], seen_at=1.0)
    got = copy.values().get("+14155550001", "settings.odd")
    assert got == value and type(got) is type(value)


def test_known_gives_the_detail_else_the_list_item_with_their_times(tmp_path):
    from actui.core.cache_store import CacheStore
    from actui.core.local_copy import LocalCopy

    cache = CacheStore(tmp_path / "cache.sqlite3")
    try:
        copy = LocalCopy(cache, "acct")
        item = {"phoneNumber": "+14155550101", "status": "Active", "description": "listed"}
        copy.put_list_items([item], 100.0)
        assert copy.detail("+14155550101") is None
        assert copy.known("+14155550101") == (item, 100.0)
        detail = dict(item, description="read", settings={"rateLimit": 5})
        copy.put_detail("+14155550101", detail, 200.0)
        assert copy.known("+14155550101") == (detail, 200.0)
        assert copy.known("+14155550199") is None
    finally:
        cache.close()
