"""From command-line flags to a live API client: the profile, the password, the embedded sandbox."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from ..config import Connection, ConnectionFlags, resolve_connection
from ..credentials import get_password

if TYPE_CHECKING:
    from ..core.session import Session


def flags_from_args(args: argparse.Namespace) -> ConnectionFlags:
    return ConnectionFlags(
        profile=getattr(args, "profile", None),
        base_url=getattr(args, "base_url", None),
        user=getattr(args, "user", None),
        tenant_id=getattr(args, "tenant_id", None),
        sandbox=bool(getattr(args, "sandbox", False)),
        insecure=bool(getattr(args, "insecure", False)),
        read_only=bool(getattr(args, "read_only", False)),
    )


def connection_from_args(args: argparse.Namespace) -> Connection:
    connection = resolve_connection(flags_from_args(args))
    if not connection.sandbox and connection.password is None:
        connection = connection.with_password(get_password(connection))
    return connection


@asynccontextmanager
async def open_session(connection: Connection, **client_options: Any) -> AsyncIterator[Session]:
    from ..core.session import Session

    session = Session(connection, **client_options)
    try:
        await session.connect()
        yield session
    finally:
        await session.close()


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")
