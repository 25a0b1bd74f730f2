"""Reading is never refused, and a wrongly typed field never makes a number unreadable (issue 9, item 3).

Validation is for what actui sends: a number libphonenumber calls invalid (+19995551234) is still asked
for, and the server's 404 says whether it exists. A detail whose fields have the wrong types is read
tolerantly: the bad fields are named, the exact document is kept.
"""

from __future__ import annotations

import copy

import httpx
import pytest

from actui.api.client import ApiClient
from actui.api.errors import ApiError, InvalidInput, NotFound
from actui.api.number_models import PhoneNumber, PhoneNumberUpdate
from actui.api.outgoing import check_outgoing
from actui.api.phone import for_lookup
from tests.helpers import fast_retry

UNKNOWN_TO_LIBPHONENUMBER = "+19995551234"   # a well-formed number libphonenumber calls invalid


def test_for_lookup_normalises_what_it_can_and_keeps_the_rest():
    assert for_lookup(UNKNOWN_TO_LIBPHONENUMBER) == UNKNOWN_TO_LIBPHONENUMBER
    assert for_lookup("(999) 555-1234") == UNKNOWN_TO_LIBPHONENUMBER
    assert for_lookup(" 415 555 0123 ") == "+14155550123"
    assert for_lookup("+44 20 7183 8750") == "+442071838750"
    assert for_lookup("555-1234x") == "555-1234x"    # no whole number: as typed, for the server to answer
    with pytest.raises(ValueError):
        for_lookup("  ")


async def test_a_number_libphonenumber_calls_invalid_is_asked_for_and_404_says_not_found(sandbox, client):
    before = sandbox.faults.stats.requests
    with pytest.raises(NotFound):
        await client.get_number(UNKNOWN_TO_LIBPHONENUMBER)
    with pytest.raises(NotFound):
        await client.get_number("(999) 555-1234")
    assert sandbox.faults.stats.requests == before + 2   # both reached the server


async def test_a_number_libphonenumber_calls_invalid_is_read_when_the_server_has_it(sandbox, client):
    doc = copy.deepcopy(sandbox.state.detail(sandbox.state.numbers()[0]))
    doc["phoneNumber"] = UNKNOWN_TO_LIBPHONENUMBER
    sandbox.state.put_raw(doc)
    phone = await client.get_number(UNKNOWN_TO_LIBPHONENUMBER)
    assert phone.phone_number == UNKNOWN_TO_LIBPHONENUMBER and phone.to_wire() == doc


async def test_writing_still_validates_the_number(client):
    requests = client.stats.requests
    with pytest.raises(InvalidInput) as info:
        await client.update_number(UNKNOWN_TO_LIBPHONENUMBER, {"description": "x"})
    assert "number" in info.value.fields and client.stats.requests == requests


async def test_the_lookup_path_is_always_percent_encoded():
    seen: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path)
        return httpx.Response(404, json={"message": "not found"})

    async with ApiClient("http://api.test/api/v1", "u", "p", retry=fast_retry(),
                         transport=httpx.MockTransport(answer)) as api:
        for typed in ("a/../b?c#d", "+1 (999) 555-1234"):
            with pytest.raises(NotFound):
                await api.get_number(typed)
    assert seen == [b"/api/v1/phone-numbers/a%2F..%2Fb%3Fc%23d", b"/api/v1/phone-numbers/%2B19995551234"]


# --- tolerant parsing ---------------------------------------------------------------------------------


def odd_detail() -> dict:
    return {
        "phoneNumber": "+14155550100", "description": "Front desk", "createdAt": "last Tuesday",
        "capabilities": None, "isActivated": "maybe",
        "settings": {"rateLimit": "abc", "optOut": "STOP", "optIn": {"enabled": True, "text": "START"},
                     "autoForward": {"enabled": True, "emailAddresses": ["a@example.com", 5]},
                     "outOfOffice": {"startDate": "soon"}},
    }


def test_a_wrongly_typed_detail_is_read_with_each_bad_field_named():
    doc = odd_detail()
    phone = PhoneNumber.model_validate(doc)
    assert {p.field: p.message for p in phone.problems} == {
        "isActivated": "not true or false: maybe",
        "settings.rateLimit": "not a number: abc",
        "settings.optOut": "not an object: STOP",
        "settings.autoForward.emailAddresses[1]": "not text: 5",
        "createdAt": "not a date: last Tuesday",
        "settings.outOfOffice.startDate": "not a date: soon",
    }
    # what could be read is typed; the exact document is kept
    assert phone.description == "Front desk" and phone.settings.opt_in.text == "START"
    assert phone.settings.rate_limit is None and phone.settings.opt_out is None
    assert phone.to_wire() == doc and phone.to_wire() is not phone.to_wire()


def test_settings_that_are_not_an_object_leave_the_rest_readable():
    phone = PhoneNumber.model_validate({"phoneNumber": "+14155550100", "settings": 5, "userId": "u1"})
    assert [(p.field, p.message) for p in phone.problems] == [("settings", "not an object: 5")]
    assert phone.user_id == "u1" and phone.settings is None and phone.to_wire()["settings"] == 5


def test_a_clean_detail_has_no_problems_and_keeps_its_exact_text():
    doc = {"phoneNumber": "+14155550100", "createdAt": "2025-01-15T00:00:00.000Z", "settings": {"rateLimit": 5}}
    phone = PhoneNumber.model_validate(doc)
    assert phone.problems == [] and phone.to_wire() == doc


async def test_the_client_reads_a_wrongly_typed_detail_from_the_server(sandbox, client):
    number = sandbox.state.numbers()[0]
    doc = copy.deepcopy(sandbox.state.detail(number))
    doc["settings"]["rateLimit"] = "abc"
    doc["settings"]["optOut"] = "STOP"
    sandbox.state.put_raw(doc)
    phone = await client.get_number(number)
    assert phone.to_wire() == doc
    assert {p.field for p in phone.problems} == {"settings.rateLimit", "settings.optOut"}


async def test_an_answer_that_is_no_number_at_all_is_a_clear_error():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[1, 2] if "%2B1415" in str(request.url) else {"userId": "x"})

    async with ApiClient("http://api.test/api/v1", "u", "p", retry=fast_retry(),
                         transport=httpx.MockTransport(answer)) as api:
        with pytest.raises(ApiError, match="not a phone number"):
            await api.get_number("+14155550100")
        with pytest.raises(ApiError, match="without a usable phoneNumber"):
            await api.get_number("+19995551234")


# --- outgoing: only what is sent, and only what changed ---------------------------------------------


def test_check_outgoing_does_not_judge_what_was_already_there():
    before = {"settings": {"autoForward": {"emailAddresses": ["ops@@example.com"]}}}
    sent = {"settings": {"autoForward": {"emailAddresses": ["ops@@example.com", "new@example.com"]}}}
    check_outgoing(PhoneNumberUpdate, sent, unchanged_from=before)   # the old address was already there
    with pytest.raises(InvalidInput) as info:
        check_outgoing(PhoneNumberUpdate, sent)
    assert list(info.value.fields) == ["settings.autoForward.emailAddresses[0]"]
    worse = {"settings": {"autoForward": {"emailAddresses": ["ops@@example.com", "new@@example.com"]}}}
    with pytest.raises(InvalidInput) as info:
        check_outgoing(PhoneNumberUpdate, worse, unchanged_from=before)
    assert list(info.value.fields) == ["settings.autoForward.emailAddresses[1]"]   # only the new one
