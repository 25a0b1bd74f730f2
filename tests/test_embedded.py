"""The embedded sandbox in a child process (what the TUI uses) and in a thread (what CLI commands use)."""

import os
import signal
import subprocess
import sys

import pytest

from actui.config import Connection
from actui.embedded import EmbeddedSandbox, SandboxProcess
from actui.paths import sandbox_db
from tests.helpers import client_for, until_sync


def sandbox_connection() -> Connection:
    return Connection(profile=None, base_url=None, user=None, sandbox=True)


async def test_child_process_serves_the_shared_database_and_stops():
    child = SandboxProcess()
    try:
        connection = child.attach(sandbox_connection())
        assert connection.base_url.startswith("http://127.0.0.1:") and connection.label == "sandbox"
        async with client_for(connection) as api:
            page = await api.list_page(1, 5)
        assert page.total == 500 and len(page.items) == 5
        assert sandbox_db().exists()  # the same file the CLI's embedded sandbox uses
    finally:
        child.stop()
    assert child.process.poll() is not None


def test_child_process_ends_when_its_parent_dies(tmp_path):
    code = ("import sys, time\n"
            "from actui.embedded import SandboxProcess\n"
            "child = SandboxProcess()\n"
            "child.wait_ready()\n"
            "print(child.process.pid, flush=True)\n"
            "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=os.environ.copy())
    child_pid = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()

    def gone() -> bool:
        try:
            os.kill(child_pid, 0)
        except ProcessLookupError:
            return True
        try:
            os.waitpid(child_pid, os.WNOHANG)
        except ChildProcessError:
            pass
        return False

    until_sync(gone, 10, step=0.1, what="the sandbox child to end with its parent")


def test_a_child_that_cannot_start_says_why(tmp_path):
    (tmp_path / "dir.sqlite3").mkdir()  # a directory where the database file should be
    child = SandboxProcess(tmp_path / "dir.sqlite3")
    with pytest.raises(Exception, match="embedded sandbox did not start"):
        child.wait_ready()


async def test_thread_sandbox_for_cli_commands():
    sandbox = EmbeddedSandbox().start()
    try:
        connection = sandbox.attach(sandbox_connection())
        async with client_for(connection) as api:
            assert (await api.list_page(1, 1)).total == 500
    finally:
        sandbox.stop()


def test_the_child_runs_nicer_than_the_tui(tmp_path):
    """The child lowers its own priority (a background service: the screen goes first where cores are short)."""
    child = SandboxProcess(tmp_path / "sandbox.sqlite3")
    try:
        child.wait_ready()
        expected = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5)
        assert os.getpriority(os.PRIO_PROCESS, child.process.pid) == expected
    finally:
        child.stop()


def test_starting_the_child_imports_neither_secrets_nor_hashlib(tmp_path):
    """The TUI starts the child before its first frame: its password is made without `secrets` (which loads
    OpenSSL through hashlib, ~4 ms of the start), and is still 144 random bits."""
    code = ("import sys\n"
            "from pathlib import Path\n"
            "from actui.embedded import SandboxProcess\n"
            f"child = SandboxProcess(Path({str(tmp_path / 'sandbox.sqlite3')!r}))\n"
            "print(len(child.password), sorted({'secrets', 'hashlib', 'hmac'} & set(sys.modules)))\n"
            "child.wait_ready()\n"
            "child.stop()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.split() == ["36", "[]"]
