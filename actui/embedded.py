"""The sandbox served from inside this process on an ephemeral loopback port (the default with no profile)."""

from __future__ import annotations

from .config import Connection


class EmbeddedSandbox:
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
