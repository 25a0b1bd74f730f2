"""`actui numbers list` and `numbers update --where` against a server that lies about its list
(tests/api/lying_server.py): every number once, a warning for what was odd, never a traceback."""

import json

import pytest

from tests.api.lying_server import envelope, huge_stream, numbers
from tests.helpers import cli_runner

REAL = numbers(250)


@pytest.fixture
def lie(lying_server, monkeypatch, capsys):
    """Start a lying server for `answer`; returns a runner of `actui ARGS` against it."""
    def start(answer):
        return cli_runner(lying_server(answer), monkeypatch, capsys)
    return start


def test_list_all_reads_past_a_total_that_is_too_low_and_warns(lie):
    run = lie(lambda page, limit: envelope(REAL, page, limit, total=60, totalPages=1))
    code, out, err = run("numbers", "list", "--all", "--json")
    assert code == 0, err
    assert [n["phoneNumber"] for n in json.loads(out)] == [n["phoneNumber"] for n in REAL]
    assert "warning: the server's total said 60 numbers, but 250 arrived" in err


def test_list_all_shows_and_exports_a_repeated_number_once(lie):
    items = REAL[:100] + REAL[95:100] + REAL[100:]
    run = lie(lambda page, limit: envelope(items, page, limit, total=len(items)))
    code, out, err = run("numbers", "list", "--all", "--csv")
    assert code == 0, err
    lines = out.splitlines()[1:]
    assert len(lines) == len(set(lines)) == 250
    assert "warning: 5 duplicate numbers across pages: each number is listed once" in err


@pytest.mark.parametrize("flags", [(), ("--all",), ("--json",), ("--all", "--csv")])
def test_a_malformed_item_is_skipped_with_its_position_not_a_validation_dump(lie, flags):
    page1 = REAL[:2] + [None, 5, {"phoneNumber": None}, {"description": "?"}] + REAL[2:10]
    run = lie(lambda page, limit: page1 if page == 1 else [])
    code, out, err = run("numbers", "list", *flags)
    assert code == 0, err
    assert "Traceback" not in err and "validation error" not in err
    for index, why in ((3, "null instead of a number"), (4, "a number instead of an object"),
                       (5, "phoneNumber is empty"), (6, "no phoneNumber")):
        assert f"warning: page 1, item {index}: {why}; skipped" in err
    assert out.count("+1415555") + out.count("(415) 555-") == 10


def test_limit_is_honoured_whatever_the_server_sends(lie):
    run = lie(lambda page, limit: REAL)  # every number, whatever was asked
    code, out, err = run("numbers", "list", "--limit", "5", "--json")
    assert code == 0, err
    assert [n["phoneNumber"] for n in json.loads(out)] == [n["phoneNumber"] for n in REAL[:5]]
    assert "warning: the server sent 250 numbers for a page of 5: showing the first 5" in err


def test_an_answer_over_the_cap_is_one_clear_error(lie, monkeypatch):
    run = lie(lambda page, limit: huge_stream(3 * 1024 * 1024))
    monkeypatch.setenv("ACTUI_MAX_BODY_MB", "2")
    code, out, err = run("numbers", "list", "--limit", "5")
    assert code != 0 and out == ""
    assert "the server's answer is larger than 2 MB (max_body_mb)" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_where_selects_past_a_total_that_is_too_low(lie):
    run = lie(lambda page, limit: envelope(REAL, page, limit, total=100))
    code, out, err = run("numbers", "update", "--where", "number 415", "--set", "description=x", "--dry-run",
                         "--json")
    preview = json.loads(out)
    assert preview["matched"] == 250, err
    assert "warning: the server's total said 100 numbers, but 250 arrived" in err


def test_a_warning_quoting_the_server_is_terminal_safe(lie):
    from tests.fixtures.hostile import HOSTILE, assert_terminal_safe

    odd = {"phoneNumber": "+1415555" + HOSTILE, "description": 5}
    run = lie(lambda page, limit: [odd, *REAL[:3]] if page == 1 else [])
    code, out, err = run("numbers", "list", "--json")
    assert code == 0, err
    assert "warning: page 1, item 1: +1415555" in err and "description of an unexpected type, left out" in err
    assert_terminal_safe(err)
    assert json.loads(out)[0]["phoneNumber"] == odd["phoneNumber"]  # JSON stays exact
