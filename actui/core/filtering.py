"""The filter language of the list's `/` (and of `actui numbers update --where`).

    4155            a number in any format: matches the digits (+14155551234, "(415) 5", 415-555)
    acme support    every word must match somewhere (number, status, class, type, platform, user,
                    email, description, plan), case-insensitively
    class:a2p       one column only: number, status, class, type, platform, user, email, description, plan
    !inactive       a leading ! negates a word (also !status:active)
    "sales west"    quotes keep words together
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

FIELDS = ("number", "status", "class", "type", "platform", "user", "email", "description", "plan")
_ALIASES = {"provisionclass": "class", "provisiontype": "type", "platformtype": "platform", "userid": "user",
            "billingplan": "plan", "billingplanname": "plan", "phonenumber": "number", "desc": "description"}
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-]*\d[\d\s().\-]*$")


class Searchable(Protocol):
    digits: str
    haystack: str

    def field_text(self, field: str) -> str: ...


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None
    negate: bool = False
    phone: bool = False

    def matches(self, row: Searchable) -> bool:
        if self.phone:
            hit = self.text in (row.digits if self.field in (None, "number") else _digits(row.field_text(self.field)))
        elif self.field:
            hit = self.text in row.field_text(self.field).lower()
        else:
            hit = self.text in row.haystack
        return hit != self.negate


class FilterError(ValueError):
    pass


def parse(query: str) -> list[Term]:
    """The terms of a query; an empty query has none (everything matches)."""
    query = query.strip()
    if not query:
        return []
    if _PHONE_LIKE.match(query):
        digits = _digits(query)
        return [Term(digits, phone=True)]
    try:
        words = shlex.split(query)
    except ValueError:
        words = query.replace('"', " ").split()
    terms = []
    for word in words:
        negate = word.startswith("!")
        word = word[1:] if negate else word
        field, sep, value = word.partition(":")
        if sep and field:
            name = _ALIASES.get(field.lower(), field.lower())
            if name not in FIELDS:
                raise FilterError(f"unknown column {field!r} (columns: {', '.join(FIELDS)})")
            if not value:
                continue
            phone = name == "number" and bool(_PHONE_LIKE.match(value))
            terms.append(Term(_digits(value) if phone else value.lower(), name, negate, phone))
        elif word:
            phone = bool(_PHONE_LIKE.match(word)) and any(ch.isdigit() for ch in word) and len(_digits(word)) >= 3
            terms.append(Term(_digits(word) if phone else word.lower(), None, negate, phone))
    return terms


def compile_filter(query: str) -> Callable[[Searchable], bool]:
    terms = parse(query)
    if not terms:
        return lambda row: True
    if len(terms) == 1:
        return terms[0].matches
    return lambda row: all(term.matches(row) for term in terms)


def narrows(old: str, new: str) -> bool:
    """True when every row matching `new` also matches `old`, so `new` need only search old's results.

    Holds when each term of `old` has a counterpart in `new` of the same kind that contains its text
    (a row holding "acme" holds "acm"); negated terms break the rule, so they never narrow.
    """
    try:
        old_terms, new_terms = parse(old), parse(new)
    except FilterError:
        return False
    if len(new_terms) < len(old_terms):
        return False
    for before, after in zip(old_terms, new_terms, strict=False):
        if before.negate or after.negate or (before.field, before.phone) != (after.field, after.phone):
            return False
        if before.text not in after.text:
            return False
    return True


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
