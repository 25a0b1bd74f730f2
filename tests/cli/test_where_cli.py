"""`actui numbers list --where FILTER` and `numbers update --where FILTER` over the local copy, against a
sandbox on loopback: the copy brought up to date first (list, then the details a path term reads), then
answered from it; output exactly as `numbers list` prints the server's."""

from __future__ import annotations

import json
import time

import pytest

from actui.core.local_copy import open_local_copy
from actui.core.store import Store
from tests.cli.helpers import journal_for, matching, profile
from tests.fixtures.hostile import assert_terminal_safe, seed_hostile


def held_copy(server):
    host = server.base_url.split("//")[1].split("/")[0]
    return open_local_copy(Store(), f"{server.user}@{host}")


def opted_in(server) -> list[str]:
    """The numbers whose settings.optOut.enabled is true on the server, in list order."""
    return [n for n in server.state.numbers()
            if (server.state.detail(n).get("settings") or {}).get("optOut", {}).get("enabled") is True]


def numbers_of(out: str) -> list[str]:
    return [item["phoneNumber"] for item in json.loads(out)]


def test_a_column_filter_lists_what_numbers_list_lists_for_the_same_numbers(run, sandbox):
    code, everything, _ = run("numbers", "list", "--all", "--json")
    assert code == 0
    code, out, err = run("numbers", "list", "--where", "class:a2p", "--all", "--json")

    assert code == 0, err
    a2p = matching(sandbox, "class:a2p")
    assert numbers_of(out) == a2p and 5 < len(a2p) < 120
    by_number = {item["phoneNumber"]: item for item in json.loads(everything)}
    assert json.loads(out) == [by_number[n] for n in a2p]            # each item exactly as numbers list has it
    assert err == ""                                                # list columns need no detail


def test_a_settings_path_reads_the_details_first_and_says_how_many(run, sandbox):
    code, out, err = run("numbers", "list", "--where", "settings.optOut.enabled:true", "--all", "--json")

    assert code == 0, err
    assert numbers_of(out) == opted_in(sandbox) and 0 < len(opted_in(sandbox)) < 120
    assert "actui: reading 120 details (missing or older than 15m)…" in err
    assert held_copy(sandbox).status().with_details == 120


def test_a_fresh_copy_answers_without_a_request(run, sandbox):
    run("numbers", "list", "--where", "settings.optOut.enabled:true", "--json")
    before = sandbox.faults.stats.requests

    code, out, err = run("numbers", "list", "--where", "!settings.optOut.enabled:true class:p2p", "--all", "--json")

    assert code == 0 and sandbox.faults.stats.requests == before
    assert err == ""
    p2p = set(matching(sandbox, "class:p2p"))
    assert numbers_of(out) == [n for n in sandbox.state.numbers() if n in p2p and n not in opted_in(sandbox)]


def test_a_list_older_than_max_age_is_read_again_before_answering(run, sandbox):
    run("numbers", "list", "--where", "class:a2p")
    moved = sandbox.state.numbers()[3]
    sandbox.state.update(moved, {"description": "Moved upstairs"})

    _, out, _ = run("numbers", "list", "--where", "upstairs", "--json")
    assert numbers_of(out) == []                        # the copy is fresh (15m): it answers as it is

    profile(max_age=0)
    code, out, err = run("numbers", "list", "--where", "upstairs", "--json")
    assert code == 0 and numbers_of(out) == [moved] and err == ""


def test_details_older_than_max_age_are_read_again(run, sandbox):
    run("numbers", "list", "--where", "settings.optOut.enabled:true")
    copy = held_copy(sandbox)
    stale = sandbox.state.numbers()[:7]
    copy.put_details([(n, copy.detail(n)[0], time.time() - 3600) for n in stale])   # read an hour ago
    before = sandbox.faults.stats.requests

    code, _, err = run("numbers", "list", "--where", "settings.optOut.enabled:true")

    assert code == 0 and "actui: reading 7 details (missing or older than 15m)…" in err
    assert sandbox.faults.stats.requests - before == 1 + 7   # a one-page check that the API answers, then the 7


def test_a_page_of_the_matches_and_the_table_says_which(run, sandbox):
    a2p = matching(sandbox, "class:a2p")
    code, out, _ = run("numbers", "list", "--where", "class:a2p", "--limit", "5", "--page", "2", "--json")
    assert code == 0 and numbers_of(out) == a2p[5:10]

    code, out, err = run("numbers", "list", "--where", "class:a2p", "--limit", "5", "--page", "2")
    pages = -(-len(a2p) // 5)
    assert code == 0 and err == f"page 2 of {pages}: 5 numbers of {len(a2p)} matching 'class:a2p'\n"
    assert out.splitlines()[0].split()[:3] == ["NUMBER", "STATUS", "CLASS"] and len(out.splitlines()) == 6


def test_server_text_reaches_the_table_and_csv_made_safe_and_json_exact(run, sandbox):
    hostile = seed_hostile(sandbox)
    detail = sandbox.state.detail(hostile)
    digits = hostile[-6:]

    code, table, err = run("numbers", "list", "--where", f"{digits} settings.optOut.enabled:*", "--all")
    assert code == 0 and hostile[-4:] in table
    assert_terminal_safe(table + err)
    code, csv_out, _ = run("numbers", "list", "--where", digits, "--all", "--csv")
    assert_terminal_safe(csv_out)
    assert all(not cell.startswith(("=", "+", "-", "@")) or cell.startswith("'") or cell == hostile
               for line in csv_out.splitlines()[1:] for cell in line.split(",") if cell)
    code, out, _ = run("numbers", "list", "--where", digits, "--json")
    [item] = [i for i in json.loads(out) if i["phoneNumber"] == hostile]
    assert item["description"] == detail["description"]


def test_a_bad_filter_is_refused_before_any_request_naming_the_term(run, sandbox):
    before = sandbox.faults.stats.requests
    code, out, err = run("numbers", "list", "--where", "settings.optOut.enabeld:true")
    assert code == 2 and out == "" and "enabeld" in err and "enabled" in err
    assert sandbox.faults.stats.requests == before


def test_a_field_actui_does_not_know_is_asked_with_a_warning(run, sandbox):
    tagged = sandbox.state.numbers()[2]
    sandbox.state.put_raw({**sandbox.state.detail(tagged), "tagz": ["zebra-crossing"]})

    code, out, err = run("numbers", "list", "--where", "tagz:zebra-crossing", "--json")
    assert code == 2 and out == "" and "unknown column 'tagz'" in err   # the copy holds no detail yet

    assert run("sync", "--details")[0] == 0
    code, out, err = run("numbers", "list", "--where", "tagz:zebra-crossing", "--json")
    assert code == 0 and numbers_of(out) == [tagged]
    assert "warning: tagz: not a field actui knows (some numbers hold it)" in err


# --- numbers update --where over the copy ---------------------------------------------------------------


def test_update_where_plans_from_a_fresh_copy_without_a_get_per_number(run, sandbox):
    assert run("sync", "--details")[0] == 0
    before = sandbox.faults.stats.requests
    opted = opted_in(sandbox)

    code, out, err = run("numbers", "update", "--where", "settings.optOut.enabled:true",
                         "--set", "settings.optOut.text=HALT", "--dry-run", "--json")

    assert code == 0, err
    preview = json.loads(out)
    assert preview["matched"] == len(opted)
    assert {i["number"] for i in preview["items"]} | set(preview["unchanged"]) == set(opted)
    assert sandbox.faults.stats.requests - before == 1      # the one-page reachability check, no GET per number


def test_update_where_on_a_settings_path_writes_and_the_copy_follows(run, sandbox):
    opted = opted_in(sandbox)
    code, out, err = run("numbers", "update", "--where", "settings.optOut.enabled:true",
                         "--set", "settings.optOut.enabled=false", "--yes", "--json")
    assert code == 0, err
    assert {r["number"] for r in json.loads(out)["results"] if r["state"] == "changed"} == set(opted)
    assert opted_in(sandbox) == []
    before = sandbox.faults.stats.requests

    code, out, _ = run("numbers", "list", "--where", "settings.optOut.enabled:true", "--json")
    assert code == 0 and numbers_of(out) == [] and sandbox.faults.stats.requests == before


def test_a_change_made_after_the_copy_was_read_is_a_conflict_not_overwritten(run, sandbox):
    """The copy's reading is older than bulk_reread_after: the engine reads again before writing."""
    assert run("sync", "--details")[0] == 0
    copy = held_copy(sandbox)
    numbers = matching(sandbox, "class:a2p")
    copy.put_details([(n, copy.detail(n)[0], time.time() - 120) for n in numbers])  # older than 60 s
    theirs = numbers[0]
    sandbox.state.update(theirs, {"description": "theirs"})   # a colleague, after the copy was read

    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=bulk", "--yes")

    assert code == 1, err
    [line] = [line for line in out.splitlines() if line.startswith(f"{theirs}  conflict")]
    assert "theirs" in line and "not written" in line
    assert sandbox.state.detail(theirs)["description"] == "theirs"
    assert all(sandbox.state.detail(n)["description"] == "bulk" for n in numbers[1:])
    assert journal_for(sandbox).runs()[0].counts == {"changed": len(numbers) - 1, "conflict": 1}


@pytest.mark.parametrize("query", ["settings.optOut.enabled:true", "class:a2p"])
def test_numbers_missing_from_the_copy_details_are_read_for_the_plan_and_kept(run, sandbox, query):
    run("numbers", "list", "--where", "class:a2p")          # the list only: no details held
    code, out, err = run("numbers", "update", "--where", query, "--set", "description=x", "--dry-run", "--json")
    assert code == 0, err
    matched = json.loads(out)["matched"]
    assert held_copy(sandbox).status().with_details >= matched > 0


def test_a_fresh_copy_answers_without_a_password_or_a_connection(run, sandbox, monkeypatch):
    _, online, _ = run("numbers", "list", "--where", "settings.optOut.enabled:true", "--json")
    monkeypatch.delenv("ACTUI_PASSWORD")
    sandbox.stop()

    code, out, err = run("numbers", "list", "--where", "settings.optOut.enabled:true", "--json")

    assert code == 0 and err == "" and out == online
