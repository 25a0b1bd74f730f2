"""Text from the server (or stored from it) made safe to reach a terminal: the one sanitizer.

Any string the API sends may hold escape sequences: `ESC ] 52 ; …` writes the user's clipboard, `ESC [ 2J`
clears the screen, C1 `\\x9b` is a one-byte CSI, U+202E turns the rest of a line around. Every widget,
CLI table, plain line, CSV cell and error line shows server text through `terminal_safe`; JSON output
stays exact (the JSON encoder escapes controls itself).

Nothing is hidden: a control character is drawn as a visible stand-in, so an operator sees that the
value holds one.

- C0 controls and DEL become their Unicode control pictures (ESC → ␛, BEL → ␇, DEL → ␡): one cell each.
- C1 controls (U+0080–U+009F) become `\\x9b`-style text (there is no picture for them).
- Bidi overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069) and the line/paragraph
  separators U+2028/U+2029 become `<U+202E>`-style text.
- Lone surrogates (JSON may carry `"\\ud800"`) become U+FFFD: they cannot be encoded for output at all.
- Newline and tab are kept where the caller says the field may hold them (`multiline=True`);
  otherwise they are drawn as ␊ and ␉ so a one-line cell stays one line. A carriage return is always
  drawn (it moves the cursor back over what was printed).
"""

from __future__ import annotations

import re

_C0_PICTURE_BASE = 0x2400   # U+2400 "␀" … U+241F "␟"
_DEL_PICTURE = "\u2421"     # ␡

# Everything that must not reach a terminal as it is. Newline and tab are handled by the caller's choice.
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _stand_in(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(_C0_PICTURE_BASE + code)
    if code == 0x7F:
        return _DEL_PICTURE
    if code <= 0x9F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"<U+{code:04X}>"


def _replace(match: re.Match[str]) -> str:
    return _stand_in(match.group())


def terminal_safe(value: object, *, multiline: bool = False) -> str:
    """`value` as text that cannot drive a terminal; `None` becomes "".

    `multiline=True` keeps newlines and tabs (messages, signatures, expanded error bodies); a one-line
    place (table cells, titles, status lines, error lines) leaves it False.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_ONE_LINE
    if pattern.search(text) is None:   # the common case: nothing to replace, no new string
        return text
    return pattern.sub(_replace, text)


def is_terminal_safe(text: str, *, multiline: bool = False) -> bool:
    """True when `terminal_safe` would leave `text` as it is."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_ONE_LINE
    return pattern.search(text) is None


# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(…)`, `+cmd|…`,
# `@SUM(…)`); a tab or carriage return first can smuggle one past a naive check.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# …but a plain number is not a formula: E.164 numbers (`+14155550123`) and signed numbers stay as they are,
# so a CSV export can be read back as input.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_safe(value: object) -> str:
    """One CSV cell: terminal-safe, and never read as a formula when opened in a spreadsheet.

    A cell that starts like a formula is prefixed with `'` (the spreadsheets' own "this is text" mark),
    unless it is a plain number. Newlines and tabs are kept (the csv module quotes them).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return terminal_safe(text, multiline=True)
