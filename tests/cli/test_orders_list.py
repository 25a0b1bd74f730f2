"""`actui orders list` (the tracked orders, from the local store) and `actui orders watch --timeout`."""

from __future__ import annotations

import json

import pytest

from actui.api.order_models import Order
from actui.core.orders import OrderBook
from actui.core.store import Store
from tests.cli.helpers import profile
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe
from tests.helpers import TENANT, cli_runner


def book_for(server) -> OrderBook:
    host = server.base_url.split("//")[1].split("/")[0]
    return OrderBook(Store(), f"{server.user}@{host}")


def provision(run, *numbers: str) -> int:
    code, out, err = run("--tenant-id", TENANT, "provision", *numbers, "--class", "P2P", "--type", "SMS", "--json")
    assert code == 0, err
    return json.loads(out)["orderId"]


def test_nothing_tracked_says_so(run):
    code, out, err = run("orders", "list")
    assert code == 0 and "no orders tracked" in out
    code, out, _ = run("orders", "list", "--pending", "--json")
    assert code == 0 and json.loads(out) == []


def test_orders_placed_here_are_listed_newest_first_with_what_watch_saw(run, sandbox, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")   # room for every cell (tables cut what does not fit)
    first = provision(run, "+14155550234", "(415) 555-0150")
    code, out, _ = run("orders", "list")
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == ["ORDER", "ACTION", "CLASS", "STATUS", "OK/FAIL/ALL", "AGE", "NUMBERS", "CHECKED"]
    assert row.split()[:4] == [str(first), "Provision", "P2P", "-"] and "never" in row   # not checked yet
    assert run("orders", "watch", str(first))[0] == 3     # one 555-01xx number fails
    second = provision(run, "+14155550235")
    code, out, _ = run("orders", "list", "--json")
    listed = json.loads(out)
    assert [o["orderId"] for o in listed] == [second, first]
    watched = listed[1]
    assert watched["status"] == "PartiallyCompleted" and watched["final"] is True
    assert watched["counts"] == {"completed": 1, "failed": 1, "total": 2}
    assert {i["number"] for i in watched["order"]["phoneNumbers"]} == {"+14155550234", "+14155550150"}
    code, out, _ = run("orders", "list")
    assert "PartiallyCompleted" in out and "1/1/2" in out and "+14155550234, +14155550150" in out
    code, out, _ = run("orders", "list", "--pending", "--json")
    assert [o["orderId"] for o in json.loads(out)] == [second]


def test_it_answers_from_the_store_without_connecting_or_a_password(sandbox, monkeypatch, capsys):
    book = book_for(sandbox)
    book.track(777, "Unprovision", None)
    book.store.close()
    sandbox.stop()   # nothing answers there any more
    host = sandbox.base_url.split("//")[1].split("/")[0]
    profile(base_url=sandbox.base_url, user=sandbox.user)   # no password anywhere: asking would fail
    from actui.cli import main

    code = main(["orders", "list", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert [o["orderId"] for o in json.loads(out)] == [777] and host not in err


def test_orders_of_another_account_are_not_listed(run, sandbox):
    other = OrderBook(Store(), "someone@elsewhere.example")
    other.track(555, "Provision", "A2P")
    other.store.close()
    code, out, _ = run("orders", "list", "--json")
    assert code == 0 and json.loads(out) == []


def test_server_text_is_made_safe_in_the_table_and_kept_exact_in_json(run, sandbox):
    book = book_for(sandbox)
    book.track(4242, "Provision", "P2P")
    book.record(Order.model_validate({"orderId": 4242, "status": HOSTILE, "action": "Provision",
                                      "phoneNumbers": [{"number": HOSTILE, "status": HOSTILE}]}))
    book.store.close()
    code, out, _ = run("orders", "list")
    assert code == 0 and "wiped" in out
    assert_terminal_safe(out)
    code, out, _ = run("orders", "list", "--json")
    listed = json.loads(out)
    assert listed[0]["status"] == HOSTILE and listed[0]["order"]["phoneNumbers"][0]["number"] == HOSTILE


def test_watch_gives_up_after_its_timeout_naming_the_last_status(sandbox_factory, monkeypatch, capsys):
    server = sandbox_factory(clock=lambda: 1_000_000.0)   # the sandbox's time stands still: never final
    run = cli_runner(server, monkeypatch, capsys)
    order_id = provision(run, "+14155550234")
    code, out, err = run("orders", "watch", str(order_id), "--timeout", "0s")
    assert code == 1
    assert f"order {order_id}: Pending" in out       # one poll, then the deadline had passed
    assert err.strip().endswith(f"order {order_id} is still Pending after 0s; `actui orders watch {order_id}` "
                                "to keep following it")
    code, out, err = run("orders", "watch", str(order_id), "--timeout", "0s", "--json")
    assert code == 1 and out == "" and "still Pending" in err
    code, out, _ = run("orders", "list", "--json")
    assert json.loads(out)[0]["status"] == "Pending"  # what the watch saw is kept


def test_watch_with_a_timeout_still_ends_when_the_order_does(run):
    order_id = provision(run, "+14155550235")
    code, out, _ = run("orders", "watch", str(order_id), "--timeout", "10m")
    assert code == 0 and "Completed" in out


def test_a_bad_timeout_is_a_usage_error(run, sandbox, capsys):
    before = sandbox.faults.stats.requests
    with pytest.raises(SystemExit) as stopped:
        run("orders", "watch", "1", "--timeout", "soon")
    assert stopped.value.code == 2 and "--timeout: 'soon' is not a duration" in capsys.readouterr().err
    assert sandbox.faults.stats.requests == before


def test_a_hostile_status_in_the_timeout_line_is_made_safe(sandbox_factory, monkeypatch, capsys):
    server = sandbox_factory(clock=lambda: 1_000_000.0, faults="hostile_every=1")
    run = cli_runner(server, monkeypatch, capsys)
    book = book_for(server)
    order_id = provision(run, "+14155550234")
    code, out, err = run("orders", "watch", str(order_id), "--timeout", "0s")
    assert code == 1 and "still" in err and "wiped" in err
    assert_terminal_safe(out + err)
    assert HOSTILE in book.get(order_id).status     # kept exact in the store, as the server sent it
    book.store.close()
