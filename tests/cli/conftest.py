"""The CLI's tests run `actui ARGS` in-process through main(argv), against a sandbox on loopback."""

import pytest

from tests.helpers import cli_runner


@pytest.fixture
def run(sandbox, monkeypatch, capsys):
    """Run `actui ARGS` against the fixture's sandbox; returns (exit code, stdout, stderr)."""
    return cli_runner(sandbox, monkeypatch, capsys)
