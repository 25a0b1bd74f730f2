"""The CLI on a damaged, read-only or uncreatable local store: one line naming the file and the fix, never
"unexpected ..." or a traceback; reading works; writing is refused before anything is sent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from actui.core.journal import Journal
from actui.core.store import Store

NUMBER = "+14155550100"
GARBAGE = b"not a database, honestly \x00\x01" * 200


def one_clear_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip() and "embedded sandbox" not in line]
    assert len(lines) == 1, err
    assert "unexpected" not in err and "Traceback" not in err
    return lines[0]


def first_number(run) -> str:
    code, out, _ = run("numbers", "list", "--limit", "1", "--json")
    assert code == 0
    import json

    return json.loads(out)[0]["phoneNumber"]


def test_a_damaged_store_is_moved_aside_and_the_command_goes_on(run, isolated_env):
    data = isolated_env / "data"
    data.mkdir()
    (data / "actui.sqlite3").write_bytes(GARBAGE)
    code, out, err = run("journal")
    assert code == 0 and "the journal is empty" in out
    line = one_clear_line(err)
    [aside] = [p for p in data.glob("actui.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert str(data / "actui.sqlite3") in line and str(aside) in line and "journal" in line
    assert aside.read_bytes() == GARBAGE
    code, _, err = run("journal")
    assert code == 0 and err == ""   # said once: the new store is sound


def test_a_damaged_store_does_not_stop_an_update_and_the_new_journal_records_it(run, sandbox, isolated_env):
    number = first_number(run)
    data = isolated_env / "data"
    data.mkdir(exist_ok=True)
    (data / "actui.sqlite3").write_bytes(GARBAGE)
    code, _, err = run("numbers", "update", number, "--set", "description=after the damage", "--yes")
    assert code == 0, err
    assert "moved it aside" in err
    store = Store(data / "actui.sqlite3")
    try:
        [entry] = Journal(store, _account(sandbox)).entries("after")
        assert entry.number == number
    finally:
        store.close()


def _account(sandbox) -> str:
    from actui.config import ConnectionFlags, resolve_connection

    return resolve_connection(ConnectionFlags(base_url=sandbox.base_url, user=sandbox.user)).account_key


@pytest.fixture
def read_only_store(monkeypatch):
    """Every store file is read-only as far as actui can tell (SQLite then opens it mode=ro)."""
    monkeypatch.setattr("actui.core.store_files.why_not_writable", lambda path: "its directory is read-only")


def test_a_read_only_store_still_shows_the_journal(run, isolated_env, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")   # the whole value in its cell
    number = first_number(run)
    assert run("numbers", "update", number, "--set", "description=before read-only", "--yes")[0] == 0
    monkeypatch.setattr("actui.core.store_files.why_not_writable", lambda path: "its directory is read-only")
    code, out, err = run("journal", "before")
    assert code == 0 and "before read-only" in out and err == ""
    code, out, _ = run("journal", "--json")
    assert code == 0 and '"kind": "edit"' in out


def test_writing_to_a_read_only_store_is_refused_before_the_request(run, sandbox, isolated_env, read_only_store):
    number = first_number(run)
    before = sandbox.state.detail(number)["description"]
    code, _, err = run("numbers", "update", number, "--set", "description=never sent", "--yes")
    assert code == 1
    line = one_clear_line(err)
    assert str(isolated_env / "data" / "actui.sqlite3") in line
    assert "read-only" in line and "ACTUI_DATA_DIR" in line
    assert sandbox.state.detail(number)["description"] == before
    assert sandbox.state.put_counts[number] == 0


def test_an_unwritable_home_names_the_files_and_the_settings(run, isolated_env, monkeypatch):
    blocker = isolated_env / "home-is-a-file"
    blocker.write_text("")
    for name in ("ACTUI_CONFIG_DIR", "ACTUI_DATA_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(blocker / "home"))
    code, out, err = run("journal")
    assert code == 0 and "the journal is empty" in out
    line = one_clear_line(err)
    assert str(blocker) in line and "ACTUI_DATA_DIR" in line
    code, _, err = run("config", "add", "work", "--url", "https://api.example.com/api/v1", "--email", "a@b.example")
    assert code == 1
    line = one_clear_line(err)
    assert str(blocker) in line and "ACTUI_CONFIG_DIR" in line


# --- the real thing: a directory the user may not write (as `nobody`, since root writes anywhere) ---


def _unprivileged() -> list[str] | None:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if setpriv else None


@pytest.fixture
def shared_dir():
    """A directory `nobody` can read but not write (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="actui-ro-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_read_only_data_dir_for_real(shared_dir):
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: no way to be refused a write")
    data = shared_dir / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTUI_")}
    env.update(ACTUI_DATA_DIR=str(data), ACTUI_CONFIG_DIR=str(shared_dir / "config"), HOME=str(shared_dir),
               ACTUI_BASE_URL="http://127.0.0.1:9/api/v1", ACTUI_USER="ops@example.com",
               ACTUI_PASSWORD="not-used")
    from actui.config import ConnectionFlags, resolve_connection
    from tests.core.helpers import planned

    store = Store(data / "actui.sqlite3")
    account = resolve_connection(ConnectionFlags(), env=env).account_key
    run_id = Journal(store, account).begin("bulk", planned(2), "a run to keep").id
    store.close()
    for path in [data, *data.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)

    def actui(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*prefix, sys.executable, "-m", "actui", *args], env=env, capture_output=True,
                              text=True, timeout=60, cwd=Path(__file__).resolve().parents[2])

    shown = actui("journal", "--run", str(run_id))
    assert shown.returncode == 0, shown.stderr
    assert "a run to keep" in shown.stdout and shown.stderr == ""
    refused = actui("undo", str(run_id), "--yes")
    assert refused.returncode == 1
    line = one_clear_line(refused.stderr)
    assert str(data / "actui.sqlite3") in line and "read-only" in line and "ACTUI_DATA_DIR" in line


# --- the embedded sandbox's inventory: only test data, so it is rebuilt or copied, never in the way ---


def test_a_damaged_sandbox_inventory_is_moved_aside_and_reseeded(isolated_env, capsys):
    from actui.cli import main

    data = isolated_env / "data"
    data.mkdir()
    (data / "sandbox.sqlite3").write_bytes(GARBAGE)
    code = main(["numbers", "list", "--limit", "2", "--json", "--sandbox"])
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("[")
    [aside] = [p for p in data.glob("sandbox.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == GARBAGE
    assert str(aside) in err and "unexpected" not in err


def test_a_read_only_sandbox_inventory_is_served_from_a_copy_for_the_run(isolated_env, capsys, monkeypatch):
    from actui.embedded import EmbeddedSandbox

    first = EmbeddedSandbox(numbers=30).start()
    first.stop()
    original = (isolated_env / "data" / "sandbox.sqlite3").read_bytes()
    capsys.readouterr()
    monkeypatch.setattr("actui.core.store_files.why_not_writable", lambda path: "the file is read-only")
    sandbox = EmbeddedSandbox(numbers=40)   # a new one would seed 40
    copy_dir = sandbox.file.temporary
    assert copy_dir is not None and sandbox.file.path.parent == copy_dir
    assert str(copy_dir) in capsys.readouterr().err
    sandbox.start()
    try:
        assert sandbox.server.state.count() == 30   # the copy, not a new seed of the default 500
    finally:
        sandbox.stop()
    assert not copy_dir.exists()
    assert (isolated_env / "data" / "sandbox.sqlite3").read_bytes() == original
