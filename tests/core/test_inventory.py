import pytest

from actui.core.filtering import FilterError, compile_filter, narrows, parse
from actui.core.inventory import Inventory, Row


def row(number, status="Active", cls="P2P", typ="SMS", platform="Zoom", user="ann@acme.com",
        email="support@acme.com", description="Support line", plan="500"):
    return Row.from_wire({"phoneNumber": number, "status": status, "provisionClass": cls, "provisionType": typ,
                          "platformType": platform, "userId": user, "email": email, "description": description,
                          "billingPlanName": plan})


ROWS = [
    row("+14155551234"),
    row("+12125550188", status="Inactive", cls="A2P", description="Sales West", user="bob@globex.com"),
    row("+13125557777", status="Suspended", platform="WebexSpace", description="Billing\nDesk"),
]


@pytest.mark.parametrize("query, expected", [
    ("4155", ["+14155551234"]),
    ("(415) 5", ["+14155551234"]),
    ("415-555-1234", ["+14155551234"]),
    ("+1 212", ["+12125550188"]),
    ("sales", ["+12125550188"]),
    ("class:a2p", ["+12125550188"]),
    ("!inactive", ["+14155551234", "+13125557777"]),
    ("status:suspended webex", ["+13125557777"]),
    ('"sales west"', ["+12125550188"]),
    ("globex 212", ["+12125550188"]),
    ("number:7777", ["+13125557777"]),
    ("", ["+14155551234", "+12125550188", "+13125557777"]),
])
def test_filter_language(query, expected):
    keep = compile_filter(query)
    assert [r.number for r in ROWS if keep(r)] == expected


def test_unknown_column_is_an_error():
    with pytest.raises(FilterError, match="unknown column 'colour'"):
        parse("colour:red")


def test_cells_never_hold_newlines_and_number_is_friendly():
    assert ROWS[2].cells[7] == "Billing Desk"
    assert ROWS[0].cells[0] == "(415) 555-1234"


@pytest.mark.parametrize("old, new, expected", [
    ("acm", "acme", True), ("415", "4155", True), ("acme", "acme sup", True), ("acme", "acm", False),
    ("!x", "!xy", False), ("class:a", "class:a2p", True), ("", "x", True), ("41", "41a", False),
])
def test_narrowing_rule(old, new, expected):
    assert narrows(old, new) is expected


def make_inventory(n=250, page_size=100):
    inv = Inventory(page_size=page_size, clock=lambda: 1000.0)
    rows = [row(f"+1415555{1000 + i}", description=f"line {i:03d}", status="Active" if i % 7 else "Inactive")
            for i in range(n)]
    return inv, rows


def test_pages_totals_and_browsing_view():
    inv, rows = make_inventory()
    inv.add_page(1, rows[:100], total=250)
    assert inv.total_pages == 3 and inv.loaded_count == 100
    assert [r.number for r in inv.view(1)] == [r.number for r in rows[:100]]
    inv.add_page(3, rows[200:], is_last=True)
    assert inv.view(3) == rows[200:]
    assert inv.view(2) == []          # not loaded yet


def test_filter_covers_everything_loaded_and_sort_both_ways():
    inv, rows = make_inventory()
    inv.replace_all(rows)
    assert inv.all_loaded and inv.total == 250 and inv.total_pages == 3
    inactive = inv.view(1, "inactive")
    assert len(inactive) == len([i for i in range(250) if i % 7 == 0])
    narrowed = inv.view(1, "inactive 14155551")
    assert {r.number for r in narrowed} <= {r.number for r in inactive}
    assert [r.number for r in narrowed] == [r.number for r in inactive if "14155551" in r.digits]
    down = inv.view(1, "", "description", True)
    assert down[0].cells[7] == "line 249" and down[-1].cells[7] == "line 000"
    filtered_sorted = inv.view(1, '"line 00"', "description", True)
    assert [r.cells[7] for r in filtered_sorted] == [f"line 00{i}" for i in range(9, -1, -1)]


def test_update_row_replaces_in_place():
    inv, rows = make_inventory(10)
    inv.replace_all(rows)
    inv.view(1)
    fresh = row(rows[3].number, description="edited")
    inv.update_row(fresh)
    assert inv.find(rows[3].number).cells[7] == "edited"
    assert inv.current[3].cells[7] == "edited"
