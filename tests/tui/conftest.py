"""Fixtures of the TUI tests (the shared ones are in tests/conftest.py)."""

import pytest

from actui.api.client import ApiClient
from actui.core.store import Store
from actui.tui.app import UiSettings, make_app
from tests.helpers import client_for, fast_retry
from tests.tui.app_pilot import FROZEN, connection_for


@pytest.fixture
def app_for(tmp_path):
    """Build the whole app against a test sandbox, with a frozen clock and its own local store."""
    def build(sandbox, *, password=None, poll=True, store=None, client_class=ApiClient, **conn):
        connection = connection_for(sandbox, password, **conn)
        client = client_for(connection, retry=fast_retry(1), client_class=client_class)
        return make_app(connection, client=client, store=store or Store(tmp_path / "state.sqlite3"),
                        settings=UiSettings(clock=lambda: FROZEN, poll_orders=poll))
    return build


@pytest.fixture
def book(store):
    """The order book of the sandbox's account, in the test's own store."""
    from actui.core.orders import OrderBook

    return OrderBook(store, "sandbox")


class SandboxClock:
    """The sandbox's clock in snapshot tests: frozen, moved on by hand (orders progress with it)."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def snap_sandbox(sandbox_factory):
    """500 seeded numbers whose clock stands an hour before the app's frozen one."""
    clock = SandboxClock(FROZEN - 3600)
    server = sandbox_factory(numbers=500, clock=clock, a2p_seconds=40.0)
    server.clock = clock
    return server
