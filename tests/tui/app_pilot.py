"""Driving the whole app in pilot tests: its connection to a test sandbox, and reading the list."""

from actui.config import Connection
from actui.credentials import Secret
from actui.tui.screens.inventory import InventoryScreen
from actui.tui.widgets.number_table import NumberTable
from tests.helpers import TENANT, until

FROZEN = 1_764_000_000.0


def connection_for(sandbox, password=None, **kw) -> Connection:
    return Connection(profile=None, base_url=sandbox.base_url, user=sandbox.user,
                      password=Secret(password or sandbox.password), tenant_id=TENANT, **kw)


def table(app) -> NumberTable:
    return app.screen.query_one(NumberTable)


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def started(pilot):
    await until(pilot, lambda: isinstance(pilot.app.screen, InventoryScreen) and table(pilot.app).rows)
