"""`actui numbers update --where`, `actui journal`, `actui undo`, `actui resume` against a sandbox on loopback."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from actui.core.store import Store
from tests.cli.helpers import journal_for, matching
from tests.helpers import cli_runner, until_sync

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "s3cr3t-Bulk-Hunter2"


def test_where_previews_and_dry_run_sends_nothing(run, sandbox):
    a2p = matching(sandbox, "class:a2p")
    assert 5 < len(a2p) < 120
    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "settings.optOut.text=HALT",
                         "--set", "billingPlanName=500", "--dry-run")
    assert code == 0, err
    assert f"of {len(a2p)} numbers matching 'class:a2p' would change" in out
    assert 'settings.optOut.text: ' in out and '-> "HALT"' in out
    assert "billingPlanName" in out.splitlines()[-3] + out.splitlines()[-2]  # the per-field counts
    assert not sandbox.state.put_counts
    code, out, _ = run("numbers", "update", "--where", "class:a2p", "--set", "billingPlanName=500", "--dry-run",
                       "--json")
    preview = json.loads(out)
    assert preview["dryRun"] and preview["matched"] == len(a2p)
    assert len(preview["items"]) + len(preview["unchanged"]) == len(a2p)
    assert preview["fields"] == {"billingPlanName": len(preview["items"])}
    assert not sandbox.state.put_counts and journal_for(sandbox).runs() == []


def test_confirmation_is_refused_without_a_terminal_or_yes(run, sandbox):
    before = sandbox.faults.stats.requests
    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=x")
    assert code == 2 and out == "" and "--yes" in err and "refusing" in err
    assert sandbox.faults.stats.requests == before  # refused before any request


def test_typing_the_count_confirms(run, sandbox, monkeypatch):
    import io

    from actui.cli import bulk_cmd, interaction

    monkeypatch.setattr(bulk_cmd, "can_ask", lambda: True)
    monkeypatch.setattr(interaction, "can_ask", lambda: True)
    a2p = matching(sandbox, "class:a2p")
    monkeypatch.setattr(sys, "stdin", io.StringIO("3\n"))
    code, _, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=typed")
    assert code == 1 and "nothing changed" in err and not sandbox.state.put_counts
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{len(a2p)}\n"))
    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=typed")
    assert code == 0, err
    assert f"Type {len(a2p)} to change {len(a2p)} numbers" in err
    assert set(sandbox.state.put_counts) == set(a2p)


def test_bulk_update_reports_every_number_and_the_run(run, sandbox):
    a2p = matching(sandbox, "class:a2p")
    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=Bulk",
                         "--yes", "--concurrency", "3")
    assert code == 0, err
    lines = out.splitlines()
    assert sum(line.endswith("  changed") for line in lines) == len(a2p)
    assert f"run 1 (done): {len(a2p)} changed" in out and "actui undo 1" in out
    assert all(sandbox.state.detail(n)["description"] == "Bulk" for n in a2p)
    code, out, _ = run("numbers", "update", "--where", "class:a2p", "--set", "description=Bulk", "--yes", "--json")
    again = json.loads(out)
    assert code == 0 and again["matched"] == len(a2p) and again["items"] == []
    assert len(again["unchanged"]) == len(a2p)  # already as asked: nothing sent, no run
    code, out, _ = run("journal", "--json")
    (only,) = json.loads(out)
    assert only["id"] == 1 and only["kind"] == "bulk" and only["counts"] == {"changed": len(a2p)}
    assert "where class:a2p" in only["description"] and only["requested"] == {"description": "Bulk"}
    code, out, _ = run("journal", "--run", "1", "--json")
    items = json.loads(out)["items"]
    assert {i["number"] for i in items} == set(a2p) and items[0]["changes"][0]["new"] == "Bulk"
    code, out, _ = run("journal", a2p[0][2:], "description")
    assert code == 0 and a2p[0] in out and "Bulk" in out and len(out.splitlines()) == 2
    code, out, _ = run("journal")
    assert code == 0 and out.startswith("RUN") and "bulk" in out


def test_number_and_where_are_exclusive(run):
    code, _, err = run("numbers", "update", "+14155550123", "--where", "class:a2p", "--set", "description=x")
    assert code == 2 and "exactly one" in err
    code, _, err = run("numbers", "update", "--set", "description=x")
    assert code == 2 and "exactly one" in err
    code, _, err = run("numbers", "update", "--where", "clas:a2p", "--set", "description=x", "--yes")
    assert code == 2 and "unknown" in err and "class" in err   # a typo of a column is refused, named
    code, _, err = run("numbers", "update", "--where", "class:a2p", "--set", "settings.rateLimit=-3", "--yes")
    assert code == 2 and "settings.rateLimit" in err


def test_a_single_update_is_journaled_as_an_edit(run, sandbox):
    number = sandbox.state.numbers()[0]
    old = sandbox.state.detail(number)["description"]
    code, _, err = run("numbers", "update", number, "--set", "description=Solo")
    assert code == 0, err
    code, out, _ = run("journal", "--json")
    (edit,) = json.loads(out)
    assert edit["kind"] == "edit" and edit["counts"] == {"changed": 1}
    code, out, _ = run("journal", "--run", str(edit["id"]), "--json")
    assert json.loads(out)["items"][0]["changes"] == [{"path": "description", "old": old, "new": "Solo"}]
    code, out, _ = run("undo", str(edit["id"]), "--yes")
    assert code == 0 and sandbox.state.detail(number)["description"] == old


def test_undo_reverts_and_reports_conflicts(run, sandbox):
    a2p = matching(sandbox, "class:a2p")
    before = {n: sandbox.state.detail(n)["description"] for n in a2p}
    assert run("numbers", "update", "--where", "class:a2p", "--set", "description=Undo me", "--yes")[0] == 0
    assert run("numbers", "update", a2p[0], "--set", "description=Changed since")[0] == 0
    code, out, err = run("undo", "1")
    assert code == 2 and "--yes" in err  # no terminal to confirm on
    code, out, err = run("undo", "1", "--yes")
    assert code == 1, err  # a conflict
    assert f"{a2p[0]}  conflict" in out and 'expected "Undo me"' in out and 'found "Changed since"' in out
    assert sandbox.state.detail(a2p[0])["description"] == "Changed since"
    assert all(sandbox.state.detail(n)["description"] == before[n] for n in a2p[1:])
    code, out, _ = run("undo", "1", "--number", a2p[1], "--yes", "--json")
    assert code == 0 and json.loads(out)["items"] == []  # already back: nothing to undo
    code, out, err = run("undo", "3", "--yes", "--json")  # undo the undo
    result = json.loads(out)
    assert code == 0, err
    assert result["undoes"] == 3 and result["counts"] == {"changed": len(a2p) - 1}


def test_read_only_refuses_bulk_writes(run):
    for args in (["numbers", "update", "--where", "class:a2p", "--set", "description=x", "--yes"],
                 ["undo", "1", "--yes"], ["resume", "--yes"]):
        code, _, err = run("--read-only", *args)
        assert code == 1 and "read-only" in err


def test_resume_with_nothing_to_resume(run):
    code, out, _ = run("resume")
    assert code == 0 and "nothing to resume" in out
    code, out, _ = run("resume", "--json")
    assert json.loads(out) == {"resumable": []}
    code, _, err = run("resume", "7", "--yes")
    assert code == 1 and "no run 7" in err


def test_killed_mid_run_then_resumed_writes_no_number_twice(sandbox_factory, monkeypatch, capsys):
    server = sandbox_factory(numbers=80, faults="latency=40ms")
    numbers = server.state.numbers()
    env = {**os.environ, "ACTUI_PASSWORD": server.password, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "actui", "numbers", "update", "--where", "", "--set", "description=Resumed",
         "--yes", "--concurrency", "4", "--base-url", server.base_url, "--user", server.user],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    store = Store()
    try:
        def going() -> bool:
            changed = store.query("SELECT count(*) FROM journal_items WHERE state = 'changed'")
            if changed[0][0] >= 15:
                return True
            assert proc.poll() is None, proc.stderr.read().decode()
            return False

        until_sync(going, 30, what="the CLI to get going")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _quiet(server)  # requests the kill left in flight land (or not) before we look
        states = dict(store.query("SELECT state, count(*) FROM journal_items GROUP BY state"))
        assert states.get("pending", 0) + states.get("sending", 0) > 0 and "cancelled" not in states
        code, out, err = cli_runner(server, monkeypatch, capsys)("resume", "--yes")
        assert code == 0, err
        assert "run 1 (done): 80 changed" in out
        assert all(server.state.detail(n)["description"] == "Resumed" for n in numbers)
        assert max(server.state.put_counts.values()) == 1 and set(server.state.put_counts) == set(numbers)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        store.close()


def _quiet(server, still: float = 0.3, timeout: float = 30.0) -> None:
    """Until the server has seen no request for `still` seconds; fail after `timeout`."""
    last, since = None, time.monotonic()

    def quiet() -> bool:
        nonlocal last, since
        if time.monotonic() - since >= still:
            return True
        now = (sum(server.state.put_counts.values()), server.faults.stats.requests)
        if now != last:
            last, since = now, time.monotonic()
        return False

    until_sync(quiet, timeout, step=0.02, what="the server to go quiet")


def test_the_password_never_reaches_the_journal_or_its_output(sandbox_factory, monkeypatch, capsys):
    server = sandbox_factory(password=PASSWORD)
    run = cli_runner(server, monkeypatch, capsys)
    outputs = []
    for args in (["numbers", "update", "--where", "class:a2p", "--set", "description=Secret test", "--yes"],
                 ["numbers", "update", server.state.numbers()[0], "--set", "description=one"],
                 ["journal"], ["journal", "--json"], ["journal", "--run", "1", "--json"], ["journal", "secret"],
                 ["undo", "1", "--yes", "--json"], ["resume", "--json"]):
        outputs.append("".join(map(str, run(*args))))
    header = base64.b64encode(f"{server.user}:{PASSWORD}".encode()).decode()
    text = "\n".join(outputs)
    assert PASSWORD not in text and header not in text
    database = Store().path.read_bytes() + Path(str(Store().path) + "-wal").read_bytes()
    assert PASSWORD.encode() not in database and header.encode() not in database


def test_ctrl_c_lets_in_flight_requests_finish_and_exits_130(sandbox_factory):
    server = sandbox_factory(numbers=80, faults="latency=40ms")
    env = {**os.environ, "ACTUI_PASSWORD": server.password, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "actui", "numbers", "update", "--where", "", "--set", "description=Stopped",
         "--yes", "--concurrency", "4", "--json", "--base-url", server.base_url, "--user", server.user],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = Store()
    try:
        def changed_ten() -> bool:
            if store.query("SELECT count(*) FROM journal_items WHERE state = 'changed'")[0][0] >= 10:
                return True
            assert proc.poll() is None
            return False

        until_sync(changed_ten, 30, what="ten numbers changed")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    result = json.loads(out)
    assert result["state"] == "cancelled" and set(result["counts"]) == {"changed", "cancelled"}
    states = dict(store.query("SELECT state, count(*) FROM journal_items GROUP BY state"))
    store.close()
    assert states == result["counts"]  # nothing left pending or sending
    changed = {r["number"] for r in result["results"] if r["state"] == "changed"}
    assert set(server.state.put_counts) == changed  # in flight when stopped: finished and recorded
    assert b"stopping" in err


def test_the_progress_line_rewrites_itself_on_a_terminal():
    import io

    from actui.cli.interaction import ProgressLine
    from actui.core.bulk import Progress

    out = io.StringIO()
    line = ProgressLine(out, enabled=True)
    line.reading(3, 10)
    line.applying(Progress(total=100, done=40, changed=38, unchanged=0, failed=2, in_flight=4, rate=20.0))
    line.clear()
    text = out.getvalue()
    assert "reading current values: 3/10" in text
    assert "40/100 done  38 changed  2 failed  60 left  20.0/s  eta 3s" in text and text.endswith("\r\033[K")
    quiet = io.StringIO()
    ProgressLine(quiet, enabled=False).reading(1, 2)
    assert quiet.getvalue() == ""
