"""Each fault kind of `--faults` does what `actui sandbox --help` says, as a plain HTTP client sees it."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from actui.sandbox import Faults, FaultSpecError
from actui.sandbox.fault_bodies import HOSTILE, KEEP_REAL
from actui.sandbox.fault_help import FAULTS_HELP
from actui.sandbox.faults import _SPEC

from .helpers import all_numbers, order_body, path, provision_entry

LIST = "/phone-numbers/active"


def test_every_key_is_documented_and_round_trips():
    for key in _SPEC:
        assert key in FAULTS_HELP or key.replace("_every", "_rate") in FAULTS_HELP \
            or key.replace("_rate", "_every") in FAULTS_HELP, key
    spec = ("sliding_limit=4,sliding_window=2s,forbidden_every=3,gateway_rate=0.5,traceback_every=2,"
            "html_every=5,truncate_every=2,oversize_every=1,oversize_mb=0.5,stall_every=4,stall_for=1.5s,"
            "hostile_every=1,lying_total=-1,duplicates=3,vanish_every=10,on=PUT+POST,seed=4")
    faults = Faults.parse(spec)
    assert faults.active and Faults.parse(str(faults)) == faults
    assert (faults.sliding_window, faults.stall_for, faults.oversize_mb, faults.lying_total) == (2.0, 1.5, 0.5, -1)
    faults.clear()
    assert not faults.active and faults.oversize_mb == 0.5


@pytest.mark.parametrize("spec, words", [
    ("lying_total=few", "integer"), ("oversize_mb=0", "more than 0"), ("stall_for=soon", "duration"),
    ("hostile_rate=3", "between 0 and 1"), ("vanish_every=x", "whole number"), ("sliding_limit=-2", "whole"),
])
def test_bad_specs_for_new_kinds(spec, words):
    with pytest.raises(FaultSpecError, match=words):
        Faults.parse(spec)


def test_the_cli_help_lists_every_fault_and_the_odd_seed():
    out = subprocess.run([sys.executable, "-m", "actui", "sandbox", "--help"], capture_output=True, text=True,
                         timeout=60).stdout
    for key in ("forbidden_every", "gateway_every", "traceback_every", "html_every", "truncate_every",
                "oversize_every", "stall_every", "hostile_every", "lying_total", "duplicates", "vanish_every",
                "sliding_limit", "--odd", "P2P Legacy"):
        assert key in out, key


def test_403_every_request_or_every_nth(client, server):
    server.faults.forbidden_every = 2
    got = [client.get(LIST).status_code for _ in range(4)]
    assert got == [200, 403, 200, 403]
    r = client.put(path(server.state.numbers()[0]), json={"description": "x"})
    assert r.status_code == 200  # the 5th
    r = client.put(path(server.state.numbers()[0]), json={"description": "never"})
    assert r.status_code == 403 and "not allowed" in r.json()["message"]
    assert server.state.detail(server.state.numbers()[0])["description"] == "x"
    assert server.faults.stats.forbidden == 3


def test_502_is_nginxs_html_page_and_nothing_changes(client, server):
    server.faults.gateway_every = 1
    number = server.state.numbers()[0]
    r = client.put(path(number), json={"description": "lost"})
    assert r.status_code == 502 and r.headers["content-type"].startswith("text/html")
    assert "<center>nginx" in r.text and "502 Bad Gateway" in r.text
    assert server.state.detail(number)["description"] != "lost"


def test_500_with_a_server_traceback(client, server):
    server.faults.traceback_every = 1
    r = client.get(LIST)
    assert r.status_code == 500 and r.text.startswith("Traceback (most recent call last):")
    assert r.text.count("\n") > 3


def test_200_that_is_html_not_json(client, server):
    server.faults.html_every = 1
    r = client.get(path(server.state.numbers()[0]))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_truncated_body_is_valid_http_with_json_cut_off_after_the_request_ran(client, server):
    server.faults.truncate_every = 1
    number = server.state.numbers()[0]
    r = client.put(path(number), json={"description": "applied"})
    assert r.status_code == 200 and int(r.headers["content-length"]) == len(r.content)
    with pytest.raises(json.JSONDecodeError):
        r.json()
    assert server.state.detail(number)["description"] == "applied"
    full = len(server.state.detail_json(number).encode())
    assert 0 < len(r.content) < full


def test_oversized_body_is_padded_json(client, server):
    server.faults.oversize_every = 1
    server.faults.oversize_mb = 0.5
    r = client.get(LIST, params={"limit": 5})
    assert len(r.content) > 512 * 1024
    assert len(r.json()["phoneNumbers"]) == 5  # still the same document
    assert server.faults.stats.oversize == 1


def test_a_stalled_body_never_finishes_and_is_cut_when_the_client_gives_up(server):
    server.faults.stall_every = 1
    with httpx.Client(base_url=server.base_url, auth=(server.user, server.password),
                      timeout=httpx.Timeout(5.0, read=1.0)) as c:
        with c.stream("GET", LIST) as r:
            assert r.status_code == 200 and int(r.headers["content-length"]) > 0  # the headers came
            with pytest.raises(httpx.ReadTimeout):
                r.read()
    server.faults.clear()
    with httpx.Client(base_url=server.base_url, auth=(server.user, server.password)) as c:
        assert c.get(LIST).status_code == 200
    assert server.faults.stats.stall == 1


def test_a_stall_ends_with_a_cut_connection_after_stall_for(server):
    server.faults.stall_every = 1
    server.faults.stall_for = 0.2
    with httpx.Client(base_url=server.base_url, auth=(server.user, server.password), timeout=10) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            c.get(LIST)


def test_hostile_text_in_every_field_but_the_keys(client, server):
    server.faults.hostile_every = 1
    number = server.state.numbers()[0]
    detail = client.get(path(number)).json()
    assert detail["phoneNumber"] == number and HOSTILE in detail["description"]
    assert HOSTILE in detail["status"] and HOSTILE in detail["settings"]["optOut"]["text"]
    assert any(key.startswith("vendorNote\x1b") for key in detail)
    for key in KEEP_REAL & set(detail):
        assert HOSTILE not in str(detail[key])
    listed = client.get(LIST, params={"limit": 3}).json()["phoneNumbers"]
    assert [n["phoneNumber"] for n in listed] == server.state.numbers()[:3]
    assert all(HOSTILE in n["friendlyName"] for n in listed)
    error = client.get(path("+14155550150")).json()          # error bodies too
    assert HOSTILE in error["message"]
    assert HOSTILE not in server.state.detail_json(number)   # only the answers: the data stays clean


@pytest.mark.parametrize("lie", [-1, 30])
def test_lying_total(client, server, lie):
    server.faults.lying_total = lie
    first = client.get(LIST, params={"limit": 50}).json()
    assert first["total"] == lie and first["hasMore"] is (lie > 50)
    assert first["totalPages"] == (1 if lie == 30 else 0)
    # the pages are all still there for a client that reads on while pages are full
    assert len(all_numbers_reading_on(client, 50)) == 120


def all_numbers_reading_on(client: httpx.Client, limit: int) -> list[str]:
    out, page = [], 1
    while True:
        items = client.get(LIST, params={"page": page, "limit": limit}).json()["phoneNumbers"]
        out += [n["phoneNumber"] for n in items]
        if len(items) < limit:
            return out
        page += 1


def test_duplicates_across_pages(client, server):
    server.faults.duplicates = 3
    pages = [client.get(LIST, params={"page": p, "limit": 50}).json()["phoneNumbers"] for p in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [50, 53, 23, 0]
    assert pages[1][:3] == pages[0][-3:] and pages[2][:3] == pages[1][-3:]
    numbers = [n["phoneNumber"] for p in pages for n in p]
    assert len(numbers) == 126 and set(numbers) == set(server.state.numbers())


def test_a_listed_number_vanishes_before_its_detail(client, server):
    server.faults.vanish_every = 10
    listed = [n["phoneNumber"] for n in all_numbers(client)]
    assert len(listed) == 120
    gone = [listed[i] for i in range(9, 120, 10)]
    r = client.get(path(gone[0]))
    assert r.status_code == 404 and gone[0] in r.json()["message"]
    assert client.put(path(gone[1]), json={"description": "x"}).status_code == 404
    assert client.get(path(listed[0])).status_code == 200
    assert server.faults.stats.vanished == 2


def test_sliding_window_rate_limit(client, server):
    server.faults.sliding_limit = 3
    server.faults.sliding_window = 60    # far longer than the test: no request leaves the window
    got = [client.get(LIST, params={"limit": 1}) for _ in range(5)]
    assert [r.status_code for r in got] == [200, 200, 200, 429, 429]
    assert 1 <= int(got[3].headers["retry-after"]) <= 60
    assert got[3].json()["status"] == 429 and server.faults.stats.rate_limited == 2


def test_on_limits_the_faults_to_some_methods_and_counts_only_those(client, server):
    number = server.state.numbers()[0]
    server.faults.set("error_every=2,on=PUT")
    assert [client.get(path(number)).status_code for _ in range(3)] == [200, 200, 200]
    got = [client.put(path(number), json={"description": f"v{i}"}).status_code for i in range(4)]
    assert got == [200, 503, 200, 503] and server.faults.stats.errors == 2
    with pytest.raises(FaultSpecError, match="GET, PUT or POST"):
        Faults.parse("on=DELETE")


def test_posts_and_puts_are_counted_whatever_they_were_answered(client, server):
    server.faults.error_every = 1
    client.post("/phone-numbers/provision", json=order_body("Provision", provision_entry("+14155557001")))
    client.put(path(server.state.numbers()[0]), json={"description": "x"})
    client.get(LIST)
    assert (server.faults.stats.posts, server.faults.stats.puts, server.faults.stats.requests) == (1, 1, 3)
