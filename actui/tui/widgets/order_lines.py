"""The order tracker's row model and line formatting, free of widget state.

`OrderRow` is one tracked order as the tracker holds it; `column_widths`, `column_header`, `summary_line`
and `detail_lines` turn rows into `rich.text.Text` lines (styles come from the widget through `style`,
a component style by name). Every value from the API is drawn as plain Text, never parsed as markup,
and made terminal-safe (core.safe_text): an order status or errorMessage may hold escape sequences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rich.style import Style
from rich.text import Text

from ...core.orders import TrackedOrder
from ...core.safe_text import terminal_safe
from ...core.timefmt import age as format_age

OLD_ORDER = 600.0  # the server's createDate counts for the age when it is this much older than tracking

_BAD = frozenset({"failed", "error", "rejected"})
_WIDE = 100  # from this content width on, a "created" column is shown

# column widths (the id and counts columns grow with their contents)
_MARK, _ACTION, _CLASS, _STATUS, _AGE, _CREATED = 2, 11, 3, 18, 15, 16
_ITEM_INDENT, _NUMBER, _ITEM_STATUS = 4, 16, 12


@dataclass
class OrderRow:
    """One tracked order as the tracker holds it: the order, open or not, and what was last drawn."""

    tracked: TrackedOrder
    expanded: bool = False
    age_text: str = ""                                   # the age as last drawn
    details: list[Text] = field(default_factory=list)    # the expanded lines, at the current width


def upsert_rows(rows: dict[str, OrderRow], tracked: list[TrackedOrder], complete: bool, now: float) -> set[str]:
    """Add or update `rows` (keyed by order id) from `tracked`, dropping the others when `complete`; return
    the ids of rows whose drawing changed (the age included, as drawn at `now`)."""
    changed: set[str] = set()
    seen: set[str] = set()
    for t in tracked:
        key = str(t.order_id)
        seen.add(key)
        row = rows.get(key)
        if row is None:
            rows[key] = OrderRow(t)
            changed.add(key)
        else:
            if _drawn(row.tracked) != _drawn(t) or row.age_text != order_age(t, now):
                changed.add(key)
            row.tracked = t
    if complete:
        for key in [k for k in rows if k not in seen]:
            del rows[key]
    return changed


def newest_first(rows: dict[str, OrderRow]) -> list[str]:
    """The ids in display order: newest submitted first."""
    return sorted(rows, key=lambda k: (rows[k].tracked.submitted_at, _id_key(k)), reverse=True)


def nearest_row(gone: str | None, shown: list[str], rows: dict[str, OrderRow]) -> str | None:
    """The row now at the place of `gone` in `shown` (the ids as they were drawn, top to bottom): the next
    one still there, else the nearest above; None when there is none."""
    if gone is None or gone not in shown:
        return None
    index = shown.index(gone)
    for candidate in shown[index + 1:] + shown[:index][::-1]:
        if candidate in rows:
            return candidate
    return None


StyleOf = Callable[[str], Style]
"""A component style by name ("muted", "bad", ...), as the widget resolves it."""

ColumnWidths = tuple[int, int, bool]
"""The id column's width, the counts column's width, and whether the "created" column is shown."""


def column_widths(ids: list[str], tracked: list[TrackedOrder], width: int) -> ColumnWidths:
    """The id and counts columns' widths for these orders, and whether `width` has room for "created"."""
    id_width = min(14, max(5, *([len(k) for k in ids] or [5])))
    counts_width = max(len("ok/fail/all"), *([len(_counts(t)) for t in tracked] or [0]))
    base = _MARK + id_width + 1 + _ACTION + 1 + _CLASS + 1 + _STATUS + 1 + counts_width + 1 + _AGE
    return id_width, counts_width, width >= max(_WIDE, base + 1 + _CREATED)


def order_age(tracked: TrackedOrder, now: float) -> str:
    """How long the order has been going ("pending 3m" until it is final)."""
    started = tracked.submitted_at
    created = _timestamp(tracked.order.create_date) if tracked.order else None
    if created is not None and created < started - OLD_ORDER:  # tracked long after it was placed
        started = created
    text = format_age(now - started)
    return text if tracked.final else f"pending {text}"


def status_style(status: str | None, style: StyleOf) -> Style:
    word = (status or "").strip().lower()
    if word == "completed":
        return style("ok")
    if word in _BAD:
        return style("bad")
    if word == "partiallycompleted":
        return style("partial")
    return style("muted")


def column_header(widths: ColumnWidths) -> Text:
    """The line of column titles."""
    id_width, counts_width, wide = widths
    text = Text(no_wrap=True, end="")
    for value, w in ((" ", _MARK), ("ORDER", id_width), ("ACTION", _ACTION), ("CLS", _CLASS),
                     ("STATUS", _STATUS)):
        text.append(_cell(value, w))
        text.append(" " if w != _MARK else "")
    text.append(_cell("ok/fail/all", counts_width, right=True))
    text.append(" ")
    text.append(_cell("AGE", _AGE))
    if wide:
        text.append(" ")
        text.append(_cell("CREATED", _CREATED))
    return text


def summary_line(row: OrderRow, widths: ColumnWidths, age: str, style: StyleOf) -> Text:
    """An order's one-line summary: mark, id, action, class, status, counts, age (and created when wide)."""
    id_width, counts_width, wide = widths
    t = row.tracked
    muted = style("muted")
    text = Text(no_wrap=True, end="")
    text.append_text(_cell("▾" if row.expanded else "▸", _MARK, style=muted))
    text.append(_cell(t.order_id, id_width))
    text.append(" ")
    text.append(_cell(t.action or "", _ACTION))
    text.append(" ")
    text.append(_cell(t.provision_class or "", _CLASS))
    text.append(" ")
    if t.status is None:
        text.append_text(_cell("—", _STATUS, style=muted))
    else:
        text.append_text(_cell(t.status, _STATUS, style=status_style(t.status, style)))
    text.append(" ")
    text.append(_cell(_counts(t), counts_width, right=True))
    text.append(" ")
    text.append_text(_cell(age, _AGE, style=None if t.final else muted))
    if wide:
        text.append(" ")
        text.append_text(_cell(_created(t), _CREATED, style=muted))
    return text


def detail_lines(row: OrderRow, width: int, style: StyleOf) -> list[Text]:
    """The per-number lines of an expanded order; long error messages wrap under their column."""
    order = row.tracked.order
    muted = style("muted")
    indent = " " * _ITEM_INDENT
    if order is None:
        return [Text(indent + "no answer from the API yet", style=muted, no_wrap=True, end="")]
    if not order.phone_numbers:
        return [Text(indent + "the order lists no numbers", style=muted, no_wrap=True, end="")]
    lines: list[Text] = []
    bad = style("bad")
    error_column = _ITEM_INDENT + _NUMBER + 1 + _ITEM_STATUS + 1
    room = width - error_column
    if room < 24:  # too narrow: errors go on their own lines
        error_column, room = _ITEM_INDENT + 2, max(10, width - _ITEM_INDENT - 2)
    for item in order.phone_numbers:
        line = Text(indent, no_wrap=True, end="")
        line.append(_cell(item.number or "?", _NUMBER))
        line.append(" ")
        line.append_text(_cell(item.status or "—", _ITEM_STATUS, style=status_style(item.status, style)))
        message = item.error_message
        if not message:
            lines.append(line)
            continue
        pieces = _wrap(message, room)
        if error_column == _ITEM_INDENT + 2:
            lines.append(line)
        else:
            line.append(" ")
            line.append_text(_styled(pieces.pop(0), bad))
            lines.append(line)
        for piece in pieces:
            lines.append(Text(" " * error_column, no_wrap=True, end="").append_text(_styled(piece, bad)))
    return lines


def _cell(value: str, width: int, right: bool = False, style: Style | None = None) -> Text:
    """A value from anywhere (the API included) as plain Text, cut to `width` with an ellipsis, padded."""
    text = Text(_one_line(value), no_wrap=True, end="")
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    if right:
        text.pad_left(width - text.cell_len)
    else:
        text.pad_right(width - text.cell_len)
    if style:
        text.stylize(style)
    return text


def _one_line(value: object) -> str:
    return terminal_safe(re.sub(r"[\r\n\t\v\f]+", " ", str(value)))


def _styled(text: Text, style: Style) -> Text:
    text.stylize(style)
    return text


def _wrap(message: str, width: int) -> list[Text]:
    """Split a message into pieces of at most `width` cells, at spaces where possible."""
    # made safe first: split() would also cut at (and drop) some control characters
    words = terminal_safe(message, multiline=True).split()
    pieces: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a word longer than the line: cut it
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            pieces.append(current)
            current = word
    if current or not pieces:
        pieces.append(current)
    return [Text(p, no_wrap=True, end="") for p in pieces]


def _counts(tracked: TrackedOrder) -> str:
    order = tracked.order
    if order is None:
        return ""
    failed = sum(1 for i in order.phone_numbers if (i.status or "").strip().lower() in _BAD)
    return f"{order.count('Completed')}/{failed}/{len(order.phone_numbers)}"


def _drawn(tracked: TrackedOrder) -> tuple:
    """What the tracker draws of an order, but the age."""
    order = tracked.order
    items = tuple((i.number, i.status, i.error_message) for i in order.phone_numbers) if order else None
    created = order.create_date if order else None
    return (tracked.status, tracked.final, tracked.action, tracked.provision_class, items, str(created),
            tracked.submitted_at)


def _timestamp(value: object) -> float | None:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    return None


def _created(tracked: TrackedOrder) -> str:
    created = _timestamp(tracked.order.create_date) if tracked.order else None
    when = created if created is not None else tracked.submitted_at
    return datetime.fromtimestamp(when).astimezone().strftime("%Y-%m-%d %H:%M")


def _id_key(order_id: str) -> tuple:
    return (0, int(order_id), "") if order_id.isdigit() else (1, 0, order_id)
