"""The CLI against the sandbox with each fault on: reading, one update, a bulk run, an order.

Every cell asserts what the issue requires: no traceback and no raw body, one clear message when it
fails, no partial JSON, no POST sent twice, and the journal agreeing with the server after a write.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from actui.sandbox.fault_bodies import HOSTILE
from tests.helpers import TENANT

from .checks import (
    assert_journal_matches_server,
    assert_no_raw_dump,
    assert_one_clear_message,
    assert_succeeded,
    error_lines,
    injected,
)

# Faults a GET or PUT gets past by trying again (a few of its attempts meet the fault).
# (every 2nd request: `list --all` reads two pages, `update` a GET then a PUT, so each meets the fault)
PASSING = {
    "503": "error_every=2",
    "dropped connection": "drop_every=2",
    "502 nginx page": "gateway_every=2",
    "500 traceback": "traceback_every=2",
    "429 token bucket": "rate_limit=1",
    "429 sliding window": "sliding_limit=1,sliding_window=1s",
    "stalled body": "stall_every=2,stall_for=60s",
}
# Faults on every request: nothing can succeed, everything must fail cleanly.
BLOCKING = {
    "403 always": "forbidden_every=1",
    "502 nginx page always": "gateway_every=1",
    "500 traceback always": "traceback_every=1",
    "HTML 200 always": "html_every=1",
    "truncated body always": "truncate_every=1",
}
# What the server sends is wrong or odd; the data is all there for a client that reads it with care.
DATA = {
    "lying total -1": "lying_total=-1",
    "lying total too low": "lying_total=30",
    "duplicates across pages": "duplicates=3",
    "hostile text": "hostile_every=1",
}


def ids(table: dict[str, str]) -> list:
    return [pytest.param(spec, id=name) for name, spec in table.items()]


# --- reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ids(PASSING) + ids(DATA))
def test_list_all_gets_every_number_once(run, server, spec):
    server.faults.set(spec)
    code, out, err = run("numbers", "list", "--all", "--json")
    assert injected(server)
    assert_succeeded(code, out, err)
    numbers = [n["phoneNumber"] for n in json.loads(out)]
    assert sorted(numbers) == sorted(server.state.numbers())      # nothing lost, nothing twice
    if spec in ("lying_total=30", "duplicates=3"):
        assert err.strip(), "the disagreement is told as a warning"
    # a total of -1 is the usual "unknown", not a claim: read on in silence, as without a total


@pytest.mark.parametrize("spec", ids(BLOCKING) + [pytest.param("html_every=2", id="HTML 200 on page 2"),
                                                  pytest.param("truncate_every=2", id="truncated page 2")])
def test_list_all_fails_with_one_message_and_no_partial_json(run, server, spec):
    server.faults.set(spec)
    code, out, err = run("numbers", "list", "--all", "--json")
    line = assert_one_clear_message(code, out, err, json_output=True)
    if "forbidden" in spec:
        assert "not allowed" in line.lower() or "403" in line
    if "gateway" in spec or "traceback" in spec:
        assert "ACTUI_DEBUG=1" in line     # the page reduced to one line, the body on demand


def test_an_oversized_body_is_refused_and_limit_is_honoured(run, server):
    code, out, err = run("numbers", "list", "--limit", "5", "--json")
    assert code == 0 and len(json.loads(out)) == 5
    server.faults.set("oversize_every=1,oversize_mb=100")    # beyond the default cap (64 MB)
    code, out, err = run("numbers", "list", "--limit", "5", "--json")
    line = assert_one_clear_message(code, out, err, json_output=True)
    assert "MB" in line or "large" in line.lower()


def test_hostile_text_is_safe_in_the_table_show_and_csv_and_exact_in_json(run, server):
    number = server.state.numbers()[0]
    server.faults.set("hostile_every=1")
    for args in (("numbers", "list", "--limit", "5"), ("numbers", "show", number)):
        code, out, err = run(*args)
        assert_succeeded(code, out, err)
        assert_no_raw_dump(out, " ".join(args))
    code, out, err = run("numbers", "list", "--limit", "5", "--csv")
    assert_succeeded(code, out, err)
    assert_no_raw_dump(out, "csv")
    for row in list(csv.reader(io.StringIO(out)))[1:]:   # no formula (a plain number may start with + or -)
        assert not any(cell[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"[+-]?\d+(\.\d+)?", cell)
                       for cell in row), row
    code, out, _ = run("numbers", "show", number, "--json")
    assert code == 0 and HOSTILE in json.loads(out)["settings"]["optOut"]["text"]   # JSON stays exact


def test_hostile_error_messages_are_safe(run, server):
    server.faults.set("hostile_every=1")
    code, out, err = run("numbers", "show", "+14155550150")
    assert_one_clear_message(code, out, err)


def test_a_number_deleted_after_listing_says_not_found(run, server):
    server.faults.set("vanish_every=10")
    gone = server.state.numbers()[9]
    code, out, err = run("numbers", "show", gone)
    line = assert_one_clear_message(code, out, err)
    assert gone in line and "not found" in line.lower()


# --- one update ------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ids(PASSING))
def test_update_gets_through_and_is_journaled(run, server, spec):
    number = server.state.numbers()[2]
    server.faults.set(spec)
    code, out, err = run("numbers", "update", number, "--set", "description=Through the fault")
    server.faults.clear()
    assert injected(server)
    assert_succeeded(code, out, err)
    assert server.state.detail(number)["description"] == "Through the fault"
    assert_journal_matches_server(server)


@pytest.mark.parametrize("spec", ids(BLOCKING))
def test_update_fails_cleanly_and_the_journal_says_what_the_server_holds(run, server, spec):
    number = server.state.numbers()[2]
    server.faults.set(spec)
    code, out, err = run("numbers", "update", number, "--set", "description=Blocked", "--json")
    server.faults.clear()
    applied = server.state.detail(number)["description"] == "Blocked"
    if code == 0:
        assert applied     # a truncated answer to a PUT that ran: actui read the number back
    else:
        line = assert_one_clear_message(code, out, err, json_output=True)
        if applied:
            assert "may have" in line.lower()
    assert_journal_matches_server(server)


def test_a_put_answered_by_a_proxys_page_is_found_not_applied_and_journaled_so(run, server):
    number = server.state.numbers()[2]
    server.faults.set("html_every=1,on=PUT")
    code, out, err = run("numbers", "update", number, "--set", "description=Proxied")
    server.faults.clear()
    line = assert_one_clear_message(code, out, err)
    assert "not applied" in line and server.state.detail(number)["description"] != "Proxied"
    assert assert_journal_matches_server(server) == {"failed": 1}


def test_a_put_whose_answer_was_cut_short_is_found_applied_and_journaled_so(run, server):
    number = server.state.numbers()[2]
    server.faults.set("truncate_every=1,on=PUT")
    code, out, err = run("numbers", "update", number, "--set", "description=Landed")
    server.faults.clear()
    assert_succeeded(code, out, err)
    assert server.state.detail(number)["description"] == "Landed"
    assert assert_journal_matches_server(server) == {"changed": 1}


def test_403_is_not_an_authentication_failure(run, server):
    number = server.state.numbers()[2]
    server.faults.set("forbidden_every=1")
    code, out, err = run("numbers", "update", number, "--set", "description=Nope")
    line = assert_one_clear_message(code, out, err)    # exit 1, not 4
    assert "password" not in line.lower()


# --- a bulk run ------------------------------------------------------------------------------------

# (a stall is a dropped connection, only slower: not here)
BULK = {"503": "error_every=3", "dropped connection": "drop_every=3", "502 nginx page": "gateway_every=3",
        "500 traceback": "traceback_every=3",
        # limits that a bulk run of ~80 requests meets and still ends quickly
        "429 token bucket": "rate_limit=25", "429 sliding window": "sliding_limit=40,sliding_window=1s",
        "403 on every 4th": "forbidden_every=4", "truncated every 4th": "truncate_every=4",
        "HTML 200 every 5th": "html_every=5", "deleted between list and detail": "vanish_every=7"}


@pytest.mark.parametrize("spec", ids(BULK))
def test_bulk_run_journal_equals_server(run, server, spec):
    server.faults.set(spec)
    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=Bulk", "--yes",
                         "--concurrency", "4", "--json")
    server.faults.clear()
    assert injected(server)
    assert_no_raw_dump(err, "stderr")
    if out.strip():
        json.loads(out)
    counts = assert_journal_matches_server(server)
    assert counts.get("changed", 0) > 0
    if code == 0:
        assert not error_lines(err)
        return
    assert code == 1, err
    if not out.strip():
        assert len(error_lines(err)) == 1, err        # the run could not start: one message
        return
    failed = [r for r in json.loads(out)["results"] if r["state"] != "changed"]
    assert failed and len(failed) == sum(n for state, n in counts.items() if state != "changed")
    for result in failed:    # each number that failed says why, in one line, nothing raw
        assert result["error"] and "\n" not in result["error"]
        assert_no_raw_dump(result["error"], result["number"])


# --- an order --------------------------------------------------------------------------------------

ORDER_FAULTS = {
    "503": "error_every=1", "dropped after placing": "drop_every=1", "403": "forbidden_every=1",
    "502 nginx page": "gateway_every=1", "500 traceback": "traceback_every=1", "HTML 200": "html_every=1",
    "truncated after placing": "truncate_every=1", "stalled after placing": "stall_every=1,stall_for=60s",
    "429 token bucket": "rate_limit=0.01", "hostile answer": "hostile_every=1",
}


@pytest.mark.parametrize("spec", ids(ORDER_FAULTS))
def test_an_order_is_posted_once_and_its_fate_is_said(run, server, spec):
    server.faults.reset_stats()
    if "rate_limit" in spec:
        server.faults.set(spec)
        server.faults._retry_after()   # the bucket's one token goes: the POST meets a 429
    else:
        server.faults.set(spec)
    code, out, err = run("--tenant-id", TENANT, "provision", "+14155557001", "--class", "P2P", "--type", "SMS")
    server.faults.clear()
    assert injected(server)
    assert server.faults.stats.posts == 1, "a POST is never sent twice"
    placed = server.state.order(12345) is not None
    assert_no_raw_dump(out + err)
    if code == 0:
        assert placed
    else:
        line = assert_one_clear_message(code, out, err)
        if placed:
            assert "may" in line.lower() and "not retried" in line.lower(), line


# --- odd-but-real data (`actui sandbox --odd`) -----------------------------------------------------


@pytest.fixture
def odd_run(sandbox_factory, monkeypatch, capsys):
    from tests.helpers import cli_runner

    server = sandbox_factory(numbers=20, odd=True)
    return server, cli_runner(server, monkeypatch, capsys)


@pytest.mark.parametrize("position", [1, 2, 3, 4, 5, 6])
def test_odd_values_are_shown_and_never_block_an_unrelated_update(odd_run, position):
    from actui.sandbox.odd import ODD_POSITIONS

    server, run = odd_run
    number = server.state.numbers()[position]
    before = server.state.detail(number)
    code, out, err = run("numbers", "show", number)
    assert_succeeded(code, out, err)                      # reading is never refused
    code, out, err = run("numbers", "update", number, "--set", "description=Unrelated edit")
    assert_succeeded(code, out, err)
    after = server.state.detail(number)
    assert after["description"] == "Unrelated edit"
    assert {k: v for k, v in after.items() if k != "description"} == \
        {k: v for k, v in before.items() if k != "description"}, ODD_POSITIONS[position].__name__
