"""The embedded sandbox, the default when no API is configured: served on an ephemeral loopback port,
from a thread of this process (CLI commands, tests) or from a child process (the TUI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .api.errors import ConfigError
from .config import Connection
from .sandbox import DEFAULT_USER


class EmbeddedSandbox:
    """In a background thread of this process."""

    def __init__(self, **options) -> None:
        from .core.safe_text import terminal_safe
        from .sandbox.server import SandboxServer

        options.setdefault("log_level", "critical")  # nothing may write over the TUI
        self.file = _usable_file(options.pop("db_path", None))
        for notice in self.file.notices:  # only CLI commands run the sandbox in-process: stderr is theirs
            print(f"actui: {terminal_safe(notice)}", file=sys.stderr)
        self.server = SandboxServer(self.file.path, **options)

    def start(self) -> EmbeddedSandbox:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()
        self.file.cleanup()

    def attach(self, connection: Connection) -> Connection:
        """The connection pointed at this sandbox, with its (per-run, random) credentials."""
        return connection.with_endpoint(self.server.base_url, self.server.user, self.server.password)


def _usable_file(db_path: str | Path | None):
    """The inventory file to serve: the one asked for, or the default one made usable (a damaged one
    moved aside and reseeded, a read-only one copied for this run: it is only test data)."""
    from .core.store_files import UsableFile, usable_rebuildable
    from .paths import ensure_private_dir, sandbox_db

    if db_path is not None:
        ensure_private_dir(Path(db_path).parent)
        return UsableFile(Path(db_path))
    return usable_rebuildable(sandbox_db(), "embedded sandbox's inventory")


class SandboxProcess:
    """In a child process: spawned before the TUI imports Textual, so both start on their own core.

    The child serves until its stdin closes, so it ends with this process however this one ends.
    """

    def __init__(self, db_path: Path | None = None) -> None:
        self.file = _usable_file(db_path)
        self.notices = self.file.notices  # the TUI shows them once it is up
        db = self.file.path
        self.user = DEFAULT_USER
        # 144 random bits, as secrets.token_urlsafe(18) makes them, without importing secrets before the
        # first frame (it loads OpenSSL through hashlib: ~4 ms of the TUI's start)
        self.password = os.urandom(18).hex()
        self.base_url: str | None = None
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "actui.sandbox.child", str(db)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env={**os.environ, "ACTUI_SANDBOX_PASSWORD": self.password},
                # no preexec_fn (it would make Popen fork instead of vfork, ~1.5 ms of the start): the child
                # lowers its own priority
            )
        except OSError as error:
            self.file.cleanup()
            raise ConfigError(f"the embedded sandbox did not start: {sys.executable}: "
                              f"{error.strerror or error}") from None

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
        self.file.cleanup()
