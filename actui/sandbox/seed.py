"""Deterministic, realistic seed inventory for the sandbox.

`generate(count, seed)` yields one detail document per number, in insertion order. The same
(count, seed) always gives the same documents: everything comes from `random.Random(seed)` and fixed
timestamps before BASE (2025-01-01T00:00:00Z), never from the clock.

Numbers are `+1{area}555{xxxx}` over 20 real US area codes; subscriber numbers 0100-0199 are never
seeded (the sandbox reserves them for orders that fail). The first number is a showcase: every
settings section filled in, plus fields the guide does not list.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from random import Random
from typing import Any

from ..api.phone import friendly
from .rules import PLATFORM_TYPES

BASE_EPOCH = 1735689600  # 2025-01-01T00:00:00Z
SPAN_SECONDS = 400 * 86400  # seeded numbers were created over the 400 days before BASE

# area code -> city, for descriptions
AREA_CODES: dict[str, str] = {
    "212": "New York", "213": "Los Angeles", "305": "Miami", "312": "Chicago", "415": "San Francisco",
    "469": "Dallas", "503": "Portland", "512": "Austin", "602": "Phoenix", "617": "Boston",
    "702": "Las Vegas", "713": "Houston", "720": "Denver", "404": "Atlanta", "206": "Seattle",
    "615": "Nashville", "704": "Charlotte", "858": "San Diego", "310": "Santa Monica", "314": "St. Louis",
}
_AREAS = tuple(AREA_CODES)
# subscriber numbers 0000-9999 except 0100-0199
_SUBSCRIBERS_PER_AREA = 9900
MAX_NUMBERS = len(_AREAS) * _SUBSCRIBERS_PER_AREA

UNKNOWN_STATUS_WORDS = ("Suspended", "PendingPortOut")


@dataclass(frozen=True)
class Company:
    name: str
    domain: str
    brand_id: str
    campaign_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "tenant_id", str(uuid.uuid5(uuid.NAMESPACE_DNS, self.domain)))


COMPANIES = (
    Company("Acme Corp", "acme.example.com", "B9X8Y7Z", ("C1A2B3C", "C4D5E6F")),
    Company("Northwind Traders", "northwind.example.com", "B7K2M4Q", ("C8H3J5L", "C2P9R6T")),
    Company("Contoso Health", "contoso.example.com", "B3N6V8W", ("C5W1X7Y",)),
    Company("Globex Logistics", "globex.example.com", "B4F7G2H", ("C9Q4S8U", "C6T3V1Z")),
    Company("Initech Finance", "initech.example.com", "B2D5E8R", ("C7M2N4P",)),
)

# (display name, local part of the address)
PEOPLE = (
    ("Maria Garcia", "maria.garcia"), ("James Smith", "james.smith"), ("Aisha Khan", "aisha.khan"),
    ("Wei Chen", "wei.chen"), ("José Núñez", "jose.nunez"), ("Priya Patel", "priya.patel"),
    ("Liam O'Connor", "liam.oconnor"), ("Sofia Rossi", "sofia.rossi"), ("Noah Williams", "noah.williams"),
    ("Emma Johnson", "emma.johnson"), ("Kenji Tanaka", "kenji.tanaka"), ("Fatima Al-Sayed", "fatima.alsayed"),
)

# (description, role mailbox)
P2P_USES = (
    ("Customer Support - Primary Line", "support"), ("Customer Support - Overflow", "support"),
    ("Sales West", "sales"), ("Sales East", "sales"), ("Billing Inquiries", "billing"),
    ("Front Desk", "frontdesk"), ("IT Helpdesk", "helpdesk"), ("Dispatch", "dispatch"),
    ("Recruiting", "careers"), ("[VIP] Executive Line", "exec"),
)
A2P_USES = (
    ("Appointment Reminders", "notifications"), ("Order Notifications", "orders"),
    ("Marketing Alerts", "marketing"), ("Two-Factor Codes", "security"), ("Delivery Updates", "logistics"),
)
P2P_PLANS = ("250", "500", "500", "1000", "2000", "Pooled")
A2P_PLANS = ("250", "1000", "2000", "Volume Pricing", "Volume Pricing")
PROVIDERS = ("Approved Contact", "Approved Contact", "Approved Contact", "Bandwidth", "Sinch")
SOUNDS = ("chime.mp3", "ding.mp3", "bell.wav", "pop.mp3")
CRONS = ("0 0 1 * *", "0 9 * * 1", "30 8 1 */3 *", "0 12 15 * *")
TAGS = ("support", "sales", "vip", "west", "east", "after-hours", "pilot", "migrated")
TIMEZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
RATE_LIMITS = (0, 100, 250, 500, 1000, 2000)
CAPABILITIES = {"SMS": (True, False), "MMS": (False, True), "SMSMMS": (True, True)}
DEFAULT_PROVIDER = "Approved Contact"


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def is_failing_number(number: str) -> bool:
    """Numbers ending 0100-0199 (555-01xx) always fail to provision in the sandbox."""
    return len(number) >= 4 and number[-4:-2] == "01"


class _Dice:
    """random.Random, trimmed for speed: seeding 100k numbers calls it ~40 times per number."""

    def __init__(self, seed: int):
        self.rng = Random(seed)
        self.random = self.rng.random

    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick(self, seq: tuple | list) -> Any:
        return seq[int(self.random() * len(seq))]

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def generate(count: int, seed: int) -> Iterator[dict[str, Any]]:
    if not 0 <= count <= MAX_NUMBERS:
        raise ValueError(f"numbers: must be between 0 and {MAX_NUMBERS}")
    dice = _Dice(seed)
    picks = dice.rng.sample(range(MAX_NUMBERS), count)
    odd = dict(zip(dice.rng.sample(range(1, count), min(2, max(count - 1, 0))), UNKNOWN_STATUS_WORDS, strict=False))
    # friendly() is exact but slow at 100k; it is called once per area code and the last four
    # digits are spliced in (NANP national format always ends with them).
    templates = {area: friendly(f"+1{area}5550000")[:-4] for area in _AREAS}
    step = SPAN_SECONDS / max(count, 1)
    for i, pick in enumerate(picks):
        area = _AREAS[pick // _SUBSCRIBERS_PER_AREA]
        sub = pick % _SUBSCRIBERS_PER_AREA
        sub = sub if sub < 100 else sub + 100
        created = BASE_EPOCH - SPAN_SECONDS + i * step + dice.random() * step * 0.9
        yield _number(dice, i == 0, area, f"{sub:04d}", templates[area], created, odd.get(i))


# weighted choices, spelled out as repetition (cheaper than Random.choices)
_P2P_TYPES = ("SMS",) * 9 + ("MMS",) * 2 + ("SMSMMS",) * 9
_PLATFORMS = (PLATFORM_TYPES[0],) * 5 + PLATFORM_TYPES[1:] * 2


def _number(dice: _Dice, showcase: bool, area: str, sub: str, template: str, created: float,
            odd_status: str | None) -> dict[str, Any]:
    chance, pick = dice.chance, dice.pick
    company = COMPANIES[0] if showcase else pick(COMPANIES)
    a2p = not showcase and chance(0.3)
    provision_type = pick(("SMS", "SMSMMS")) if a2p else "SMSMMS" if showcase else pick(_P2P_TYPES)
    sms, mms = CAPABILITIES[provision_type]
    platform = "TeamsIndividual" if showcase else pick(_PLATFORMS)
    person, local = PEOPLE[0] if showcase else pick(PEOPLE)
    uses = A2P_USES if a2p else P2P_USES
    use, mailbox = uses[0] if showcase else pick(uses)
    if showcase:
        description = use
    else:
        roll = dice.random()
        description = None if roll < 0.05 else f"{use} ({AREA_CODES[area]})" if roll < 0.3 else use
    email = f"{mailbox}@{company.domain}" if showcase or chance(0.5) else f"{local}@{company.domain}"
    if odd_status:
        status, activated = odd_status, True
    elif not showcase and chance(0.03):
        status, activated = "Inactive", False
    else:
        status, activated = "Active", True
    delay = 3600 + dice.random() * 29 * 3600 if a2p else 20 + dice.random() * 280
    doc: dict[str, Any] = {
        "phoneNumberId": dice.uuid(),
        "phoneNumber": f"+1{area}555{sub}",
        "friendlyName": template + sub,
        "email": email,
        "status": status,
        "provisionType": provision_type,
        "provisionClass": "A2P" if a2p else "P2P",
        "capabilities": {"sms": sms, "mms": mms},
        "createdAt": iso(created),
        "activatedAt": iso(created + delay),
        "userId": f"{local}@{company.domain}",
        "platformType": platform,
        "description": description,
        "externalId": f"CRM-{10000 + int(dice.random() * 90000)}" if showcase or chance(0.4) else None,
        "campaignId": pick(company.campaign_ids) if a2p else None,
        "brandId": company.brand_id if a2p else None,
        "loaUrl": f"https://sandbox.actui.invalid/loa/{dice.uuid()}.pdf" if chance(0.1) else None,
        "isActivated": activated,
        "isMMSEnabled": mms,
        "billingPlanName": pick(A2P_PLANS if a2p else P2P_PLANS),
        "owner": company.name,
        "billableOwner": company.name if chance(0.85) else "Approved Contact Reseller Program",
        "provider": "Approved Contact" if showcase else pick(PROVIDERS),
        "microsoftTenantId": company.tenant_id if platform.startswith("Teams") else None,
    }
    # fields the guide does not list
    if showcase or chance(0.15):
        doc["tags"] = dice.rng.sample(TAGS, 1 + int(dice.random() * 3))
    if showcase or chance(0.08):
        doc["costCenter"] = f"CC-{1000 + int(dice.random() * 9000)}"
    if chance(0.1):
        doc["lastMessageAt"] = iso(BASE_EPOCH - dice.random() * 30 * 86400)
    doc["settings"] = _settings(dice, showcase, company, mailbox, platform, a2p, person)
    return doc


def _settings(dice: _Dice, full: bool, company: Company, mailbox: str, platform: str, a2p: bool,
              person: str) -> dict[str, Any]:
    pick, rand = dice.pick, dice.random

    def some(p: float) -> bool:
        return full or rand() < p

    settings: dict[str, Any] = {}
    if some(0.75):
        notifications: dict[str, Any] = {"enableSound": some(0.6)}
        if notifications["enableSound"]:
            notifications["selectedSound"] = pick(SOUNDS)
        if platform.startswith("Teams") or full:
            notifications["microsoftTeams"] = {"enabled": True, "notificationName": f"{person} SMS"}
        if platform == "WebexSpace" or some(0.2):
            notifications["webex"] = {"enabled": platform == "WebexSpace"}
        if some(0.05):
            notifications["email"] = {"enabled": True, "digest": pick(("hourly", "daily"))}
        settings["notifications"] = notifications
    if some(0.4):
        settings["autoResponse"] = {
            "enabled": some(0.7),
            "message": f"Thanks for contacting {company.name}! We'll reply shortly.",
            "newThreadsOnly": rand() < 0.7,
        }
    if some(0.6 if a2p else 0.2):
        settings["optIn"] = {
            "enabled": True, "name": "Marketing Updates" if a2p else "Updates", "text": "START",
            "message": f"You are now opted in to receive messages from {company.name}.",
            "allText": "START ALL", "allMessage": "You are opted in to all communications.",
        }
    if some(0.6):
        opt_out: dict[str, Any] = {
            "enabled": True, "text": "STOP",
            "textResponse": "You have been unsubscribed. Reply START to resubscribe.",
        }
        if some(0.4):
            opt_out.update({"allText": "STOP ALL", "allTextResponse": "You've been removed from all lists."})
        if some(0.3):
            opt_out.update({"periodicEnabled": True, "periodicCron": pick(CRONS)})
        if some(0.05):
            opt_out["confirmationDelaySeconds"] = pick((0, 5, 30))
        settings["optOut"] = opt_out
    if some(0.3):
        pool = [f"{mailbox}@{company.domain}", f"manager@{company.domain}", f"oncall@{company.domain}"]
        settings["autoForward"] = {"enabled": some(0.8),
                                   "emailAddresses": pool[: 3 if full else 1 + int(rand() * 3)]}
    if some(0.15):
        start = BASE_EPOCH + int(rand() * 60) * 86400
        settings["outOfOffice"] = {
            "enabled": some(0.5),
            "message": "We're currently out of office. We'll respond on Monday.",
            "startDate": iso(start), "endDate": iso(start + (1 + int(rand() * 14)) * 86400 - 1),
        }
    if some(0.4):
        settings["signature"] = {"enabled": True, "message": f"\n--\n{company.name}\n{mailbox}@{company.domain}"}
    if some(0.2):
        ai: dict[str, Any] = {
            "isEnabled": some(0.6),
            "responseGenerationContext": (f"You are a helpful agent for {company.name}. "
                                          "Be friendly and professional."),
        }
        if some(0.1):
            ai["temperature"] = 0.2
        settings["aiSettings"] = ai
    if some(0.1):
        settings["businessHours"] = {
            "timezone": pick(TIMEZONES), "days": ["Mon", "Tue", "Wed", "Thu", "Fri"],
            "open": "09:00", "close": "17:00",
        }
    if some(0.7):
        settings["rateLimit"] = pick(RATE_LIMITS)
    if some(0.3):
        settings["noOutboundTexts"] = not full and rand() < 0.1
    return settings


def provisioned_number(entry: dict[str, Any], phone_number_id: str, tenant_id: str, owner: str | None,
                       created: float, completed: float) -> dict[str, Any]:
    """The detail of a number a completed provision order adds, built from the request's entry."""
    number = entry["number"]
    feature = entry.get("messagingFeature") or {}
    provision_type = feature.get("provisionType", "SMSMMS")
    sms, mms = CAPABILITIES.get(provision_type, (True, False))
    plan = entry.get("billingPlan")
    platform = entry.get("platformType")
    email = entry.get("email")
    doc: dict[str, Any] = {
        "phoneNumberId": phone_number_id,
        "phoneNumber": number,
        "friendlyName": friendly(number),
        "email": email,
        "status": "Active",
        "provisionType": provision_type,
        "provisionClass": feature.get("provisionClass", "P2P"),
        "capabilities": {"sms": sms, "mms": mms},
        "createdAt": iso(created),
        "activatedAt": iso(completed),
        "userId": email,
        "platformType": platform,
        "description": entry.get("description"),
        "externalId": None,
        "campaignId": entry.get("campaignId"),
        "brandId": entry.get("brandId"),
        "loaUrl": entry.get("loaUrl"),
        "isActivated": True,
        "isMMSEnabled": mms,
        # "P2P500" -> "500", "P2PPooled" -> "Pooled"
        "billingPlanName": plan[3:] if plan else None,
        "owner": owner or None,
        "billableOwner": owner or None,
        "provider": DEFAULT_PROVIDER,
        "microsoftTenantId": tenant_id if platform and platform.startswith("Teams") else None,
    }
    domain = entry.get("domain") or (email.rpartition("@")[2] if email else None)
    if domain:
        doc["domain"] = domain
    doc["settings"] = entry.get("settings") or {}
    return doc
