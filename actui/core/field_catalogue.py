"""What every field and settings section is called, in words: one table for the detail, the editor's
form and anything else that labels a field.

`label(path)` takes a dotted wire path (`settings.optOut.textResponse`) and gives its label ("Reply");
a field without an entry is named from its wire name ("newThreadsOnly" -> "New threads only").
`section_title(wire)` names a settings section by its own wire name ("optOut" -> "Opt-out").
`label_in_parent(path)` is the label of a field shown inside its parent's section rather than its own
("Teams enabled" for notifications.microsoftTeams.enabled, listed under Notifications).
"""

from __future__ import annotations

import re

_S = "settings."

# Only the labels a wire name does not give by itself (see `words`).
_LABELS: dict[str, str] = {
    # top level
    "phoneNumber": "Number",
    "number": "Number (number)",
    "phoneNumberId": "Number ID",
    "userId": "User",   # an ID or an email (the guide)
    "platformType": "Platform",
    "billingPlanName": "Billing plan",
    "provisionClass": "Class",
    "provisionType": "Type",
    "isActivated": "Activated",
    "createdAt": "Created",
    "activatedAt": "Activated",
    # settings
    f"{_S}notifications.enableSound": "Sound",
    f"{_S}notifications.selectedSound": "Sound file",
    f"{_S}notifications.microsoftTeams.notificationName": "Notification",  # "Teams notification" in the detail
    f"{_S}optIn.name": "List name",
    f"{_S}optIn.text": "Keyword",
    f"{_S}optIn.message": "Reply",
    f"{_S}optIn.allText": "Keyword for all",
    f"{_S}optIn.allMessage": "Reply for all",
    f"{_S}optOut.text": "Keyword",
    f"{_S}optOut.textResponse": "Reply",
    f"{_S}optOut.allText": "Keyword for all",
    f"{_S}optOut.allTextResponse": "Reply for all",
    f"{_S}optOut.periodicEnabled": "Periodic opt-out",
    f"{_S}aiSettings.isEnabled": "Enabled",
    f"{_S}aiSettings.responseGenerationContext": "Response context",
}

# Settings sections by their own wire name; "settings" holds the scalars at its top: rateLimit and
# noOutboundTexts.
_SECTIONS: dict[str, str] = {
    "": "Number",
    "settings": "Limits",
    "notifications": "Notifications",
    "microsoftTeams": "Microsoft Teams",
    "webex": "Webex",
    "autoResponse": "Auto-response",
    "optIn": "Opt-in",
    "optOut": "Opt-out",
    "autoForward": "Auto-forward",
    "outOfOffice": "Out of office",
    "signature": "Signature",
    "aiSettings": "AI settings",
}

# How a nested object names its fields when they are listed in its parent's section.
_SHORT_SECTIONS: dict[str, str] = {"microsoftTeams": "Teams"}

_ACRONYMS = {"id": "ID", "url": "URL", "loa": "LOA", "mms": "MMS", "sms": "SMS", "ai": "AI"}


def label(path: str) -> str:
    """The field at dotted wire `path` in words."""
    return _LABELS.get(path) or camel_words(path.rpartition(".")[2])


def label_in_parent(path: str) -> str:
    """The label of a field of a nested object shown as a row of the section holding that object:
    'notifications.microsoftTeams.enabled' -> 'Teams enabled'."""
    parent = path.rpartition(".")[0].rpartition(".")[2]
    own = label(path)
    return f"{_SHORT_SECTIONS.get(parent) or section_title(parent)} {own[:1].lower()}{own[1:]}"


def section_title(wire: str) -> str:
    """A settings section (or nested object) by its own wire name: 'optOut' -> 'Opt-out'."""
    return _SECTIONS.get(wire) or camel_words(wire)


def camel_words(camel: str) -> str:
    """'newThreadsOnly' -> 'New threads only', 'isMMSEnabled' -> 'MMS enabled', 'loaUrl' -> 'LOA URL'."""
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", camel)
    if not parts:
        return camel
    if len(parts) > 1 and parts[0] == "is":
        parts = parts[1:]
    out = [_ACRONYMS.get(p.lower(), p if p.isupper() else p.lower()) for p in parts]
    first = out[0]
    out[0] = first if first.isupper() else first.capitalize()
    return " ".join(out)
