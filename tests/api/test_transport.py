"""The client's own request path (actui.api.transport): what it sends, proxies, TLS, cookies."""

import asyncio
import base64
import json
import ssl

import httpx
import pytest

from actui.api.client import USER_AGENT, ApiClient, _json_in_bulk
from actui.api.errors import ApiError, NetworkError
from actui.api.retry import RetryPolicy
from actui.api.transport import environment_proxy, make_transport

BASE = "https://api.example.test/api/v1"
PAGE = {"phoneNumbers": [{"phoneNumber": "+14155551000"}], "total": 1}


def recording(handler=None):
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request) if handler else httpx.Response(200, json=PAGE)

    return seen, httpx.MockTransport(record)


async def test_requests_carry_credentials_headers_and_timeouts():
    def handler(request):
        return httpx.Response(200, json=PAGE if request.method == "GET" else PAGE["phoneNumbers"][0])

    seen, transport = recording(handler)
    async with ApiClient(BASE, "u@example.com", "pw", transport=transport, timeout=30) as api:
        await api.list_page(2, 50)
        await api.update_number("+14155551000", {"description": "x"})
    get, put = seen
    assert str(get.url) == BASE + "/phone-numbers/active?page=2&limit=50"
    assert get.headers["Authorization"] == "Basic " + base64.b64encode(b"u@example.com:pw").decode()
    assert get.headers["User-Agent"] == USER_AGENT and get.headers["Accept"] == "application/json"
    assert get.headers["Host"] == "api.example.test"
    assert get.extensions["timeout"] == {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}
    assert put.method == "PUT" and put.url.raw_path == b"/api/v1/phone-numbers/%2B14155551000"
    assert json.loads(put.content) == {"description": "x"}
    assert put.headers["Content-Type"] == "application/json"


async def test_cookies_the_server_sets_are_sent_back():
    def handler(request):
        return httpx.Response(200, json=PAGE, headers={"Set-Cookie": "lb=node-2; Path=/"})

    seen, transport = recording(handler)
    async with ApiClient(BASE, "u", "pw", transport=transport) as api:
        await api.list_page()
        await api.list_page()
    assert "cookie" not in seen[0].headers
    assert seen[1].headers["Cookie"] == "lb=node-2"


async def test_pages_fetched_in_bulk_parse_like_the_first():
    pages = {p: {"phoneNumbers": [{"phoneNumber": f"+1415555{1000 + p * 10 + i}", "n": 1.5, "big": 10**30}
                                  for i in range(2)], "totalPages": 3} for p in (1, 2, 3)}

    def handler(request):  # page 3 is full: a fourth is asked for, and comes back empty
        return httpx.Response(200, json=pages.get(int(request.url.params["page"]), {"phoneNumbers": []}))

    async with ApiClient(BASE, "u", "pw", transport=recording(handler)[1]) as api:
        got = [page.items async for page in api.iter_pages(limit=2, parse=lambda items: items)]
    assert got == [pages[p]["phoneNumbers"] for p in (1, 2, 3)] + [[]]


def test_bulk_decoding_falls_back_to_json_loads():
    utf16 = httpx.Response(200, content=json.dumps(PAGE).encode("utf-16"))
    assert _json_in_bulk(utf16) == PAGE
    with pytest.raises(ApiError, match="not JSON"):
        _json_in_bulk(httpx.Response(502, content=b"<html>bad gateway</html>",
                                     request=httpx.Request("GET", BASE)))


@pytest.mark.parametrize("env, url, expected", [
    ({}, "https://api.example.com", None),
    ({"HTTPS_PROXY": "http://proxy:3128"}, "https://api.example.com", "http://proxy:3128"),
    ({"HTTPS_PROXY": "http://proxy:3128"}, "http://api.example.com", None),
    ({"HTTP_PROXY": "proxy:3128"}, "http://api.example.com", "http://proxy:3128"),
    ({"ALL_PROXY": "http://all:1", "HTTPS_PROXY": "http://tls:2"}, "https://api.example.com", "http://tls:2"),
    ({"ALL_PROXY": "http://all:1"}, "https://api.example.com", "http://all:1"),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "example.com"}, "https://api.example.com", None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "other.com, api.example.com"}, "https://api.example.com", None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}, "https://api.example.com", None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "xample.com"}, "https://api.example.com", "http://p:1"),
])
def test_the_environment_names_the_proxy(monkeypatch, env, url, expected):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert environment_proxy(httpx.URL(url)) == expected


async def test_requests_go_through_the_environment_proxy(monkeypatch):
    lines: list[bytes] = []
    body = json.dumps(PAGE).encode()

    async def proxy(reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        lines.append(head.split(b"\r\n")[0])
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    async with server, ApiClient("http://api.invalid/api/v1", "u", "pw") as api:
        page = await api.list_page(1, 5)
    assert lines == [b"GET http://api.invalid/api/v1/phone-numbers/active?page=1&limit=5 HTTP/1.1"]
    assert [n.phone_number for n in page.items] == ["+14155551000"]

    monkeypatch.setenv("NO_PROXY", "api.invalid")
    async with ApiClient("http://api.invalid/api/v1", "u", "pw", retry=RetryPolicy(retries=0)) as api:
        with pytest.raises(NetworkError):
            await api.list_page(1, 5)
    assert len(lines) == 1


def _ssl_context(transport: httpx.AsyncHTTPTransport) -> ssl.SSLContext:
    return transport._pool._ssl_context  # no public way to look


@pytest.mark.parametrize("url", ["https://api.example.com/api/v1", "http://127.0.0.1:8080/api/v1"])
def test_tls_is_always_verified(url):
    context = _ssl_context(make_transport(url, httpx.Limits()))
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    if url.startswith("https"):
        assert context.cert_store_stats()["x509_ca"] > 0
