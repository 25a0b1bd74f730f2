"""The base of the small apps TUI tests mount one screen or widget in (not the whole ActuiApp).

Screens and widgets ask their app for what `actui.tui.app_services.AppServices` names; this base gives a
harness the same attributes with the defaults of an app that has no connection: default settings, their
clock, no connection, no client, and a report_error that tells nobody. A test sets what it needs.
"""

from __future__ import annotations

from textual.app import App

from actui.api.client import ApiClient
from actui.config import Connection
from actui.tui.app import UiSettings
from actui.tui.app_services import Retry


class HarnessApp(App):
    def __init__(self, *, settings: UiSettings | None = None, connection: Connection | None = None,
                 client: ApiClient | None = None):
        super().__init__()
        self.settings = settings or UiSettings()
        self.clock = self.settings.clock
        self.connection = connection
        self.client = client
        self.offline = False

    def set_offline(self, offline: bool) -> None:
        """The real app marks its header; a harness only remembers it."""
        self.offline = offline

    async def report_error(self, error: Exception, retry: Retry | None = None) -> None:
        """The real app asks for the password or notifies; a harness that checks this overrides it."""
