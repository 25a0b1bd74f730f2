"""The embedded sandbox, the default when no API is configured: served on an ephemeral loopback port,
from a thread of this process (CLI commands, tests) or from a child process (the TUI)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from .api.errors import ConfigError
from .config import Connection
from .sandbox import DEFAULT_USER


class EmbeddedSandbox:
    """In a background thread of this process."""

    def __init__(self, **options) -> None:
        from .paths import sandbox_db
        from .sandbox.server import SandboxServer

        options.setdefault("log_level", "critical")  # nothing may write over the TUI
        self.server = SandboxServer(options.pop("db_path", None) or sandbox_db(), **options)

    def start(self) -> "EmbeddedSandbox":
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def attach(self, connection: Connection) -> Connection:
        """The connection pointed at this sandbox, with its (per-run, random) credentials."""
        return connection.with_endpoint(self.server.base_url, self.server.user, self.server.password)


def _lower_priority() -> None:
    os.nice(5)


class SandboxProcess:
    """In a child process: spawned before the TUI imports Textual, so both start on their own core.

    The child serves until its stdin closes, so it ends with this process however this one ends.
    """

    def __init__(self, db_path: Path | None = None) -> None:
        from .paths import ensure_private_dir, sandbox_db

        db = Path(db_path or sandbox_db())
        ensure_private_dir(db.parent)
        self.user = DEFAULT_USER
        self.password = secrets.token_urlsafe(18)
        self.base_url: str | None = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "actui.sandbox.child", str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "ACTUI_SANDBOX_PASSWORD": self.password},
            # a background service: where cores are short, the screen goes first
            preexec_fn=_lower_priority if hasattr(os, "nice") else None,
        )

    def wait_ready(self) -> str:
        """Block until the child listens; its base URL."""
        if self.base_url is None:
            line = self.process.stdout.readline().decode(errors="replace").split()
            if len(line) != 2 or line[0] != "READY":
                self.stop()
                detail = self.process.stderr.read().decode(errors="replace").strip().splitlines()[-1:]
                raise ConfigError("the embedded sandbox did not start" + (f": {detail[0]}" if detail else ""))
            self.base_url = f"http://127.0.0.1:{int(line[1])}/api/v1"
        return self.base_url

    def attach(self, connection: Connection) -> Connection:
        return connection.with_endpoint(self.wait_ready(), self.user, self.password)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
