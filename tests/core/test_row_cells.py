"""A list row's cells are cell_text of each wire value, whichever way from_wire takes (it judges a whole
row at once and takes each value's own way only for a row that needs it)."""

from collections import OrderedDict, defaultdict
from types import MappingProxyType

import pytest

from actui.core.inventory import COLUMNS, NumberRow, cell_text, rows_from_wire
from tests.fixtures.hostile import HOSTILE

WIRES = [column.wire for column in COLUMNS[1:]]
CLEAN = {"status": "Active", "provisionClass": "P2P", "provisionType": "SMS", "platformType": "Zoom",
         "userId": "ann@acme.com", "email": "support@acme.com", "description": "Support | line",
         "billingPlanName": "500"}
ODD_VALUES = [None, "", " ", "  ", " lead", "trail ", "two  spaces", "tab\there", "new\nline", "\u00a0nbsp",
              "ideo\u3000space", "ctl\x1fsep", "esc\x1b[31m", "\x9bcsi", "bidi\u202eflip", "| pipe |", "a |b",
              True, False, 0, 500, 2.5, ["a", "b"], {"k": "v"}, "ünïcödé", HOSTILE]


def wire(**values):
    return {"phoneNumber": "+14155551234", **CLEAN, **values}


def test_a_clean_row_keeps_its_values_as_they_are():
    row = NumberRow.from_wire(wire())
    assert row.cells == ("(415) 555-1234", *[CLEAN[w] for w in WIRES])
    assert row.haystack == "\x1f".join(row.cells).lower()


@pytest.mark.parametrize("column", WIRES)
@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_each_odd_value_in_each_column_is_its_cell_text(column, value):
    row = NumberRow.from_wire(wire(**{column: value}))
    assert row.cells[1:] == tuple(cell_text(wire(**{column: value})[w]) for w in WIRES)


def test_odd_values_everywhere_at_once_and_missing_fields():
    doc = dict(zip(WIRES, ODD_VALUES, strict=False), phoneNumber="+14155551234")
    assert NumberRow.from_wire(doc).cells[1:] == tuple(cell_text(doc[w]) for w in WIRES)
    sparse = {"phoneNumber": "+14155551234", "status": "Active", "description": "  Billing\n desk "}
    assert NumberRow.from_wire(sparse).cells[1:] == tuple(cell_text(sparse.get(w)) for w in WIRES)


@pytest.mark.parametrize("kind", [OrderedDict, MappingProxyType, lambda d: defaultdict(str, d)],
                         ids=["OrderedDict", "MappingProxyType", "defaultdict"])
def test_other_mappings_read_the_same_and_are_left_unchanged(kind):
    doc = kind({"phoneNumber": "+14155551234", "status": "Active", "email": None})
    assert NumberRow.from_wire(doc).cells[1:] == ("Active", *[""] * 4, "", "", "")
    assert set(doc) == {"phoneNumber", "status", "email"}  # a defaultdict gained no keys
    assert [r.number for r in rows_from_wire([doc, "not an item", None])] == ["+14155551234"]
