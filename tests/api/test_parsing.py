"""Parsing edge cases of the undocumented parts (API-NOTES), with canned responses (MockTransport)."""

from datetime import UTC

import httpx
import pytest

from actui.api.client import ApiClient
from actui.api.errors import (
    ApiError,
    AuthenticationError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    ServerValidationError,
)
from actui.api.list_page import Page, split_envelope, totals
from actui.api.retry import RetryPolicy, parse_retry_after

N = [{"phoneNumber": f"+1415555{1000 + i}"} for i in range(5)]


@pytest.mark.parametrize("payload, expected_totals", [
    (N, (None, None, None)),
    ({"phoneNumbers": N, "total": 5}, (5, None, None)),
    ({"data": N, "totalCount": "5"}, (5, None, None)),
    ({"items": N, "count": 5, "totalPages": 1}, (5, 1, None)),
    ({"results": N, "hasMore": False}, (None, None, False)),
    ({"numbers": N, "meta": {"total": 5}}, (5, None, None)),
])
def test_every_list_shape(payload, expected_totals):
    items, meta = split_envelope(payload)
    assert items == N
    assert totals(meta) == expected_totals


def test_a_list_response_without_an_array_is_an_error():
    with pytest.raises(ApiError):
        split_envelope({"a": 1})
    with pytest.raises(ApiError):
        split_envelope("nope")


def test_page_end_rules():
    """API-NOTES: totals may be absent or wrong, a full page means "read on"; a short page ends the list
    unless the server says more follow."""
    assert Page(N, 1, 5).is_last is False                  # full page, nothing else known
    assert Page(N[:3], 1, 5).is_last is True                # short page
    assert Page(N, 2, 5, total=10).is_last is False         # total reached, but the page is full
    assert Page(N, 1, 5, has_more=False).is_last is False   # the same with hasMore
    assert Page(N[:3], 1, 5, total=10).is_last is False     # short, but the total says more follow
    assert Page(N[:3], 2, 5, total=8).is_last is True
    assert Page(N[:3], 1, 5, has_more=True).is_last is False
    assert Page(N, 1, 5, total=11).pages == 3
    assert Page([], 3, 5).is_last is True
    assert Page([], 1, 5, sent=5).is_last is False          # five malformed items still make a full page


def canned(status: int, body=None, headers=None, text=None):
    def handler(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        return httpx.Response(status, json=body, headers=headers)
    return ApiClient("https://api.example.test/api/v1", "u@example.com", "pw",
                     transport=httpx.MockTransport(handler), retry=RetryPolicy(retries=0))


@pytest.mark.parametrize("status, body, kind, words", [
    (401, {"message": "Bad credentials"}, AuthenticationError, "Bad credentials"),
    (403, {"error": "Forbidden for tenant"}, PermissionDenied, "Forbidden for tenant"),
    (404, {"title": "Not Found", "detail": "no such number"}, NotFound, "no such number"),
    (400, {"errors": [{"field": "settings.rateLimit", "message": "must be >= 0"}]}, ServerValidationError,
     "settings.rateLimit: must be >= 0"),
    (422, {"errors": {"description": ["too long"]}}, ServerValidationError, "description: too long"),
    (500, {"message": "boom"}, ServerError, "boom"),
    (502, None, ServerError, "HTTP 502"),
])
async def test_error_bodies_become_typed_errors(status, body, kind, words):
    api = canned(status, body)
    with pytest.raises(kind) as info:
        await api.get_number("+14155551234")
    assert words in str(info.value)
    assert info.value.status == status
    await api.aclose()


async def test_error_body_that_is_not_json_is_shown_as_its_text():
    api = canned(503, text="<html>Upstream down</html>")
    with pytest.raises(ServerError) as info:
        await api.get_number("+14155551234")
    assert "Upstream down" in str(info.value) and "<html>" not in str(info.value)
    await api.aclose()


async def test_field_messages_from_a_validation_error():
    api = canned(400, {"message": "invalid", "errors": ["settings.optOut.text: required"]})
    with pytest.raises(ServerValidationError) as info:
        await api.update_number("+14155551234", {"description": "x"})
    assert info.value.field_messages == {"settings.optOut.text": "required"}
    await api.aclose()


async def test_429_carries_retry_after():
    api = canned(429, {"message": "slow down"}, headers={"Retry-After": "7"})
    with pytest.raises(RateLimited) as info:
        await api.get_order(1)
    assert info.value.retry_after == 7
    await api.aclose()


def test_retry_after_forms():
    from datetime import datetime

    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3", now) == 3
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:10 GMT", now) == 10
    assert parse_retry_after("garbage", now) is None
    assert parse_retry_after(None) is None


async def test_number_in_path_is_percent_encoded_and_user_agent_sent():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"phoneNumber": "+14155551234"})

    api = ApiClient("https://api.example.test/api/v1", "u@example.com", "pw", transport=httpx.MockTransport(handler))
    await api.get_number("+14155551234")
    assert seen[0].url.raw_path == b"/api/v1/phone-numbers/%2B14155551234"
    assert seen[0].headers["user-agent"].startswith("actui/")
    assert seen[0].headers["authorization"].startswith("Basic ")
    await api.aclose()


async def test_a_server_that_ignores_page_is_caught():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=N)  # always the same full page, no totals

    api = ApiClient("https://api.example.test/api/v1", "u", "pw", transport=httpx.MockTransport(handler))
    with pytest.raises(ApiError, match="ignores the page parameter"):
        await api.list_all(limit=5)
    await api.aclose()
