"""What the benchmarks share about the sandbox and the baseline app: one standalone sandbox process on a
free loopback port (`python -m actui.cli sandbox`), its credentials, its first seeded number, and the bare
Textual app that start-up and idle figures are compared with."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from _pty import free_port

USER = "sandbox@actui.dev"
PASSWORD = "sandbox"
FIRST_NUMBER = "(312) 555-5622"  # seed 1's first number (+13125555622), the table's first row
BARE_APP = '''
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static("READY")


if __name__ == "__main__":
    Bare().run()
'''


def start_sandbox(db: Path, numbers: int | None = None, faults: str | None = None,
                  timeout: float = 300) -> tuple[subprocess.Popen, str]:
    """The sandbox serving `db` (seeded with `numbers` if new); returns the process and the API base URL
    once it answers."""
    import httpx

    port = free_port()
    argv = [sys.executable, "-m", "actui.cli", "sandbox", "--port", str(port), "--db", str(db)]
    if numbers is not None:
        argv += ["--numbers", str(numbers)]
    if faults:
        argv += ["--faults", faults]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/phone-numbers/active?limit=1", auth=(USER, PASSWORD), timeout=2).raise_for_status()
            return proc, base
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise SystemExit("sandbox exited: " + proc.stderr.read().decode()) from None
            time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise SystemExit("sandbox did not start")


def stop_sandbox(proc: subprocess.Popen | None) -> None:
    """Terminate the sandbox and wait for it (killed if it does not end within 10 s)."""
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
