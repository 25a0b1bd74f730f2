"""Turn an error response or a transport failure into actui's exception for it (API-NOTES: "Errors")."""

from __future__ import annotations

import json
from typing import Any

import httpx

from .errors import (
    ApiError,
    AuthenticationError,
    NetworkError,
    NotFound,
    OrderStateUnknown,
    PermissionDenied,
    RateLimited,
    ServerError,
    ServerValidationError,
)
from .retry import parse_retry_after

MESSAGE_KEYS = ("message", "error", "errors", "detail", "title")


def server_messages(response: httpx.Response) -> list[str]:
    """Whatever the body says went wrong, as lines; the raw text when it is not JSON."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        text = response.text.strip()
        return [text[:300]] if text else []
    found: list[str] = []
    if isinstance(body, dict):
        for key in MESSAGE_KEYS:
            if key in body and body[key]:
                found.extend(_flatten(body[key]))
                if key in ("message", "error") and "errors" in body:
                    continue
    else:
        found.extend(_flatten(body))
    seen: set[str] = set()
    return [m for m in found if not (m in seen or seen.add(m))]


def _flatten(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [line for item in value for line in _flatten(item)]
    if isinstance(value, dict):
        field = value.get("field") or value.get("path") or value.get("loc") or value.get("propertyName")
        text = value.get("message") or value.get("msg") or value.get("detail") or value.get("errorMessage")
        if text is not None:
            if isinstance(field, list):
                field = ".".join(str(p) for p in field)
            return [f"{field}: {text}" if field else str(text)]
        return [f"{k}: {'; '.join(_flatten(v))}" for k, v in value.items()]
    return [str(value)]


def error_from_response(response: httpx.Response, method: str, path: str) -> ApiError:
    status = response.status_code
    messages = server_messages(response)
    said = "; ".join(messages)
    head = f"{method} {path} failed: HTTP {status} {response.reason_phrase}".rstrip()
    text = f"{head}: {said}" if said else head
    kw = dict(status=status, method=method, path=path, server_messages=messages)
    if status == 401:
        return AuthenticationError(text, **kw)
    if status == 403:
        return PermissionDenied(text, **kw)
    if status == 404:
        return NotFound(text, **kw)
    if status in (400, 409, 422):
        return ServerValidationError(text, **kw)
    if status == 429:
        return RateLimited(text, retry_after=parse_retry_after(response.headers.get("Retry-After")), **kw)
    if status >= 500:
        return ServerError(text, **kw)
    return ApiError(text, **kw)


# Failures where the request certainly never reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def error_from_transport(exc: httpx.HTTPError, method: str, path: str, *, may_have_acted: bool) -> NetworkError:
    """A transport failure as NetworkError; for a POST that may have reached the server, OrderStateUnknown."""
    timeout = isinstance(exc, httpx.TimeoutException)
    what = "timed out" if timeout else _describe(exc)
    if may_have_acted and not isinstance(exc, _NOT_SENT):
        return OrderStateUnknown(f"{method} {path}: {what} before the server answered.", method=method,
                                 path=path, timeout=timeout)
    return NetworkError(f"{method} {path}: {what}.", method=method, path=path, timeout=timeout)


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "could not connect" + (f" ({_short(exc)})" if _short(exc) else "")
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection was dropped"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return "the connection failed"
    return type(exc).__name__


def _short(exc: Exception) -> str:
    text = str(exc).strip()
    return text[:120]
