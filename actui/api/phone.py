"""Phone numbers in and out: any typed form in, E.164 on the wire, "(415) 555-1234" on screen."""

from __future__ import annotations

import re
from functools import lru_cache

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")


class InvalidNumber(ValueError):
    """A string that is not a phone number actui can use."""


def is_e164(text: str) -> bool:
    return bool(_E164.match(text))


def to_e164(text: str, region: str = "US") -> str:
    """Parse a number typed in any common form (E.164, national, with punctuation) to E.164.

    National forms are read for `region` (the profile's country, default US).
    """
    import phonenumbers

    raw = (text or "").strip()
    if not raw:
        raise InvalidNumber("a phone number is required")
    try:
        parsed = phonenumbers.parse(raw, region.upper() if not raw.startswith("+") else None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidNumber(f"{raw!r} is not a phone number ({_reason(exc)})") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def for_lookup(text: str, region: str = "US") -> str:
    """A number to read or look up, as the server would know it: never refused for being "invalid".

    Validation is for what actui sends. A number libphonenumber does not know (a new area code,
    +19995551234) may still be on the server, so reading accepts any number-like text: a form that
    parses as a possible number becomes E.164, anything else is kept as typed (stripped) for the server
    to answer, usually with a 404. Only an empty string is refused. (Callers percent-encode the result.)
    """
    import phonenumbers

    raw = (text or "").strip() if isinstance(text, str) else ""
    if not raw:
        raise InvalidNumber("a phone number is required")
    if is_e164(raw):
        return raw
    try:
        parsed = phonenumbers.parse(raw, region.upper() if not raw.startswith("+") else None)
    except phonenumbers.NumberParseException:
        return raw
    # (a local-only length, e.g. 555-1234, is no whole number: kept as typed rather than guessed)
    if phonenumbers.is_possible_number_with_reason(parsed) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return raw
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_e164(text: str) -> str:
    """Refuse anything that is not already a valid E.164 number (what the wire requires)."""
    if not isinstance(text, str) or not is_e164(text):
        raise InvalidNumber(f"{text!r} is not in E.164 format (e.g. +14155551234)")
    return to_e164(text)


@lru_cache(maxsize=200_000)
def friendly(e164: str) -> str:
    """'(415) 555-1234' for numbers of the default region, '+44 20 7183 8750' for others."""
    if len(e164) == 12 and e164.startswith("+1") and e164[1:].isdigit():
        # NANP: the national format is fixed, and a list formats 100,000 of these at once
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    import phonenumbers

    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 1:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def digits(text: str) -> str:
    """Only the digits: what number search matches on."""
    return "".join(ch for ch in text if ch.isdigit())


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split(") ", 1)[-1].strip().rstrip(".").lower() if ") " in text else text.lower()
