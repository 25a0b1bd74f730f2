"""Path terms over a list: the column index kept between keystrokes, and dropped when the rows or the
values change."""

from __future__ import annotations

import gc
import weakref

from actui.core.filter_index import column_index
from actui.core.filtering import ABSENT, DocValues, RowList, compile_filter
from actui.core.inventory import Inventory, Row


def rows(count):
    return [Row.from_wire({"phoneNumber": f"+1415555{1000 + i}", "status": "Active"}) for i in range(count)]


class Copy:
    """A PathValues like the local copy's: the same column object until the values change."""

    def __init__(self, docs):
        self.values = DocValues(docs)
        self.columns_made = 0

    def change(self, docs):
        self.values = DocValues(docs)

    def get(self, number, path):
        return self.values.get(number, path)

    def column(self, path):
        self.columns_made += 1
        return self.values.column(path)


def test_the_index_is_kept_while_rows_and_column_stay_the_same_objects():
    listed = RowList(rows(10))
    column = {row.number: i % 3 for i, row in enumerate(listed)}
    index = column_index(listed, "p", column)
    assert column_index(listed, "p", column) is index
    assert column_index(RowList(listed), "p", column) is not index     # another list
    assert column_index(listed, "q", column) is not index              # another path
    changed = column_index(listed, "p", dict(column))                  # another column: the old one goes
    assert changed is not index and column_index(listed, "p", column) is not index
    listed.append(rows(11)[-1])
    grown = column_index(listed, "p", column)                         # the same list, grown in place
    assert grown.size == 11
    for path in "abcd":
        column_index(listed, path, column)
    assert column_index(listed, "p", column) is not grown              # only the last few are kept
    plain = rows(10)
    assert column_index(plain, "p", column) is not column_index(plain, "p", column)   # a plain list: never kept


def test_an_index_never_keeps_its_rows_alive():
    listed = RowList(rows(5))
    column_index(listed, "p", {})
    gone = weakref.ref(listed)
    del listed
    gc.collect()
    assert gone() is None


def test_a_changed_copy_changes_the_answer_on_the_next_keystroke():
    listed = RowList(rows(6))
    copy = Copy({row.number: {"settings": {"rateLimit": 100 * i}} for i, row in enumerate(listed)})
    flt = compile_filter("settings.rateLimit>250")
    assert [r.number[-1] for r in flt.select(listed, copy)] == ["3", "4", "5"]
    copy.change({row.number: {"settings": {"rateLimit": 1000 - 100 * i}} for i, row in enumerate(listed)})
    assert [r.number[-1] for r in flt.select(listed, copy)] == ["0", "1", "2", "3", "4", "5"]


def test_values_of_every_kind_group_without_mixing_true_and_1():
    listed = rows(8)
    values = [True, 1, 1.0, "true", [True], {"x": True}, None, ABSENT]
    column = {row.number: value for row, value in zip(listed, values, strict=True) if value is not ABSENT}
    index = column_index(listed, "p", column)
    assert index.mask(lambda v: v is True) == bytearray([1, 0, 0, 0, 0, 0, 0, 0])
    assert index.mask(lambda v: v == 1 and type(v) is int) == bytearray([0, 1, 0, 0, 0, 0, 0, 0])
    assert index.mask(lambda v: isinstance(v, (list, dict))) == bytearray([0, 0, 0, 0, 1, 1, 0, 0])
    assert index.mask(lambda v: v is ABSENT) == bytearray([0, 0, 0, 0, 0, 0, 0, 1])


def test_the_inventory_filters_with_its_path_values_and_never_narrows_a_path_query():
    inventory = Inventory(page_size=10)
    listed = rows(10)
    inventory.replace_all(listed)
    docs = {row.number: {"settings": {"optOut": {"enabled": i % 2 == 0}, "rateLimit": i * 10}}
            for i, row in enumerate(listed)}
    copy = Copy(docs)
    inventory.path_values = copy
    assert [r.number[-1] for r in inventory.view(1, "settings.optOut.enabled:true")] == ["0", "2", "4", "6", "8"]
    # typing on: `settings.rateLimit>1` then `>10` (not a narrowing: the last view is not searched)
    assert len(inventory.view(1, "settings.rateLimit>1")) == 9
    assert [r.number[-1] for r in inventory.view(1, "settings.rateLimit>10")] == [str(i) for i in range(2, 10)]
    assert [r.number[-1] for r in inventory.view(1, "settings.rateLimit<10")] == ["0"]
    odd = inventory.matching("settings.optOut.enabled:false class:")
    assert [r.number[-1] for r in odd] == ["1", "3", "5", "7", "9"]
    made = copy.columns_made
    inventory.view(1, "settings.rateLimit<20")
    assert copy.columns_made == made + 1    # the column is asked for again on every keystroke (cheap: cached)
    copy.change({**docs, listed[0].number: {"settings": {"rateLimit": 99}}})
    assert [r.number[-1] for r in inventory.view(1, "settings.rateLimit<20")] == ["1"]
