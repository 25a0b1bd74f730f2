"""How text from the server (or stored from it) reaches the screen: through core.safe_text, never as markup.

- `plain(value)`: a value as `rich.text.Text`, terminal-safe (markup stays literal: Text is never parsed).
- `safe_rich(text)`: an assembled Text made terminal-safe with its styles kept (for messages built from
  several parts, e.g. "Not saved: " + the server's words).
- `error_text(error, user)`: what went wrong, in one safe line a person can act on; a 403 says "not
  allowed" (`not_allowed_text`), never asks for a password.

Notifications need nothing from here: `ActuiApp.notify` sanitizes every message and never parses markup.
"""

from __future__ import annotations

from rich.style import StyleType
from rich.text import Text

from ..api.errors import ActuiError, PermissionDenied
from ..core.safe_text import is_terminal_safe, terminal_safe

__all__ = ["error_text", "not_allowed_text", "plain", "safe_rich", "terminal_safe"]


def plain(value: object, style: StyleType = "", *, multiline: bool = False) -> Text:
    """`value` as Text that cannot drive the terminal; `multiline` keeps newlines and tabs."""
    return Text(terminal_safe(value, multiline=multiline), style=style)


def safe_rich(text: Text, *, multiline: bool = True) -> Text:
    """`text` with every unsafe character replaced by its stand-in; styles stay on what they styled."""
    if is_terminal_safe(text.plain, multiline=multiline):
        return text
    out = Text(style=text.style, justify=text.justify, overflow=text.overflow, no_wrap=text.no_wrap,
               end=text.end)
    cuts = sorted({offset for span in text.spans for offset in (span.start, span.end)})
    # cut at every span edge: each piece is then styled as a whole by the spans it carries
    for piece in text.divide(cuts):
        start = len(out)
        out.append(terminal_safe(piece.plain, multiline=multiline))
        for span in piece.spans:
            if span.end > span.start:
                out.stylize(span.style, start, len(out))
    return out


_ACTIONS = {"GET": "reading", "PUT": "updating", "POST": "submitting", "DELETE": "deleting",
            "PATCH": "updating"}


def not_allowed_text(error: PermissionDenied, user: str | None = None) -> str:
    """A 403 in words: what was refused, that the profile's user lacks the permission, what to do."""
    what = f"{_ACTIONS.get(error.method, error.method)} {error.path}".strip() if error.path else "that request"
    who = f"the profile's user ({user})" if user else "the profile's user"
    said = "; ".join(m for m in error.server_messages if m.strip())
    text = (f"Not allowed: the server refused {what} (HTTP 403): {who} lacks permission for it. "
            "Nothing was changed. Ask an administrator for the permission, or use a profile whose user "
            "has it.")
    if said:
        text += f" The server said: {said}"
    return terminal_safe(text)


def error_text(error: BaseException, user: str | None = None) -> str:
    """One line for a person: actui's own message, or "unexpected …" for anything else; always safe."""
    if isinstance(error, PermissionDenied):
        return not_allowed_text(error, user)
    if isinstance(error, ActuiError):
        return terminal_safe(str(error))
    return terminal_safe(f"unexpected {type(error).__name__}: {error}")
