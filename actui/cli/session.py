"""From command-line flags to a live API client: the profile, the password, the embedded sandbox."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from ..api.client import ApiClient
from ..config import Connection, ConnectionFlags, resolve_connection
from ..credentials import get_password


@dataclass
class Session:
    connection: Connection
    client: ApiClient


def connection_from_args(args: argparse.Namespace) -> Connection:
    flags = ConnectionFlags(
        profile=getattr(args, "profile", None),
        base_url=getattr(args, "base_url", None),
        user=getattr(args, "user", None),
        tenant_id=getattr(args, "tenant_id", None),
        sandbox=bool(getattr(args, "sandbox", False)),
        insecure=bool(getattr(args, "insecure", False)),
        read_only=bool(getattr(args, "read_only", False)),
    )
    connection = resolve_connection(flags)
    if not connection.sandbox and connection.password is None:
        connection = connection.with_password(get_password(connection))
    return connection


class EmbeddedSandbox:
    """The sandbox served from inside this process on an ephemeral loopback port."""

    def __init__(self) -> None:
        from ..paths import sandbox_db
        from ..sandbox.server import SandboxServer

        self.server = SandboxServer(sandbox_db())

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def attach(self, connection: Connection) -> Connection:
        return connection.with_endpoint(self.server.base_url, self.server.user, self.server.password)


@asynccontextmanager
async def open_session(connection: Connection, **client_options: Any) -> AsyncIterator[Session]:
    sandbox: EmbeddedSandbox | None = None
    if connection.sandbox:
        import asyncio

        sandbox = EmbeddedSandbox()
        await asyncio.to_thread(sandbox.start)
        connection = sandbox.attach(connection)
    client = ApiClient(connection.base_url, connection.user, connection.password, **client_options)
    try:
        yield Session(connection, client)
    finally:
        await client.aclose()
        if sandbox is not None:
            sandbox.stop()


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")
