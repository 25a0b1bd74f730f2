"""How field values are told apart and shown, for the editors, the diff and the conflict dialog.

`MISSING` is a field the document does not hold (not the same as null); `value_text` shows any value as
plain, terminal-safe `rich.text.Text` (never markup) with null and "" made visible.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from ...core.safe_text import is_terminal_safe, terminal_safe

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
"""The document does not hold the field at all (not the same as null)."""


def value_text(value: Any) -> Text:
    """A value as the diff and conflict messages show it: never markup, null and "" made visible."""
    if value is MISSING:
        return Text("(absent)", style="dim")
    if value is None:
        return Text("— (null)", style="dim")
    if isinstance(value, bool):
        return Text("on" if value else "off")
    if isinstance(value, str):   # (newlines kept: the diff shows a message line by line)
        return Text(terminal_safe(value, multiline=True)) if value else Text('"" (empty)', style="dim")
    if isinstance(value, list):
        return Text(terminal_safe(", ".join(str(v) for v in value))) if value else Text("[] (none)", style="dim")
    return Text(terminal_safe(value))


def control_stand_ins(value: Any, multiline: bool = False) -> list[str]:
    """The stand-ins the control characters of a text value (or list of texts) are shown as, in order."""
    texts = value if isinstance(value, list) else [value]
    found: dict[str, None] = {}
    for text in texts:
        if isinstance(text, str) and not is_terminal_safe(text, multiline=multiline):
            found.update(dict.fromkeys(terminal_safe(c, multiline=multiline) for c in text
                                       if not is_terminal_safe(c, multiline=multiline)))
    return list(found)


def parse_moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
