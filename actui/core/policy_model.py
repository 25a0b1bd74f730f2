"""What a policy file declares and what judging a copy by it finds: conditions, requirements, policies,
breaches and results (core/policies.py is the entry; this module only holds the shapes and how one value
is judged).

Server data is read tolerantly: a value of another type than a condition asks for never holds and never
raises (`{ max = 2000 }` on a rateLimit held as text is a breach, not an error).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .filter_values import ABSENT

EQUALS, PRESENT, NOT, MAX, MIN = "equals", "present", "not", "max", "min"
CONDITION_KINDS = (EQUALS, PRESENT, NOT, MAX, MIN)
_DATE_START = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


class PolicyFileError(ValueError):
    """A policy file that cannot be used; str(e) names the file and the line:
    `policies.toml:12: settings.optOut.enabld: unknown field (did you mean settings.optOut.enabled?)`."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path.name}:{line}" if line is not None else self.path.name
        super().__init__(f"{where}: {message}")


class PolicyNameError(KeyError):
    """A policy name that the set does not hold (`check --policy NAME`, `fix NAME`); str(e) is the message
    (KeyError's own would quote it)."""

    def __init__(self, message: str, unknown: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.unknown = unknown

    def __str__(self) -> str:
        return self.message


def instant(value: Any) -> datetime.datetime | None:
    """A date or date-time (ISO 8601 text, as the wire holds it) as an aware datetime (naive: UTC); None
    for anything else."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and _DATE_START.match(value):
        text = value.strip()
        try:
            moment = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "zZ" else text)
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float


def _blank(value: Any) -> bool:
    """Absent, null, blank text, an empty list or object (the filter's `path:`)."""
    if value is ABSENT or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, dict)) and not value


def _same(actual: Any, wanted: Any) -> bool:
    """JSON equality that keeps booleans apart from numbers (true is not 1); dates compare as instants."""
    if actual is ABSENT:
        return False
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return actual is wanted
    if _is_number(wanted):
        return _is_number(actual) and actual == wanted
    if isinstance(wanted, DateValue):
        moment = instant(actual)
        return moment is not None and moment == wanted.moment
    if isinstance(wanted, list):
        return isinstance(actual, list) and len(actual) == len(wanted) and all(
            _same(a, w) for a, w in zip(actual, wanted, strict=True))
    return type(actual) is type(wanted) and actual == wanted


@dataclass(frozen=True)
class DateValue:
    """A date a policy names (`endDate = 2027-01-01`, or text in a date field): `text` is what is sent
    when it is set (ISO 8601, Z), `moment` what is compared."""
    text: str
    moment: datetime.datetime = field(compare=False)

    def __str__(self) -> str:
        return self.text


def wire_value(value: Any) -> Any:
    """The value as the wire holds it (a DateValue as its text)."""
    if isinstance(value, DateValue):
        return value.text
    if isinstance(value, list):
        return [wire_value(item) for item in value]
    return value


@dataclass(frozen=True)
class Condition:
    """What a requirement asks of one field: `equals` (value), `present` (value True: not absent, null or
    blank; False: the opposite), `not` (the value must differ), `max` / `min` (numbers or dates)."""
    kind: str
    value: Any

    def describe(self) -> str:
        """'true', '"STOP"', 'present', 'not ""', '<= 2000'."""
        if self.kind == PRESENT:
            return "present" if self.value else "absent"
        shown = _shown(self.value)
        if self.kind == NOT:
            return f"not {shown}"
        if self.kind == MAX:
            return f"<= {shown}"
        if self.kind == MIN:
            return f">= {shown}"
        return shown

    def holds(self, actual: Any) -> bool:
        """Whether a field holding `actual` (ABSENT: the document lacks it) meets the condition."""
        kind = self.kind
        if kind == EQUALS:
            return _same(actual, self.value)
        if kind == PRESENT:
            return _blank(actual) is not bool(self.value)
        if kind == NOT:
            return not _same(actual, self.value)
        wanted = self.value
        if isinstance(wanted, DateValue):
            moment = instant(actual)
            if moment is None:
                return False
            return moment <= wanted.moment if kind == MAX else moment >= wanted.moment
        if not _is_number(actual):
            return False
        return bool(actual <= wanted if kind == MAX else actual >= wanted)

    @property
    def settable(self) -> bool:
        """Only `equals` names one value to set; the others are reported, never guessed."""
        return self.kind == EQUALS


def _shown(value: Any) -> str:
    if isinstance(value, DateValue):
        return value.text
    return json.dumps(wire_value(value), ensure_ascii=False)


@dataclass(frozen=True)
class Requirement:
    path: str               # the wire path, as the models spell it
    condition: Condition
    line: int               # the line of the policy file naming it


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    where: str                          # the filter language; "" keeps every number
    requires: tuple[Requirement, ...]
    line: int                           # the line of its name in the file (0 for a built-in check)
    builtin: bool = False


@dataclass(frozen=True)
class Breach:
    """One field of one number that is not as required."""
    path: str
    expected: str   # the condition described ('true', 'present', ...) or, for a built-in, what is wanted
    actual: Any     # as the copy holds it; ABSENT when absent

    @property
    def absent(self) -> bool:
        return self.actual is ABSENT

    def actual_text(self) -> str:
        """The value held, for a line of text: 'absent', or its JSON ('"stop"', 'false', 'null'). Server
        text, raw: what reaches a terminal goes through safe_text.terminal_safe."""
        if self.actual is ABSENT:
            return "absent"
        return json.dumps(self.actual, ensure_ascii=False, default=str)

    def to_json(self) -> dict[str, Any]:
        """For --json: the value exact (null when absent, `absent` saying which)."""
        return {"path": self.path, "expected": self.expected, "actual": None if self.absent else self.actual,
                "absent": self.absent}


@dataclass
class PolicyResult:
    policy: Policy
    checked: list[str]                       # numbers its `where` keeps (with a detail to judge), list order
    breaking: dict[str, list[Breach]]        # number -> what differs, in list order
    fixes: dict[str, dict[str, Any]]         # number -> nested change that fixes it (settable requirements)
    unfixable: dict[str, list[Breach]]       # number -> breaches with no single value to set

    @property
    def fixable(self) -> int:
        return len(self.fixes)


@dataclass
class PolicySet:
    path: Path
    policies: list[Policy]   # the file's policies, then the enabled built-in checks (builtin=True)

    def names(self) -> list[str]:
        return [policy.name for policy in self.policies]

    def get(self, name: str) -> Policy | None:
        return next((policy for policy in self.policies if policy.name == name), None)
