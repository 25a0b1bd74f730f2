"""How many SMS segments a message takes (GSM 03.38 / 3GPP 23.038).

GSM-7 when every character is in the GSM basic set or its extension table (extension characters take
two septets: an escape and the character); UCS-2 otherwise, counted in UTF-16 code units (an emoji
outside the BMP takes two). A message that does not fit one segment is split into parts that each
lose room to the concatenation header, and a two-unit character is never split across parts.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}   # (single segment, per part when concatenated)


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str          # "GSM-7" or "UCS-2"
    characters: int        # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int       # room in one segment at this length (160/153 or 70/67)
    remaining: int         # room left in the last segment
    non_gsm: tuple[str, ...] = ()   # the characters that force UCS-2, each once, in order of appearance


def _units(char: str, gsm: bool) -> int:
    if gsm:
        return 2 if char in GSM_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def segments(text: str) -> SegmentInfo:
    non_gsm = tuple(dict.fromkeys(c for c in text if c not in GSM_BASIC and c not in GSM_EXTENSION))
    gsm = not non_gsm
    encoding = "GSM-7" if gsm else "UCS-2"
    single, part = LIMITS[encoding]
    units = [_units(c, gsm) for c in text]
    total = sum(units)
    if total <= single:
        return SegmentInfo(encoding, total, 1 if total else 0, single, single - total, non_gsm)
    count, used = 1, 0
    for size in units:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return SegmentInfo(encoding, total, count, part, part - used, non_gsm)


def describe_segments(text: str) -> str:
    """'2 SMS segments (GSM-7, 190/306 characters)'."""
    info = segments(text)
    capacity = info.per_segment * max(info.segments, 1)
    noun = "segment" if info.segments == 1 else "segments"
    return f"{info.segments} SMS {noun} ({info.encoding}, {info.characters}/{capacity} characters)"
