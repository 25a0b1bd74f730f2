"""--fields: which wire paths a comma list names, how a document's value at one is read and shown."""

from __future__ import annotations

import pytest

from actui.core.field_select import (
    DEFAULT_FIELDS,
    FieldError,
    field_heading,
    field_text,
    field_value,
    needs_detail,
    parse_fields,
    pick,
)
from actui.core.filter_values import ABSENT

DOC = {
    "phoneNumber": "+14155550100", "status": "Active", "provisionClass": "A2P", "userId": None,
    "settings": {"optOut": {"enabled": False, "text": "STOP"}, "rateLimit": 3,
                 "autoForward": {"emailAddresses": ["a@x.test", "b@x.test"]}},
    "tags": ["x", "y"], "owner": {"name": "Ann"},
}


def test_default_fields_are_the_lists_columns_in_order():
    assert DEFAULT_FIELDS == ("phoneNumber", "status", "provisionClass", "provisionType", "platformType",
                              "userId", "email", "description", "billingPlanName")


@pytest.mark.parametrize("text, fields", [
    ("number,status,settings.optOut.enabled", ("phoneNumber", "status", "settings.optOut.enabled")),
    ("class, plan ,user", ("provisionClass", "billingPlanName", "userId")),
    ("SETTINGS.opt_out.ENABLED", ("settings.optOut.enabled",)),
    ("phoneNumber,number,status,status", ("phoneNumber", "status")),   # each once, first place kept
    ("settings.optOut,owner.name,", ("settings.optOut", "owner.name")),  # a section; below an open field
])
def test_parse_fields(text, fields):
    assert parse_fields(text) == fields


@pytest.mark.parametrize("text, named", [
    ("number,settings.optOut.enabeld", "settings.optOut.enabled"),
    ("stauts", "status"),
    ("settings.optOt.enabled", "settings.optOut.enabled"),
])
def test_an_unknown_path_is_refused_naming_the_closest_known_one(text, named):
    with pytest.raises(FieldError) as caught:
        parse_fields(text)
    assert f"did you mean {named}?" in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text", ["", " , ", "settings..optOut", "settings.rateLimit.x", "a b"])
def test_what_is_not_a_field_list_is_refused(text):
    with pytest.raises(FieldError):
        parse_fields(text)


def test_a_path_the_models_do_not_know_is_fine_when_a_number_holds_it():
    assert parse_fields("tags", held={"tags"}.__contains__) == ("tags",)
    with pytest.raises(FieldError, match="no number holds it"):
        parse_fields("tags", held=set().__contains__)


def test_field_value_reads_the_document_as_sent():
    assert field_value(DOC, "status") == "Active"
    assert field_value(DOC, "userId") is None                     # null is not absent
    assert field_value(DOC, "email") is ABSENT
    assert field_value(DOC, "settings.optOut.enabled") is False
    assert field_value(DOC, "settings.optIn.enabled") is ABSENT
    assert field_value(DOC, "settings.autoForward.emailAddresses") == ["a@x.test", "b@x.test"]
    assert field_value({"number": "+1415"}, "phoneNumber") == "+1415"   # the older field name


def test_field_text():
    assert [field_text(v) for v in (ABSENT, None, True, False, 3, 1.5, "a\tb")] == \
        ["", "", "yes", "no", "3", "1.5", "a\tb"]
    assert field_text({"a": [1, "é"]}) == '{"a": [1, "é"]}'


def test_headings_are_the_lists_titles_for_its_columns_and_the_path_otherwise():
    assert [field_heading(p) for p in ("phoneNumber", "billingPlanName", "settings.optOut.enabled")] == \
        ["NUMBER", "PLAN", "settings.optOut.enabled"]


def test_needs_detail_for_settings_paths_only():
    assert needs_detail(("status", "settings.optOut.enabled"))
    assert needs_detail(("settings",))
    assert not needs_detail(DEFAULT_FIELDS + ("owner.name",))


def test_pick_nests_the_named_paths_as_on_the_wire_and_leaves_the_document_alone():
    picked = pick(DOC, ("phoneNumber", "settings.optOut.enabled", "settings.rateLimit", "email", "userId"))
    assert picked == {"phoneNumber": "+14155550100", "userId": None,
                      "settings": {"optOut": {"enabled": False}, "rateLimit": 3}}
    both = pick(DOC, ("settings.optOut", "settings.optOut.enabled"))
    assert both == {"settings": {"optOut": {"enabled": False, "text": "STOP"}}}
    assert DOC["settings"]["optOut"] == {"enabled": False, "text": "STOP"}   # not changed through the copy
