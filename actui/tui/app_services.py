"""What a screen or widget may ask of the app it runs in, typed: `app_services(node)` instead of duck-typed
look-ups on `self.app` (an attribute that may be missing, with a default).

ActuiApp provides all of it. A test that mounts one screen in a small harness app gives the harness the
same attributes (tests/tui/harness.py has a base with the defaults below). What may be absent says so in
its type (`client`, `connection`: None) and the caller handles None explicitly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from ..api.client import ApiClient
    from ..config import Connection
    from .app import UiSettings

Retry = Callable[[], Awaitable[None] | None]


class AppServices(Protocol):
    """The app as screens and widgets see it."""

    settings: UiSettings
    clock: Callable[[], float]   # what the screen shows as "now" (frozen in tests and snapshots)

    @property
    def connection(self) -> Connection | None:
        """The connection's settings; None in a harness that has none."""

    @property
    def client(self) -> ApiClient | None:
        """The client to use now: a new one after the user typed the password again; None without one."""

    async def report_error(self, error: Exception, retry: Retry | None = None) -> None:
        """Tell the user about an API error (a password prompt for a 401, then `retry`)."""

    def set_offline(self, offline: bool) -> None:
        """Whether the API answered the last request (the header says "offline" while it does not)."""


def app_services(node: MessagePump) -> AppServices:
    """The app `node` is attached to, as the services screens and widgets use."""
    return cast("AppServices", node.app)
