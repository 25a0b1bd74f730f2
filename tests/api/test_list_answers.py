"""Reading the list from a server that lies: wrong totals, repeated numbers, malformed items, bodies that are
not JSON or far too large. Real HTTP to a loopback server (tests/api/lying_server.py)."""

import httpx
import pytest

from actui.api.body_errors import ResponseTooLarge, UnreadableAnswer
from actui.api.client import ApiClient
from actui.api.list_items import ListingNotes
from actui.core.inventory import rows_from_wire
from tests.api.lying_server import envelope, gzip_bomb, huge_stream, numbers
from tests.helpers import client_for, fast_retry

REAL = numbers(250)


@pytest.mark.parametrize("totals", [
    {"total": 50},                      # lower than the real count
    {"total": -1},                      # "unknown"
    {"total": 150, "totalPages": 2},    # lower, with pages to match
    {"hasMore": False},                 # says the first page is the last
    {"total": 200},                     # right at a page boundary
])
@pytest.mark.parametrize("parse", [None, rows_from_wire], ids=["models", "rows"])
async def test_a_total_lower_than_the_real_count_does_not_end_the_listing(lying_server, totals, parse):
    server = lying_server(lambda page, limit: envelope(REAL, page, limit, **totals))
    notes = ListingNotes()
    async with client_for(server, retry=fast_retry(0)) as api:
        pages = [page async for page in api.iter_pages(limit=100, parse=parse, notes=notes)]
    got = [getattr(item, "number", None) or item.phone_number for page in pages for item in page.items]
    assert got == [item["phoneNumber"] for item in REAL]
    assert server.pages_asked()[-1] == 3  # read on to the short page, and no further
    claimed = totals.get("total", -1)
    if claimed >= 0:
        assert any(f"total said {claimed} numbers, but 250 arrived" in w for w in notes.warnings())


async def test_a_total_higher_than_the_real_count_ends_at_the_first_empty_page(lying_server):
    server = lying_server(lambda page, limit: envelope(REAL, page, limit, total=1000))
    notes = ListingNotes()
    async with client_for(server, retry=fast_retry(0)) as api:
        got = await api.list_all(limit=100, notes=notes)
    assert len(got) == 250
    assert "the server's total said 1000 numbers, but 250 arrived" in notes.warnings()[-1]


async def test_a_short_page_with_more_promised_reads_on(lying_server):
    """A server capping `limit` below what was asked sends short pages; its total says more follow."""
    server = lying_server(lambda page, limit: envelope(REAL, page, 60, total=250))
    async with client_for(server, retry=fast_retry(0)) as api:
        got = await api.list_all(limit=100)
    assert len(got) == 250
    assert server.pages_asked() == [1, 2, 3, 4, 5]


async def test_numbers_repeated_across_pages_are_listed_once_and_counted(lying_server):
    # page 2 starts with the last 10 numbers of page 1 (a server paging by offset while numbers are added)
    items = REAL[:100] + REAL[90:100] + REAL[100:250]
    server = lying_server(lambda page, limit: envelope(items, page, limit, total=len(items)))
    for parse in (None, rows_from_wire):
        notes = ListingNotes()
        async with client_for(server, retry=fast_retry(0)) as api:
            pages = [page async for page in api.iter_pages(limit=100, parse=parse, notes=notes)]
        got = [getattr(i, "number", None) or i.phone_number for page in pages for i in page.items]
        assert got == [item["phoneNumber"] for item in REAL]
        assert notes.duplicates == 10
        assert "10 duplicate numbers across pages: each number is listed once" in notes.warnings()


MALFORMED = [None, 5, {"phoneNumber": None}, {"description": "no number at all"}, {"phoneNumber": ""}, "+1"]


@pytest.mark.parametrize("parse", [None, rows_from_wire], ids=["models", "rows"])
async def test_a_malformed_item_is_skipped_and_named_by_its_position(lying_server, parse):
    page2 = REAL[100:103] + MALFORMED + REAL[103:110]
    pages = {1: REAL[:100], 2: page2}
    server = lying_server(lambda page, limit: {"phoneNumbers": pages.get(page, [])})
    notes = ListingNotes()
    async with client_for(server, retry=fast_retry(0)) as api:
        got = [page async for page in api.iter_pages(limit=100, parse=parse, notes=notes)]
    assert sum(len(page.items) for page in got) == 110
    where = [(p.page, p.index, p.skipped) for p in notes.problems]
    assert where == [(2, i, True) for i in range(4, 10)]
    warnings = notes.warnings()
    assert warnings[0] == "page 2, item 4: null instead of a number; skipped"
    assert warnings[1] == "page 2, item 5: a number instead of an object; skipped"
    assert warnings[2] == "page 2, item 6: phoneNumber is empty; skipped"
    assert warnings[3] == "page 2, item 7: no phoneNumber; skipped"
    assert "1 more items" in warnings[5]


async def test_a_field_of_the_wrong_type_keeps_the_number(lying_server):
    odd = {"phoneNumber": "+14155559999", "description": 5, "status": "Active"}
    server = lying_server(lambda page, limit: [odd, *REAL[:3]] if page == 1 else [])
    async with client_for(server, retry=fast_retry(0)) as api:
        page = await api.list_page(1, 100)
    assert [n.phone_number for n in page.items] == ["+14155559999", *(i["phoneNumber"] for i in REAL[:3])]
    assert page.items[0].status == "Active"
    assert [str(p) for p in page.problems] == ["page 1, item 1: +14155559999: description of an unexpected "
                                               "type, left out"]


async def test_a_list_body_that_is_not_json_is_an_unreadable_answer(lying_server):
    server = lying_server(lambda page, limit: b"<html>maintenance</html>")
    async with client_for(server, retry=fast_retry(0)) as api:
        with pytest.raises(UnreadableAnswer, match="HTTP 200 with a body that is not JSON"):
            await api.list_page(1, 100)


@pytest.mark.parametrize("answer", [
    lambda page, limit: huge_stream(3 * 1024 * 1024),                 # streamed, no length said
    lambda page, limit: b"[" + b" " * (3 * 1024 * 1024) + b"]",       # a Content-Length over the cap
    lambda page, limit: gzip_bomb(3 * 1024 * 1024),                   # small on the wire, large decoded
], ids=["streamed", "declared", "gzip"])
async def test_a_body_over_the_cap_is_refused_with_a_clear_error(lying_server, answer):
    server = lying_server(answer)
    async with client_for(server, retry=fast_retry(0), max_body_mb=1) as api:
        with pytest.raises(ResponseTooLarge) as info:
            await api.list_page(1, 5)
        message = str(info.value)
        assert "the server's answer is larger than 1 MB (max_body_mb)" in message
        assert "ACTUI_MAX_BODY_MB" in message
        # the connection is still usable for what fits
        server.answer = lambda page, limit: envelope(REAL, page, limit)
        assert len((await api.list_page(1, 5)).items) == 5
    assert info.value.status == 200


async def test_the_default_cap_is_64_mb():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, content=b"[" + b" " * (64 * 1024 * 1024) + b"]")

    async with ApiClient("https://api.example.test", "u", "pw", transport=httpx.MockTransport(handler),
                         retry=fast_retry(0)) as api:
        with pytest.raises(ResponseTooLarge, match="larger than 64 MB"):
            await api.list_page(1, 5)
    assert len(seen) == 1  # never retried
