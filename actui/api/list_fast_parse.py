"""Listing pages parsed straight from the bytes by pydantic-core (kept apart so the TUI can show its
first page without importing pydantic: it parses pages into its own rows)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from .number_models import ListedNumber

# The outermost type sets how a whole page is parsed: caching only the keys' strings beats caching every
# string (the default), whose hits are rare when each page holds different numbers.
NUMBERS = TypeAdapter(list[ListedNumber], config=ConfigDict(cache_strings="keys"))


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="allow", cache_strings="keys")
    phoneNumbers: list[ListedNumber]


_ENVELOPE = TypeAdapter(_Envelope)


def parse_common_shapes(content: bytes) -> tuple[list[ListedNumber], dict[str, Any]] | None:
    """A bare array or {"phoneNumbers": [...], totals}, parsed from the bytes in one pass by pydantic-core
    (about twice as fast as json.loads and then validating); None for any other shape."""
    head = content.lstrip()[:1]
    try:
        if head == b"[":
            numbers, meta = NUMBERS.validate_json(content), {}
        elif head == b"{":
            envelope = _ENVELOPE.validate_json(content)
            numbers, meta = envelope.phoneNumbers, dict(envelope.model_extra or {})
        else:
            return None
    except ValidationError:
        return None  # a malformed item, or another shape: the tolerant reading sorts it out
    if not all(number.phone_number.strip() for number in numbers):
        return None
    return numbers, meta
