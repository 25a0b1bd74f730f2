"""Times as people read them: local time, and ages like "3m" or "2h 5m"."""

from __future__ import annotations

from datetime import UTC, datetime


def age(seconds: float, *, spaced: bool = False) -> str:
    """A short relative age: 45s, 3m, 2h 5m, 3d 4h; `spaced` for a sentence: 45 s, 18 min, 2 h 5 min, 3 d 4 h."""
    s, m, h, d = (" s", " min", " h", " d") if spaced else ("s", "m", "h", "d")
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}{s}"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}{m}"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}{h} {minutes}{m}" if minutes else f"{hours}{h}"
    days, hours = divmod(hours, 24)
    return f"{days}{d} {hours}{h}" if hours else f"{days}{d}"


def local(value: datetime | str | None, now: float | None = None) -> str:
    """'2025-01-11 10:32 (3d 4h ago)' in the local time zone; text the server sent as it came."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    if now is not None:
        delta = now - value.timestamp()
        text += f" ({age(delta)} ago)" if delta >= 0 else f" (in {age(-delta)})"
    return text
