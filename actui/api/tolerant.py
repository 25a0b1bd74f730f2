"""Reading a number's detail tolerantly: a wrongly typed field never makes the number unreadable.

number_models.PhoneNumber validates the document; where pydantic refuses a value (`rateLimit: "abc"`,
`optOut: "STOP"`, `settings: 5`), the value is taken out of a copy and validation runs again, and each
such field is named as a FieldProblem in words a person understands ("not a number: abc"). The
document itself is kept exactly as it came.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import ValidationError

from .errors import FieldProblem

MAX_REPAIRS = 8
"""Rounds of taking bad values out (each round finds every bad value pydantic reports at once)."""
# pydantic error types in words a person reading a number's detail understands
_TYPE_WORDS = {
    "int_parsing": "not a number", "int_type": "not a number", "int_from_float": "not a whole number",
    "float_parsing": "not a number", "float_type": "not a number",
    "bool_parsing": "not true or false", "bool_type": "not true or false",
    "string_type": "not text", "model_type": "not an object", "model_attributes_type": "not an object",
    "dict_type": "not an object", "list_type": "not a list", "datetime_type": "not a date",
    "datetime_parsing": "not a date", "datetime_from_date_parsing": "not a date",
}


def quoted_value(value: Any, limit: int = 60) -> str:
    """A stored value as a problem message quotes it: text as it is, anything else as JSON; shortened."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def without_bad_values(original: dict[str, Any], attempt: dict[str, Any],
                        exc: ValidationError) -> tuple[dict[str, Any], list[FieldProblem]]:
    """A copy of `attempt` without the values `exc` complains about, and a problem for each."""
    repaired = copy.deepcopy(attempt)
    problems: dict[str, FieldProblem] = {}
    for err in exc.errors(include_url=False, include_input=False):
        keys = _existing_prefix(repaired, err["loc"])
        if not keys:
            continue
        # a bad item of a list: the list leaves the typed model (the document keeps it), the item is named
        field_keys = keys[:next((i for i, k in enumerate(keys) if isinstance(k, int)), len(keys))]
        if not field_keys:
            continue
        path = join_path(keys)
        if path not in problems:
            what = _TYPE_WORDS.get(err["type"], err["msg"].removeprefix("Value error, "))
            value = _at(original, keys)
            problems[path] = FieldProblem(path, f"{what}: {quoted_value(value)}")
        _remove(repaired, field_keys)
    return repaired, list(problems.values())


def _existing_prefix(doc: Any, loc: tuple[Any, ...]) -> list[Any]:
    """The longest start of `loc` that names a value present in doc (pydantic adds union member tags)."""
    keys: list[Any] = []
    node = doc
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
        keys.append(part)
    return keys


def _at(doc: Any, keys: list[Any]) -> Any:
    for key in keys:
        doc = doc[key]
    return doc


def _remove(doc: dict[str, Any], keys: list[Any]) -> None:
    node: Any = doc
    for key in keys[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(keys[-1], None)


def odd_dates(model: Any) -> list[FieldProblem]:
    """Dates the server sent as text that is not ISO 8601 (kept as text by the model)."""
    found = [(wire, getattr(model, name)) for name, wire in (("created_at", "createdAt"),
                                                             ("activated_at", "activatedAt"))]
    office = model.settings.out_of_office if model.settings is not None else None
    if office is not None:
        found += [("settings.outOfOffice.startDate", office.start_date),
                  ("settings.outOfOffice.endDate", office.end_date)]
    return [FieldProblem(path, f"not a date: {quoted_value(value)}") for path, value in found
            if isinstance(value, str)]


def join_path(keys: list[Any]) -> str:
    """['settings', 'autoForward', 'emailAddresses', 1] -> 'settings.autoForward.emailAddresses[1]'."""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out
