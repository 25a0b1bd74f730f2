import typing

import pytest
from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from actui.api.number_models import PhoneNumberUpdate
from actui.api.settings_models import Settings
from actui.api.vocabulary import BILLING_PLAN_NAMES, PLATFORM_TYPES
from actui.core.form_spec import KINDS, field_spec, form_fields, sections, unknown_paths


def model_leaves(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every leaf field of a model as a dotted wire path, found independently of form_spec."""
    out = []
    for name, info in model.model_fields.items():
        path = prefix + (info.alias or to_camel(name))
        nested = [a for a in typing.get_args(info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        out += model_leaves(nested[0], path + ".") if nested else [path]
    return out


def test_every_model_leaf_is_a_form_field_exactly_once():
    paths = [spec.path for spec in form_fields()]
    assert sorted(paths) == sorted(model_leaves(PhoneNumberUpdate))
    assert len(paths) == len(set(paths))
    settings = [p for p in paths if p.startswith("settings.")]
    assert sorted(settings) == sorted("settings." + p for p in model_leaves(Settings))


def test_fields_follow_the_guides_order():
    paths = [spec.path for spec in form_fields()]
    assert paths[:10] == ["userId", "platformType", "description", "externalId", "campaignId", "brandId",
                          "loaUrl", "isActivated", "isMMSEnabled", "billingPlanName"]
    assert paths[-2:] == ["settings.rateLimit", "settings.noOutboundTexts"]
    assert [title for title, _ in sections()] == [
        "Number", "Notifications", "Notifications · Microsoft Teams", "Notifications · Webex",
        "Auto-response", "Opt-in", "Opt-out", "Auto-forward", "Out of office", "Signature", "AI settings",
        "Limits",
    ]
    grouped = [spec for _, specs in sections() for spec in specs]
    assert grouped == form_fields()


@pytest.mark.parametrize("path, label, section, kind", [
    ("settings.optOut.periodicCron", "Periodic cron", "Opt-out", "cron"),
    ("settings.autoResponse.newThreadsOnly", "New threads only", "Auto-response", "bool"),
    ("isMMSEnabled", "MMS enabled", "Number", "bool"),
    ("billingPlanName", "Billing plan", "Number", "enum"),
    ("loaUrl", "LOA URL", "Number", "text"),
    ("settings.notifications.microsoftTeams.notificationName", "Notification",
     "Notifications · Microsoft Teams", "text"),
    ("settings.rateLimit", "Rate limit", "Limits", "int"),
    ("settings.outOfOffice.startDate", "Start date", "Out of office", "datetime"),
    ("settings.autoForward.emailAddresses", "Email addresses", "Auto-forward", "email_list"),
    ("settings.signature.message", "Message", "Signature", "multiline"),
    ("settings.aiSettings.responseGenerationContext", "Response context", "AI settings", "multiline"),
    ("settings.aiSettings.isEnabled", "Enabled", "AI settings", "bool"),
])
def test_labels_sections_and_kinds(path, label, section, kind):
    spec = field_spec(path)
    assert (spec.label, spec.section, spec.kind) == (label, section, kind)


def test_enum_options_come_from_the_literal_types():
    assert field_spec("platformType").options == PLATFORM_TYPES
    assert field_spec("billingPlanName").options == BILLING_PLAN_NAMES
    assert all(not s.options for s in form_fields() if s.kind != "enum")


def test_every_field_has_help_and_a_known_kind():
    for spec in form_fields():
        assert spec.kind in KINDS
        assert spec.help and "\n" not in spec.help and spec.label


def test_sms_messages_and_keywords_are_flagged():
    sms = {s.path for s in form_fields() if s.sms_message}
    assert sms == {"settings.autoResponse.message", "settings.optIn.message", "settings.optIn.allMessage",
                   "settings.optOut.textResponse", "settings.optOut.allTextResponse",
                   "settings.outOfOffice.message", "settings.signature.message"}
    keywords = {s.path for s in form_fields() if s.keyword}
    assert keywords == {"settings.optIn.text", "settings.optIn.allText", "settings.optOut.text",
                        "settings.optOut.allText"}
    assert all(s.kind == "multiline" for s in form_fields() if s.sms_message)


def test_unknown_paths_lists_what_the_form_does_not_cover():
    document = {
        "phoneNumber": "+14155551234", "status": "Active", "friendlyName": "(415) 555-1234",
        "description": "x", "vendorFlag": True,
        "settings": {
            "rateLimit": 5, "businessHours": {"open": 9},
            "optOut": {"text": "STOP", "keywordLanguage": "en"},
            "notifications": {"microsoftTeams": {"enabled": True, "channel": "general"}, "webex": None},
        },
    }
    assert unknown_paths(document) == ["vendorFlag", "settings.businessHours", "settings.optOut.keywordLanguage",
                                       "settings.notifications.microsoftTeams.channel"]
    assert unknown_paths({"description": "x", "settings": None}) == []
