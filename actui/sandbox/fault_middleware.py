"""The fault middleware: ASGI over `/api/v1/*` only, injecting what a `Faults` object asks for.

Per request, in order: the rate limits (429 with Retry-After), 403, latency; then a drop (the request
runs, the connection is cut mid-answer), or a canned answer instead of the API's (503 JSON, 502 nginx
page, 500 traceback, 200 HTML); otherwise the request runs and its answer may be made hostile, padded,
truncated or stalled, in that order. See fault_help.FAULTS_HELP for each key.
"""

from __future__ import annotations

import asyncio
import json
import logging
from http import HTTPStatus
from typing import Any

from . import fault_bodies
from .faults import AFTER_KINDS, Faults


class InjectedDrop(Exception):
    """Raised mid-response so the server aborts the connection (silenced in uvicorn's log)."""


_CANNED = {
    "error": (503, b"application/json", None),
    "gateway": (502, b"text/html", fault_bodies.NGINX_502),
    "traceback": (500, b"text/plain; charset=utf-8", fault_bodies.TRACEBACK_500),
    "html": (200, b"text/html; charset=utf-8", fault_bodies.HTML_200),
}


class FaultMiddleware:
    def __init__(self, app: Any, faults: Faults, prefix: str = "/api/v1"):
        self.app = app
        self.faults = faults
        self.prefix = prefix
        _silence_injected_drops()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        faults = self.faults
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        n = faults._count(scope.get("method", ""))
        if n is None or not faults.active:
            await self.app(scope, receive, send)
            return
        retry_after = faults._retry_after()
        if retry_after is not None:
            faults.note("rate_limited")
            await _send_json(send, 429, "Too many requests (sandbox fault injection): slow down and retry",
                             [(b"retry-after", str(retry_after).encode())])
            return
        kinds = faults._hits(n)
        if "forbidden" in kinds:
            await _send_json(send, 403, "Forbidden: this account is not allowed to do that "
                                        "(sandbox fault injection)")
            return
        if faults.latency_ms > 0:
            faults.note("delayed")
            await asyncio.sleep(faults.latency_ms / 1000)
        if "drop" in kinds:
            await self.app(scope, receive, _cutting(send))
            raise InjectedDrop("connection dropped (sandbox fault injection)")  # only if the app sent nothing
        for kind, (status, content_type, body) in _CANNED.items():
            if kind in kinds:
                if body is None:
                    await _send_json(send, status, "Service temporarily unavailable (sandbox fault injection)")
                else:
                    await _send(send, status, content_type, body)
                return
        after = [kind for kind in AFTER_KINDS if kind in kinds]
        if not after:
            await self.app(scope, receive, send)
            return
        captured = _Captured()
        await self.app(scope, receive, captured.send)
        await self._answer_changed(captured, after, receive, send)

    async def _answer_changed(self, captured: _Captured, kinds: list[str], receive: Any, send: Any) -> None:
        body, faults = captured.body, self.faults
        if "hostile" in kinds and captured.is_json:
            body = fault_bodies.poison_json(body)
        if "oversize" in kinds:
            body = fault_bodies.pad(body, faults.oversize_mb)
        if "truncate" in kinds:
            body = fault_bodies.truncated(body)
        headers = [(k, v) for k, v in captured.headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": captured.status, "headers": headers})
        if "stall" not in kinds:
            await send({"type": "http.response.body", "body": body})
            return
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
        try:
            await asyncio.wait_for(_disconnected(receive), faults.stall_for)
        except TimeoutError:
            pass
        raise InjectedDrop("stalled answer cut (sandbox fault injection)")


class _Captured:
    """The app's answer, held back so a fault can change it before it is sent."""

    def __init__(self) -> None:
        self.status = 200
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []

    async def send(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.status, self.headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def is_json(self) -> bool:
        return any(k.lower() == b"content-type" and b"json" in v for k, v in self.headers)


async def _disconnected(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _cutting(send: Any) -> Any:
    """A send() that forwards the answer's head and half of its body, then aborts the connection."""

    async def cut(message: dict) -> None:
        if message["type"] == "http.response.body":
            body = message.get("body", b"")
            await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
            raise InjectedDrop("connection dropped (sandbox fault injection)")
        await send(message)

    return cut


async def _send(send: Any, status: int, content_type: bytes, body: bytes,
                headers: list[tuple[bytes, bytes]] | tuple = ()) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


async def _send_json(send: Any, status: int, message: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"status": status, "title": HTTPStatus(status).phrase, "message": message}).encode()
    await _send(send, status, b"application/json", body, headers)


class _DropFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedDrop))


_silenced = False


def _silence_injected_drops() -> None:
    global _silenced
    if not _silenced:
        logging.getLogger("uvicorn.error").addFilter(_DropFilter())
        _silenced = True
