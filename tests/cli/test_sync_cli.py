"""`actui sync` and `actui sync --status` against a sandbox on loopback."""

from __future__ import annotations

import io
import json
import os

import pytest

from actui.cli.sync_cmd import ProgressLine, progress_text
from actui.core.local_copy import open_local_copy
from actui.core.store import Store
from actui.core.sync import SyncProgress
from actui.profiles import ConfigFile, parse_duration
from tests.fixtures.hostile import assert_terminal_safe, seed_hostile


def held_copy(sandbox):
    host = sandbox.base_url.split("//")[1].split("/")[0]
    return open_local_copy(Store(), f"{sandbox.user}@{host}")


def test_sync_lists_into_the_copy_with_one_summary_line(run, sandbox):
    code, out, err = run("sync")

    assert code == 0 and out == ""
    assert err.startswith("actui: listed 120 numbers; no details read (--details reads them) (")
    assert err.count("\n") == 1 and "\r" not in err   # no progress line: stderr is not a terminal
    copy = held_copy(sandbox)
    assert copy.numbers() == sandbox.state.numbers()
    assert copy.status().with_details == 0


def test_sync_details_json_says_what_it_did_and_the_copy_holds_the_details_exactly(run, sandbox):
    hostile = seed_hostile(sandbox)

    code, out, err = run("sync", "--details", "--json")

    assert code == 0
    result = json.loads(out)
    assert {k: result[k] for k in ("listed", "listComplete", "removed", "detailsRead", "detailsFailed",
                                   "detailsLeft", "cancelled")} == {
        "listed": 120, "listComplete": True, "removed": 0, "detailsRead": 120, "detailsFailed": 0,
        "detailsLeft": 0, "cancelled": False}
    assert result["copy"]["numbers"] == 120 and result["copy"]["withDetails"] == 120
    assert held_copy(sandbox).detail(hostile)[0] == sandbox.state.detail(hostile)
    assert_terminal_safe(err)
    assert "read 120 details" in err


def test_a_second_sync_reads_only_the_stale_details(run, sandbox):
    run("sync", "--details")
    before = sandbox.faults.stats.requests

    code, out, err = run("sync", "--details", "--json")

    assert json.loads(out)["detailsRead"] == 0 and json.loads(out)["detailsFresh"] == 120
    assert sandbox.faults.stats.requests - before == 2   # the list's pages only
    assert "120 already fresh" in err


def test_max_age_reads_again_what_is_older_and_implies_details(run, sandbox):
    run("sync", "--details")
    code, out, _ = run("sync", "--max-age", "0", "--json")
    assert code == 0 and json.loads(out)["detailsRead"] == 120


@pytest.mark.parametrize("text", ["15x", "-5", "m", "1e999", ""])
def test_an_invalid_max_age_is_refused_naming_the_option(run, sandbox, text):
    before = sandbox.faults.stats.requests
    with pytest.raises(SystemExit) as exited:
        run("sync", "--max-age", text)
    assert exited.value.code == 2
    assert sandbox.faults.stats.requests == before


def test_an_invalid_max_age_error_names_max_age(run, capsys):
    with pytest.raises(SystemExit):
        run("sync", "--max-age", "soon")
    err = capsys.readouterr().err
    assert "argument --max-age: 'soon' is not a duration" in err


@pytest.mark.parametrize(("text", "seconds"), [("900", 900), ("90s", 90), ("15m", 900), ("1h", 3600),
                                               ("1.5h", 5400), ("2d", 172800), ("15 min", 900)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_status_says_what_the_copy_holds_without_a_request(run, sandbox):
    run("sync", "--details")
    before = sandbox.faults.stats.requests

    code, out, err = run("sync", "--status", "--json")

    assert code == 0 and err == ""
    status = json.loads(out)
    assert {k: status[k] for k in ("numbers", "withDetails", "stale", "maxAge")} == {
        "numbers": 120, "withDetails": 120, "stale": 0, "maxAge": 900.0}
    assert status["oldestDetailAge"] >= 0 and status["listSyncedAt"].endswith("+00:00")
    assert sandbox.faults.stats.requests == before

    code, out, _ = run("sync", "--status")
    assert "numbers held        120" in out and "with details        120 (0 without)" in out
    assert "ago)" in out


def test_status_of_an_empty_copy(run):
    code, out, _ = run("sync", "--status", "--json")
    assert json.loads(out) == {"numbers": 0, "withDetails": 0, "stale": 0, "maxAge": 900.0, "oldestDetailAt": None,
                               "oldestDetailAge": None, "listSyncedAt": None, "listSyncAge": None}
    code, out, _ = run("sync", "--status")
    assert "last list sync      never" in out


def test_the_profile_max_age_is_used(run, sandbox, monkeypatch):
    config = os.environ["ACTUI_CONFIG_DIR"]
    os.makedirs(config, exist_ok=True)
    with open(os.path.join(config, "config.toml"), "w") as f:
        f.write(f'default = "t"\n[profiles.t]\nbase_url = "{sandbox.base_url}"\nuser = "{sandbox.user}"\n'
                'max_age = "1m"\n')
    monkeypatch.delenv("ACTUI_BASE_URL")
    monkeypatch.delenv("ACTUI_USER")

    code, out, _ = run("sync", "--status", "--json")

    assert code == 0 and json.loads(out)["maxAge"] == 60.0


@pytest.mark.parametrize("value", ['"soon"', "-1", "true"])
def test_a_bad_profile_max_age_names_the_key(tmp_path, value):
    path = tmp_path / "config.toml"
    path.write_text(f'[profiles.t]\nmax_age = {value}\n')
    with pytest.raises(Exception, match="max_age must be a number of seconds or a duration"):
        ConfigFile.load(path)


def test_the_progress_line_is_drawn_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    progress = SyncProgress("details", 500, 500, 20, 480, 1, 12.0)
    plain, terminal = io.StringIO(), Terminal()
    for out in (plain, terminal):
        line = ProgressLine(out)
        line.show(progress)
        line.clear()

    assert plain.getvalue() == ""
    assert progress_text(progress) in terminal.getvalue()
    assert progress_text(progress) == "sync: listed 500 of 500 · details 20/480 (1 failed) · 12/s"
    assert terminal.getvalue().endswith("\r\x1b[2K")   # cleared before the summary line


def test_a_killed_sync_keeps_the_details_it_read_and_the_next_one_reads_the_rest(sandbox_factory, monkeypatch,
                                                                                 capsys):
    import signal
    import subprocess
    import sys

    from tests.helpers import cli_runner

    server = sandbox_factory(numbers=300, faults="latency=200ms,on=GET")
    run = cli_runner(server, monkeypatch, capsys)
    copy = held_copy(server)
    child = subprocess.Popen([sys.executable, "-m", "actui.cli", "sync", "--details"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        until_first_details_kept(child, copy, "killed")
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(30)
    kept = copy.status().with_details
    assert 0 < kept < 300
    server.faults.clear()

    code, out, err = run("sync", "--details", "--json")

    result = json.loads(out)
    assert result["detailsFresh"] == kept
    assert result["detailsRead"] == 300 - kept
    assert copy.status().with_details == 300


def test_a_sync_that_could_not_be_kept_is_refused_before_any_request(run, sandbox, isolated_env, monkeypatch):
    monkeypatch.setattr("actui.core.store_files.why_not_writable", lambda path: "its directory is read-only")
    before = sandbox.faults.stats.requests

    code, out, err = run("sync", "--details")

    assert code == 1 and out == ""
    line = err.strip().splitlines()[-1]
    assert line.startswith("actui: cannot keep the local copy of the inventory: the cache file ")
    assert str(isolated_env / "data" / "actui-cache.sqlite3") in line and "ACTUI_DATA_DIR" in line
    assert sandbox.faults.stats.requests == before


def test_the_sandbox_can_serve_list_items_with_their_settings(sandbox):
    import httpx

    from actui.cli import build_parser

    assert build_parser().parse_args(["sandbox", "--list-settings"]).list_settings is True
    url = sandbox.base_url + "/phone-numbers/active?limit=3"
    plain = httpx.get(url, auth=(sandbox.user, sandbox.password)).json()["phoneNumbers"]
    sandbox.options.list_settings = True
    full = httpx.get(url, auth=(sandbox.user, sandbox.password)).json()["phoneNumbers"]

    assert all("settings" not in item for item in plain)
    assert full == [sandbox.state.detail(item["phoneNumber"]) for item in plain]


def test_ctrl_c_stops_a_sync_saying_what_is_kept(sandbox_factory, monkeypatch, capsys):
    import signal
    import subprocess
    import sys

    from tests.helpers import cli_runner

    server = sandbox_factory(numbers=300, faults="latency=200ms,on=GET")
    cli_runner(server, monkeypatch, capsys)   # the connection's environment, for the child
    copy = held_copy(server)
    child = subprocess.Popen([sys.executable, "-m", "actui.cli", "sync", "--details"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        until_first_details_kept(child, copy, "interrupted")
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait(30)

    assert child.returncode == 130 and out == ""
    kept = copy.status().with_details
    assert f"actui: sync stopped; the copy holds 300 numbers, {kept} with details: `actui sync --details` goes on " \
           "from there\n" in err
    assert err.endswith("actui: interrupted\n") and "Traceback" not in err


def until_first_details_kept(child, copy, verb: str) -> None:
    """Until the sync running in `child` has kept its first details (a batch at a time)."""
    from tests.helpers import until_sync

    def kept_some() -> bool:
        assert child.poll() is None, f"the sync ended before it could be {verb}"
        return copy.status().with_details > 0

    until_sync(kept_some, timeout=60, step=0.02, what="a first detail kept")
