"""Driving the whole app in pilot tests: its connection to a test sandbox, and reading the list."""

from actui.config import Connection
from actui.core.store import Store
from actui.credentials import Secret
from actui.tui.app import UiSettings, make_app
from actui.tui.screens.inventory import InventoryScreen
from actui.tui.widgets.number_table import NumberTable
from tests.helpers import TENANT, until

FROZEN = 1_764_000_000.0  # 2025-11-24 16:00 UTC
SIZES = [(80, 24), (120, 40)]  # of the snapshots


def connection_for(server, password=None, /, **kw) -> Connection:
    """The connection to a test server (the one builder of the tests: TUI apps, screens, snapshots);
    `kw` are the Connection's (sandbox=True: the embedded sandbox's)."""
    kw.setdefault("tenant_id", TENANT)
    kw.setdefault("profile", None)
    return Connection(base_url=server.base_url, user=server.user, password=Secret(password or server.password),
                      **kw)


def table(app) -> NumberTable:
    return app.screen.query_one(NumberTable)


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def started(pilot):
    await until(pilot, lambda: isinstance(pilot.app.screen, InventoryScreen) and table(pilot.app).rows)


def snapshot_app(sandbox, tmp_path, poll=False):
    """The whole app for a snapshot: the embedded sandbox's connection, a frozen clock, its own store."""
    connection = connection_for(sandbox, sandbox=True)
    return make_app(connection, store=Store(tmp_path / "state.sqlite3"),
                    settings=UiSettings(clock=lambda: FROZEN, poll_orders=poll))


async def wait_for(pilot, condition, timeout=10.0):
    """Until `condition()` holds, then until the workers are done and the screen has caught up."""
    await until(pilot, condition, timeout)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def list_ready(pilot):
    screen = pilot.app.screen
    return screen.id == "inventory" and screen.query_one(NumberTable).rows
