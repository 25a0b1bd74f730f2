import pytest

from actui.api.errors import InvalidInput
from actui.core.fieldpaths import parse_assignment


@pytest.mark.parametrize("text, expected", [
    ("settings.autoResponse.enabled=true", ("settings.autoResponse.enabled", True)),
    ("isMMSEnabled=no", ("isMMSEnabled", False)),
    ("description=Main line", ("description", "Main line")),
    ("description=123", ("description", "123")),
    ("settings.rateLimit=50", ("settings.rateLimit", 50)),
    ("settings.rate_limit=7", ("settings.rateLimit", 7)),
    ("settings.autoForward.emailAddresses=a@x.com, b@x.com", ("settings.autoForward.emailAddresses",
                                                                ["a@x.com", "b@x.com"])),
    ('settings.autoForward.emailAddresses=["a@x.com"]', ("settings.autoForward.emailAddresses", ["a@x.com"])),
    ("billingPlanName=Volume Pricing", ("billingPlanName", "Volume Pricing")),
    ("settings.businessHours.open=9", ("settings.businessHours.open", 9)),
    ('settings.optOut={"text": "STOP"}', ("settings.optOut", {"text": "STOP"})),
    ("settings.signature.message=null", ("settings.signature.message", None)),
])
def test_values_take_the_fields_type(text, expected):
    assert parse_assignment(text) == expected


@pytest.mark.parametrize("text, field, words", [
    ("settings.rateLimit=lots", "settings.rateLimit", "whole number"),
    ("settings.autoResponse.enabled=maybe", "settings.autoResponse.enabled", "true or false"),
    ("platformType=Slack", "platformType", "must be one of"),
    ("owner=me", "owner", "cannot be changed"),
    ("color=red", "color", "not an updatable field"),
    ("settings.optOut=STOP", "settings.optOut", "is a section"),
    ("settings.optOut.text", "settings.optOut.text", "PATH=VALUE"),
])
def test_bad_assignments_name_the_field(text, field, words):
    with pytest.raises(InvalidInput) as info:
        parse_assignment(text)
    assert field in info.value.fields and words in info.value.fields[field]
