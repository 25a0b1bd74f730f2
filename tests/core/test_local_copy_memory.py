"""What keeps the local copy's path columns small over 100,000 numbers (core/copy_values.py,
core/filter_index.py): shared number strings and values, a few columns kept, slices, weak indexes."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from actui.core import copy_values, filter_index, local_copy
from actui.core.cache_store import CacheStore
from actui.core.filter_index import RowList, column_index
from actui.core.inventory import NumberRow
from actui.core.local_copy import LocalCopy

PATHS = ("settings.rateLimit", "settings.optOut.enabled", "settings.autoForward.emailAddresses", "description")


def doc(i: int) -> dict:
    return {"phoneNumber": f"+1415555{1000 + i}", "status": "Active", "description": f"desc {i}",
            "settings": {"optOut": {"enabled": i % 2 == 0}, "rateLimit": 500 + i % 3,
                         "autoForward": {"emailAddresses": ["oncall@example.com"] if i % 2 else []}}}


@pytest.fixture
def copy(tmp_path):
    store = CacheStore(tmp_path / "actui-cache.sqlite3")
    held = LocalCopy(store, "sandbox")
    docs = [doc(i) for i in range(12)]
    held.put_list_items(docs, seen_at=100.0)
    yield held
    store.close()


def test_columns_share_their_number_strings_and_equal_values(copy):
    values = copy.values()
    limits, emails = values.column(PATHS[0]), values.column(PATHS[2])

    for a, b in zip(limits, emails, strict=True):
        assert a == b and a is b                      # one string per number for all columns
    shared = [value for value in emails.values() if value]
    assert len(shared) == 6 and all(value is shared[0] for value in shared)   # one list read once
    assert shared[0] == ["oncall@example.com"]
    assert len({id(value) for value in limits.values()}) == 3


def test_only_the_last_few_columns_asked_for_are_kept(copy, monkeypatch):
    monkeypatch.setattr(copy_values, "KEPT_COLUMNS", 2)
    values = copy.values()
    first = values.column(PATHS[0])
    values.column(PATHS[1])
    values.column(PATHS[0])                           # asked for again: the most recent now
    values.column(PATHS[2])

    assert set(values.paths) == {PATHS[0], PATHS[2]}  # PATHS[1], asked for least recently, dropped
    assert values.column(PATHS[0]) is first
    assert values.get("+14155551001", PATHS[1]) is False   # a dropped column is read again
    assert set(values.paths) == {PATHS[0], PATHS[1]}


def test_one_filter_reading_more_paths_keeps_them_all(copy, monkeypatch):
    monkeypatch.setattr(copy_values, "KEPT_COLUMNS", 2)
    values = copy.values()
    values.prepare(PATHS)

    assert set(values.paths) == set(PATHS)            # else the view would read them again forever
    values.prepare(PATHS[:1])
    assert set(values.paths) == set(PATHS[:1]) | {PATHS[3]}


def test_columns_are_read_in_slices_of_the_list_order(copy, monkeypatch):
    monkeypatch.setattr(local_copy, "_SLICE", 5)
    column = copy.values().column(PATHS[0])

    assert list(column) == [f"+1415555{1000 + i}" for i in range(12)]
    assert column == {f"+1415555{1000 + i}": 500 + i % 3 for i in range(12)}


def test_a_filter_index_dies_with_the_column_the_copy_dropped(copy, monkeypatch):
    monkeypatch.setattr(copy_values, "KEPT_COLUMNS", 1)
    monkeypatch.setattr(filter_index, "_KEPT", [])
    values = copy.values()
    rows = RowList(NumberRow.from_wire(item) for item in copy.list_items())
    index = column_index(rows, PATHS[0], values.column(PATHS[0]))
    assert column_index(rows, PATHS[0], values.column(PATHS[0])) is index
    dropped = weakref.ref(values.column(PATHS[0]))
    del index

    values.column(PATHS[1])                           # PATHS[0] dropped by the copy
    gc.collect()
    assert dropped() is None                          # its index does not keep it alive
    column_index(rows, PATHS[1], values.column(PATHS[1]))
    assert [entry[1] for entry in filter_index._KEPT] == [PATHS[1]]   # nor is the index kept


def test_columns_reuse_the_number_strings_of_the_list_rows(copy):
    rows = [NumberRow.from_wire({"phoneNumber": "".join(["+1415555", str(1000 + i)])}) for i in range(12)]
    column = copy.values().column(PATHS[0])

    assert [number for number in column] == [row.number for row in rows]
    assert all(a is b.number for a, b in zip(column, rows, strict=True))


def test_a_column_held_is_handed_out_while_another_is_being_read():
    reading, release = threading.Event(), threading.Event()

    def build(paths):
        if "slow" in paths:
            reading.set()
            assert release.wait(10)
        return [copy_values.Column({"+14155551000": path}) for path in paths]

    values = copy_values.PathValues(build)
    held = values.column("fast")
    worker = threading.Thread(target=values.prepare, args=(("slow",),))
    worker.start()
    try:
        assert reading.wait(10)
        asked: list = []
        keystroke = threading.Thread(target=lambda: asked.append(values.column("fast")))
        keystroke.start()
        keystroke.join(5)
        assert asked == [held] and asked[0] is held   # did not wait for the slow path's read
        assert values.get("+14155551000", "fast") == "fast"
    finally:
        release.set()
        worker.join(10)
    assert set(values.paths) == {"fast", "slow"}
