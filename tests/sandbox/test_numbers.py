"""GET and PUT /phone-numbers/{number}: the detail, strict validation, deep merge."""

from __future__ import annotations

import pytest

from .helpers import path


@pytest.fixture
def showcase(server) -> str:
    """The first seeded number: every settings section, plus fields the guide does not list."""
    return server.state.numbers()[0]


def test_detail_has_the_guides_fields_and_unknown_ones(client, showcase):
    r = client.get(path(showcase))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    d = r.json()
    assert d["phoneNumber"] == showcase
    for key in ("phoneNumberId", "friendlyName", "email", "status", "provisionType", "provisionClass",
                "capabilities", "createdAt", "activatedAt", "userId", "platformType", "description",
                "externalId", "campaignId", "brandId", "loaUrl", "isActivated", "isMMSEnabled",
                "billingPlanName", "owner", "billableOwner", "provider", "microsoftTenantId"):
        assert key in d, key
    assert {"tags", "costCenter"} <= set(d)
    assert "businessHours" in d["settings"]
    assert "confirmationDelaySeconds" in d["settings"]["optOut"]


def test_number_may_also_come_unencoded(client, showcase):
    assert client.get(f"/phone-numbers/{showcase}").json()["phoneNumber"] == showcase


def test_unknown_number_is_404_and_non_e164_is_400(client):
    r = client.get(path("+14155550150"))
    assert r.status_code == 404 and "+14155550150" in r.json()["message"]
    # a well-formed number libphonenumber calls invalid is looked up like any other: 404, not 400
    assert client.get(path("+19995551234")).status_code == 404
    for bad in ("4155551234", "+0415555", "hello", "%2B1%20415"):
        r = client.get(f"/phone-numbers/{bad}")
        assert r.status_code == 400, bad
        assert r.json()["errors"][0]["field"] == "number"
    assert client.put(path("+14155550150"), json={"description": "x"}).status_code == 404


def test_put_deep_merges_and_keeps_unknown_fields_and_other_sections(client, showcase):
    before = client.get(path(showcase)).json()
    r = client.put(path(showcase), json={
        "description": "Sales West",
        "settings": {"optOut": {"text": "QUIT"}, "autoForward": {"emailAddresses": ["a@example.com"]},
                     "rateLimit": 5, "vendorFlag": {"beta": True}},
    })
    assert r.status_code == 200
    after = r.json()
    assert after == client.get(path(showcase)).json()
    assert after["description"] == "Sales West"
    # merged key by key inside a section
    assert after["settings"]["optOut"] == {**before["settings"]["optOut"], "text": "QUIT"}
    # lists replace
    assert after["settings"]["autoForward"]["emailAddresses"] == ["a@example.com"]
    assert after["settings"]["autoForward"]["enabled"] == before["settings"]["autoForward"]["enabled"]
    # untouched sections, unknown fields at the top and inside settings stay
    for section in ("notifications", "signature", "aiSettings", "businessHours", "outOfOffice"):
        assert after["settings"][section] == before["settings"][section]
    assert after["tags"] == before["tags"] and after["costCenter"] == before["costCenter"]
    assert after["settings"]["vendorFlag"] == {"beta": True}
    assert after["settings"]["rateLimit"] == 5
    # and the list shows the change
    listed = client.get("/phone-numbers/active", params={"limit": 1}).json()["phoneNumbers"][0]
    assert listed["description"] == "Sales West"


def test_put_of_the_guides_complete_update_example(client, showcase):
    body = {
        "userId": "support@example.com", "description": "Customer Support - Primary Line",
        "campaignId": "C67890", "brandId": "B12345", "billingPlanName": "1000", "isActivated": True,
        "isMMSEnabled": True,
        "settings": {
            "notifications": {"enableSound": True, "microsoftTeams": {"enabled": True,
                                                                      "notificationName": "Support SMS"}},
            "autoResponse": {"enabled": True, "message": "Thank you for contacting Acme support!",
                             "newThreadsOnly": True},
            "optOut": {"enabled": True, "text": "STOP", "textResponse": "You have been unsubscribed.",
                       "periodicEnabled": True},
            "signature": {"enabled": True, "message": "\n--\nAcme Corp Support"},
            "rateLimit": 1000,
        },
    }
    r = client.put(path(showcase), json=body)
    assert r.status_code == 200
    d = r.json()
    assert d["billingPlanName"] == "1000" and d["settings"]["signature"]["message"] == "\n--\nAcme Corp Support"


@pytest.mark.parametrize("body, field, words", [
    ({"phoneNumber": "+14155559999"}, "phoneNumber", "cannot be changed after provisioning"),
    ({"owner": "Someone"}, "owner", "cannot be changed"),
    ({"settings": {"optOut": {"periodicCron": "every day"}}}, "settings.optOut.periodicCron", "cron"),
    ({"settings": {"rateLimit": -1}}, "settings.rateLimit", "non-negative"),
    ({"tags": ["x"]}, "tags", "not an updatable field"),
    ({"billingPlanName": "P2P500"}, "billingPlanName", "must be one of"),
    ({"platformType": "Slack"}, "platformType", "must be one of"),
    ({"settings": {"autoForward": {"emailAddresses": ["not-an-address"]}}},
     "settings.autoForward.emailAddresses[0]", "not a valid email"),
])
def test_put_refusals_name_the_field(client, showcase, body, field, words):
    before = client.get(path(showcase)).json()
    r = client.put(path(showcase), json=body)
    assert r.status_code == 400
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert field in errors and words in errors[field], errors
    assert client.get(path(showcase)).json() == before


def test_put_checks_the_merged_document(client, showcase):
    start = client.get(path(showcase)).json()["settings"]["outOfOffice"]["startDate"]
    r = client.put(path(showcase), json={"settings": {"outOfOffice": {"endDate": "2020-01-01T00:00:00Z"}}})
    assert r.status_code == 400 and start > "2020"
    assert r.json()["errors"][0]["field"] == "settings.outOfOffice.endDate"


def test_is_activated_moves_status_between_active_and_inactive_only(client, server):
    docs = [server.state.detail(n) for n in server.state.numbers()]
    active = next(d["phoneNumber"] for d in docs if d["status"] == "Active")
    odd = next(d["phoneNumber"] for d in docs if d["status"] not in ("Active", "Inactive"))
    odd_status = server.state.detail(odd)["status"]
    r = client.put(path(active), json={"isActivated": False})
    assert (r.json()["status"], r.json()["isActivated"]) == ("Inactive", False)
    r = client.put(path(active), json={"isActivated": True})
    assert (r.json()["status"], r.json()["isActivated"]) == ("Active", True)
    r = client.put(path(odd), json={"isActivated": False})
    assert (r.json()["status"], r.json()["isActivated"]) == (odd_status, False)
    r = client.put(path(active), json={"description": "no status change"})
    assert r.json()["status"] == "Active"
