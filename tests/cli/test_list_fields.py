"""`numbers list --fields/--format/--no-header` and `numbers show --fields`, against a sandbox on loopback:
the named wire paths (settings ones read from the details, brought into the local copy first), every
shape (table, csv, tsv, json, ndjson), tables sized once to the terminal's width, hostile text made safe
in cells and exact in JSON, a bad field refused before any request."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rich.cells import cell_len

from actui.core.field_select import pick
from tests.fixtures.hostile import VISIBLE_MARK, assert_terminal_safe, seed_hostile

SETTINGS_FIELDS = "number,status,settings.optOut.enabled,settings.rateLimit"
PATHS = ["phoneNumber", "status", "settings.optOut.enabled", "settings.rateLimit"]


@pytest.fixture(autouse=True)
def known_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")


def cell(value) -> str:
    return "" if value is None else ("yes" if value else "no") if isinstance(value, bool) else str(value)


def at(document, path):
    """The value at a dotted path, None when absent."""
    for part in path.split("."):
        document = document.get(part) if isinstance(document, dict) else None
    return document


def test_csv_with_settings_fields_reads_the_details_first_then_answers_from_the_copy(run, sandbox):
    code, out, err = run("numbers", "list", "--all", "--fields", SETTINGS_FIELDS, "--format", "csv")

    assert code == 0, err
    assert "actui: reading 120 details (missing or older than 15m)…" in err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == PATHS
    details = [sandbox.state.detail(n) for n in sandbox.state.numbers()]
    assert rows[1:] == [[cell(at(d, path)) for path in PATHS] for d in details]
    assert any(row[2] == "yes" for row in rows) and any(row[3] for row in rows)

    before = sandbox.faults.stats.requests   # the copy is fresh now: no request at all
    code, again, err = run("numbers", "list", "--all", "--fields", SETTINGS_FIELDS, "--csv")
    assert code == 0 and again == out and err == "" and sandbox.faults.stats.requests == before


def test_settings_fields_from_list_items_that_carry_settings_need_no_detail(run, sandbox):
    sandbox.options.list_settings = True
    code, out, err = run("numbers", "list", "--limit", "5", "--fields", SETTINGS_FIELDS, "--json")

    assert code == 0, err
    assert "reading" not in err
    first = sandbox.state.numbers()[:5]
    assert json.loads(out) == [pick(sandbox.state.detail(n), PATHS) for n in first]


def test_json_with_fields_holds_only_them_nested_as_on_the_wire(run, sandbox):
    code, out, _ = run("numbers", "list", "--page", "2", "--limit", "3", "--fields", SETTINGS_FIELDS, "--json")

    assert code == 0
    numbers = sandbox.state.numbers()[3:6]
    records = json.loads(out)
    assert [record["phoneNumber"] for record in records] == numbers
    for record, number in zip(records, numbers, strict=True):
        settings = sandbox.state.detail(number)["settings"]
        expected = {}
        if "enabled" in settings.get("optOut", {}):
            expected["optOut"] = {"enabled": settings["optOut"]["enabled"]}
        if "rateLimit" in settings:
            expected["rateLimit"] = settings["rateLimit"]
        assert record == {"phoneNumber": number, "status": sandbox.state.detail(number)["status"],
                          **({"settings": expected} if expected else {})}


def test_json_without_fields_is_as_it_was(run):
    assert run("numbers", "list", "--limit", "4", "--format", "json")[1] == run("numbers", "list", "--limit", "4",
                                                                               "--json")[1]
    code, out, _ = run("numbers", "list", "--all", "--json")
    assert code == 0 and out.startswith("[\n  {\"") and len(out.splitlines()) == 122   # one number a line


def test_ndjson_is_one_object_a_line_for_every_number(run, sandbox):
    code, out, _ = run("numbers", "list", "--all", "--format", "ndjson", "--fields", "number,class")

    assert code == 0
    lines = out.splitlines()
    assert [json.loads(line) for line in lines] == [
        {"phoneNumber": n, "provisionClass": sandbox.state.detail(n)["provisionClass"]}
        for n in sandbox.state.numbers()]


def test_tsv_without_a_header(run, sandbox):
    code, out, _ = run("numbers", "list", "--limit", "3", "--fields", "plan,number", "--format", "tsv",
                       "--no-header")

    assert code == 0
    assert out.splitlines() == [f"{sandbox.state.detail(n).get('billingPlanName') or ''}\t{n}"
                                for n in sandbox.state.numbers()[:3]]


@pytest.mark.parametrize("fields, closest", [("number,settings.optOut.enabeld", "settings.optOut.enabled"),
                                             ("nmber,status", "number")])
def test_an_unknown_field_is_refused_before_any_request_naming_the_closest(run, sandbox, fields, closest):
    before = sandbox.faults.stats.requests
    code, out, err = run("numbers", "list", "--fields", fields)

    assert code == 2 and out == ""
    assert f"did you mean {closest}?" in err
    assert sandbox.faults.stats.requests == before
    code, _, err = run("numbers", "show", sandbox.state.numbers()[0], "--fields", fields)
    assert code == 2 and f"did you mean {closest}?" in err and sandbox.faults.stats.requests == before


def test_a_field_the_guide_does_not_list_is_fine_once_a_number_holds_it(run, sandbox):
    number = seed_hostile(sandbox)   # its document holds vendorNote, which no model knows
    assert run("numbers", "list", "--fields", "number,vendorNote.nested")[0] == 2
    assert run("sync", "--details")[0] == 0

    code, out, err = run("numbers", "list", "--all", "--fields", "number,vendorNote.nested", "--format", "ndjson")
    assert code == 0, err
    assert json.loads(out.splitlines()[0]) == {"phoneNumber": number,
                                               "vendorNote": {"nested": sandbox.state.detail(number)
                                                              ["vendorNote"]["nested"]}}


def test_two_formats_at_once_are_refused(run, capsys):
    with pytest.raises(SystemExit) as stopped:
        run("numbers", "list", "--json", "--csv")
    assert stopped.value.code == 2 and "--csv: the output format is already json" in capsys.readouterr().err


def table_lines(out: str) -> list[str]:
    return out.splitlines()


def test_all_prints_one_heading_and_columns_that_do_not_shift(run, sandbox, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    code, out, err = run("numbers", "list", "--all")   # two pages of 100 and 20

    assert code == 0 and err.endswith("120 numbers\n")
    lines = table_lines(out)
    assert len(lines) == 121 and lines[0].startswith("NUMBER") and not any(
        line.startswith("NUMBER") for line in lines[1:])
    assert all(cell_len(line) <= 72 for line in lines)
    status_at = lines[0].index("STATUS")
    assert all(line[status_at - 2:status_at] == "  " and line[status_at] != " " for line in lines)
    assert any("…" in line for line in lines)                    # long cells cut to fit
    assert lines[1].startswith("(")                               # the number never is: (312) 555-5622
    assert cell_len(lines[1][:status_at].rstrip()) == 14
    assert lines[0].split()[:3] == ["NUMBER", "STATUS", "CLASS"] and "EMAIL" not in lines[0]   # as the TUI drops


def test_named_fields_are_all_shown_however_narrow(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    code, out, _ = run("numbers", "list", "--limit", "5", "--fields", "number,email,user,description,plan")
    heading = table_lines(out)[0]
    assert code == 0 and len(re.split(r"\s{2,}", heading)) == 5 and heading.startswith("NUMBER")


def test_a_piped_table_is_100_wide_without_columns(run, monkeypatch):
    monkeypatch.delenv("COLUMNS")
    code, out, _ = run("numbers", "list", "--limit", "50")
    assert code == 0 and max(cell_len(line) for line in table_lines(out)) <= 100


def test_a_wide_terminal_shows_cells_whole(run, sandbox, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = run("numbers", "list", "--limit", "10", "--fields", "number,email,description")
    assert code == 0 and "…" not in out
    assert table_lines(out)[0].split() == ["NUMBER", "EMAIL", "DESCRIPTION"]


def test_a_table_of_settings_fields_heads_them_by_path(run):
    code, out, _ = run("numbers", "list", "--limit", "3", "--fields", SETTINGS_FIELDS, "--no-header")
    assert code == 0 and len(table_lines(out)) == 3
    code, out, _ = run("numbers", "list", "--limit", "3", "--fields", SETTINGS_FIELDS)
    assert table_lines(out)[0].split() == ["NUMBER", "STATUS", "settings.optOut.enabled", "settings.rateLimit"]


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv"])
def test_hostile_text_reaches_cells_made_safe(run, sandbox, monkeypatch, fmt):
    monkeypatch.setenv("COLUMNS", "400")
    seed_hostile(sandbox)
    fields = "number,status,description,settings.optOut.textResponse,settings.autoForward.emailAddresses"
    for flags in (("--limit", "3"), ("--all",)):
        code, out, err = run("numbers", "list", *flags, "--fields", fields, "--format", fmt)
        assert code == 0, err
        assert_terminal_safe(out, "stdout")
        assert_terminal_safe(err, "stderr")
        assert VISIBLE_MARK in out


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_hostile_text_stays_exact_in_json(run, sandbox, fmt):
    number = seed_hostile(sandbox)
    fields = ["phoneNumber", "status", "description", "settings.optOut.textResponse", "vendorNote"]
    run("sync", "--details")
    for flags in (("--limit", "3"), ("--all",)):
        code, out, _ = run("numbers", "list", *flags, "--fields", ",".join(fields), "--format", fmt)
        assert code == 0
        assert_terminal_safe(out)
        records = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
        assert records[0] == pick(sandbox.state.detail(number), fields)


def test_show_fields_as_lines_and_as_json(run, sandbox):
    number = sandbox.state.numbers()[0]
    detail = sandbox.state.detail(number)
    code, out, _ = run("numbers", "show", number, "--fields", "status,settings.optOut.enabled,settings.optIn.name")
    assert code == 0
    opt_in = detail["settings"].get("optIn", {})
    assert out.splitlines() == [f"status: {detail['status']}",
                                f"settings.optOut.enabled: {cell(at(detail, 'settings.optOut.enabled'))}",
                                "settings.optIn.name: " + (cell(opt_in["name"]) if "name" in opt_in else "(absent)")]
    code, out, _ = run("numbers", "show", number, "--fields", "status,settings.optOut.enabled", "--json")
    assert code == 0 and json.loads(out) == pick(detail, ["status", "settings.optOut.enabled"])


def test_show_fields_of_a_hostile_number(run, sandbox):
    number = seed_hostile(sandbox)
    code, out, _ = run("numbers", "show", number, "--fields", "status,description,settings.optOut.text")
    assert code == 0 and VISIBLE_MARK in out
    assert_terminal_safe(out)
    code, out, _ = run("numbers", "show", number, "--fields", "status,description", "--json")
    assert json.loads(out) == pick(sandbox.state.detail(number), ["status", "description"])


def test_where_and_fields_together(run, sandbox):
    code, out, err = run("numbers", "list", "--where", "class:a2p", "--all",
                         "--fields", "number,settings.optOut.enabled", "--csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    a2p = [n for n in sandbox.state.numbers() if sandbox.state.detail(n)["provisionClass"] == "A2P"]
    assert rows[0] == ["phoneNumber", "settings.optOut.enabled"]
    assert rows[1:] == [[n, cell(at(sandbox.state.detail(n), "settings.optOut.enabled"))] for n in a2p]


@pytest.fixture
def quick_client(monkeypatch):
    """The CLI's client with the real retries, back-off scaled down, and a short timeout."""
    from actui.api.client import ApiClient
    from tests.helpers import fast_retry

    real_init = ApiClient.__init__

    def init(self, *args, **kwargs):
        kwargs.update(retry=fast_retry(), timeout=0.5)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(ApiClient, "__init__", init)


@pytest.mark.parametrize("fields", ["number,status", SETTINGS_FIELDS])
def test_an_unreachable_api_answers_fields_from_the_copy_as_online(run, sandbox, quick_client, fields):
    assert run("sync", "--details")[0] == 0
    online = {flags: run("numbers", "list", "--fields", fields, *flags)[1]
              for flags in [("--csv",), ("--all", "--format", "ndjson"), ("--limit", "7", "--page", "3")]}
    sandbox.stop()

    for flags, answer in online.items():
        code, out, err = run("numbers", "list", "--fields", fields, *flags)
        assert code == 0 and out == answer, (flags, err)
        if fields == SETTINGS_FIELDS:   # the copy is fresh: it answers without asking the API at all
            assert "unreachable" not in err
        else:
            assert "the API is unreachable; answering from the local copy" in err


def test_a_page_of_settings_fields_reads_that_pages_details_only(run, sandbox):
    code, out, err = run("numbers", "list", "--limit", "5", "--page", "2", "--fields", SETTINGS_FIELDS, "--csv")

    assert code == 0, err
    assert "actui: reading 5 details (missing or older than 15m)…" in err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1:] == [[cell(at(sandbox.state.detail(n), path)) for path in PATHS]
                        for n in sandbox.state.numbers()[5:10]]
    before = sandbox.faults.stats.requests
    code, again, err = run("numbers", "list", "--limit", "5", "--page", "2", "--fields", SETTINGS_FIELDS, "--csv")
    assert code == 0 and again == out and err == "" and sandbox.faults.stats.requests == before
    code, _, err = run("numbers", "list", "--limit", "5", "--page", "3", "--fields", SETTINGS_FIELDS, "--csv")
    assert code == 0 and "reading 5 details" in err and sandbox.faults.stats.requests == before + 5


def test_ndjson_streams_while_json_waits_for_the_whole():
    from actui.cli import build_parser

    args = build_parser().parse_args(["numbers", "list", "--format", "ndjson"])
    assert args.format == "ndjson" and args.json is False
    for flags in (["--json"], ["--format", "json"]):
        args = build_parser().parse_args(["numbers", "list", *flags])
        assert args.format == "json" and args.json is True
