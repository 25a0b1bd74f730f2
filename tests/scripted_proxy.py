"""A loopback HTTP server in front of a real sandbox that answers what a test scripts (a 403, a PUT with an
empty body, a Retry-After given as a date) for the requests it names, and passes every other request
through to the sandbox unchanged. The client under test speaks real HTTP to it, as to any server.

    proxy = ScriptedProxy(sandbox).start()
    proxy.script("PUT", "/phone-numbers/%2B1312", 403, json={"message": "Forbidden"})
    client_for(proxy)   # tests.helpers
"""

from __future__ import annotations

import json as jsonlib
import socket
import threading
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
import uvicorn

from tests.helpers import until_sync


@dataclass
class Scripted:
    method: str
    path: str                       # the start of the request's path after /api/v1 (as sent: %2B for +)
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None        # answer this many times, then pass through; None: always
    used: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (method == self.method and path.startswith(self.path)
                and (self.times is None or self.used < self.times))


class ScriptedProxy:
    def __init__(self, upstream, host: str = "127.0.0.1"):
        self.upstream = upstream
        self.host = host
        self.port = 0
        self.rules: list[Scripted] = []
        self.seen: list[tuple[str, str, int]] = []  # (method, path after /api/v1, status answered)
        self.in_flight = 0
        self.max_in_flight = 0                      # the most requests it held open at once
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- what the client connects with ----------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/api/v1"

    @property
    def user(self) -> str:
        return self.upstream.user

    @property
    def password(self) -> str:
        return self.upstream.password

    # --- scripting ------------------------------------------------------------------------------

    def script(self, method: str, path: str, status: int, *, json=None, body: bytes = b"",
               headers: dict[str, str] | None = None, times: int | None = None) -> Scripted:
        """Answer `method` requests whose path starts with `path` (after /api/v1) with `status`."""
        headers = dict(headers or {})
        if json is not None:
            body = jsonlib.dumps(json).encode()
            headers.setdefault("content-type", "application/json")
        rule = Scripted(method.upper(), path, status, body, headers, times)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def answered(self, status: int) -> list[tuple[str, str]]:
        return [(m, p) for m, p, s in self.seen if s == status]

    # --- serving --------------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> ScriptedProxy:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self._app, log_level="warning", lifespan="off", access_log=False,
                                interface="asgi3")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"scripted-proxy:{self.port}", daemon=True)
        self._thread.start()
        until_sync(lambda: self._server.started or not self._thread.is_alive(), timeout, step=0.002,
                   what="the scripted proxy to start")
        if not self._server.started:
            raise RuntimeError("the scripted proxy did not start")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout)
        self._server = self._thread = None

    def __enter__(self) -> ScriptedProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    async def _app(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        method = scope["method"]
        raw_path = scope.get("raw_path") or quote(scope["path"]).encode()
        path = raw_path.decode("latin-1")
        api_path = path.removeprefix("/api/v1")
        with self._lock:
            rule = next((r for r in self.rules if r.matches(method, api_path)), None)
            if rule is not None:
                rule.used += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self._answer(scope, method, path, api_path, rule, body, send)
        finally:
            with self._lock:
                self.in_flight -= 1

    async def _answer(self, scope, method, path, api_path, rule, body, send) -> None:
        if rule is not None:
            status, headers, content = rule.status, list(rule.headers.items()), rule.body
        else:
            query = scope.get("query_string", b"").decode("latin-1")
            url = self.upstream.url + path + (f"?{query}" if query else "")
            forwarded = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]
                         if k.lower() not in (b"host", b"content-length", b"connection")}
            async with httpx.AsyncClient(timeout=30) as http:
                answer = await http.request(method, url, headers=forwarded, content=body)
            status, content = answer.status_code, answer.content
            headers = [(k, v) for k, v in answer.headers.items()
                       if k.lower() not in ("content-length", "transfer-encoding", "connection",
                                            "content-encoding")]
        with self._lock:
            self.seen.append((method, api_path, status))
        headers.append(("content-length", str(len(content))))
        await send({"type": "http.response.start", "status": status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]})
        await send({"type": "http.response.body", "body": content})


def number_path(number: str) -> str:
    """A number's path after /api/v1, as the client sends it (+ as %2B)."""
    return f"/phone-numbers/{quote(number, safe='')}"
