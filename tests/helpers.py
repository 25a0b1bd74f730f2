"""Constants and small helpers shared by tests (fixtures live in conftest.py)."""

import time

from actui.api.retry import RetryPolicy

TENANT = "11111111-2222-3333-4444-555555555555"


def fast_retry(retries: int = 4) -> RetryPolicy:
    """Real back-off, scaled down so tests stay quick."""
    return RetryPolicy(retries=retries, base=0.01, cap=0.05)


def cli_runner(server, monkeypatch, capsys):
    """A function running `actui ARGS` in-process against `server`; it returns (exit code, stdout, stderr)."""
    from actui.cli import main

    monkeypatch.setenv("ACTUI_PASSWORD", server.password)
    monkeypatch.setenv("ACTUI_USER", server.user)
    monkeypatch.setenv("ACTUI_BASE_URL", server.base_url)

    def invoke(*args: str):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


async def until(pilot, condition, timeout: float = 10.0, step: float = 0.05) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(step)
