"""A tiny list server that answers however a test tells it to: totals that lie, numbers repeated across
pages, malformed items, bodies that are not JSON or are huge. Real HTTP on a loopback port (uvicorn in a
thread), for what the sandbox cannot (yet) be made to say.

    server = lying_server(lambda page, limit: envelope(numbers(250), page, limit, total=50))

`answer(page, limit)` returns a JSON-able value, raw `bytes` (sent as they are), or a Starlette Response.
Pages from `server.hold_from` on wait for `server.release()` (a page still loading).
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.helpers import until_sync

USER = "liar@example.test"
PASSWORD = "not-a-secret"
Answer = Callable[[int, int], Any]


def numbers(count: int, start: int = 0) -> list[dict[str, Any]]:
    """`count` well-formed list items, numbered from `start`."""
    return [{"phoneNumber": f"+1415555{1000 + i:04d}", "status": "Active", "provisionClass": "P2P",
             "description": f"number {i}"} for i in range(start, start + count)]


def envelope(items: list[Any], page: int, limit: int, **totals: Any) -> dict[str, Any]:
    """The sandbox's envelope for `page`, cut from `items`, with whatever totals the test makes up."""
    return {"phoneNumbers": items[(page - 1) * limit: page * limit], "page": page, "limit": limit, **totals}


def huge_stream(size: int, chunk: int = 64 * 1024) -> StreamingResponse:
    """A JSON array `size` bytes long, streamed without a Content-Length (never held whole here)."""
    def body() -> Iterator[bytes]:
        yield b"["
        sent = 1
        item = b'{"phoneNumber":"+14155551000"},'
        block = item * (chunk // len(item))
        while sent < size:
            yield block
            sent += len(block)
        yield b'{"phoneNumber":"+14155551001"}]'
    return StreamingResponse(body(), media_type="application/json")


def gzip_bomb(size: int) -> Response:
    """A small gzip body that decodes to `size` bytes of JSON whitespace."""
    data = gzip.compress(b"[" + b" " * size + b"]")
    return Response(data, media_type="application/json", headers={"Content-Encoding": "gzip"})


class LyingServer:
    user = USER
    password = PASSWORD

    def __init__(self, answer: Answer):
        self.answer = answer
        self.requests: list[tuple[int, int]] = []
        self.hold_from: int | None = None
        self._released = threading.Event()
        app = Starlette(routes=[Route("/api/v1/phone-numbers/active", self._active),
                                Route("/api/v1/phone-numbers/{number}", self._detail)])
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def start(self) -> LyingServer:
        self._thread.start()
        until_sync(lambda: self._server.started, 10, what="the lying server to start")
        return self

    def stop(self) -> None:
        self._released.set()
        self._server.should_exit = True
        self._thread.join(5)
        self._socket.close()

    def release(self) -> None:
        self._released.set()

    def pages_asked(self) -> list[int]:
        return [page for page, _ in self.requests]

    async def _detail(self, request: Request) -> Response:
        return JSONResponse({"phoneNumber": request.path_params["number"], "status": "Active",
                             "description": "a detail", "settings": {}})

    async def _active(self, request: Request) -> Response:
        page = int(request.query_params.get("page", "1"))
        limit = int(request.query_params.get("limit", "100"))
        self.requests.append((page, limit))
        if self.hold_from is not None and page >= self.hold_from:
            await asyncio.to_thread(self._released.wait, 10)
        answer = self.answer(page, limit)
        if isinstance(answer, Response):
            return answer
        if isinstance(answer, bytes):
            return Response(answer, media_type="application/json")
        return JSONResponse(answer)


@pytest.fixture
def lying_server():
    """Start a LyingServer for `answer(page, limit)`; stopped at the end of the test."""
    started: list[LyingServer] = []

    def start(answer: Answer) -> LyingServer:
        server = LyingServer(answer).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
