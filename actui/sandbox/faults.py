"""Fault injection for the sandbox, as ASGI middleware over `/api/v1/*` only.

A `Faults` object is mutable: tests (or a debugging session) change it while the server runs, and
`faults.stats` counts what was injected. From the command line (`actui sandbox --faults SPEC`) it is
built by `Faults.parse(SPEC)`, a comma-separated list of `key=value`:

    latency=50ms       add this delay to every request (also `0.2s`, or a bare number of milliseconds)
    error_rate=0.1     answer 503 to this share of requests, at random (also `10%`)
    error_every=5      answer 503 to every 5th request
    rate_limit=20      answer 429 (with Retry-After) beyond 20 requests per second (a token bucket
                       holding one second's worth); also `20/s`
    drop_rate=0.05     cut the connection mid-answer for this share of requests, at random
    drop_every=7       cut the connection mid-answer on every 7th request
    seed=3             seed of the random choices (error_rate, drop_rate), for repeatable runs

e.g. `latency=50ms,error_rate=0.1,rate_limit=20,seed=3`; `none` or an empty spec means no faults.
"Every Nth" counts every /api/v1 request the middleware sees (stats.requests), 429s included.

Order, per request: rate limit (429), latency, then a 503, or the request runs and its answer is cut.
A 503 and a 429 happen before the request reaches the API (nothing changes); a drop happens after it
ran, when the answer is half sent: like a real network fault, a POST may have placed its order even
though the client saw only a broken connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import re
import threading
import time
from dataclasses import dataclass, field, fields
from http import HTTPStatus
from typing import Any

from ..api.errors import ActuiError

_KEYS = ("latency", "error_rate", "error_every", "rate_limit", "drop_rate", "drop_every", "seed")


class FaultSpecError(ActuiError, ValueError):
    """A --faults SPEC that cannot be parsed; the message says which part and why."""


class InjectedDrop(Exception):
    """Raised mid-response so the server aborts the connection (silenced in uvicorn's log)."""


@dataclass
class FaultStats:
    requests: int = 0
    delayed: int = 0
    errors: int = 0
    rate_limited: int = 0
    dropped: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Faults:
    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_every: int = 0
    rate_limit: float = 0.0
    drop_rate: float = 0.0
    drop_every: int = 0
    seed: int | None = None
    stats: FaultStats = field(default_factory=FaultStats)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._bucket_rate = 0.0
        self._tokens = 0.0
        self._refilled = 0.0

    @property
    def active(self) -> bool:
        return any((self.latency_ms, self.error_rate, self.error_every, self.rate_limit, self.drop_rate,
                    self.drop_every))

    def reset_stats(self) -> None:
        self.stats = FaultStats()

    def clear(self) -> None:
        """No faults from now on (stats are kept)."""
        self.latency_ms = self.error_rate = self.rate_limit = self.drop_rate = 0
        self.error_every = self.drop_every = 0

    def __str__(self) -> str:
        parts = []
        if self.latency_ms:
            parts.append(f"latency={self.latency_ms:g}ms")
        for key in ("error_rate", "error_every", "rate_limit", "drop_rate", "drop_every"):
            if getattr(self, key):
                parts.append(f"{key}={getattr(self, key):g}")
        if parts and self.seed is not None:
            parts.append(f"seed={self.seed}")
        return ",".join(parts) or "none"

    @classmethod
    def parse(cls, spec: str | None) -> "Faults":
        spec = (spec or "").strip()
        if spec.lower() in ("", "none", "off"):
            return cls()
        values: dict[str, Any] = {}
        for part in spec.split(","):
            key, sep, raw = (s.strip() for s in part.partition("="))
            if not sep or not key or not raw:
                raise FaultSpecError(f"{part.strip()!r} is not key=value (e.g. latency=50ms,error_every=5)")
            if key not in _KEYS:
                raise FaultSpecError(f"unknown fault {key!r} (known: {', '.join(_KEYS)})")
            if key in values or (key == "latency" and "latency_ms" in values):
                raise FaultSpecError(f"{key} is given twice")
            values["latency_ms" if key == "latency" else key] = _PARSERS[key](key, raw)
        return cls(**values)

    # --- decisions (called by the middleware) -----------------------------------------------------

    def _count(self) -> int:
        with self._lock:
            self.stats.requests += 1
            return self.stats.requests

    def _retry_after(self) -> int | None:
        """None when the request may pass the rate limit, else whole seconds to wait (at least 1)."""
        rate = self.rate_limit
        if rate <= 0:
            return None
        with self._lock:
            now = time.monotonic()
            if rate != self._bucket_rate:  # (re)configured: start with a full bucket
                self._bucket_rate, self._tokens, self._refilled = rate, max(rate, 1.0), now
            self._tokens = min(max(rate, 1.0), self._tokens + (now - self._refilled) * rate)
            self._refilled = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return None
            return max(1, math.ceil((1.0 - self._tokens) / rate))

    def _hit(self, n: int, every: int, rate: float) -> bool:
        if every and n % every == 0:
            return True
        return rate > 0 and self._rng.random() < rate


def _duration_ms(key: str, raw: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s)?", raw.lower())
    if not match:
        raise FaultSpecError(f"{key}: {raw!r} is not a duration (e.g. 50ms, 0.2s)")
    value = float(match.group(1))
    return value * 1000 if match.group(2) == "s" else value


def _share(key: str, raw: str) -> float:
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise FaultSpecError(f"{key}: {raw!r} is not a number between 0 and 1 (e.g. 0.1 or 10%)") from None
    if not 0 <= value <= 1:
        raise FaultSpecError(f"{key}: {raw!r} must be between 0 and 1 (e.g. 0.1 or 10%)")
    return value


def _whole(key: str, raw: str) -> int:
    if not raw.isdigit():
        raise FaultSpecError(f"{key}: {raw!r} is not a whole number (0 turns it off)")
    return int(raw)


def _per_second(key: str, raw: str) -> float:
    text = raw.lower().removesuffix("/s")
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(f"{key}: {raw!r} is not a number of requests per second (e.g. 20)") from None
    if value < 0:
        raise FaultSpecError(f"{key}: must not be negative")
    return value


def _seed(key: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise FaultSpecError(f"{key}: {raw!r} is not an integer") from None


_PARSERS = {"latency": _duration_ms, "error_rate": _share, "error_every": _whole, "rate_limit": _per_second,
            "drop_rate": _share, "drop_every": _whole, "seed": _seed}


# --- the middleware -------------------------------------------------------------------------------


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
        n = faults._count()
        if not faults.active:
            await self.app(scope, receive, send)
            return
        retry_after = faults._retry_after()
        if retry_after is not None:
            faults.stats.rate_limited += 1
            await _send_json(send, 429, "Too many requests (sandbox fault injection): slow down and retry",
                             [(b"retry-after", str(retry_after).encode())])
            return
        if faults.latency_ms > 0:
            faults.stats.delayed += 1
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults._hit(n, faults.drop_every, faults.drop_rate):
            faults.stats.dropped += 1
            await self.app(scope, receive, _cutting(send))
            raise InjectedDrop("connection dropped (sandbox fault injection)")  # only if the app sent nothing
        if faults._hit(n, faults.error_every, faults.error_rate):
            faults.stats.errors += 1
            await _send_json(send, 503, "Service temporarily unavailable (sandbox fault injection)")
            return
        await self.app(scope, receive, send)


def _cutting(send: Any) -> Any:
    """A send() that forwards the answer's head and half of its body, then aborts the connection."""

    async def cut(message: dict) -> None:
        if message["type"] == "http.response.body":
            body = message.get("body", b"")
            await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
            raise InjectedDrop("connection dropped (sandbox fault injection)")
        await send(message)

    return cut


async def _send_json(send: Any, status: int, message: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"status": status, "title": HTTPStatus(status).phrase, "message": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class _DropFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedDrop))


_silenced = False


def _silence_injected_drops() -> None:
    global _silenced
    if not _silenced:
        logging.getLogger("uvicorn.error").addFilter(_DropFilter())
        _silenced = True
