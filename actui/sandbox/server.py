"""Serving the sandbox over real HTTP on loopback.

`SandboxServer` runs uvicorn in a background daemon thread (the TUI, tests); `serve_forever` runs it
in the foreground for `actui sandbox` until Ctrl-C.
"""

from __future__ import annotations

import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from . import DEFAULT_USER
from .app import SandboxOptions, build_app
from .faults import Faults
from .state import SandboxState


class SandboxServer:
    """The sandbox on a loopback port, served from a background thread.

        with SandboxServer(tmp_path / "sandbox.db", numbers=100) as server:
            httpx.get(server.base_url + "/phone-numbers/active", auth=(server.user, server.password))

    `faults` and `options` (list_shape, max_limit, list_settings) may be changed while it runs. `odd=True` stores
    odd-but-real values over a few seeded numbers at fixed positions (see odd.py).
    """

    def __init__(self, db_path: str | Path | None = None, *, numbers: int = 500, seed: int = 1,
                 reset: bool = False, host: str = "127.0.0.1", port: int = 0, user: str = DEFAULT_USER,
                 password: str | None = None, faults: Faults | str | None = None,
                 list_shape: str = "envelope", max_limit: int | None = None, p2p_seconds: float = 3.0,
                 a2p_seconds: float = 40.0, clock: Callable[[], float] | None = None,
                 log_level: str = "warning", odd: bool = False, list_settings: bool = False):
        self.db_path = db_path
        self.numbers, self.seed, self.reset = numbers, seed, reset
        self.host, self.port = host, port
        self.user = user
        self.password = password if password is not None else secrets.token_urlsafe(18)
        self.faults = faults if isinstance(faults, Faults) else Faults.parse(faults)
        self.options = SandboxOptions(list_shape=list_shape, max_limit=max_limit, list_settings=list_settings)
        self.p2p_seconds, self.a2p_seconds = p2p_seconds, a2p_seconds
        self.clock = clock
        self.log_level = log_level
        self.odd = odd
        self._state: SandboxState | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def state(self) -> SandboxState:
        if self._state is None:
            raise RuntimeError("the sandbox is not running: call start() first")
        return self._state

    @property
    def url(self) -> str:
        """The server's root, e.g. http://127.0.0.1:40123."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API's base URL, e.g. http://127.0.0.1:40123/api/v1."""
        return f"{self.url}/api/v1"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> SandboxServer:
        """Open (or seed) the database and serve; returns once the port accepts connections."""
        if self.running:
            return self
        self._state = self._open_state()
        try:
            self._socket = bind(self.host, self.port)
            self.port = self._socket.getsockname()[1]
            self._server = _uvicorn(self._app(), self.log_level)
            self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                            name=f"actui-sandbox:{self.port}", daemon=True)
            self._thread.start()
            deadline = time.monotonic() + timeout
            while not self._server.started:
                if not self._thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError(f"the sandbox did not start on {self.url}")
                time.sleep(0.002)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._server.wake()
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
        if self._state is not None:
            self._state.close()
        self._server = self._thread = self._socket = self._state = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _open_state(self) -> SandboxState:
        state = SandboxState(self.db_path, numbers=self.numbers, seed=self.seed, reset=self.reset,
                             p2p_seconds=self.p2p_seconds, a2p_seconds=self.a2p_seconds, clock=self.clock)
        if self.odd:
            from .odd import seed_odd

            seed_odd(state)
        return state

    def _app(self) -> Any:
        return build_app(self.state, user=self.user, password=self.password, options=self.options,
                         faults=self.faults)


def serve_forever(*, host: str = "127.0.0.1", port: int = 8765, numbers: int = 500, seed: int = 1,
                  faults: Faults | str | None = None, db_path: str | Path | None = None, reset: bool = False,
                  user: str = DEFAULT_USER, password: str = "sandbox", list_shape: str = "envelope",
                  max_limit: int | None = None, p2p_seconds: float = 3.0, a2p_seconds: float = 40.0,
                  access_log: bool = False, odd: bool = False, list_settings: bool = False,
                  out: TextIO | None = None) -> None:
    """`actui sandbox`: print how to connect, then serve in the foreground until Ctrl-C.

    Raises FaultSpecError for a bad `faults` spec and OSError when the port is taken, before serving.
    """
    out = out or sys.stdout
    sandbox = SandboxServer(db_path, numbers=numbers, seed=seed, reset=reset, host=host, port=port,
                            user=user, password=password, faults=faults, list_shape=list_shape,
                            max_limit=max_limit, p2p_seconds=p2p_seconds, a2p_seconds=a2p_seconds, odd=odd,
                            list_settings=list_settings)
    sandbox._state = sandbox._open_state()
    try:
        sock = bind(host, port)
        sandbox.port = sock.getsockname()[1]
        print(_banner(sandbox), file=out, flush=True)
        server = _uvicorn(sandbox._app(), "info" if access_log else "warning", access_log=access_log)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass  # uvicorn shuts down gracefully on Ctrl-C, then re-raises the signal
        finally:
            sock.close()
    finally:
        sandbox.state.close()


def _banner(sandbox: SandboxServer) -> str:
    state = sandbox.state
    first = state.page(1, 1)[0]
    example = ""
    if first:
        import json

        number = json.loads(first[0])["phoneNumber"]
        example = (f"\n  curl -u '{sandbox.user}:{sandbox.password}' "
                   f"{sandbox.base_url}/phone-numbers/{quote(number, safe='')}")
    return (
        f"actui sandbox: {state.count()} numbers in {state.path}\n"
        f"  base URL  {sandbox.base_url}\n"
        f"  user      {sandbox.user}\n"
        f"  password  {sandbox.password}\n"
        f"  faults    {sandbox.faults}\n"
        + ("  odd data  at list positions 1-6 (see `actui sandbox --help`)\n" if sandbox.odd else "") +
        f"Try:\n"
        f"  curl -u '{sandbox.user}:{sandbox.password}' '{sandbox.base_url}/phone-numbers/active?page=1&limit=5'"
        f"{example}\n"
        f"Ctrl-C to stop."
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before uvicorn starts (so port 0 yields its real port at once)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say so, and without it
    # every keep-alive answer waits ~40 ms (Nagle against the client's delayed ACK)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _uvicorn(app: Any, log_level: str, access_log: bool = False) -> Any:
    import asyncio

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    class Server(uvicorn.Server):
        """uvicorn.Server whose main loop stop() can wake, instead of waiting for its next 0.1 s tick."""

        _loop: asyncio.AbstractEventLoop | None = None

        async def main_loop(self) -> None:
            self._loop, self._woken = asyncio.get_running_loop(), asyncio.Event()
            counter = 0
            while not await self.on_tick(counter):
                counter = (counter + 1) % 864000
                try:
                    await asyncio.wait_for(self._woken.wait(), 0.1)
                except TimeoutError:
                    pass

        def wake(self) -> None:
            try:
                if self._loop is not None:
                    self._loop.call_soon_threadsafe(self._woken.set)
            except RuntimeError:  # the loop has already closed: the server is down
                pass

    config = uvicorn.Config(
        app, lifespan="off", http="h11", ws="none", loop="asyncio", log_level=log_level,
        access_log=access_log, log_config=LOGGING_CONFIG if access_log else None,
        timeout_graceful_shutdown=2, server_header=False,
    )
    return Server(config)


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host
