"""Constants and small helpers shared by tests (fixtures live in conftest.py)."""

import asyncio
import inspect
import time

from actui.api.client import ApiClient
from actui.api.retry import RetryPolicy

TENANT = "11111111-2222-3333-4444-555555555555"


def fast_retry(retries: int = 4) -> RetryPolicy:
    """Real back-off, scaled down so tests stay quick."""
    return RetryPolicy(retries=retries, base=0.01, cap=0.05)


def client_for(server, password=None, *, client_class: type[ApiClient] = ApiClient, **options) -> ApiClient:
    """The real client for a test server (a sandbox, a scripted proxy, a lying server): its address and
    user, its password unless another is given (a wrong one, a connection's Secret)."""
    return client_class(server.base_url, server.user, server.password if password is None else password,
                        **options)


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


async def until(pilot, condition, timeout: float = 10.0, step: float | None = 0.05, what="") -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds (the one wait of the tests:
    a wait without a limit hangs the run instead of failing). `condition` may be async (a read of the
    sandbox); without an app (`pilot` None) the loop just sleeps `step` between looks."""
    deadline = time.monotonic() + timeout
    while not await _holds(condition):
        if time.monotonic() > deadline:
            raise AssertionError(_timed_out(timeout, what, condition))
        if pilot is None:
            await asyncio.sleep(step or 0)
        else:
            await pilot.pause(step)


def until_sync(condition, timeout: float = 10.0, step: float = 0.01, what="") -> None:
    """until() for code without an event loop: a server thread starting, a child process working."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(_timed_out(timeout, what, condition))
        time.sleep(step)


async def _holds(condition) -> bool:
    met = condition()
    return bool(await met) if inspect.isawaitable(met) else bool(met)


def _timed_out(timeout: float, what, condition) -> str:
    what = what() if callable(what) else what
    return f"timed out after {timeout} s waiting for {what or _describe(condition)}"


async def until_steady(pilot, measure, *, also=lambda: True, settled: int = 2, timeout: float = 10.0,
                       step: float | None = None) -> None:
    """Until `measure()` gives the same value `settled` pauses running (and `also()` holds), e.g. a
    form's height once its messages have wrapped; fail after `timeout` seconds."""
    values: list = []

    def steady() -> bool:
        values.append(measure())
        recent = values[-settled - 1:]
        return len(recent) > settled and all(v == recent[0] for v in recent) and also()

    await until(pilot, steady, timeout, step,
                what=lambda: f"{_describe(measure)} to hold still (last: {values[-3:]})")


def _describe(function) -> str:
    try:
        return inspect.getsource(function).strip()
    except (OSError, TypeError):
        return repr(function)


class HeldClient(ApiClient):
    """The real client, whose reads and updates wait while `held` is set: a test sees what shows while an
    answer is on its way, however fast or slow the machine (instead of racing a sandbox latency)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.held = False
        self.waiting = 0               # reads waiting now
        self._release = asyncio.Event()

    def hold(self) -> None:
        self.held = True
        self._release.clear()

    def release(self) -> None:
        self.held = False
        self._release.set()

    async def _wait(self) -> None:
        if self.held:
            self.waiting += 1
            try:
                await self._release.wait()
            finally:
                self.waiting -= 1

    async def list_page(self, *args, **kwargs):
        await self._wait()
        return await super().list_page(*args, **kwargs)

    async def get_number(self, *args, **kwargs):
        await self._wait()
        return await super().get_number(*args, **kwargs)

    async def update_number(self, *args, **kwargs):
        await self._wait()
        return await super().update_number(*args, **kwargs)
