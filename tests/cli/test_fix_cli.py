"""`actui fix` against a sandbox on loopback: the numbers breaking the policies set as they require, by the
path of `numbers update --where` (preview, typed count, journal, undo as one run); what no single value
fixes and what policies ask differently are listed, never guessed; a number changed on the server since
the copy was read is a conflict, left alone; refused offline and read-only."""

from __future__ import annotations

import io
import json
import sys
import time

import pytest

from actui.api.client import ApiClient
from actui.core.local_copy import open_local_copy
from actui.core.store import Store
from tests.cli.helpers import journal_for, matching, write_policies
from tests.fixtures.hostile import assert_terminal_safe, seed_hostile
from tests.helpers import cli_runner, fast_retry

A2P_STOP = """
[[policy]]
name = "a2p-stop"
description = "A2P numbers honour STOP"
where = "class:a2p"
require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP", description = "A2P line" }
"""

PATHS = ("settings.optOut.enabled", "settings.optOut.text", "description")


def held(server, number: str, path: str):
    node = server.state.detail(number)
    for key in path.split("."):
        node = (node or {}).get(key) if isinstance(node, dict) else None
    return node


def snapshot(server, numbers: list[str]) -> dict[str, tuple]:
    return {n: tuple(held(server, n, path) for path in PATHS) for n in numbers}


def compliant(server, number: str) -> bool:
    return snapshot(server, [number])[number] == (True, "STOP", "A2P line")


def without_nulls(doc):
    """The document without null leaves (nor the objects only they filled)."""
    if isinstance(doc, dict):
        pruned = {key: without_nulls(value) for key, value in doc.items()}
        return {key: value for key, value in pruned.items() if value is not None and value != {}}
    return doc


def held_copy(server):
    host = server.base_url.split("//")[1].split("/")[0]
    return open_local_copy(Store(), f"{server.user}@{host}")


def test_dry_run_previews_each_number_and_field_and_sends_nothing(run, sandbox):
    write_policies(A2P_STOP)
    a2p = matching(sandbox, "class:a2p")
    breaking = [n for n in a2p if not compliant(sandbox, n)]
    before = snapshot(sandbox, a2p)

    code, out, err = run("fix", "--dry-run")

    assert code == 0, err
    for number in breaking:
        old = json.dumps(held(sandbox, number, "description"))
        assert f"{number}  description: {old} -> \"A2P line\"" in out
    assert f"  description              {len(breaking)} numbers" in out
    assert f"{len(breaking)} of the {len(breaking)} numbers breaking policy a2p-stop would change" in out
    assert snapshot(sandbox, a2p) == before and not sandbox.state.put_counts
    assert journal_for(sandbox).runs() == []


def test_dry_run_json_holds_each_patch(run, sandbox):
    write_policies(A2P_STOP)
    a2p = matching(sandbox, "class:a2p")

    code, out, err = run("fix", "--dry-run", "--json")

    assert code == 0, err
    plan = json.loads(out)
    assert plan["policies"] == ["a2p-stop"] and plan["dryRun"] is True
    assert {i["number"] for i in plan["items"]} == {n for n in a2p if not compliant(sandbox, n)}
    for item in plan["items"]:
        assert item["patch"]["description"] == "A2P line"
        assert {c["path"] for c in item["changes"]} <= set(PATHS)
    assert plan["unfixable"] == [] and plan["clashes"] == {} and plan["leftOut"] == {}


def test_confirmation_is_refused_without_a_terminal_or_yes(run, sandbox):
    write_policies(A2P_STOP)
    before = sandbox.faults.stats.requests
    code, out, err = run("fix")
    assert code == 2 and out == "" and "--yes" in err and "refusing" in err
    assert sandbox.faults.stats.requests == before


def test_the_typed_count_is_refused_or_accepted(run, sandbox, monkeypatch):
    from actui.cli import bulk_cmd, interaction

    monkeypatch.setattr(bulk_cmd, "can_ask", lambda: True)
    monkeypatch.setattr(interaction, "can_ask", lambda: True)
    write_policies(A2P_STOP)
    breaking = [n for n in matching(sandbox, "class:a2p") if not compliant(sandbox, n)]

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{len(breaking) - 1}\n"))
    code, _, err = run("fix")
    assert code == 1 and "nothing changed" in err and not sandbox.state.put_counts
    assert journal_for(sandbox).runs() == []

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{len(breaking)}\n"))
    code, out, err = run("fix")
    assert code == 0, err
    assert f"Type {len(breaking)} to change {len(breaking)} numbers" in err
    assert set(sandbox.state.put_counts) == set(breaking)
    assert all(compliant(sandbox, n) for n in breaking)


def test_the_fix_is_one_journal_run_and_undo_restores_every_field(run, sandbox):
    write_policies(A2P_STOP)
    a2p = matching(sandbox, "class:a2p")
    before = snapshot(sandbox, a2p)
    documents = {n: sandbox.state.detail(n) for n in sandbox.state.numbers()}
    breaking = [n for n in a2p if not compliant(sandbox, n)]

    code, out, err = run("fix", "--yes")

    assert code == 0, err
    assert all(compliant(sandbox, n) for n in a2p)
    [fix_run] = journal_for(sandbox).runs()
    assert fix_run.description == "fix a2p-stop" and fix_run.counts == {"changed": len(breaking)}
    assert f"run {fix_run.id} (done): {len(breaking)} changed" in out
    assert f"undo with: actui undo {fix_run.id}" in out
    assert run("check")[0] == 0           # nothing breaks it any more

    code, out, err = run("undo", str(fix_run.id), "--yes")

    assert code == 0, err
    assert snapshot(sandbox, a2p) == before
    # every field of every number as before; one absent before comes back as null (a PUT cannot remove a key)
    after = {n: sandbox.state.detail(n) for n in sandbox.state.numbers()}
    differing = {n: (without_nulls(doc), without_nulls(documents[n])) for n, doc in after.items()
                 if without_nulls(doc) != without_nulls(documents[n])}
    assert differing == {}
    assert run("check")[0] == 5


def test_json_reports_the_run(run, sandbox):
    write_policies(A2P_STOP)
    code, out, err = run("fix", "--yes", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["policies"] == ["a2p-stop"] and report["kind"] == "bulk" and report["state"] == "done"
    assert set(report["counts"]) == {"changed"}


def test_a_number_changed_on_the_server_since_the_copy_was_read_is_a_conflict_left_alone(run, sandbox):
    write_policies(A2P_STOP)
    assert run("sync", "--details")[0] == 0
    copy = held_copy(sandbox)
    a2p = matching(sandbox, "class:a2p")
    breaking = [n for n in a2p if not compliant(sandbox, n)]
    # the copy's readings fresh enough to plan from (max_age 15 min), older than bulk_reread_after (60 s)
    copy.put_details([(n, copy.detail(n)[0], time.time() - 120) for n in a2p])
    theirs = breaking[0]
    sandbox.state.update(theirs, {"description": "theirs"})   # a colleague, after the copy was read

    code, out, err = run("fix", "--yes")

    assert code == 1, err
    [line] = [line for line in out.splitlines() if line.startswith(f"{theirs}  conflict")]
    assert "theirs" in line and "not written" in line
    assert held(sandbox, theirs, "description") == "theirs"
    assert all(compliant(sandbox, n) for n in breaking[1:])
    assert journal_for(sandbox).runs()[0].counts == {"changed": len(breaking) - 1, "conflict": 1}


def test_conditions_with_no_value_to_set_are_reported_not_guessed(run, sandbox):
    write_policies("""
[[policy]]
name = "forwarding"
where = "class:a2p"
[policy.require]
"settings.autoForward.emailAddresses" = { present = true }
description = "A2P line"
""")
    a2p = matching(sandbox, "class:a2p")
    number = a2p[0]
    doc = sandbox.state.detail(number)
    doc["settings"]["autoForward"] = {"enabled": False, "emailAddresses": []}
    sandbox.state.put_raw(doc)
    before = json.dumps(held(sandbox, number, "settings.autoForward"))

    code, out, err = run("fix", "--dry-run")

    assert code == 0, err
    assert (f"{number}  not fixed: forwarding: settings.autoForward.emailAddresses: [] → present "
            "(no single value to set)") in out
    code, out, err = run("fix", "--yes", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert {"policy": "forwarding", "number": number,
            "fields": [{"path": "settings.autoForward.emailAddresses", "expected": "present", "actual": [],
                        "absent": False}]} in report["unfixable"]
    assert json.dumps(held(sandbox, number, "settings.autoForward")) == before   # not guessed
    assert held(sandbox, number, "description") == "A2P line"                    # the settable part fixed


def test_builtin_findings_are_listed_for_a_person_to_fix(run, sandbox):
    write_policies("", builtins=True)
    number = sandbox.state.numbers()[0]
    doc = sandbox.state.detail(number)
    doc["settings"]["outOfOffice"] = {"enabled": True, "endDate": "2020-01-31T23:59:59Z"}
    sandbox.state.put_raw(doc)

    code, out, err = run("fix", "ooo-ended", "--yes")

    assert code == 0, err
    assert (f'{number}  not fixed: ooo-ended: settings.outOfOffice.endDate: "2020-01-31T23:59:59Z" → ') in out
    assert "(a built-in check: fix it by hand)" in out and "no number" not in out
    assert "nothing to change in the" in out
    assert not sandbox.state.put_counts and journal_for(sandbox).runs() == []


def test_two_policies_asking_different_values_leave_the_number_alone(run, sandbox):
    write_policies("""
[[policy]]
name = "a2p-line"
where = "class:a2p"
require = { description = "A2P line" }

[[policy]]
name = "marketing"
where = "class:a2p"
require = { description = "Marketing" }
""")
    a2p = matching(sandbox, "class:a2p")
    before = snapshot(sandbox, a2p)

    code, out, err = run("fix", "--dry-run")

    assert code == 0, err
    assert f"{a2p[0]}  not fixed: a2p-line and marketing ask different values of description: nothing set" in out
    code, out, err = run("fix", "--yes", "--json")
    assert json.loads(out)["items"] == [] and snapshot(sandbox, a2p) == before
    assert set(json.loads(out)["clashes"]) == set(a2p)


def test_fix_names_the_policies_it_fixes(run, sandbox):
    write_policies(A2P_STOP + """
[[policy]]
name = "p2p-line"
where = "class:p2p"
require = { description = "P2P line" }
""")
    code, out, err = run("fix", "p2p-line", "--yes")
    assert code == 0, err
    assert journal_for(sandbox).runs()[0].description == "fix p2p-line"
    assert all(held(sandbox, n, "description") != "A2P line" for n in matching(sandbox, "class:a2p"))
    code, _, err = run("fix", "nope", "--yes")
    assert code == 2 and "no policy named nope" in err


def test_hostile_values_in_the_preview_cannot_drive_the_terminal(run, sandbox):
    write_policies("""
[[policy]]
name = "described"
require = { description = "Line" }
""")
    hostile = seed_hostile(sandbox)
    code, out, err = run("fix", "--dry-run")
    assert code == 0, err
    assert f"{hostile}  description: " in out
    assert_terminal_safe(out + err)


def test_read_only_refuses_the_fix(run, sandbox):
    write_policies(A2P_STOP)
    code, out, err = run("--read-only", "fix", "--yes")
    assert code == 1 and "read-only" in err and not sandbox.state.put_counts


@pytest.fixture
def quick_client(monkeypatch):
    real_init = ApiClient.__init__

    def init(self, *args, **kwargs):
        kwargs.update(retry=fast_retry(), timeout=0.5)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(ApiClient, "__init__", init)


def test_an_unreachable_api_refuses_the_fix_nothing_queued(sandbox_factory, monkeypatch, capsys, quick_client):
    server = sandbox_factory()
    run = cli_runner(server, monkeypatch, capsys)
    write_policies(A2P_STOP)
    assert run("sync", "--details")[0] == 0
    server.stop()

    code, out, err = run("fix", "--yes")

    assert code == 1 and out == ""
    assert "the API is unreachable" in err and "fix refused; nothing was sent" in err
    assert err.count("\n") == 1
    assert journal_for(server).runs() == []


def test_a_fix_killed_mid_run_is_finished_by_resume_writing_no_number_twice(sandbox_factory, monkeypatch, capsys):
    import os
    import signal
    import subprocess
    from pathlib import Path

    from actui.core.store import Store
    from tests.helpers import until_sync

    server = sandbox_factory(numbers=80, faults="latency=40ms")
    numbers = server.state.numbers()
    write_policies('[[policy]]\nname = "all-resumed"\nrequire = { description = "Resumed" }\n')
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "ACTUI_PASSWORD": server.password, "PYTHONPATH": str(repo)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "actui", "fix", "--yes", "--concurrency", "4", "--base-url", server.base_url,
         "--user", server.user], env=env, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    store = Store()
    try:
        def going() -> bool:
            changed = store.query("SELECT count(*) FROM journal_items WHERE state = 'changed'")
            if changed[0][0] >= 15:
                return True
            assert proc.poll() is None, proc.stderr.read().decode()
            return False

        until_sync(going, 60, what="the fix to get going")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen: list = [None, time.monotonic()]

        def quiet() -> bool:   # the requests the kill left in flight land (or not) before we look
            now = (sum(server.state.put_counts.values()), server.faults.stats.requests)
            if now != seen[0]:
                seen[:] = [now, time.monotonic()]
            return time.monotonic() - seen[1] >= 0.3

        until_sync(quiet, 30, step=0.02, what="the server to go quiet")
        [cut] = journal_for(server).resumable()
        assert cut.description == "fix all-resumed" and cut.open > 0

        code, out, err = cli_runner(server, monkeypatch, capsys)("resume", "--yes")

        assert code == 0, err
        assert f"run {cut.id} (done): 80 changed" in out
        assert all(server.state.detail(n)["description"] == "Resumed" for n in numbers)
        assert max(server.state.put_counts.values()) == 1 and set(server.state.put_counts) == set(numbers)
    finally:
        if proc.poll() is None:
            proc.kill()
        store.close()
