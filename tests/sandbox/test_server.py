"""Serving: background thread, reopening a database, the standalone `actui sandbox` loop. How fast it starts
and answers on keep-alive is measured by benchmarks/sandbox_timings.py (wall-clock limits fail on a loaded
machine)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from actui.sandbox import SandboxServer

from .helpers import path

ROOT = Path(__file__).resolve().parents[2]


def test_start_stop_and_reopen_quickly(tmp_path):
    db = tmp_path / "s.sqlite3"
    with SandboxServer(db) as s:
        assert s.base_url.startswith("http://127.0.0.1:") and s.base_url.endswith("/api/v1")
        assert s.port > 0 and len(s.password) >= 20 and s.user == "sandbox@actui.dev"
        assert s.state.count() == 500
        number = s.state.numbers()[10]
        r = httpx.put(s.base_url + path(number), json={"externalId": "EXT-1", "settings": {"rateLimit": 7}},
                      auth=(s.user, s.password))
        assert r.status_code == 200
    assert not s.running
    with SandboxServer(db) as s:
        d = httpx.get(s.base_url + path(number), auth=(s.user, s.password)).json()
    assert (d["externalId"], d["settings"]["rateLimit"]) == ("EXT-1", 7)


def test_two_servers_on_one_file_see_each_others_edits(tmp_path):
    db = tmp_path / "shared.sqlite3"
    with SandboxServer(db, numbers=20) as a, SandboxServer(db, numbers=20) as b:
        number = a.state.numbers()[0]
        httpx.put(a.base_url + path(number), json={"description": "from a"}, auth=(a.user, a.password))
        assert httpx.get(b.base_url + path(number), auth=(b.user, b.password)).json()["description"] == "from a"


def test_standalone_prints_how_to_connect_and_stops_on_ctrl_c(tmp_path):
    code = ("from actui.sandbox import serve_forever; "
            f"serve_forever(port=0, numbers=15, db_path={str(tmp_path / 'cli.sqlite3')!r}, faults='latency=1ms', "
            "odd=True)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = _read_banner(proc)
        text = "".join(lines)
        base_url = next(line.split()[-1] for line in lines if "base URL" in line)
        assert "sandbox@actui.dev" in text and "password  sandbox" in text and "latency=1ms" in text
        assert "curl -u 'sandbox@actui.dev:sandbox'" in text and "%2B1" in text and "odd data" in text
        r = httpx.get(base_url + "/phone-numbers/active", auth=("sandbox@actui.dev", "sandbox"))
        assert r.status_code == 200 and r.json()["total"] == 15
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _read_banner(proc: subprocess.Popen, timeout: float = 15.0) -> list[str]:
    """The lines printed up to "Ctrl-C to stop." (never blocks past the timeout)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    out, deadline = [], time.monotonic() + timeout
    while not out or "Ctrl-C" not in out[-1]:
        out.append(lines.get(timeout=max(0.0, deadline - time.monotonic())))
    return out
