"""The seed inventory: deterministic, realistic, valid for the guide's own rules."""

from __future__ import annotations

from collections import Counter

import phonenumbers
import pytest

from actui.api.number_models import UPDATABLE_FIELDS, PhoneNumberUpdate
from actui.api.outgoing import validate_outgoing
from actui.api.phone import friendly
from actui.api.vocabulary import BILLING_PLAN_NAMES
from actui.sandbox.rules import UPDATABLE, check_update
from actui.sandbox.seed import AREA_CODES, BASE_EPOCH, generate, is_failing_number, iso

DOCUMENTED = {"phoneNumberId", "phoneNumber", "friendlyName", "email", "status", "provisionType",
              "provisionClass", "capabilities", "createdAt", "activatedAt", *UPDATABLE_FIELDS,
              "owner", "billableOwner", "provider", "microsoftTenantId"}


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return list(generate(2000, 1))


def test_same_seed_same_inventory_other_seed_other_inventory():
    assert list(generate(50, 3)) == list(generate(50, 3))
    assert [d["phoneNumber"] for d in generate(50, 3)] != [d["phoneNumber"] for d in generate(50, 4)]


def test_numbers_are_valid_unique_and_never_in_the_failing_range(docs):
    numbers = [d["phoneNumber"] for d in docs]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert number[2:5] in AREA_CODES and number[5:8] == "555"
        assert phonenumbers.is_valid_number(phonenumbers.parse(number))
        assert not is_failing_number(number)
    assert len({n[2:5] for n in numbers}) == 20


def test_every_number_has_the_documented_fields_and_consistent_values(docs):
    for d in docs:
        assert DOCUMENTED <= set(d), DOCUMENTED - set(d)
        assert list(d)[-1] == "settings"
        assert d["friendlyName"] == friendly(d["phoneNumber"])
        caps = d["capabilities"]
        assert (caps["sms"], caps["mms"]) == {"SMS": (True, False), "MMS": (False, True),
                                              "SMSMMS": (True, True)}[d["provisionType"]]
        assert d["billingPlanName"] in BILLING_PLAN_NAMES
        assert d["createdAt"] < d["activatedAt"] and d["createdAt"] < iso(BASE_EPOCH)
        if d["provisionClass"] == "A2P":
            assert d["campaignId"].startswith("C") and len(d["campaignId"]) == 7
            assert d["brandId"].startswith("B") and len(d["brandId"]) == 7
        else:
            assert d["campaignId"] is None and d["brandId"] is None
        assert d["isActivated"] == (d["status"] != "Inactive")


def test_created_in_insertion_order(docs):
    created = [d["createdAt"] for d in docs]
    assert created == sorted(created)


def test_the_mix_is_realistic(docs):
    classes = Counter(d["provisionClass"] for d in docs)
    assert 0.25 < classes["A2P"] / len(docs) < 0.35
    assert set(Counter(d["platformType"] for d in docs)) == {"TeamsIndividual", "TeamsChannel", "WebexSpace",
                                                            "RingCentral", "Zoom"}
    statuses = Counter(d["status"] for d in docs)
    assert statuses["Suspended"] == 1 and statuses["PendingPortOut"] == 1
    assert 20 < statuses["Inactive"] < 100
    settings = [d["settings"] for d in docs]
    assert any(not s.get("outOfOffice") for s in settings) and any(s.get("outOfOffice") for s in settings)
    assert any(s.get("optOut", {}).get("periodicCron") for s in settings)
    assert {len(s["autoForward"]["emailAddresses"]) for s in settings if "autoForward" in s} == {1, 2, 3}
    assert any("\n" in s.get("signature", {}).get("message", "") for s in settings)
    assert any("businessHours" in s for s in settings)
    assert any("tags" in d for d in docs)


def test_showcase_number_holds_every_section_and_unknown_fields(docs):
    first = docs[0]
    assert {"tags", "costCenter"} <= set(first)
    s = first["settings"]
    assert {"notifications", "autoResponse", "optIn", "optOut", "autoForward", "outOfOffice", "signature",
            "aiSettings", "businessHours", "rateLimit", "noOutboundTexts"} <= set(s)
    assert "confirmationDelaySeconds" in s["optOut"]


def test_seeded_updatable_fields_pass_the_clients_own_validation(docs):
    # what the TUI reads back and saves must not be refused by the sandbox's own rules
    for d in docs:
        validate_outgoing(PhoneNumberUpdate, {k: d[k] for k in UPDATABLE_FIELDS})
        check_update({k: d[k] for k in UPDATABLE}, d)   # and the sandbox's own


def test_failing_range():
    assert is_failing_number("+14155550100") and is_failing_number("+14155550199")
    assert not is_failing_number("+14155550200") and not is_failing_number("+14155550099")


def test_refuses_more_numbers_than_it_can_make():
    with pytest.raises(ValueError):
        next(generate(10_000_000, 1))
