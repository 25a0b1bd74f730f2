"""The built-in checks: mistakes the guide's fields make possible, judged like a policy (on unless the
policy file's `[builtin]` table switches one off: `ooo-ended = false`).

Each is a Policy (builtin=True) whose `where` keeps the numbers it applies to (the filter language, path
terms only, so it runs over the copy's columns) and a judge that names what is wrong with one of them.
None has a single value to set: their breaches are reported, never fixed by guessing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..api.value_checks import cron_problem
from .filter_values import ABSENT
from .policy_model import Breach, Policy, instant

Lookup = Callable[[str], Any]   # path -> the number's value there (ABSENT when absent)
Judge = Callable[[Lookup, datetime.datetime], list[Breach]]

OOO = "settings.outOfOffice"
FORWARD = "settings.autoForward"
RESPONSE = "settings.autoResponse"
OPT_OUT = "settings.optOut"


@dataclass(frozen=True)
class BuiltinCheck:
    name: str
    description: str
    where: str                  # which numbers it judges (path terms only)
    paths: tuple[str, ...]      # what its judge reads
    judge: Judge

    def policy(self) -> Policy:
        return Policy(self.name, self.description, self.where, (), 0, builtin=True)


def _blank(value: Any) -> bool:
    return value is ABSENT or value is None or (isinstance(value, str) and not value.strip())


def _ooo_ended(value: Lookup, now: datetime.datetime) -> list[Breach]:
    end = value(f"{OOO}.endDate")
    moment = instant(end)
    if moment is not None and moment < now:
        return [Breach(f"{OOO}.endDate", "a date not yet past (or out-of-office off)", end)]
    return []


def _forward_no_address(value: Lookup, now: datetime.datetime) -> list[Breach]:
    addresses = value(f"{FORWARD}.emailAddresses")
    if isinstance(addresses, list) and any(isinstance(a, str) and a.strip() for a in addresses):
        return []
    return [Breach(f"{FORWARD}.emailAddresses", "an address (or auto-forward off)", addresses)]


def _message_needed(path: str, what: str) -> Judge:
    def judge(value: Lookup, now: datetime.datetime) -> list[Breach]:
        found = value(path)
        return [Breach(path, f"{what} (or the section off)", found)] if _blank(found) else []

    return judge


def _a2p_no_campaign(value: Lookup, now: datetime.datetime) -> list[Breach]:
    return [Breach(path, "present (required for A2P)", value(path)) for path in ("campaignId", "brandId")
            if _blank(value(path))]


@lru_cache(maxsize=1024)
def _cron_fault(expr: str) -> str | None:
    return cron_problem(expr)


def _opt_out_cron(value: Lookup, now: datetime.datetime) -> list[Breach]:
    path = f"{OPT_OUT}.periodicCron"
    cron = value(path)
    if isinstance(cron, str) and cron.strip():
        return [Breach(path, "a 5-field cron expression", cron)] if _cron_fault(cron.strip()) else []
    if value(f"{OPT_OUT}.periodicEnabled") is True:   # periodic opt-out on without any schedule
        return [Breach(path, "a 5-field cron expression (periodicEnabled is on)", cron)]
    if cron is ABSENT or cron is None or isinstance(cron, str):
        return []
    return [Breach(path, "a 5-field cron expression", cron)]   # a number, a list: not a cron


def _no_outbound_activated(value: Lookup, now: datetime.datetime) -> list[Breach]:
    found = value("settings.noOutboundTexts")
    return [Breach("settings.noOutboundTexts", "false (worth a look: activated, yet sends nothing)", found)] \
        if found is True else []


BUILTIN_CHECKS: tuple[BuiltinCheck, ...] = (
    BuiltinCheck("ooo-ended", "out-of-office on, its end date past", f"{OOO}.enabled:true",
                 (f"{OOO}.endDate",), _ooo_ended),
    BuiltinCheck("forward-no-address", "auto-forward on without an address", f"{FORWARD}.enabled:true",
                 (f"{FORWARD}.emailAddresses",), _forward_no_address),
    BuiltinCheck("auto-response-empty", "auto-response on with an empty message", f"{RESPONSE}.enabled:true",
                 (f"{RESPONSE}.message",), _message_needed(f"{RESPONSE}.message", "a message")),
    BuiltinCheck("opt-out-empty", "opt-out on with an empty message", f"{OPT_OUT}.enabled:true",
                 (f"{OPT_OUT}.textResponse",), _message_needed(f"{OPT_OUT}.textResponse", "a message")),
    BuiltinCheck("a2p-no-campaign", "A2P without a campaign or brand id", "provisionClass=a2p",
                 ("campaignId", "brandId"), _a2p_no_campaign),
    BuiltinCheck("opt-out-cron", "an opt-out cron that does not parse",
                 f"{OPT_OUT}.periodicCron:* or {OPT_OUT}.periodicEnabled:true",
                 (f"{OPT_OUT}.periodicCron", f"{OPT_OUT}.periodicEnabled"), _opt_out_cron),
    BuiltinCheck("no-outbound-activated", "noOutboundTexts on an activated number (worth a look)",
                 "isActivated:true", ("settings.noOutboundTexts",), _no_outbound_activated),
)
BUILTIN_NAMES: tuple[str, ...] = tuple(check.name for check in BUILTIN_CHECKS)
_BY_NAME = {check.name: check for check in BUILTIN_CHECKS}


def builtin_check(name: str) -> BuiltinCheck | None:
    return _BY_NAME.get(name)
