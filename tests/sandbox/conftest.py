"""Fixtures: a sandbox on a loopback port, its database in tmp_path, its clock in the test's hands."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from actui.sandbox import SandboxServer

from .helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(tmp_path, clock) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path / "sandbox.sqlite3", numbers=120, seed=7, clock=clock) as sandbox:
        yield sandbox


@pytest.fixture
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, auth=(server.user, server.password), timeout=10) as c:
        yield c
