"""The client's one HTTP transport, and the lean way it sends a request through it.

ApiClient talks to one origin with one set of headers, so it needs little of httpx.AsyncClient: building a
request through the client (URL merging, the auth flow, the redirect loop, the cookie jar's urllib
adapters, the mount lookup) cost about 0.2 ms a request, a seventh of fetching a page of 100 numbers.
What AsyncClient would do for us and still matters is kept here: TLS verification, the environment's
proxy (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), connection limits, timeouts, cookies the server
sets, and httpx's "HTTP Request" log line.
"""

from __future__ import annotations

import base64
import logging
import ssl
import urllib.request
from typing import Any

import httpx

from .body_errors import DEFAULT_MAX_BODY_MB, MB, ResponseTooLarge

_log = logging.getLogger("httpx")  # where AsyncClient logs its requests: a user's logging setup still sees them


def basic_authorization(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")


def environment_proxy(url: httpx.URL) -> str | None:
    """The proxy the environment names for `url`, or None (no proxy, or NO_PROXY exempts its host).

    HTTP_PROXY / HTTPS_PROXY (by the URL's scheme) or else ALL_PROXY, as httpx's trust_env reads them;
    NO_PROXY is read by urllib's rules: "*", or host names that exempt themselves and their subdomains.
    """
    proxies = urllib.request.getproxies()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy:
        return None
    host = url.host if url.port is None else f"{url.host}:{url.port}"
    if urllib.request.proxy_bypass(host):
        return None
    return proxy if "://" in proxy else "http://" + proxy


def make_transport(base_url: str, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """A pooled transport for `base_url`: TLS verified (trusting SSL_CERT_FILE / SSL_CERT_DIR as httpx
    does), through the environment's proxy when there is one."""
    url = httpx.URL(base_url)
    proxy = environment_proxy(url)
    verify: ssl.SSLContext | bool = True
    if url.scheme == "http" and (proxy is None or proxy.lower().startswith("http://")):
        # Plain HTTP all the way (the sandbox): no TLS will be spoken, so spare loading the CA bundle (17 ms
        # a client). The context still verifies, against no trusted roots: if ever used it refuses all.
        verify = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return httpx.AsyncHTTPTransport(limits=limits, proxy=proxy, verify=verify)


class Wire:
    """Sends requests to one origin through one transport, with fixed headers (authorization included)."""

    def __init__(self, transport: httpx.AsyncBaseTransport, headers: dict[str, str], timeout: httpx.Timeout,
                 max_body: int = DEFAULT_MAX_BODY_MB * MB):
        self.transport = transport
        self.max_body = max_body  # bytes of (decoded) body read at most: past it, ResponseTooLarge
        self.headers = httpx.Headers(headers)  # its repr hides the Authorization header
        self.extensions = {"timeout": timeout.as_dict()}
        self.cookies = httpx.Cookies()

    def __repr__(self) -> str:
        return f"Wire({type(self.transport).__name__})"

    async def send(self, method: str, url: str, **content: Any) -> httpx.Response:
        """The response, read in full (up to max_body). `content`: httpx.Request's json=, files=, params=.

        Transport failures are httpx's exceptions, as AsyncClient would raise them."""
        request = httpx.Request(method, url, headers=self.headers, extensions=dict(self.extensions), **content)
        if self.cookies:
            self.cookies.set_cookie_header(request)
        response = await self.transport.handle_async_request(request)
        response.request = request
        try:
            await _read_capped(response, self.max_body)
        except BaseException:
            await response.aclose()
            raise
        if "set-cookie" in response.headers:
            self.cookies.extract_cookies(response)
        if _log.isEnabledFor(logging.INFO):
            _log.info('HTTP Request: %s %s "%s %d %s"', method, request.url, response.http_version,
                      response.status_code, response.reason_phrase)
        return response

    async def aclose(self) -> None:
        await self.transport.aclose()


async def _read_capped(response: httpx.Response, cap: int) -> None:
    """response.aread(), but refusing a body larger than `cap` bytes once decoded (a gzip bomb counts at
    its real size) without holding more than `cap` of it: a declared Content-Length over the cap is refused
    before reading, anything else as soon as the bytes read pass it."""
    def too_large() -> ResponseTooLarge:
        request = response.request
        return ResponseTooLarge(cap, status=response.status_code, method=request.method, path=request.url.path)

    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap and "content-encoding" not in response.headers:
        raise too_large()
    chunks = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > cap:
            raise too_large()
        chunks.append(chunk)
    response._content = b"".join(chunks)  # what aread() does with the same chunks
