"""Shared fixtures: every test runs with its own config and data dirs, and the sandbox on loopback."""

from __future__ import annotations

import os
import time

import pytest

# Snapshots are deterministic only without animations (the loading spinner) and with colour.
os.environ["TEXTUAL_ANIMATIONS"] = "none"
os.environ.pop("NO_COLOR", None)

from actui.api.client import ApiClient
from tests.api.lying_server import lying_server  # noqa: F401  (a fixture for tests in four folders)
from tests.helpers import client_for, fast_retry


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test reads or writes the user's files, or sees the developer's ACTUI_* settings."""
    for name in list(os.environ):
        if name.startswith("ACTUI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ACTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ACTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()   # the C library reads TZ only when told (local times in journals, orders, dates)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield tmp_path
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path):
    """actui's local store (orders, drafts, journal) in the test's own directory."""
    from actui.core.store import Store

    s = Store(tmp_path / "actui.sqlite3")
    yield s
    s.close()


@pytest.fixture
def sandbox_factory(tmp_path):
    """Start sandboxes with any options; each is stopped at the end of the test."""
    from actui.sandbox.server import SandboxServer

    started = []

    def start(**options):
        options.setdefault("numbers", 120)
        options.setdefault("p2p_seconds", 0.5)
        options.setdefault("a2p_seconds", 1.5)
        db = options.pop("db_path", tmp_path / f"sandbox{len(started)}.sqlite3")
        server = SandboxServer(db, **options)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def sandbox(sandbox_factory):
    return sandbox_factory()


@pytest.fixture
async def client_factory():
    """Real clients for any test server (a second sandbox, a proxy), closed at the end of the test:
    quick retries and a 10 s timeout unless told otherwise (tests.helpers.client_for's options)."""
    made: list[ApiClient] = []

    def make(server, password=None, **options) -> ApiClient:
        options.setdefault("retry", fast_retry())
        options.setdefault("timeout", 10)
        api = client_for(server, password, **options)
        made.append(api)
        return api

    yield make
    for api in made:
        await api.aclose()


@pytest.fixture
async def client(sandbox, client_factory):
    """The real client of the test's sandbox."""
    return client_factory(sandbox)


@pytest.fixture
def scripted_proxy():
    """Put a ScriptedProxy (tests/scripted_proxy.py) in front of a sandbox: it answers what the test
    scripts (403, empty bodies, odd Retry-After) and passes the rest through; stopped at the end."""
    from tests.scripted_proxy import ScriptedProxy

    started = []

    def start(upstream):
        proxy = ScriptedProxy(upstream).start()
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.stop()
