"""The number editor's form, generated from PhoneNumberUpdate so the form and the model cannot drift.

Kinds and options come from the annotations (bool, int, Literal, list[str], datetime); the tables below
hold only what a type cannot say: multiline and cron fields and the one-line help (from the guide).
Labels and section titles come from core.field_catalogue, shared with the detail. A model field without
help fails a test.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel
from pydantic.alias_generators import to_camel

from ..api.number_models import PhoneNumber, PhoneNumberUpdate
from .field_catalogue import label, section_title
from .fieldpaths import annotation_options, model_in

KINDS = ("bool", "enum", "text", "multiline", "int", "datetime", "email_list", "cron")


@dataclass(frozen=True)
class FormField:
    path: str            # wire path, dotted: settings.optOut.periodicCron
    label: str
    section: str
    kind: str            # one of KINDS
    options: tuple[str, ...] = ()
    help: str = ""
    sms_message: bool = False   # sent to contacts as an SMS: show its segment count
    keyword: bool = False       # an opt-in/opt-out keyword contacts text in

    @property
    def parent(self) -> str:
        """The dotted path of the object holding this field ('' for top-level fields)."""
        return self.path.rpartition(".")[0]

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]


_S = "settings."
_MULTILINE = {f"{_S}{p}" for p in (
    "autoResponse.message", "optIn.message", "optIn.allMessage", "optOut.textResponse",
    "optOut.allTextResponse", "outOfOffice.message", "signature.message", "aiSettings.responseGenerationContext",
)}
_CRON = {f"{_S}optOut.periodicCron"}
_SMS = _MULTILINE - {f"{_S}aiSettings.responseGenerationContext"}
_KEYWORDS = {f"{_S}{p}" for p in ("optIn.text", "optIn.allText", "optOut.text", "optOut.allText")}

_HELP = {
    "userId": "User ID or email the number is assigned to",
    "platformType": "Messaging platform the number is used with",
    "description": "Description of the phone number",
    "externalId": "External ID for your own tracking",
    "campaignId": "10DLC campaign ID (A2P numbers)",
    "brandId": "10DLC brand ID (A2P numbers)",
    "loaUrl": "URL of the LOA document (from uploading the LOA)",
    "isActivated": "Whether the phone number is activated",
    "isMMSEnabled": "Whether MMS (picture messages) is enabled",
    "billingPlanName": "Billing plan: 250, 500, 1000, 2000, Pooled or Volume Pricing",
    f"{_S}notifications.enableSound": "Play a sound when a message arrives",
    f"{_S}notifications.selectedSound": "Sound to play, e.g. chime.mp3",
    f"{_S}notifications.microsoftTeams.enabled": "Send new-message notifications to Microsoft Teams",
    f"{_S}notifications.microsoftTeams.notificationName": "Name shown on the Teams notification",
    f"{_S}notifications.webex.enabled": "Send new-message notifications to Webex",
    f"{_S}autoResponse.enabled": "Reply automatically to incoming texts",
    f"{_S}autoResponse.message": "Text sent as the automatic reply",
    f"{_S}autoResponse.newThreadsOnly": "Reply only to the first message of a new conversation",
    f"{_S}optIn.enabled": "Let contacts opt in by texting a keyword",
    f"{_S}optIn.name": "Name of what contacts opt in to, e.g. Marketing Updates",
    f"{_S}optIn.text": "Keyword a contact texts to opt in, e.g. START",
    f"{_S}optIn.message": "Reply sent when a contact opts in",
    f"{_S}optIn.allText": "Keyword to opt in to all communications, e.g. START ALL",
    f"{_S}optIn.allMessage": "Reply sent when a contact opts in to all communications",
    f"{_S}optOut.enabled": "Let contacts opt out by texting a keyword",
    f"{_S}optOut.text": "Keyword a contact texts to opt out, e.g. STOP",
    f"{_S}optOut.textResponse": "Reply sent when a contact opts out",
    f"{_S}optOut.allText": "Keyword to be removed from all lists, e.g. STOP ALL",
    f"{_S}optOut.allTextResponse": "Reply sent when a contact is removed from all lists",
    f"{_S}optOut.periodicEnabled": "Run the periodic opt-out on the schedule below",
    f"{_S}optOut.periodicCron": "Schedule of the periodic opt-out: minute hour day month weekday, e.g. 0 0 1 * *",
    f"{_S}autoForward.enabled": "Forward incoming texts by email",
    f"{_S}autoForward.emailAddresses": "Email addresses incoming texts are forwarded to",
    f"{_S}outOfOffice.enabled": "Send an out-of-office reply between the start and end dates",
    f"{_S}outOfOffice.message": "Text sent as the out-of-office reply",
    f"{_S}outOfOffice.startDate": "When the out-of-office period starts (ISO 8601, e.g. 2025-01-15T00:00:00Z)",
    f"{_S}outOfOffice.endDate": "When the out-of-office period ends; after the start",
    f"{_S}signature.enabled": "Add a signature to outgoing texts",
    f"{_S}signature.message": "The signature; may span several lines",
    f"{_S}aiSettings.isEnabled": "Let AI generate responses",
    f"{_S}aiSettings.responseGenerationContext": "Instructions the AI follows when it writes a response",
    f"{_S}rateLimit": "Rate limit for texts from this number (a whole number, 0 or more)",
    f"{_S}noOutboundTexts": "Block all outgoing texts from this number",
}


@lru_cache(maxsize=1)
def _fields() -> tuple[FormField, ...]:
    return tuple(_walk(PhoneNumberUpdate, "", "Number"))


def form_fields() -> list[FormField]:
    """Every field the editor shows, in the guide's order."""
    return list(_fields())


def sections() -> list[tuple[str, list[FormField]]]:
    """The fields grouped by section title, sections in order of first appearance."""
    groups: dict[str, list[FormField]] = {}
    for spec in _fields():
        groups.setdefault(spec.section, []).append(spec)
    return list(groups.items())


@lru_cache(maxsize=1)
def by_path() -> Mapping[str, FormField]:
    return types.MappingProxyType({spec.path: spec for spec in _fields()})


def field_spec(path: str) -> FormField | None:
    return by_path().get(path)


def unknown_paths(document: Mapping[str, Any]) -> list[str]:
    """Dotted paths in a number's document (top level and settings) that no form field covers.

    Reported at the first unknown key: an unknown object is one path, shown and kept whole by the editor.
    Read-only fields the guide documents (phoneNumber, status, ...) are not unknown.
    """
    known = by_path()
    containers = {spec.path.rsplit(".", i)[0] for spec in _fields() for i in range(1, spec.path.count(".") + 1)}
    read_only = _documented_top_level()
    out: list[str] = []

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            path = f"{prefix}{key}"
            if path in known:
                continue
            if path in containers:
                if isinstance(value, Mapping):
                    walk(value, path + ".")
                continue
            if not prefix and key in read_only:
                continue
            out.append(path)

    walk(document, "")
    return out


# --- generation -----------------------------------------------------------------------------------


def _walk(model: type[BaseModel], prefix: str, section: str) -> list[FormField]:
    scalars: list[FormField] = []
    nested: list[FormField] = []
    for name, info in model.model_fields.items():
        wire = info.alias or to_camel(name)
        path = prefix + wire
        sub = model_in(info.annotation)
        if sub is None:
            scalars.append(_spec(path, info.annotation, section))
            continue
        own = section_title(wire)
        title = own if prefix in ("", "settings.") else f"{section} · {own}"
        nested.extend(_walk(sub, path + ".", title))
    # A section's own fields come before its subsections (notifications before Teams), except in
    # settings, where the guide lists rateLimit and noOutboundTexts after every section.
    return nested + scalars if prefix == "settings." else scalars + nested


def _spec(path: str, annotation: Any, section: str) -> FormField:
    kind, options = _kind(path, annotation)
    if path not in _HELP:
        raise LookupError(f"form_spec: no help text for {path}; add it to _HELP")
    return FormField(
        path=path,
        label=label(path),
        section=section,
        kind=kind,
        options=options,
        help=_HELP[path],
        sms_message=path in _SMS,
        keyword=path in _KEYWORDS,
    )


def _kind(path: str, annotation: Any) -> tuple[str, tuple[str, ...]]:
    if path in _MULTILINE:
        return "multiline", ()
    if path in _CRON:
        return "cron", ()
    options = annotation_options(annotation)
    for option in options:
        if typing.get_origin(option) is Literal:
            return "enum", tuple(str(a) for a in typing.get_args(option))
    for python_type, kind in ((bool, "bool"), (int, "int"), (datetime, "datetime")):
        if python_type in options:
            return kind, ()
    if any(typing.get_origin(o) is list and typing.get_args(o) == (str,) for o in options):
        return "email_list", ()   # the only list of text in the guide: autoForward.emailAddresses
    if str in options:
        return "text", ()
    raise TypeError(f"form_spec: no form kind for {path} ({annotation!r}); extend _kind")


@lru_cache(maxsize=1)
def _documented_top_level() -> frozenset[str]:
    names: set[str] = set()
    for name, info in PhoneNumber.model_fields.items():
        names.add(info.alias or to_camel(name))
        if isinstance(info.validation_alias, AliasChoices):
            names.update(c for c in info.validation_alias.choices if isinstance(c, str))
    return frozenset(names)
