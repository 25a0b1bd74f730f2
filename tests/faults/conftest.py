"""The fault matrix's fixtures: a sandbox whose faults a test switches on after setting up, a CLI run
in-process against it, and clients that give up quickly (short timeouts, fast back-off)."""

from __future__ import annotations

import pytest

from actui.api.client import ApiClient
from tests.helpers import cli_runner, fast_retry


@pytest.fixture(autouse=True)
def quick_clients(monkeypatch):
    """Every ApiClient made in a matrix test (the CLI's too) retries fast and waits 2 s at most per
    answer: a stalled body ends the attempt instead of the default 30 s."""
    defaults = dict(ApiClient.__init__.__kwdefaults__)
    defaults.update(timeout=2.0, retry=fast_retry(3))
    monkeypatch.setattr(ApiClient.__init__, "__kwdefaults__", defaults)


@pytest.fixture
def server(sandbox_factory):
    """120 numbers, so that lists span two pages of 100 (the CLI's page size)."""
    return sandbox_factory(numbers=120)


@pytest.fixture
def run(server, monkeypatch, capsys):
    return cli_runner(server, monkeypatch, capsys)
