"""When the API is unreachable (the sandbox stopped, or answering too late): read commands answer from the
local copy with one warning line naming its age, exit 0, --json pure on stdout; writes are refused before
anything is sent, never queued."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from actui.api.client import ApiClient
from actui.cli.offline import copy_age_text
from tests.cli.helpers import journal_for, matching, profile
from tests.fixtures.hostile import assert_terminal_safe, seed_hostile
from tests.helpers import TENANT, cli_runner, fast_retry

WARNING = re.compile(r"actui: the API is unreachable; answering from the local copy of \d\d:\d\d \(\d+ s old\)\n")


@pytest.fixture(autouse=True)
def quick_client(monkeypatch):
    """The CLI's client with the real retries, back-off scaled down, and a short timeout."""
    real_init = ApiClient.__init__

    def init(self, *args, **kwargs):
        kwargs.update(retry=fast_retry(), timeout=0.5)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(ApiClient, "__init__", init)


@pytest.fixture
def server(sandbox_factory):
    return sandbox_factory()


@pytest.fixture
def run(server, monkeypatch, capsys):
    monkeypatch.setenv("ACTUI_TENANT_ID", TENANT)
    return cli_runner(server, monkeypatch, capsys)


def test_numbers_list_answers_from_the_copy_as_it_did_online(run, server):
    assert run("sync")[0] == 0
    online = {flags: run("numbers", "list", *flags)[1]
              for flags in [("--json",), ("--all", "--json"), ("--all", "--csv"), ("--limit", "7", "--page", "3")]}
    server.stop()

    for flags, answer in online.items():
        code, out, err = run("numbers", "list", *flags)
        if flags == ("--all", "--json"):   # each item as the copy holds it (as sent): the same values
            assert code == 0 and json.loads(out) == json.loads(answer)
        else:
            assert code == 0 and out == answer, flags
        assert WARNING.fullmatch(err.split("page ")[0]), err      # the table's page line follows it


def test_json_stays_pure_and_the_warning_is_one_line_on_stderr(run, server):
    run("sync")
    server.stop()
    code, out, err = run("numbers", "list", "--all", "--json")
    assert code == 0 and len(json.loads(out)) == 120
    assert WARNING.fullmatch(err)


def test_a_timeout_after_retries_is_unreachable_too(run, server):
    run("sync", "--details")
    server.faults.latency_ms = 3000     # every answer later than the client waits

    code, out, err = run("numbers", "show", server.state.numbers()[5], "--json")

    assert code == 0 and json.loads(out) == server.state.detail(server.state.numbers()[5])
    assert WARNING.fullmatch(err)


def test_where_answers_from_the_copy_with_the_details_it_holds(run, server):
    run("sync", "--details")
    _, online, _ = run("numbers", "list", "--where", "settings.optOut.enabled:true class:p2p", "--all", "--json")
    server.stop()
    _, fresh, err = run("numbers", "list", "--where", "settings.optOut.enabled:true class:p2p", "--all", "--json")
    assert json.loads(fresh) == json.loads(online) and err == ""   # younger than max_age: the API is not asked
    profile(max_age=0)                      # now every reading is too old: the API is asked, and is not there

    code, out, err = run("numbers", "list", "--where", "settings.optOut.enabled:true class:p2p", "--all", "--json")

    assert code == 0 and json.loads(out) == json.loads(online) and len(json.loads(out)) > 0
    assert WARNING.fullmatch(err)


def test_where_says_when_the_copy_lacks_the_details_a_path_reads(run, server):
    run("sync")   # the list only
    server.stop()
    code, out, err = run("numbers", "list", "--where", "settings.optOut.enabled:true", "--json")
    assert code == 0 and json.loads(out) == []
    assert WARNING.fullmatch(err.splitlines(keepends=True)[0])        # the one line first (no "reading ...")
    assert "the local copy holds no detail of 120 numbers: settings.optOut.enabled read as absent" in err
    assert "reading" not in err


def test_show_answers_from_the_copy_exactly_and_safely(run, server):
    hostile = seed_hostile(server)
    detail = server.state.detail(hostile)
    run("sync", "--details")
    server.stop()

    code, out, err = run("numbers", "show", hostile, "--json")
    assert code == 0 and json.loads(out) == detail and WARNING.fullmatch(err)
    code, out, err = run("numbers", "show", hostile)
    assert code == 0 and hostile in out
    assert_terminal_safe(out + err)


def test_a_number_the_copy_lacks_is_an_error(run, server):
    run("sync")   # list items, no details
    first = server.state.numbers()[0]
    server.stop()
    code, out, err = run("numbers", "show", first, "--json")
    assert code == 1 and out == ""
    assert "the API is unreachable" in err and "holds only its list item" in err and "sync --details" in err
    code, out, err = run("numbers", "show", "+14155550000")
    assert code == 1 and out == "" and "does not hold it" in err


def test_an_empty_copy_cannot_answer(run, server):
    server.stop()
    code, out, err = run("numbers", "list", "--json")
    assert code == 1 and out == ""
    assert "the API is unreachable" in err and "holds no numbers yet" in err and "actui sync" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_sync_status_needs_no_api(run, server):
    run("sync", "--details")
    server.stop()
    code, out, err = run("sync", "--status", "--json")
    assert code == 0 and json.loads(out)["withDetails"] == 120


# --- writes are refused, nothing sent, nothing journaled ----------------------------------------------------


def test_every_write_is_refused_up_front_and_nothing_is_journaled(run, server):
    run("sync", "--details")
    a2p = matching(server, "class:a2p")
    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=before", "--yes",
                         "--json")
    assert code == 0, err
    run_id = json.loads(out)["run"]
    server.stop()

    for args in (["numbers", "update", a2p[0], "--set", "description=x"],
                 ["numbers", "update", "--where", "class:a2p", "--set", "description=x", "--yes"],
                 ["numbers", "update", "--where", "class:a2p", "--set", "description=x", "--dry-run"],
                 ["provision", "+14155550100", "--class", "P2P", "--type", "SMS"],
                 ["unprovision", a2p[1], "--yes"],
                 ["undo", str(run_id), "--yes"]):
        code, out, err = run(*args)
        assert code == 1 and out == "", args
        assert err.startswith("actui: the API is unreachable (") and "refused; nothing was sent" in err, args
        assert "never queues" in err and err.count("\n") == 1, args
    journal = journal_for(server)
    assert journal.resumable() == []            # nothing queued
    for later in journal.runs()[:-1]:            # an order's POST that could not connect: failed, not sent
        assert later.kind in ("provision", "unprovision") and later.counts == {"failed": 1}


def test_resume_is_refused_and_the_run_stays_resumable(run, server, monkeypatch):
    from actui.core.journal import PlannedItem

    numbers = server.state.numbers()[:3]
    journal = journal_for(server)
    cut = journal.begin("bulk", [PlannedItem(n, {"description": "r"}, ()) for n in numbers], "set description")
    journal.release(cut.id)   # as if its process died
    server.stop()

    code, out, err = run("resume", "--yes")

    assert code == 1 and "the API is unreachable" in err and "resume refused; nothing was sent" in err
    assert [r.id for r in journal_for(server).resumable()] == [cut.id]
    assert journal_for(server).run(cut.id).open == 3


# --- the warning's words ------------------------------------------------------------------------------------


def test_the_age_is_said_in_words_and_the_date_when_not_today():
    now = datetime(2026, 11, 30, 9, 42).timestamp() + 18 * 60
    assert copy_age_text(now - 18 * 60, now) == "of 09:42 (18 min old)"
    assert copy_age_text(now - 45, now) == "of 09:59 (45 s old)"
    assert copy_age_text(now - 3 * 3600 - 5 * 60, now) == "of 06:55 (3 h 5 min old)"
    assert copy_age_text(now - 26 * 3600, now) == "of 2026-11-29 08:00 (1 d 2 h old)"
    assert copy_age_text(None, now) == "of a sync that never finished"


def test_a_number_shown_online_is_kept_for_later(run, server):
    run("sync")   # list items only
    number = server.state.numbers()[7]
    detail = server.state.detail(number)
    assert run("numbers", "show", number)[0] == 0
    server.stop()

    code, out, err = run("numbers", "show", number, "--json")

    assert code == 0 and json.loads(out) == detail and WARNING.fullmatch(err)
