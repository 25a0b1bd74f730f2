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

from ..api.models import PLATFORM_TYPES
from ..api.phone import friendly

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

    @property
    def tenant_id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_DNS, self.domain))


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


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def is_failing_number(number: str) -> bool:
    """Numbers ending 0100-0199 (555-01xx) always fail to provision in the sandbox."""
    return len(number) >= 4 and number[-4:-2] == "01"


def generate(count: int, seed: int) -> Iterator[dict[str, Any]]:
    if not 0 <= count <= MAX_NUMBERS:
        raise ValueError(f"numbers: must be between 0 and {MAX_NUMBERS}")
    rng = Random(seed)
    picks = rng.sample(range(MAX_NUMBERS), count)
    odd = dict(zip(rng.sample(range(1, count), min(2, max(count - 1, 0))), UNKNOWN_STATUS_WORDS))
    # friendly() is exact but slow at 100k; it is called once per area code and the last four
    # digits are spliced in (NANP national format always ends with them).
    templates = {area: friendly(f"+1{area}5550000")[:-4] for area in _AREAS}
    step = SPAN_SECONDS / max(count, 1)
    for i, pick in enumerate(picks):
        area = _AREAS[pick // _SUBSCRIBERS_PER_AREA]
        sub = pick % _SUBSCRIBERS_PER_AREA
        sub = sub if sub < 100 else sub + 100
        created = BASE_EPOCH - SPAN_SECONDS + i * step + rng.random() * step * 0.9
        yield _number(rng, i, area, f"{sub:04d}", templates[area], created, odd.get(i))


def _number(rng: Random, i: int, area: str, sub: str, template: str, created: float,
            odd_status: str | None) -> dict[str, Any]:
    showcase = i == 0
    company = COMPANIES[0] if showcase else rng.choice(COMPANIES)
    a2p = not showcase and rng.random() < 0.3
    provision_type = (rng.choice(("SMS", "SMSMMS")) if a2p
                      else "SMSMMS" if showcase else rng.choices(("SMS", "MMS", "SMSMMS"), (9, 2, 9))[0])
    sms, mms = CAPABILITIES[provision_type]
    platform = "TeamsIndividual" if showcase else rng.choices(PLATFORM_TYPES, (40, 15, 15, 15, 15))[0]
    person, local = PEOPLE[0] if showcase else rng.choice(PEOPLE)
    uses = A2P_USES if a2p else P2P_USES
    use, mailbox = uses[0] if showcase else rng.choice(uses)
    if showcase:
        description = use
    else:
        roll = rng.random()
        description = None if roll < 0.05 else f"{use} ({AREA_CODES[area]})" if roll < 0.3 else use
    email = f"{mailbox}@{company.domain}" if showcase or rng.random() < 0.5 else f"{local}@{company.domain}"
    if odd_status:
        status, activated = odd_status, True
    elif not showcase and rng.random() < 0.03:
        status, activated = "Inactive", False
    else:
        status, activated = "Active", True
    activated_at = created + (rng.uniform(3600, 30 * 3600) if a2p else rng.uniform(20, 300))
    doc: dict[str, Any] = {
        "phoneNumberId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "phoneNumber": f"+1{area}555{sub}",
        "friendlyName": template + sub,
        "email": email,
        "status": status,
        "provisionType": provision_type,
        "provisionClass": "A2P" if a2p else "P2P",
        "capabilities": {"sms": sms, "mms": mms},
        "createdAt": iso(created),
        "activatedAt": iso(activated_at),
        "userId": f"{local}@{company.domain}",
        "platformType": platform,
        "description": description,
        "externalId": f"CRM-{rng.randint(10000, 99999)}" if showcase or rng.random() < 0.4 else None,
        "campaignId": rng.choice(company.campaign_ids) if a2p else None,
        "brandId": company.brand_id if a2p else None,
        "loaUrl": (f"https://sandbox.actui.invalid/loa/{uuid.UUID(int=rng.getrandbits(128), version=4)}.pdf"
                   if rng.random() < 0.1 else None),
        "isActivated": activated,
        "isMMSEnabled": mms,
        "billingPlanName": rng.choice(A2P_PLANS if a2p else P2P_PLANS),
        "owner": company.name,
        "billableOwner": company.name if rng.random() < 0.85 else "Approved Contact Reseller Program",
        "provider": "Approved Contact" if showcase else rng.choice(PROVIDERS),
        "microsoftTenantId": company.tenant_id if platform.startswith("Teams") else None,
    }
    # fields the guide does not list
    if showcase or rng.random() < 0.15:
        doc["tags"] = rng.sample(TAGS, rng.randint(1, 3))
    if showcase or rng.random() < 0.08:
        doc["costCenter"] = f"CC-{rng.randint(1000, 9999)}"
    if rng.random() < 0.1:
        doc["lastMessageAt"] = iso(BASE_EPOCH - rng.uniform(0, 30 * 86400))
    doc["settings"] = _settings(rng, showcase, company, mailbox, platform, a2p, person)
    return doc


def _settings(rng: Random, full: bool, company: Company, mailbox: str, platform: str, a2p: bool,
              person: str) -> dict[str, Any]:
    def some(p: float) -> bool:
        return full or rng.random() < p

    settings: dict[str, Any] = {}
    if some(0.75):
        notifications: dict[str, Any] = {"enableSound": rng.random() < 0.6 or full}
        if notifications["enableSound"]:
            notifications["selectedSound"] = rng.choice(SOUNDS)
        if platform.startswith("Teams") or full:
            notifications["microsoftTeams"] = {"enabled": True, "notificationName": f"{person} SMS"}
        if platform == "WebexSpace" or (full or rng.random() < 0.2):
            notifications["webex"] = {"enabled": platform == "WebexSpace"}
        if some(0.05):
            notifications["email"] = {"enabled": True, "digest": rng.choice(("hourly", "daily"))}
        settings["notifications"] = notifications
    if some(0.4):
        enabled = full or rng.random() < 0.7
        settings["autoResponse"] = {
            "enabled": enabled,
            "message": f"Thanks for contacting {company.name}! We'll reply shortly.",
            "newThreadsOnly": rng.random() < 0.7,
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
            opt_out.update({"periodicEnabled": True, "periodicCron": rng.choice(CRONS)})
        if some(0.05):
            opt_out["confirmationDelaySeconds"] = rng.choice((0, 5, 30))
        settings["optOut"] = opt_out
    if some(0.3):
        pool = [f"{mailbox}@{company.domain}", f"manager@{company.domain}", f"oncall@{company.domain}"]
        settings["autoForward"] = {"enabled": rng.random() < 0.8 or full,
                                   "emailAddresses": pool[: 3 if full else rng.randint(1, 3)]}
    if some(0.15):
        start = BASE_EPOCH + rng.randrange(0, 60) * 86400
        settings["outOfOffice"] = {
            "enabled": rng.random() < 0.5 or full,
            "message": "We're currently out of office. We'll respond on Monday.",
            "startDate": iso(start), "endDate": iso(start + rng.randint(1, 14) * 86400 - 1),
        }
    if some(0.4):
        settings["signature"] = {"enabled": True, "message": f"\n--\n{company.name}\n{mailbox}@{company.domain}"}
    if some(0.2):
        ai: dict[str, Any] = {
            "isEnabled": rng.random() < 0.6 or full,
            "responseGenerationContext": (f"You are a helpful agent for {company.name}. "
                                          "Be friendly and professional."),
        }
        if some(0.1):
            ai["temperature"] = 0.2
        settings["aiSettings"] = ai
    if some(0.1):
        settings["businessHours"] = {
            "timezone": rng.choice(TIMEZONES), "days": ["Mon", "Tue", "Wed", "Thu", "Fri"],
            "open": "09:00", "close": "17:00",
        }
    if some(0.7):
        settings["rateLimit"] = rng.choice(RATE_LIMITS)
    if some(0.3):
        settings["noOutboundTexts"] = not full and rng.random() < 0.1
    return settings
