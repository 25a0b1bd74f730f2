import pytest

from actui.api.errors import InvalidInput
from actui.core.fieldpaths import UnknownField, parse_assignment, parse_assignments


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
    ('settings.optOut={"text": "STOP"}', ("settings.optOut", {"text": "STOP"})),
    ("settings.signature.message=null", ("settings.signature.message", None)),
])
def test_values_take_the_fields_type(text, expected):
    assert parse_assignment(text) == expected


def test_a_field_the_guide_does_not_list_may_be_set_where_the_number_holds_it():
    held = {"settings": {"businessHours": {"open": 8}}}
    assert parse_assignment("settings.businessHours.open=9", held) == ("settings.businessHours.open", 9)
    with pytest.raises(UnknownField):
        parse_assignment("settings.businessHours.open=9")
    with pytest.raises(UnknownField):
        parse_assignment("settings.businessHours.close=9", held)


@pytest.mark.parametrize("text, field, suggestion", [
    ("settings.optOut.enabeld=true", "settings.optOut.enabeld", "did you mean settings.optOut.enabled?"),
    ("settings..rateLimit=5", "settings..rateLimit", "did you mean settings.rateLimit?"),
    ("settings.rateLimit.max=5", "settings.rateLimit.max", "did you mean settings.rateLimit?"),
    ("descripton=x", "descripton", "did you mean description?"),
    ("settings.autoresponse.enabled=true", "settings.autoresponse.enabled",
     "did you mean settings.autoResponse.enabled?"),
])
def test_unknown_paths_are_refused_naming_the_closest_known_one(text, field, suggestion):
    with pytest.raises(InvalidInput) as info:
        parse_assignments([text])
    assert suggestion in info.value.fields[field]


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
