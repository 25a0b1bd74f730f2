"""Server text never drives the terminal through the CLI: every command's stdout and stderr, against a
sandbox holding hostile data (escape sequences, C1, bidi overrides, formulas), passes
`assert_terminal_safe`; `--json` gives back exactly what the server sent."""

import csv
import io
import json

import httpx
import pytest

from actui.sandbox.app import ApiProblem
from tests.fixtures.hostile import HOSTILE, VISIBLE_MARK, assert_terminal_safe, seed_hostile

TRACEBACK_BODY = f"Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: {HOSTILE}\n"


def safe(code_out_err):
    code, out, err = code_out_err
    assert_terminal_safe(out, "stdout")
    assert_terminal_safe(err, "stderr")
    return code, out, err


def server_json(sandbox, path: str):
    """What the server itself sends, read with plain httpx."""
    response = httpx.get(sandbox.base_url + path, auth=(sandbox.user, sandbox.password))
    return response.json()


def hostile_order(order: dict) -> dict:
    """A real order with hostile text in every string the server sends about it; still final (Failed)."""
    order = dict(order, action=HOSTILE, provisionType=HOSTILE, tenantId=HOSTILE, status="Failed")
    order["phoneNumbers"] = [dict(item, status=HOSTILE, errorMessage=HOSTILE, email=HOSTILE)
                             for item in order["phoneNumbers"]]
    return order


@pytest.fixture
def hostile_number(sandbox):
    return seed_hostile(sandbox)


@pytest.fixture(autouse=True)
def wide_tables(monkeypatch):
    """Tables cut what does not fit the width: these tests look for marks deep in long cells."""
    monkeypatch.setenv("COLUMNS", "400")


def test_list_table_csv_and_all_are_safe(run, hostile_number, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")   # wide enough that no cell is cut before its mark
    code, out, _ = safe(run("numbers", "list", "--limit", "5"))
    assert code == 0 and VISIBLE_MARK in out and "␛" in out
    code, out, _ = safe(run("numbers", "list", "--limit", "5", "--csv"))
    rows = list(csv.DictReader(io.StringIO(out)))
    hostile_row = next(r for r in rows if r["phoneNumber"] == hostile_number)
    assert code == 0 and hostile_row["description"].startswith("'=HYPERLINK")   # a formula stays text
    assert rows[1]["phoneNumber"].startswith("+1")                              # numbers stay numbers
    code, out, _ = safe(run("numbers", "list", "--all"))
    assert code == 0 and VISIBLE_MARK in out
    code, out, _ = safe(run("numbers", "list", "--all", "--csv"))
    assert code == 0 and VISIBLE_MARK in out


def test_show_is_safe_and_marks_every_control(run, hostile_number):
    code, out, _ = safe(run("numbers", "show", hostile_number))
    assert code == 0
    assert "␛[2J" in out and "\\x9b31m" in out and "<U+202E>" in out      # shown, not hidden
    assert "x␛[2J" in out and "unknownSection␛[2J" in out                   # hostile field names too


def test_json_is_exact_and_still_terminal_safe(run, sandbox, hostile_number):
    code, out, _ = safe(run("numbers", "show", hostile_number, "--json"))
    assert code == 0 and json.loads(out) == server_json(sandbox, f"/phone-numbers/{hostile_number}")
    code, out, _ = safe(run("numbers", "list", "--limit", "5", "--json"))
    sent = server_json(sandbox, "/phone-numbers/active?page=1&limit=5")["phoneNumbers"]
    assert code == 0 and json.loads(out) == sent
    code, out, _ = safe(run("numbers", "list", "--all", "--json"))
    shown = {n["phoneNumber"]: n for n in json.loads(out)}
    assert code == 0 and shown[hostile_number] == next(n for n in sent if n["phoneNumber"] == hostile_number)


def test_orders_show_and_watch_with_a_hostile_order(run, sandbox, monkeypatch):
    from tests.helpers import TENANT

    code, out, _ = run("--tenant-id", TENANT, "provision", "+14155550234", "--class", "P2P", "--type", "SMS",
                       "--json")
    order_id = json.loads(out)["orderId"]
    real_order = sandbox.state.order
    monkeypatch.setattr(sandbox.state, "order", lambda oid: hostile_order(real_order(oid)))
    code, out, _ = safe(run("orders", "show", str(order_id)))
    assert code == 0 and VISIBLE_MARK in out
    code, out, err = safe(run("orders", "watch", str(order_id)))
    assert code == 3 and VISIBLE_MARK in out
    code, out, _ = safe(run("orders", "show", str(order_id), "--json"))
    assert json.loads(out) == server_json(sandbox, f"/phone-numbers/orders/{order_id}")


def test_error_lines_quote_the_server_safely(run, sandbox, hostile_number, monkeypatch):
    def refuse(number, body):
        raise ApiProblem(409, HOSTILE, [])

    monkeypatch.setattr(sandbox.state, "update", refuse)
    code, out, err = safe(run("numbers", "update", hostile_number, "--set", "description=calm"))
    assert code == 1 and out == "" and err.startswith("actui: PUT") and VISIBLE_MARK in err
    assert err.count("\n") == 1                                                    # one line


def test_a_traceback_body_is_one_line_and_debug_shows_it_sanitized(run, sandbox, hostile_number, monkeypatch):
    def crash(number):
        raise ApiProblem(400, TRACEBACK_BODY, [])

    monkeypatch.setattr(sandbox.state, "detail_json", crash)
    code, out, err = safe(run("numbers", "show", hostile_number))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "KeyError" in err and "app.py" not in err and "ACTUI_DEBUG=1 shows the body" in err
    monkeypatch.setenv("ACTUI_DEBUG", "1")
    code, out, err = safe(run("numbers", "show", hostile_number))
    assert code == 1 and 'File \\"app.py\\", line 3' in err        # the body, as the server sent it
    assert err.splitlines()[-1].startswith("actui: GET")            # and the one line last


def test_journal_and_bulk_output_replay_stored_hostile_values_safely(run, hostile_number):
    # the hostile values the number holds do not block the update; the journal keeps the hostile old value
    code, out, err = safe(run("numbers", "update", hostile_number, "--set", "description=calm"))
    assert code == 0
    code, out, _ = safe(run("journal"))
    assert code == 0
    code, out, _ = safe(run("journal", "--run", "1"))
    assert code == 0 and "HYPERLINK" in out
    code, out, _ = safe(run("journal", "description"))
    assert code == 0 and "HYPERLINK" in out
    code, out, _ = safe(run("numbers", "update", "--where", "wiped", "--set", "description=calm", "--dry-run"))
    assert code == 0 and VISIBLE_MARK in out


def test_json_text_escapes_what_a_terminal_would_obey_and_keeps_every_value():
    from actui.cli.output import json_text

    value = {"k\u202e": ["\x9b31m", "\ud800", "\u2028", HOSTILE, "plain é"]}
    text = json_text(value)
    assert_terminal_safe(text)
    assert json.loads(text) == value and "plain é" in text      # other non-ASCII stays readable
    text.encode("utf-8")                                        # a lone surrogate no longer breaks output
