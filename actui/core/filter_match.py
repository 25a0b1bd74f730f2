"""Whether one value (a JSON value from a number's document, or a column's text) satisfies a term.

Server data is read tolerantly: a value of another type than the term asks for never matches and never
raises. A list matches when one of its elements does; for `:` and `=` a section (an object) matches
when one of its values does.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable
from typing import Any

from .filter_ast import BOOL, COMPARISONS, DATE_PREFIX, TIME_ONLY, Bound, as_bool, as_number, aware, parse_bound
from .filter_values import ABSENT

Matcher = Callable[[Any], bool]
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def matcher(op: str, text: str, kind: str | None = None, present: bool = False) -> Matcher:
    """`op` one of ":", "=", "<", "<=", ">", ">="; `text` the value as written; `kind` what the models say
    the field holds (filter_ast.BOOL, ...), None when unknown; `present` for `path:*`."""
    if present:
        return lambda value: not is_empty(value)
    if op in COMPARISONS:
        return comparer(op, parse_bound(op, text, text))
    if not text.strip():
        return is_empty
    return _equals(text, substring=op == ":", bool_ints=kind == BOOL)


def is_empty(value: Any) -> bool:
    """Absent, null, blank text, an empty list or object: what `path:` finds."""
    if value is ABSENT or value is None:
        return True
    kind = type(value)
    if kind is str:
        return not value.strip()
    return kind in (list, dict) and not value


def _equals(text: str, substring: bool, bool_ints: bool) -> Matcher:
    needle = text.lower() if substring else text.strip().lower()
    flag = as_bool(text)
    number = as_number(text)

    def match(value: Any) -> bool:
        kind = type(value)
        if kind is str:
            return needle in value.lower() if substring else value.strip().lower() == needle
        if kind is bool:
            return value is flag
        if kind is int or kind is float:
            if bool_ints and kind is int and flag is not None:  # a store may hold a boolean as 1/0
                return value == flag
            return number is not None and value == number
        if kind is list or kind is dict:
            for item in (value if kind is list else value.values()):
                if match(item):
                    return True
        return False

    return match


def comparer(op: str, bound: Bound) -> Matcher:
    compare = _COMPARE[op]
    if bound.kind == "number":
        limit = bound.number

        def match(value: Any) -> bool:
            kind = type(value)
            if kind is int or kind is float:
                return compare(value, limit)
            if kind is str:
                number = as_number(value)
                return number is not None and compare(number, limit)
            return kind is list and _any(match, value)

    elif bound.kind == "date":
        day = bound.text

        def match(value: Any) -> bool:
            kind = type(value)
            if kind is str:
                found = DATE_PREFIX.match(value)
                return found is not None and compare(found[1], day)
            return kind is list and _any(match, value)

    elif bound.kind == "datetime":
        instant = bound.instant
        assert instant is not None

        def match(value: Any) -> bool:
            kind = type(value)
            if kind is str:
                moment = _instant(value)
                return moment is not None and compare(moment, instant)
            return kind is list and _any(match, value)

    else:
        clock = bound.text

        def match(value: Any) -> bool:
            kind = type(value)
            if kind is str:
                found = TIME_ONLY.match(value.strip())
                return found is not None and compare(
                    f"{int(found[1]):02d}:{found[2]}:{found[3] or '00'}", clock)
            return kind is list and _any(match, value)

    return match


def _any(match: Matcher, items: list[Any]) -> bool:
    for item in items:
        if match(item):
            return True
    return False


def _instant(text: str) -> datetime.datetime | None:
    if DATE_PREFIX.match(text) is None:
        return None
    try:
        return aware(datetime.datetime.fromisoformat(text.strip()))
    except ValueError:
        return None
