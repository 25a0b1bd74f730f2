"""Odd-but-real data: values a real server may hold although no request could set them today.

`SandboxServer(..., odd=True)` / `actui sandbox --odd` stores them once, at fixed 0-based list positions,
over the seeded numbers (their other fields stay as seeded):

    1  billingPlanName "P2P Legacy"                     (not one of the guide's plan names)
    2  settings.optOut.periodicCron "@daily"            (not a 5-field cron expression)
    3  settings.autoForward.emailAddresses ["ops@localhost", ...] and email "ops@localhost"
                                                        (no dot in the domain: validators refuse it)
    4  unknown fields: top level, in settings, and inside settings.optOut
    5  status "Porting"                                 (a status word the guide does not list)
    6  settings.rateLimit "unlimited", settings.noOutboundTexts "no"   (wrongly typed)

A PUT that leaves these fields alone must succeed (the sandbox judges only what a request sends), so a
client can save an unrelated edit of any of these numbers.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

ODD_EMAIL = "ops@localhost"


def _plan(doc: dict[str, Any]) -> None:
    doc["billingPlanName"] = "P2P Legacy"


def _cron(doc: dict[str, Any]) -> None:
    opt_out = _section(doc, "optOut")
    opt_out.update(enabled=True, text=opt_out.get("text") or "STOP", periodicEnabled=True, periodicCron="@daily")


def _email(doc: dict[str, Any]) -> None:
    doc["email"] = ODD_EMAIL
    forward = _section(doc, "autoForward")
    forward["enabled"] = True
    forward["emailAddresses"] = [ODD_EMAIL, *(forward.get("emailAddresses") or [])[:1]]


def _unknown(doc: dict[str, Any]) -> None:
    doc["legacyRouting"] = {"trunk": "sip-7", "weights": [70, 30]}
    doc["portedFrom"] = "Legacy Carrier Inc."
    doc.setdefault("settings", {})["smsGateway"] = {"region": "us-west-2", "failover": True}
    _section(doc, "optOut")["keywordMatch"] = "exact"


def _status(doc: dict[str, Any]) -> None:
    doc["status"] = "Porting"
    doc["isActivated"] = True


def _types(doc: dict[str, Any]) -> None:
    settings = doc.setdefault("settings", {})
    settings["rateLimit"] = "unlimited"
    settings["noOutboundTexts"] = "no"


def _section(doc: dict[str, Any], name: str) -> dict[str, Any]:
    settings = doc.get("settings")
    if not isinstance(settings, dict):
        settings = doc["settings"] = {}
    section = settings.get(name)
    if not isinstance(section, dict):
        section = settings[name] = {}
    return section


ODD_POSITIONS: dict[int, Callable[[dict[str, Any]], None]] = {
    1: _plan, 2: _cron, 3: _email, 4: _unknown, 5: _status, 6: _types,
}


def odd_copy(position: int, doc: dict[str, Any]) -> dict[str, Any]:
    """The odd version of the number at this list position (a copy; `doc` is left alone)."""
    odd = copy.deepcopy(doc)
    ODD_POSITIONS[position](odd)
    return odd


def seed_odd(state: Any) -> list[str]:
    """Store the odd values over the numbers at ODD_POSITIONS (once per database); the numbers changed."""
    if state.meta().get("odd") == "1":
        return []
    numbers = state.numbers()
    changed = []
    for position in ODD_POSITIONS:
        if position < len(numbers):
            state.put_raw(odd_copy(position, state.detail(numbers[position])))
            changed.append(numbers[position])
    state.set_meta("odd", "1")
    return changed
