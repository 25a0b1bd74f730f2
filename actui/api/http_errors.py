"""Turn an error response or a transport failure into actui's exception for it (API-NOTES: "Errors")."""

from __future__ import annotations

import json
import re
from html import unescape
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
    sentence,
)
from .retry import parse_retry_after

MESSAGE_KEYS = ("message", "error", "errors", "detail", "title")
BODY_KEPT = 64 * 1024         # what an error keeps of the body for ACTUI_DEBUG=1
LINE_CHARS = 300              # the most of one server line a message shows
DEBUG_NOTE = "ACTUI_DEBUG=1 shows the body."

_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_DROPPED_BLOCKS = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_TRACEBACK = "Traceback (most recent call last)"


def server_messages(response: httpx.Response) -> list[str]:
    """Whatever the body says went wrong, one line per message (see `read_error_body`)."""
    return read_error_body(response)[0]


def read_error_body(response: httpx.Response) -> tuple[list[str], bool]:
    """The body's messages, each one line, and whether any was cut down to its line.

    JSON: the strings under MESSAGE_KEYS. Anything else (an HTML error page from a proxy, a server's
    traceback, plain text): the page's title or its first meaningful line; a traceback's last line.
    """
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        text = response.text.strip()
        if not text:
            return [], False
        line, reduced = one_line(text, html=_looks_like_html(response, text))
        return ([line] if line else []), reduced
    found: list[str] = []
    if isinstance(body, dict):
        for key in MESSAGE_KEYS:
            if key in body and body[key]:
                found.extend(_flatten(body[key]))
    else:
        found.extend(_flatten(body))
    lines: list[str] = []
    reduced = False
    for message in found:
        line, cut = one_line(message)
        reduced = reduced or cut
        if line and line not in lines:
            lines.append(line)
    return lines, reduced


def one_line(text: str, *, html: bool = False) -> tuple[str, bool]:
    """The one line that says what `text` is about, and whether anything was left out."""
    if html:
        title = _TITLE.search(text)
        if title and _squash(title.group(1)):
            return _clip(_squash(unescape(title.group(1)))), True
        # in HTML a line break in the source is a space; the tags are what separate lines
        text = unescape(_TAG.sub("\n", _squash(_DROPPED_BLOCKS.sub("", text))))
    lines = [_squash(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "", bool(text.strip())
    if len(lines) == 1 and not html:
        return _clip(lines[0]), len(lines[0]) > LINE_CHARS
    if any(line.startswith(_TRACEBACK) for line in lines):
        return _clip(lines[-1]), True        # the exception itself, not the frames above it
    return _clip(lines[0]), True


def _looks_like_html(response: httpx.Response, text: str) -> bool:
    kind = response.headers.get("content-type", "").lower()
    return "html" in kind or text.lstrip()[:1] == "<"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str) -> str:
    return text if len(text) <= LINE_CHARS else text[: LINE_CHARS - 1] + "…"


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
    """The error for an answer with an error status: one sentence for the status, one per thing the
    server said (its bare status phrase, e.g. a `title` "Not Found", left out as said already)."""
    status = response.status_code
    messages, reduced = read_error_body(response)
    reason = response.reason_phrase or ""
    already = {"", reason.lower(), f"{status} {reason}".lower(), str(status)}
    said = [m for m in messages if m.strip().rstrip(".").lower() not in already]
    # a summary often repeats the field messages listed after it: say each thing once
    said = [m for m in said if not any(m != other and m in other for other in said)]
    if status == 403:
        head = f"{method} {path}: not allowed (HTTP {status}{' ' + reason if reason else ''})"
    else:
        head = f"{method} {path} failed: HTTP {status} {reason}".rstrip()
    parts = [sentence(head), *(sentence(m) for m in said)]
    if reduced:
        parts.append(DEBUG_NOTE)
    text = " ".join(parts)
    kw: dict[str, Any] = dict(status=status, method=method, path=path, server_messages=messages,
              body=_body_text(response), body_reduced=reduced)
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


def _body_text(response: httpx.Response) -> str | None:
    try:
        text = response.text
    except Exception:  # noqa: BLE001 - an undecodable body: nothing to show
        return None
    if not text:
        return None
    return text if len(text) <= BODY_KEPT else text[:BODY_KEPT] + f"\n… ({len(text) - BODY_KEPT} more characters)"


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
