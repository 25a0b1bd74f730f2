"""Helpers shared by the sandbox tests."""

from __future__ import annotations

from urllib.parse import quote

import httpx

START = 1_750_000_000.0  # 2025-06-15T15:06:40Z
TENANT = "00000000-0000-0000-0000-000000000000"


class FakeClock:
    """The sandbox's clock, moved by hand: orders progress only when a test says so."""

    def __init__(self, now: float = START):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def path(number: str) -> str:
    """The number's URL path, percent-encoded as the guide says (+ -> %2B)."""
    return f"/phone-numbers/{quote(number, safe='')}"


def all_numbers(client: httpx.Client, limit: int = 100) -> list[dict]:
    out, page = [], 1
    while True:
        body = client.get("/phone-numbers/active", params={"page": page, "limit": limit}).json()
        out += body["phoneNumbers"]
        if not body["hasMore"]:
            return out
        page += 1


def provision_entry(number: str, cls: str = "P2P", **extra) -> dict:
    entry = {"number": number, "email": "support@example.com", "description": "Customer Support Line",
             "platformType": "TeamsIndividual",
             "messagingFeature": {"provisionType": "SMSMMS", "provisionClass": cls},
             "billingPlan": f"{cls}500"}
    if cls == "A2P":
        entry.update(campaignId="C1A2B3C", brandId="B9X8Y7Z")
    entry.update(extra)
    return entry


def order_body(action: str, *entries: dict) -> dict:
    return {"action": action, "tenantId": TENANT, "phoneNumbers": list(entries)}
