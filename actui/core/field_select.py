"""Which fields of a number an output carries: `--fields number,status,settings.optOut.enabled`.

A field is a wire path, as in `--where` (any part case- and underscore-blind: `settings.opt_out.ENABLED`),
or a short name of one of the list's columns (`number`, `class`, `plan`, ...). A path the models do not
know is refused, naming the closest known one, before any request, unless the caller says some number
holds it (`held`): the API keeps fields the guide does not list. Below a field the models leave open
(`owner.name`) anything goes.

`field_value` reads a path from a number's document as sent (ABSENT when it lacks it); `field_text` makes
one value a cell's text (not yet made safe: the writers do that).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .filter_ast import FilterError, column_key
from .filter_values import ABSENT, value_at
from .inventory import COLUMNS

# the list's columns as wire paths, in the list's order: what an output carries without --fields
DEFAULT_FIELDS: tuple[str, ...] = tuple(column.wire for column in COLUMNS)
_WIRE_BY_KEY = {column.key: column.wire for column in COLUMNS}
_HEADING_BY_WIRE = {column.wire: column.title.upper() for column in COLUMNS}


class FieldError(ValueError):
    """A --fields list that cannot be read; the message names the field (and the closest known one)."""


def parse_fields(text: str, held: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """The wire paths a comma list names, in its order, each once.

    `held(path)`: whether some number's document holds a path the models do not know (None: nothing is
    known yet, so such a path is refused). Raises FieldError."""
    from .filter_paths import resolve  # the path table: only when a field is asked for

    found: list[str] = []
    for written in (part.strip() for part in text.split(",")):
        if not written:
            continue
        key = column_key(written) if "." not in written else None
        if key is not None:
            path = _WIRE_BY_KEY[key]
        else:
            try:
                path, _kind = resolve(written, written, held)
            except FilterError as exc:
                raise FieldError(f"--fields: {exc}") from None
        if path not in found:
            found.append(path)
    if not found:
        raise FieldError("--fields: name at least one field, e.g. --fields number,status,settings.optOut.enabled")
    return tuple(found)


def field_heading(path: str) -> str:
    """A table's heading for a field: the list's own title for its columns (STATUS), else the path."""
    return _HEADING_BY_WIRE.get(path, path)


def field_value(document: Mapping[str, Any], path: str) -> Any:
    """The value at wire `path` in `document` as sent; ABSENT when the document lacks it. A list met on
    the way is looked through (core.filter_values.value_at). The number falls back on the older `number`
    field, as the list does."""
    value = value_at(document, path.split(".")) if "." in path else document.get(path, ABSENT)
    if value is ABSENT and path == "phoneNumber":
        return document.get("number", ABSENT)
    return value


def needs_detail(fields: tuple[str, ...] | list[str]) -> bool:
    """Whether any field is one a list item does not carry (a settings path needs the number's detail)."""
    return any(path == "settings" or path.startswith("settings.") for path in fields)


def field_text(value: Any) -> str:
    """One value as a cell's text: absent and null empty, booleans yes/no, objects and lists as JSON."""
    if value is None or value is ABSENT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def pick(document: Mapping[str, Any], fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """Only the named fields of `document`, nested as on the wire (`settings.optOut.enabled` inside
    `settings` inside `optOut`); a field the document lacks is left out. Values are the document's own."""
    picked: dict[str, Any] = {}
    for path in fields:
        value = field_value(document, path)
        if value is ABSENT:
            continue
        *parents, name = path.split(".")
        node = picked
        for part in parents:
            inner = node.get(part)
            # a copy, never the document's own section (named too): what is set below must not reach it
            node[part] = dict(inner) if isinstance(inner, Mapping) else {}
            node = node[part]
        node[name] = value
    return picked
