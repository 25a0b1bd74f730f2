"""The local copy's columns kept in the cache file (core/copy_column_cache.py): read back by a new process
while no document changed, never once one did, whoever wrote; an unchanged re-sync keeps them."""

from __future__ import annotations

import textwrap

import pytest

from actui.core import copy_column_cache
from actui.core.cache_store import CacheStore
from actui.core.copy_values import Column
from actui.core.filter_values import ABSENT
from actui.core.local_copy import LocalCopy
from actui.core.policies import evaluate, load_policies

PATHS = ["settings.optOut.enabled", "settings.rateLimit", "externalId"]


def item(number: str, rate: object = 500, **fields) -> dict:
    return {"phoneNumber": number, "status": "Active", "externalId": f"x-{number}", **fields,
            "settings": {"optOut": {"enabled": True}, "rateLimit": rate}}


@pytest.fixture
def cache(tmp_path):
    store = CacheStore(tmp_path / "actui-cache.sqlite3")
    yield store
    store.close()


@pytest.fixture
def copy(cache):
    copy = LocalCopy(cache, "sandbox")
    copy.put_list_items([item("+14155550100"), item("+14155550101", rate=None), item("+14155550102")], 1.0)
    copy.keep_only(copy.numbers(), synced_at=1.0)
    return copy


def kept_columns(cache: CacheStore, paths=PATHS) -> dict[str, dict]:
    """What a new process reads for these paths, failing if it reads any document."""
    def no_reading(paths):
        raise AssertionError(f"read from the documents: {paths}")

    fresh = LocalCopy(cache, "sandbox")
    fresh._columns = no_reading   # type: ignore[method-assign]
    return dict(zip(paths, (fresh.values().column(path) for path in paths), strict=True))


def built(copy: LocalCopy) -> dict[str, dict]:
    """The columns as read from the documents now (what a cache must give back)."""
    return dict(zip(PATHS, LocalCopy._columns(copy, PATHS), strict=True))


def typed(columns: dict[str, dict]) -> dict[str, list]:
    """Columns compared with their values' types (True is not 1, 1 is not 1.0) and in number order."""
    return {path: sorted((number, type(value).__name__, repr(value)) for number, value in column.items())
            for path, column in columns.items()}


def generation(copy: LocalCopy) -> int:
    return copy_column_cache.generation(copy.store, copy.account)


def test_a_new_process_reads_the_columns_back_as_built(copy, cache):
    copy.values().prepare(PATHS)

    found = kept_columns(cache)

    assert found == built(copy)
    assert found["settings.rateLimit"]["+14155550101"] is None      # null held
    assert "+14155550100" in found["externalId"]
    assert all(type(column) is Column for column in found.values())


def test_absent_stays_absent_and_is_not_null(copy, cache):
    copy.put_list_items([{"phoneNumber": "+14155550103", "status": "Active", "settings": {}}], 2.0)
    copy.values().prepare(PATHS)

    found = kept_columns(cache)

    assert "+14155550103" not in found["settings.rateLimit"]
    assert found["settings.rateLimit"]["+14155550101"] is None
    assert list(found["externalId"]) == ["+14155550100", "+14155550101", "+14155550102"]


def test_more_than_256_distinct_values_round_trip(cache):
    copy = LocalCopy(cache, "sandbox")
    copy.put_list_items([item(f"+1415555{n:04d}", rate=n) for n in range(300)], 1.0)
    copy.values().prepare(PATHS)

    found = kept_columns(cache)

    assert found == built(copy)
    assert found["settings.rateLimit"]["+14155550299"] == 299


def test_building_and_keeping_leaves_the_values_current(copy):
    values = copy.values()
    values.prepare(PATHS)

    assert copy.values() is values   # keeping the columns in the cache is no change of the copy


WRITES = {
    "a new number": lambda c: c.put_list_items([item("+14155550199")], 5.0),
    "a changed list item": lambda c: c.put_list_items([item("+14155550100", rate=900)], 5.0),
    "a changed detail": lambda c: c.put_detail("+14155550101", item("+14155550101", rate=7), 5.0),
    "several details, one null made absent": lambda c: c.put_details([
        ("+14155550100", item("+14155550100", rate=True), 5.0),
        ("+14155550101", {"phoneNumber": "+14155550101", "status": "Active", "settings": {}}, 5.0)]),
    "a page with unchanged, changed and new items": lambda c: c.put_list_items(
        [item("+14155550100"), item("+14155550101", rate=1.0), item("+14155550198", rate=None)], 5.0),
    "a detail of its own forgotten": lambda c: (c.put_detail("+14155550102", item("+14155550102", rate=3), 4.0),
                                                c.forget_detail("+14155550102")),
    "forget": lambda c: c.forget("+14155550100"),
    "keep_only": lambda c: c.keep_only(["+14155550100"], 5.0),
    "clear": lambda c: c.clear(),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_change_moves_the_generation_and_the_kept_columns_follow_it(copy, cache, write):
    copy.values().prepare(PATHS)
    before = generation(copy)

    WRITES[write](copy)

    assert generation(copy) != before
    assert typed(kept_columns(cache)) == typed(built(copy))   # patched from the log, no document read
    assert LocalCopy(cache, "sandbox").values().column("settings.rateLimit") == built(copy)["settings.rateLimit"]


def reordered(copy: LocalCopy) -> None:
    """The same documents (rates 500, null, 600), kept in their first order, then listed in reverse."""
    copy.put_list_items([item("+14155550102", rate=600)], 2.0)
    copy.values().prepare(PATHS)
    before = generation(copy)
    copy.put_list_items([item("+14155550102", rate=600), item("+14155550101", rate=None), item("+14155550100")],
                        5.0)
    assert generation(copy) == before   # only the positions changed


def test_a_new_order_is_never_judged_in_the_old_one(copy, cache, tmp_path):
    reordered(copy)
    policies = tmp_path / "policies.toml"
    policies.write_text('[[policy]]\nname = "rate"\nrequire = { "settings.rateLimit" = 9 }\n', encoding="utf-8")

    found = evaluate(load_policies(policies), LocalCopy(cache, "sandbox"), names=["rate"])[0]

    assert found.checked == ["+14155550102", "+14155550101", "+14155550100"]
    assert {number: [b.actual for b in breaches] for number, breaches in found.breaking.items()} == \
        {"+14155550102": [600], "+14155550101": [None], "+14155550100": [500]}


def test_a_column_kept_in_a_new_order_replaces_those_kept_in_the_old_one(copy, cache):
    reordered(copy)
    LocalCopy(cache, "sandbox").values().prepare(["campaignId", "status"])   # built and kept in the new order

    assert kept_columns(cache, ["status"]) == {"status": dict.fromkeys(copy.numbers(), "Active")}
    assert copy_column_cache.aligned(cache, "sandbox", PATHS)[1] == {}   # those of the old order went
    assert LocalCopy(cache, "sandbox").values().column("settings.rateLimit") == \
        {"+14155550100": 500, "+14155550101": None, "+14155550102": 600}


def test_forgetting_a_detail_of_its_own_moves_the_generation(copy, cache):
    copy.put_detail("+14155550101", item("+14155550101", campaignId="C-1"), 2.0)   # a field the list lacks
    copy.values().prepare(["campaignId"])
    before = generation(copy)

    copy.forget_detail("+14155550101")   # the list item answers again

    assert generation(copy) != before
    assert LocalCopy(cache, "sandbox").values().column("campaignId") == {}


def test_a_write_by_another_process_moves_the_generation(copy, cache, tmp_path):
    copy.values().prepare(PATHS)
    other = CacheStore(tmp_path / "actui-cache.sqlite3")
    try:
        LocalCopy(other, "sandbox").put_list_items([item("+14155550100", rate=901)], 5.0)
    finally:
        other.close()

    assert LocalCopy(cache, "sandbox").values().column("settings.rateLimit")["+14155550100"] == 901


def test_an_unchanged_resync_keeps_the_generation_and_the_columns(copy, cache):
    bare = {"phoneNumber": "+14155550101", "status": "Active", "externalId": "x-+14155550101"}   # no settings
    copy.put_list_items([item("+14155550100"), bare, item("+14155550102")], 2.0)
    copy.put_detail("+14155550101", item("+14155550101", rate=7), 2.0)
    copy.values().prepare(PATHS)
    before = generation(copy)
    again = LocalCopy(cache, "sandbox")   # a later sync in another process: pages and details read again

    again.put_list_items([item("+14155550100"), bare, item("+14155550102")], 9.0)   # new positions, same order
    again.keep_only(again.numbers(), synced_at=9.0)
    again.put_details([("+14155550101", item("+14155550101", rate=7), 9.0)])

    assert generation(copy) == before
    assert kept_columns(cache)["settings.rateLimit"] == {"+14155550100": 500, "+14155550101": 7,
                                                         "+14155550102": 500}


def test_unreadable_kept_columns_are_read_from_the_documents_again(copy, cache):
    copy.values().prepare(PATHS)
    cache.execute("UPDATE copy_column_cache SET data = x'00ff'")
    expected = built(copy)

    assert LocalCopy(cache, "sandbox").values().column("settings.rateLimit") == expected["settings.rateLimit"]
    assert copy_column_cache.aligned(cache, "sandbox", PATHS)[1].keys() == {"settings.rateLimit"}


def test_kept_codes_beyond_the_values_are_refused(copy, cache):
    import marshal

    copy.values().prepare(PATHS)
    cache.execute("UPDATE copy_column_cache SET data = ?", (marshal.dumps(([True], 1, b"\x00\x05\x00")),))

    assert copy_column_cache.aligned(cache, "sandbox", PATHS) == (copy.numbers(), {})
    assert LocalCopy(cache, "sandbox").values().column("settings.optOut.enabled") == \
        built(copy)["settings.optOut.enabled"]


def test_accounts_keep_columns_of_their_own(copy, cache):
    other = LocalCopy(cache, "other")
    other.put_list_items([item("+14155550100", rate=1)], 1.0)
    copy.values().prepare(PATHS)
    other.values().prepare(PATHS)

    assert kept_columns(cache)["settings.rateLimit"]["+14155550100"] == 500
    assert LocalCopy(cache, "other").values().column("settings.rateLimit") == {"+14155550100": 1}


def test_a_read_only_cache_file_is_read_without_keeping_anything(copy, cache, tmp_path):
    cache.close()
    read_only = CacheStore(tmp_path / "actui-cache.sqlite3", writable=lambda path: "read-only for the test")
    try:
        assert read_only.read_only
        column = LocalCopy(read_only, "sandbox").values().column("settings.rateLimit")
        assert column == {"+14155550100": 500, "+14155550101": None, "+14155550102": 500}
        assert read_only.query("SELECT count(*) FROM sqlite_master WHERE name LIKE 'copy_column%'")[0][0] == 0
    finally:
        read_only.close()


def test_evaluate_on_kept_columns_judges_absent_as_absent(copy, cache, tmp_path):
    copy.put_list_items([{"phoneNumber": "+14155550103", "status": "Active", "settings": {}}], 2.0)
    policies = tmp_path / "policies.toml"
    policies.write_text(textwrap.dedent("""
        [builtin]
        ooo-ended = false
        forward-no-address = false
        auto-response-empty = false
        opt-out-empty = false
        a2p-no-campaign = false
        opt-out-cron = false
        no-outbound-activated = false
        [[policy]]
        name = "rate"
        require = { "settings.rateLimit" = 500 }
        """), encoding="utf-8")
    first = evaluate(load_policies(policies), copy)

    again = evaluate(load_policies(policies), LocalCopy(cache, "sandbox"))

    assert again == first
    assert [b.actual for b in again[0].breaking["+14155550103"]] == [ABSENT]
    assert [b.actual for b in again[0].breaking["+14155550101"]] == [None]


def test_a_write_by_another_process_is_patched_in_without_reading_every_document(copy, cache, tmp_path):
    copy.values().prepare(PATHS)
    other = CacheStore(tmp_path / "actui-cache.sqlite3")
    try:
        LocalCopy(other, "sandbox").put_details([("+14155550102", item("+14155550102", rate="7"), 5.0)])
    finally:
        other.close()

    assert typed(kept_columns(cache)) == typed(built(copy))
    assert kept_columns(cache)["settings.rateLimit"]["+14155550102"] == "7"


def test_patching_leaves_the_values_current(copy, cache, tmp_path):
    copy.values().prepare(PATHS)
    other = CacheStore(tmp_path / "actui-cache.sqlite3")
    try:
        LocalCopy(other, "sandbox").put_details([("+14155550102", item("+14155550102", rate=8), 5.0)])
    finally:
        other.close()
    values = copy.values()

    assert values.column("settings.rateLimit")["+14155550102"] == 8
    assert copy.values() is values   # writing the patched columns is no change of the copy


def test_a_new_order_with_changes_is_patched_in_the_new_order(copy, cache):
    copy.values().prepare(PATHS)

    copy.put_list_items([item("+14155550197"), item("+14155550102", rate=600), item("+14155550100"),
                         item("+14155550101", rate=None)], 5.0)

    assert copy_column_cache.aligned(cache, "sandbox", PATHS)[0] == copy.numbers()
    assert typed(kept_columns(cache)) == typed(built(copy))


def test_more_than_256_distinct_values_after_patching_and_back(cache):
    copy = LocalCopy(cache, "sandbox")
    copy.put_list_items([item(f"+1415555{n:04d}", rate=n % 250) for n in range(1000)], 1.0)
    copy.values().prepare(PATHS)

    copy.put_details([(f"+1415555{n:04d}", item(f"+1415555{n:04d}", rate=1000 + n), 2.0) for n in range(20)])
    wide = copy_column_cache.aligned(cache, "sandbox", ["settings.rateLimit"])[1]["settings.rateLimit"]
    assert typed(kept_columns(cache)) == typed(built(copy))
    copy.put_details([(f"+1415555{n:04d}", item(f"+1415555{n:04d}", rate=n % 250), 3.0) for n in range(20)])
    narrow = copy_column_cache.aligned(cache, "sandbox", ["settings.rateLimit"])[1]["settings.rateLimit"]

    assert len(wide[0]) == 270 and not isinstance(wide[1], bytes)
    assert isinstance(narrow[1], bytes)   # the values no number holds any more dropped
    assert typed(kept_columns(cache)) == typed(built(copy))


def many(cache: CacheStore, count: int = 40) -> LocalCopy:
    copy = LocalCopy(cache, "sandbox")
    copy.put_list_items([item(f"+1415555{n:04d}") for n in range(count)], 1.0)
    copy.values().prepare(PATHS)
    return copy


def test_many_numbers_changed_are_read_from_the_documents_again(cache, monkeypatch):
    copy = many(cache)
    monkeypatch.setattr(copy_column_cache, "PATCH_LEAST", 0)
    copy.put_details([(f"+1415555{n:04d}", item(f"+1415555{n:04d}", rate=n), 2.0) for n in range(2)])   # 5%
    assert typed(kept_columns(cache)) == typed(built(copy))   # patched

    copy.put_details([(f"+1415555{n:04d}", item(f"+1415555{n:04d}", rate=9), 3.0) for n in range(3)])

    with pytest.raises(AssertionError, match="read from the documents"):
        kept_columns(cache)
    assert typed(LocalCopy(cache, "sandbox").values().prepare(PATHS) or kept_columns(cache)) == typed(built(copy))


def test_a_log_not_reaching_back_to_the_kept_columns_reads_the_documents_again(cache):
    copy = many(cache)
    copy.put_detail("+14155550001", item("+14155550001", rate=2), 2.0)
    cache.execute("UPDATE copy_changes_floor SET generation = generation + 1")   # as if pruned past them

    with pytest.raises(AssertionError, match="read from the documents"):
        kept_columns(cache)


def test_the_log_is_pruned_to_the_changes_after_the_kept_columns(cache):
    copy = many(cache)
    assert cache.query("SELECT count(*) FROM copy_changes")[0][0] == 0   # the fill's 40 went with the keeping

    copy.put_detail("+14155550001", item("+14155550001", rate=2), 2.0)
    copy.forget("+14155550002")
    assert [tuple(row) for row in cache.query("SELECT number FROM copy_changes ORDER BY number")] == \
        [("+14155550001",), ("+14155550002",)]
    kept_columns(cache)

    assert cache.query("SELECT count(*) FROM copy_changes")[0][0] == 0


def test_patched_columns_equal_those_read_from_the_documents_after_any_writes(cache, tmp_path):
    import random

    choose = random.Random(12)
    values = [None, True, False, 0, 1, 1.0, -0.0, 0.0, "", "1", "STOP", [1], {"a": True}, "\u202e"]
    numbers = [f"+1415555{n:04d}" for n in range(30)]

    def doc(number: str) -> dict:
        settings = {} if choose.random() < 0.2 else {"rateLimit": choose.choice(values)}
        return {"phoneNumber": number, "status": choose.choice(["Active", "Pending"]), "settings": settings,
                **({"externalId": choose.choice(values)} if choose.random() < 0.7 else {})}

    writes = [
        lambda c: c.put_list_items([doc(n) for n in choose.sample(numbers, 5)], 2.0),
        lambda c: c.put_list_items([{"phoneNumber": n, "status": "Active"} for n in choose.sample(numbers, 3)], 2.0),
        lambda c: c.put_details([(n, doc(n), 3.0) for n in choose.sample(numbers, 4)]),
        lambda c: c.put_detail(choose.choice(numbers), doc("+1"), 3.0),
        lambda c: c.forget(choose.choice(numbers)),
        lambda c: c.forget_detail(choose.choice(numbers)),
        lambda c: c.keep_only(choose.sample(numbers, 25), 4.0),
        lambda c: c.put_list_items(list(reversed([doc(n) for n in numbers])), 5.0),
    ]
    copy = LocalCopy(cache, "sandbox")
    copy.put_list_items([doc(n) for n in numbers], 1.0)
    copy.values().prepare(PATHS)
    for step in range(120):
        other = CacheStore(tmp_path / "actui-cache.sqlite3") if step % 7 == 0 else None
        choose.choice(writes)(LocalCopy(other, "sandbox") if other else copy)
        if other:
            other.close()
        if step == 60:
            copy.clear()
        if step % 3 == 0:
            assert typed(kept_columns(cache)) == typed(built(copy)), f"step {step}"
            assert copy_column_cache.aligned(cache, "sandbox", PATHS)[0] == LocalCopy(cache, "sandbox").numbers()


def test_a_patched_value_shares_a_code_only_with_the_same_json_value():
    from actui.core.copy_column_patch import patched, runs

    kept = ["a", "b", "c", "d"]
    layout = runs(kept, ["e", "a", "b", "c"], {"b"})   # d went, e came, b changed
    fresh = {"e": -0.0, "b": 1.0}

    distinct, width, codes = patched(([0.0, 1, True, ()], 1, bytes([0, 1, 2, 3])), layout, fresh, ())

    assert layout == [["e"], (0, 1), ["b"], (2, 3)]
    assert [(type(value), repr(value)) for value in map(distinct.__getitem__, codes)] == \
        [(float, "-0.0"), (float, "0.0"), (float, "1.0"), (bool, "True")]
    assert patched(([0.0, 1], 1, bytes([0, 1])), runs(["a", "b"], ["a", "b"], {"b"}), {"b": 1}, ()) is None


def test_a_read_only_cache_file_behind_its_log_is_read_from_the_documents(copy, cache, tmp_path):
    copy.values().prepare(PATHS)
    copy.put_detail("+14155550102", item("+14155550102", rate=4), 2.0)
    expected = typed(built(copy))
    cache.close()
    read_only = CacheStore(tmp_path / "actui-cache.sqlite3", writable=lambda path: "read-only for the test")
    try:
        assert copy_column_cache.aligned(read_only, "sandbox", PATHS) == ([], {})   # not patched: not current
        fresh = LocalCopy(read_only, "sandbox")
        assert typed({path: fresh.values().column(path) for path in PATHS}) == expected
    finally:
        read_only.close()


def test_a_number_not_kept_is_read_even_if_the_log_missed_it(copy, cache):
    copy.values().prepare(PATHS)
    copy.put_list_items([item("+14155550199", rate=3)], 2.0)
    cache.execute("DELETE FROM copy_changes WHERE number = '+14155550199'")   # only the generation moved

    assert kept_columns(cache)["settings.rateLimit"]["+14155550199"] == 3


def test_a_column_of_many_values_appends_the_patched_ones(cache, monkeypatch):
    monkeypatch.setattr("actui.core.copy_column_patch.LOOKED_UP", 2)
    copy = many(cache)
    copy.put_details([("+14155550001", item("+14155550001", rate=500), 2.0)])   # a value kept already

    assert typed(kept_columns(cache)) == typed(built(copy))
