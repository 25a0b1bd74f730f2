"""The sandbox's own request rules, written from the vendor's guide, in plain Python over the JSON body.

They are deliberately independent of actui's client models (`actui.api.*_models`, `actui.api.outgoing`):
if the client's rules are wrong, a request the guide rules out must still be refused here, and one it
allows must pass.

Only what a request sends is judged. A PUT is checked field by field over its body; the stored document
matters only where a rule spans two fields and the PUT touches one of them (an `endDate` before the
stored `startDate`, clearing the `campaignId` of an A2P number). Odd values a real server may already
hold (a `billingPlanName` of "P2P Legacy", a `periodicCron` of "@daily", an unknown status word) never
block a PUT that leaves them alone.

`check_update(body, stored)` and `check_order(body)` raise `Refused`, whose `problems` name each field by
its wire path (`settings.optOut.periodicCron`, `phoneNumbers[2].brandId`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

PLATFORM_TYPES = ("TeamsIndividual", "TeamsChannel", "WebexSpace", "RingCentral", "Zoom")
PROVISION_TYPES = ("SMS", "MMS", "SMSMMS")
PROVISION_CLASSES = ("P2P", "A2P")
ACTIONS = ("Provision", "Unprovision")
BILLING_PLAN_NAMES = ("250", "500", "1000", "2000", "Pooled", "Volume Pricing")
# The guide: "P2P250, P2P500, P2P1000, P2P2000, P2PPooled, A2P250, etc." - the same tiers for A2P.
PLAN_TIERS = ("250", "500", "1000", "2000", "Pooled")
BILLING_PLANS = tuple(f"{cls}{tier}" for cls in PROVISION_CLASSES for tier in PLAN_TIERS)

UPDATABLE = ("userId", "platformType", "description", "externalId", "campaignId", "brandId", "loaUrl",
             "isActivated", "isMMSEnabled", "billingPlanName", "settings")
# The guide: "Owner, BillableOwner, Provider, Number (phone number), and Microsoft tenant information".
IMMUTABLE = ("phoneNumber", "number", "owner", "billableOwner", "provider", "microsoftTenantId",
             "microsoftTenant", "microsoftTenantInfo")
# What the server itself sets: reported as such rather than as an unknown field.
SERVER_SET = ("phoneNumberId", "friendlyName", "status", "provisionType", "provisionClass", "capabilities",
              "createdAt", "activatedAt")

_STRING, _BOOL, _INT, _OBJECT, _EMAILS, _DATE, _CRON = "string", "bool", "int", "object", "emails", "date", "cron"
# settings section -> key -> kind. Unknown sections and unknown keys are kept as sent (the guide's objects
# carry more than it lists), but a documented key must hold its documented type.
SETTINGS: dict[str, dict[str, Any]] = {
    "notifications": {"enableSound": _BOOL, "selectedSound": _STRING,
                      "microsoftTeams": {"enabled": _BOOL, "notificationName": _STRING},
                      "webex": {"enabled": _BOOL}},
    "autoResponse": {"enabled": _BOOL, "message": _STRING, "newThreadsOnly": _BOOL},
    "optIn": {"enabled": _BOOL, "name": _STRING, "text": _STRING, "message": _STRING, "allText": _STRING,
              "allMessage": _STRING},
    "optOut": {"enabled": _BOOL, "text": _STRING, "textResponse": _STRING, "allText": _STRING,
               "allTextResponse": _STRING, "periodicEnabled": _BOOL, "periodicCron": _CRON},
    "autoForward": {"enabled": _BOOL, "emailAddresses": _EMAILS},
    "outOfOffice": {"enabled": _BOOL, "message": _STRING, "startDate": _DATE, "endDate": _DATE},
    "signature": {"enabled": _BOOL, "message": _STRING},
    "aiSettings": {"isEnabled": _BOOL, "responseGenerationContext": _STRING},
}
SETTINGS_SCALARS = {"rateLimit": _INT, "noOutboundTexts": _BOOL}

_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
# An address as mail servers accept it: a dot-atom local part, a dotted domain of letters, digits, hyphens.
_EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class Refused(Exception):
    """A request the guide rules out; `problems` name every bad field."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(map(str, self.problems)))


# --- single values ---------------------------------------------------------------------------------


def number_problem(value: Any, *, valid: bool) -> str | None:
    """None for an E.164 number; `valid` also asks libphonenumber whether the number can exist at all
    (to provision one), else only whether it has a possible length (to look one up)."""
    if not isinstance(value, str) or not _E164.match(value):
        return f"{value!r} is not in E.164 format (e.g. +14155551234)"
    import phonenumbers

    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return f"{value!r} is not a phone number"
    ok = phonenumbers.is_valid_number(parsed) if valid else phonenumbers.is_possible_number(parsed)
    return None if ok else f"{value!r} is not a valid phone number in E.164 format"


def email_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string (an email address)"
    if len(value) > 254 or not _EMAIL.match(value):
        return f"{value!r} is not a valid email address"
    return None


def guid_problem(value: Any) -> str | None:
    if isinstance(value, str) and _GUID.match(value):
        return None
    return f"{value!r} is not a GUID (e.g. 00000000-0000-0000-0000-000000000000)"


def parse_date(value: Any) -> datetime | None:
    """An ISO 8601 date-time (a `Z` or an offset; no zone means UTC), or None when it is not one."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                                                  r"(Z|[+-]\d{2}:?\d{2})?)?$", value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_CRON_FIELDS = (("minute", 0, 59, ()), ("hour", 0, 23, ()), ("day of month", 1, 31, ()),
                ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
                                  "NOV", "DEC")),
                ("day of week", 0, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")))


def cron_problem(value: Any) -> str | None:
    """None for a 5-field cron expression (minute hour day-of-month month day-of-week)."""
    if not isinstance(value, str):
        return "must be a string (a 5-field cron expression)"
    parts = value.split()
    if len(parts) != 5:
        return f"{value!r} is not a 5-field cron expression (minute hour day month weekday, e.g. '0 0 1 * *')"
    for part, (name, low, high, names) in zip(parts, _CRON_FIELDS, strict=True):
        if not all(_cron_item(item, low, high, names) for item in part.split(",")):
            return f"{value!r} is not a valid cron expression ({name} {part!r})"
    return None


def _cron_item(item: str, low: int, high: int, names: tuple[str, ...]) -> bool:
    base, slash, step = item.partition("/")
    if slash and not (step.isdigit() and int(step) >= 1):
        return False
    if base == "*":
        return True

    def value(text: str) -> int | None:
        if text.isdigit():
            return int(text) if low <= int(text) <= high else None
        upper = text.upper()
        if upper in names:
            return names.index(upper) + (1 if low == 1 else 0)
        return None

    first, dash, last = base.partition("-")
    start, end = value(first), value(last) if dash else None
    if start is None or (dash and (end is None or end < start)):
        return False
    return True


# --- documents ---------------------------------------------------------------------------------------


def _check_kind(kind: Any, value: Any, field: str, problems: list[Problem]) -> None:
    """One value against its documented kind; null clears a value and is always allowed."""
    if value is None:
        return
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            problems.append(Problem(field, "must be an object"))
            return
        for key, sub in value.items():
            if key in kind:
                _check_kind(kind[key], sub, f"{field}.{key}", problems)
        return
    message = None
    if kind == _STRING and not isinstance(value, str):
        message = "must be a string"
    elif kind == _BOOL and not isinstance(value, bool):
        message = "must be true or false"
    elif kind == _INT:
        if isinstance(value, bool) or not isinstance(value, int):
            message = "must be a non-negative integer"
        elif value < 0:
            message = "must be a non-negative integer"
    elif kind == _DATE and parse_date(value) is None:
        message = f"{value!r} is not an ISO 8601 date-time (e.g. 2025-01-15T00:00:00Z)"
    elif kind == _CRON:
        message = cron_problem(value)
    elif kind == _EMAILS:
        if not isinstance(value, list):
            message = "must be a list of email addresses"
        else:
            for index, address in enumerate(value):
                problem = email_problem(address)
                if problem:
                    problems.append(Problem(f"{field}[{index}]", problem))
    if message:
        problems.append(Problem(field, message))


def settings_problems(settings: Any, field: str = "settings") -> list[Problem]:
    problems: list[Problem] = []
    if settings is None:
        return problems
    if not isinstance(settings, dict):
        return [Problem(field, "must be an object")]
    for key, value in settings.items():
        kind = SETTINGS.get(key) or SETTINGS_SCALARS.get(key)
        if kind is not None:
            _check_kind(kind, value, f"{field}.{key}", problems)
    return problems


def _enum(value: Any, allowed: tuple[str, ...]) -> str | None:
    if value in allowed:
        return None
    return f"{value!r} must be one of {', '.join(allowed)}"


def check_update(body: dict[str, Any], stored: dict[str, Any]) -> None:
    """A PUT body against the guide's updatable fields; `stored` is the number as it is now."""
    problems: list[Problem] = []
    for key, value in body.items():
        if key in IMMUTABLE:
            problems.append(Problem(key, "cannot be changed after provisioning"))
        elif key in SERVER_SET:
            problems.append(Problem(key, "is set by the server and cannot be changed"))
        elif key not in UPDATABLE:
            problems.append(Problem(key, f"not an updatable field (updatable: {', '.join(UPDATABLE)})"))
        elif key == "settings":
            problems += settings_problems(value)
        elif value is None:
            continue
        elif key in ("isActivated", "isMMSEnabled"):
            if not isinstance(value, bool):
                problems.append(Problem(key, "must be true or false"))
        elif not isinstance(value, str):
            problems.append(Problem(key, "must be a string"))
        elif key == "platformType" and value not in PLATFORM_TYPES:
            problems.append(Problem(key, _enum(value, PLATFORM_TYPES)))
        elif key == "billingPlanName" and value not in BILLING_PLAN_NAMES:
            problems.append(Problem(key, _enum(value, BILLING_PLAN_NAMES)))
    if stored.get("provisionClass") == "A2P":
        for key in ("campaignId", "brandId"):
            if key in body and not body[key]:
                problems.append(Problem(key, "required for A2P numbers (the 10DLC registration)"))
    problems += _date_order(body, stored)
    if problems:
        raise Refused(problems)


def _date_order(body: dict[str, Any], stored: dict[str, Any]) -> list[Problem]:
    """endDate after startDate, when the PUT sends either and both (merged) are dates."""
    sent = (body.get("settings") or {}).get("outOfOffice") if isinstance(body.get("settings"), dict) else None
    if not isinstance(sent, dict) or not ({"startDate", "endDate"} & set(sent)):
        return []
    kept = (stored.get("settings") or {}).get("outOfOffice") or {}
    kept = kept if isinstance(kept, dict) else {}
    start = parse_date(sent["startDate"] if "startDate" in sent else kept.get("startDate"))
    end = parse_date(sent["endDate"] if "endDate" in sent else kept.get("endDate"))
    if start and end and end <= start:
        if "endDate" in sent:
            return [Problem("settings.outOfOffice.endDate", "must be after startDate")]
        return [Problem("settings.outOfOffice.startDate", "must be before endDate")]
    return []


def check_order(body: dict[str, Any]) -> None:
    """A provision or unprovision request (POST /phone-numbers/provision)."""
    problems: list[Problem] = []
    action = body.get("action")
    if action not in ACTIONS:
        problems.append(Problem("action", _enum(action, ACTIONS) if action is not None else "required"))
    if "tenantId" not in body:
        problems.append(Problem("tenantId", "required (a GUID)"))
    elif guid_problem(body["tenantId"]):
        problems.append(Problem("tenantId", guid_problem(body["tenantId"])))
    entries = body.get("phoneNumbers")
    if not isinstance(entries, list) or not entries:
        problems.append(Problem("phoneNumbers", "must be a list of at least 1 phone number object"))
        entries = []
    for index, entry in enumerate(entries):
        problems += _entry_problems(entry, f"phoneNumbers[{index}]", provision=action != "Unprovision")
    if problems:
        raise Refused(problems)


def _entry_problems(entry: Any, at: str, *, provision: bool) -> list[Problem]:
    if not isinstance(entry, dict):
        return [Problem(at, "must be a phone number object")]
    problems: list[Problem] = []
    problem = number_problem(entry.get("number"), valid=provision) if "number" in entry else "required"
    if problem:
        problems.append(Problem(f"{at}.number", problem))
    if not provision:
        return problems
    for key in ("description", "domain", "loaUrl", "campaignId", "brandId"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            problems.append(Problem(f"{at}.{key}", "must be a string"))
    if entry.get("email") is not None and email_problem(entry["email"]):
        problems.append(Problem(f"{at}.email", email_problem(entry["email"])))
    if entry.get("platformType") is not None and entry["platformType"] not in PLATFORM_TYPES:
        problems.append(Problem(f"{at}.platformType", _enum(entry["platformType"], PLATFORM_TYPES)))
    feature = entry.get("messagingFeature")
    provision_class = None
    if feature is None:
        problems.append(Problem(f"{at}.messagingFeature", "required to provision (provisionType, provisionClass)"))
    elif not isinstance(feature, dict):
        problems.append(Problem(f"{at}.messagingFeature", "must be an object"))
    else:
        for key, allowed in (("provisionType", PROVISION_TYPES), ("provisionClass", PROVISION_CLASSES)):
            if feature.get(key) not in allowed:
                problems.append(Problem(f"{at}.messagingFeature.{key}", _enum(feature.get(key), allowed)))
        provision_class = feature.get("provisionClass")
    if provision_class == "A2P":
        for key in ("campaignId", "brandId"):
            if not entry.get(key):
                problems.append(Problem(f"{at}.{key}", "required for A2P numbers"))
    plan = entry.get("billingPlan")
    if plan is not None:
        if plan not in BILLING_PLANS:
            problems.append(Problem(f"{at}.billingPlan", _enum(plan, BILLING_PLANS)))
        elif provision_class in PROVISION_CLASSES and not plan.startswith(provision_class):
            problems.append(Problem(f"{at}.billingPlan", f"{plan} is not a {provision_class} plan"))
    problems += settings_problems(entry.get("settings"), f"{at}.settings")
    return problems

