"""What a parsed filter is made of: its terms, how they combine, and the error a bad query raises.

No imports beyond the standard library: the TUI's start-up imports the filter.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# the list's nine columns (core.inventory.COLUMNS) and the other names each answers to
FIELDS = ("number", "status", "class", "type", "platform", "user", "email", "description", "plan")
ALIASES = {"provisionclass": "class", "provisiontype": "type", "platformtype": "platform", "userid": "user",
           "billingplan": "plan", "billingplanname": "plan", "phonenumber": "number", "desc": "description"}
PHONE_LIKE = re.compile(r"^\+?[\d\s().\-]*\d[\d\s().\-]*$")
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
COMPARISONS = ("<", "<=", ">", ">=")
# what a field the models know holds, as far as the filter cares (filter_paths fills them in)
BOOL, NUMBER, TEXT, LIST, DATE, SECTION, ANY = "bool", "number", "text", "list", "date", "section", "any"


class FilterError(ValueError):
    """A query that cannot be read; the message names the term."""


def column_key(name: str) -> str | None:
    """The column a name means (`provisionClass`, `provision_class`, `CLASS` -> "class"), or None."""
    folded = name.replace("_", "").lower()
    key = ALIASES.get(folded, folded)
    return key if key in FIELDS else None


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# --- the terms --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word matched anywhere in the row's columns; `phone`: the digits of a number, matched in its digits."""
    text: str
    phone: bool = False


@dataclass(frozen=True)
class Column:
    """`class:a2p`: one list column, answered from the row. `op` is ":" "=" "<" "<=" ">" ">=";
    `value` is lower-case for ":" and "="; "" with `empty` for `description:""`."""
    field: str
    op: str
    value: str
    phone: bool = False
    source: str = ""


@dataclass(frozen=True)
class Path:
    """`settings.optOut.enabled:false`: a wire field of the number's document. `kind`: what the models
    say it holds (filter_paths' BOOL, NUMBER, ...), None for a field they do not know. `value` as
    written; `present` for `path:*`."""
    path: str
    kind: str | None
    op: str
    value: str
    present: bool = False
    source: str = ""


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Word | Column | Path | Not | And | Or


# --- values after an operator -----------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?!\d)")
TIME_ONLY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def as_number(text: str) -> float | None:
    text = text.strip()
    return float(text) if _NUMBER.match(text) else None


def as_bool(text: str) -> bool | None:
    word = text.strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


@dataclass(frozen=True)
class Bound:
    """What `<`, `<=`, `>`, `>=` compare against: a number, a date (YYYY-MM-DD: compared with the date
    part of a value, as written), a date-time (compared as an instant; no zone = UTC) or a time of day."""
    kind: str                     # "number" | "date" | "datetime" | "time"
    number: float = 0.0
    text: str = ""                # the date as YYYY-MM-DD, the time as HH:MM:SS
    instant: datetime.datetime | None = None


def parse_bound(op: str, text: str, term: str) -> Bound:
    value = text.strip()
    number = as_number(value)
    if number is not None:
        return Bound("number", number=number)
    try:
        if DATE_ONLY.match(value):
            datetime.date.fromisoformat(value)
            return Bound("date", text=value)
        time = TIME_ONLY.match(value)
        if time:
            hours, minutes, seconds = int(time[1]), int(time[2]), int(time[3] or 0)
            datetime.time(hours, minutes, seconds)  # refuses 25:00
            return Bound("time", text=f"{hours:02d}:{minutes:02d}:{seconds:02d}")
        if len(value) > 10 and DATE_ONLY.match(value[:10]):
            return Bound("datetime", instant=aware(datetime.datetime.fromisoformat(value)))
    except ValueError:
        pass
    raise FilterError(f"{op!r} needs a number or a date after it (in {term!r})")


def aware(moment: datetime.datetime) -> datetime.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
