"""GET /phone-numbers/active: paging, totals, every response shape a client must accept."""

from __future__ import annotations

import json

import pytest

from actui.sandbox import LIST_SHAPES

from .helpers import all_numbers


def test_envelope_pages_to_the_end_in_insertion_order(client, server):
    first = client.get("/phone-numbers/active", params={"page": 1, "limit": 50}).json()
    assert (first["page"], first["limit"], first["total"], first["totalPages"], first["hasMore"]) == \
        (1, 50, 120, 3, True)
    last = client.get("/phone-numbers/active", params={"page": 3, "limit": 50}).json()
    assert len(last["phoneNumbers"]) == 20 and last["hasMore"] is False
    beyond = client.get("/phone-numbers/active", params={"page": 4, "limit": 50}).json()
    assert beyond["phoneNumbers"] == [] and beyond["total"] == 120
    listed = [n["phoneNumber"] for n in all_numbers(client, limit=50)]
    assert listed == server.state.numbers() and len(set(listed)) == 120


def test_defaults_are_page_1_and_limit_100(client):
    body = client.get("/phone-numbers/active").json()
    assert (body["page"], body["limit"], len(body["phoneNumbers"])) == (1, 100, 100)


def test_list_entries_are_the_detail_without_settings(client, server):
    entry = client.get("/phone-numbers/active", params={"limit": 1}).json()["phoneNumbers"][0]
    detail = server.state.detail(entry["phoneNumber"])
    assert "settings" not in entry
    assert entry == {k: v for k, v in detail.items() if k != "settings"}


EXPECTED_KEYS = {
    "envelope": {"phoneNumbers", "page", "limit", "total", "totalPages", "hasMore"},
    "data": {"data", "totalCount"},
    "items": {"items", "count"},
    "results": {"results", "hasMore"},
    "nototal": {"phoneNumbers"},
}


@pytest.mark.parametrize("shape", LIST_SHAPES)
def test_each_shape_pages_through_everything(client, server, shape):
    server.options.list_shape = shape
    seen, page = [], 1
    while True:
        body = client.get("/phone-numbers/active", params={"page": page, "limit": 25}).json()
        if shape == "array":
            items = body
        else:
            assert set(body) == EXPECTED_KEYS[shape]
            items = body[{"envelope": "phoneNumbers", "nototal": "phoneNumbers"}.get(shape, shape)]
            total = body.get("total", body.get("totalCount", body.get("count")))
            if total is not None:
                assert total == 120
            if "hasMore" in body:
                assert body["hasMore"] == (page * 25 < 120)
        seen += [n["phoneNumber"] for n in items]
        if len(items) < 25:
            break
        page += 1
    assert seen == server.state.numbers()


@pytest.mark.parametrize("params, field", [
    ({"page": "0"}, "page"), ({"page": "-1"}, "page"), ({"page": "x"}, "page"), ({"page": "1.5"}, "page"),
    ({"limit": "0"}, "limit"), ({"limit": "ten"}, "limit"), ({"limit": ""}, "limit"),
])
def test_bad_page_or_limit_is_400(client, params, field):
    r = client.get("/phone-numbers/active", params=params)
    assert r.status_code == 400
    assert [e["field"] for e in r.json()["errors"]] == [field]


def test_max_limit(client, server):
    server.options.max_limit = 50
    r = client.get("/phone-numbers/active", params={"limit": 51})
    assert r.status_code == 400
    assert r.json()["message"] == "limit: must be at most 50"
    assert client.get("/phone-numbers/active", params={"limit": 50}).status_code == 200
    server.options.max_limit = None
    assert len(client.get("/phone-numbers/active", params={"limit": 1000}).json()["phoneNumbers"]) == 120


def test_unknown_shape_is_refused(server):
    with pytest.raises(ValueError):
        server.options.list_shape = "xml"


def test_response_is_valid_json_even_with_unicode_and_markup(client):
    raw = client.get("/phone-numbers/active", params={"limit": 1000}).content
    body = json.loads(raw.decode("utf-8"))
    assert len(body["phoneNumbers"]) == 120
