import json
from pathlib import Path

import pytest

from actui.api.errors import InvalidInput
from actui.api.number_models import PhoneNumber, PhoneNumberUpdate
from actui.api.order_models import Order, ProvisionRequest, is_final_status
from actui.api.outgoing import validate_outgoing
from actui.api.settings_models import Settings

EXAMPLES = json.loads((Path(__file__).parent.parent / "fixtures" / "guide_examples.json").read_text())
TENANT = "00000000-0000-0000-0000-000000000000"


def provision(**entry):
    base = {"number": "+14155551234", "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}}
    base.update(entry)
    return {"action": "Provision", "tenantId": TENANT, "phoneNumbers": [base]}


def refused(model, data) -> dict[str, str]:
    with pytest.raises(InvalidInput) as info:
        validate_outgoing(model, data)
    return info.value.fields


def test_every_guide_example_parses_and_round_trips():
    order = Order.model_validate(EXAMPLES["order_response"])
    assert order.order_id == 12345 and order.is_final and order.phone_numbers[0].status == "Completed"
    number = PhoneNumber.model_validate(EXAMPLES["number_detail"])
    assert number.capabilities.mms is True and number.friendly_name == "(415) 555-1234"
    assert number.to_wire() == EXAMPLES["number_detail"]
    for key in ("notifications", "auto_response", "opt_in_out", "auto_forward", "out_of_office",
                "signature", "ai_settings", "rate_limiting"):
        settings = validate_outgoing(Settings, EXAMPLES[key])
        assert settings.to_wire() == EXAMPLES[key], key
    for key in ("complete_update", "update_request"):
        assert validate_outgoing(PhoneNumberUpdate, EXAMPLES[key]).to_wire() == EXAMPLES[key]
    request = validate_outgoing(ProvisionRequest, EXAMPLES["provision_request"])
    assert request.phone_numbers[0].messaging_feature.provision_class == "P2P"
    assert request.to_wire() == EXAMPLES["provision_request"]


def test_unknown_fields_survive_a_read_modify_write():
    raw = {**EXAMPLES["number_detail"], "tags": ["vip"], "settings": {
        "rateLimit": 5, "businessHours": {"open": "09:00"}, "optOut": {"text": "STOP", "confirmationDelaySeconds": 3}}}
    number = PhoneNumber.model_validate(raw)
    assert number.settings.opt_out.text == "STOP"
    assert number.to_wire() == raw


def test_reading_is_tolerant_of_what_the_guide_does_not_promise():
    number = PhoneNumber.model_validate({"number": "+14155551234", "status": "Quarantined", "activatedAt": "soon"})
    assert number.phone_number == "+14155551234"
    assert number.status == "Quarantined" and number.activated_at == "soon"


@pytest.mark.parametrize("status, final", [
    ("Completed", True), ("FAILED", True), ("partiallycompleted", True), ("Canceled", True),
    ("Cancelled", True), ("Rejected", True), ("error", True), ("Pending", False), ("InProgress", False),
    ("Weird", False), (None, False)])
def test_final_statuses(status, final):
    assert is_final_status(status) is final


@pytest.mark.parametrize("entry, field", [
    ({"number": "4155551234"}, "phoneNumbers[0].number"),
    ({"number": "+1415555"}, "phoneNumbers[0].number"),
    ({"email": "not-an-email"}, "phoneNumbers[0].email"),
    ({"platformType": "Slack"}, "phoneNumbers[0].platformType"),
    ({"messagingFeature": {"provisionType": "RCS", "provisionClass": "P2P"}},
     "phoneNumbers[0].messagingFeature.provisionType"),
    ({"messagingFeature": {"provisionType": "SMS", "provisionClass": "X2Y"}},
     "phoneNumbers[0].messagingFeature.provisionClass"),
    ({"billingPlan": "P2P300"}, "phoneNumbers[0].billingPlan"),
    ({"billingPlan": "A2P250"}, "phoneNumbers[0].billingPlan"),
])
def test_provision_refusals_name_the_field(entry, field):
    assert field in refused(ProvisionRequest, provision(**entry))


def test_a2p_needs_campaign_and_brand():
    a2p = {"messagingFeature": {"provisionType": "SMS", "provisionClass": "A2P"}}
    fields = refused(ProvisionRequest, provision(**a2p))
    assert set(fields) == {"phoneNumbers[0].campaignId", "phoneNumbers[0].brandId"}
    assert "phoneNumbers[0].brandId" in refused(ProvisionRequest, provision(**a2p, campaignId="C1"))
    validate_outgoing(ProvisionRequest, provision(**a2p, campaignId="C1", brandId="B1", billingPlan="A2P250"))


def test_tenant_must_be_a_guid_and_numbers_present():
    assert "tenantId" in refused(ProvisionRequest, {**provision(), "tenantId": "tenant-1"})
    assert "phoneNumbers" in refused(ProvisionRequest, {**provision(), "phoneNumbers": []})
    assert "action" in refused(ProvisionRequest, {**provision(), "action": "Delete"})
    assert "phoneNumbers[0].messagingFeature" in refused(
        ProvisionRequest, {**provision(), "phoneNumbers": [{"number": "+14155551234"}]})


def test_unprovision_needs_only_the_number():
    validate_outgoing(ProvisionRequest, {"action": "Unprovision", "tenantId": TENANT,
                                         "phoneNumbers": [{"number": "+14155551234"}]})


@pytest.mark.parametrize("settings, field", [
    ({"optOut": {"periodicCron": "0 0 1 *"}}, "settings.optOut.periodicCron"),
    ({"optOut": {"periodicCron": "61 0 1 * *"}}, "settings.optOut.periodicCron"),
    ({"rateLimit": -1}, "settings.rateLimit"),
    ({"rateLimit": "lots"}, "settings.rateLimit"),
    ({"autoForward": {"emailAddresses": ["ok@example.com", "nope"]}}, "settings.autoForward.emailAddresses[1]"),
    ({"outOfOffice": {"startDate": "2025-01-16T00:00:00Z", "endDate": "2025-01-15T00:00:00Z"}},
     "settings.outOfOffice.endDate"),
    ({"outOfOffice": {"startDate": "next monday"}}, "settings.outOfOffice.startDate"),
    ({"optOut": {"enabled": True, "text": "  "}}, "settings.optOut.text"),
    ({"optIn": {"enabled": True, "text": ""}}, "settings.optIn.text"),
])
def test_settings_refusals_name_the_field(settings, field):
    assert field in refused(PhoneNumberUpdate, {"settings": settings})


def test_update_refuses_immutable_and_unknown_top_level_fields():
    fields = refused(PhoneNumberUpdate, {"owner": "x", "phoneNumber": "+1", "color": "red",
                                         "billingPlanName": "P2P500", "platformType": "Teams"})
    assert fields["owner"] == "cannot be changed after provisioning"
    assert fields["phoneNumber"] == "cannot be changed after provisioning"
    assert fields["color"] == "is not an updatable field"
    assert "billingPlanName" in fields and "platformType" in fields


def test_update_keeps_unknown_settings_keys():
    doc = {"settings": {"businessHours": {"open": "09:00"}, "optOut": {"enabled": True, "text": "STOP", "x": 1}}}
    assert validate_outgoing(PhoneNumberUpdate, doc).to_wire() == doc
