"""One connection to the API for the life of a command or the TUI: the client, and the embedded sandbox
when no API is configured."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ..config import Connection

if TYPE_CHECKING:
    from ..api.client import ApiClient
    from ..credentials import Secret
    from ..embedded import EmbeddedSandbox


class Session:
    def __init__(self, connection: Connection, client: ApiClient | None = None, *,
                 sandbox: EmbeddedSandbox | None = None,
                 **client_options: Any):
        """`sandbox`: an embedded sandbox already starting (the TUI spawns one before its imports)."""
        self.connection = connection
        self._client = client
        self._client_options = client_options
        self._sandbox = sandbox

    @property
    def connected(self) -> bool:
        return self._client is not None

    @property
    def client(self) -> ApiClient:
        if self._client is None:
            raise RuntimeError("the session is not connected yet")
        return self._client

    async def connect(self) -> ApiClient:
        """Start the embedded sandbox if this is a sandbox session, then make the client."""
        if self._client is None:
            if self.connection.sandbox and self.connection.base_url is None:
                if self._sandbox is None:
                    from ..embedded import EmbeddedSandbox

                    self._sandbox = EmbeddedSandbox()
                    await asyncio.to_thread(self._sandbox.start)
                self.connection = await asyncio.to_thread(self._sandbox.attach, self.connection)
            self._client = self._make_client()
        return self._client

    def _make_client(self) -> ApiClient:
        from ..api.client import ApiClient

        c = self.connection
        if c.base_url is None or c.user is None:
            raise RuntimeError("the connection has no API address or user: it was never resolved")
        options = {"max_body_mb": c.max_body_mb, **self._client_options}
        return ApiClient(c.base_url, c.user, c.password, **options)

    async def use_password(self, password: Secret | str) -> ApiClient:
        """After a 401: a new client with the password the user typed."""
        self.connection = self.connection.with_password(password)
        old, self._client = self._client, self._make_client()
        if old is not None:
            await old.aclose()
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        if self._sandbox is not None:
            await asyncio.to_thread(self._sandbox.stop)
            self._sandbox = None
