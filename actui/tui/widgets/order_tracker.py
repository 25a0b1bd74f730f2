"""The order tracker pane: tracked orders, newest first, each expandable to its numbers.

A Line API widget (ScrollView + render_line): it draws only the lines on screen, and an update repaints
only the lines of the orders that changed. Rows are keyed by order id and updated in place.

    tracker.refresh_orders(book.all())      # the whole set: adds, updates in place, drops the missing
    tracker.update_orders(message.changed)  # only these (OrderPoller.Updated): add or update in place

Ages come from the app's clock (`app_services`; time.time before mounting); a 30 s timer, running only while a
pending order is shown, redraws them. The row model and lines (terminal-safe Text) live in `order_lines`.
"""

from __future__ import annotations

import time

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from ...core.orders import TrackedOrder
from ..app_services import app_services
from .order_lines import (
    ColumnWidths,
    OrderRow,
    column_header,
    column_widths,
    detail_lines,
    nearest_row,
    newest_first,
    order_age,
    summary_line,
    upsert_rows,
)

EMPTY = "No tracked orders — press t to track one by id"
AGE_REFRESH = 30.0


class OrderTracker(ScrollView, can_focus=True):
    """Tracked orders: id, action, class, status, completed/failed/total, age; enter shows the numbers."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Previous order", show=False, id="orders.cursor_up"),
        Binding("down,j", "cursor_down", "Next order", show=False, id="orders.cursor_down"),
        Binding("home", "first", "First order", show=False, id="orders.first"),
        Binding("end", "last", "Last order", show=False, id="orders.last"),
        Binding("enter,space", "toggle", "Numbers", tooltip="Show or hide the order's numbers",
                id="orders.toggle"),
        Binding("right", "expand", "Show numbers", show=False, id="orders.expand"),
        Binding("left", "collapse", "Hide numbers", show=False, id="orders.collapse"),
        Binding("x,delete", "untrack", "Untrack", tooltip="Stop tracking a finished order",
                id="orders.untrack"),
    ]

    COMPONENT_CLASSES = {
        "order-tracker--header",
        "order-tracker--cursor",
        "order-tracker--ok",
        "order-tracker--bad",
        "order-tracker--partial",
        "order-tracker--muted",
    }

    DEFAULT_CSS = """
    OrderTracker {
        height: 10;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        border-top: solid $border-blurred;
        border-title-color: $text-muted;
        &:focus {
            border-top: solid $border;
            border-title-color: $foreground;
            background-tint: $foreground 5%;
            & > .order-tracker--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .order-tracker--header { color: $text-muted; text-style: bold; }
        & > .order-tracker--cursor { background: $block-cursor-blurred-background; }
        & > .order-tracker--ok { color: $text-success; }
        & > .order-tracker--bad { color: $text-error; }
        & > .order-tracker--partial { color: $text-warning; }
        & > .order-tracker--muted { color: $text-muted; }
    }
    """

    class Untrack(Message):
        """The user asked to stop tracking a final order; the App removes it from the book."""

        def __init__(self, tracker: OrderTracker, order_id: str) -> None:
            super().__init__()
            self.tracker = tracker
            self.order_id = order_id

        @property
        def control(self) -> OrderTracker:
            return self.tracker

    def __init__(self, orders: list[TrackedOrder] | None = None, *, name: str | None = None,
                 id: str | None = None, classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.border_title = "Orders"
        self._rows: dict[str, OrderRow] = {}
        self._ids: list[str] = []                # display order: newest first
        self._lines: list[tuple[str, int]] = []  # (order id, 0 = its header, n = its n-th detail line)
        self._first_line: dict[str, int] = {}    # order id -> index of its header in _lines
        self._cursor: str | None = None
        self._widths: tuple = ()
        self._cache: dict[int, Strip] = {}
        self._styles: dict[tuple[str, bool], Style] = {}
        self._age_timer: Timer | None = None
        self._ticking = False
        if orders:
            self._upsert(orders, complete=True)

    # --- public API -------------------------------------------------------------------------------

    @property
    def order_ids(self) -> list[str]:
        """The ids shown, top to bottom (newest first)."""
        return list(self._ids)

    @property
    def cursor_order_id(self) -> str | None:
        """The id of the highlighted order, or None when empty."""
        return self._cursor

    def tracked(self, order_id: str) -> TrackedOrder | None:
        row = self._rows.get(str(order_id))
        return row.tracked if row else None

    def is_expanded(self, order_id: str) -> bool:
        row = self._rows.get(str(order_id))
        return bool(row and row.expanded)

    def refresh_orders(self, tracked: list[TrackedOrder]) -> None:
        """Show exactly these orders: new ones are added, known ones updated in place, others dropped."""
        self._apply(tracked, complete=True)

    def update_orders(self, tracked: list[TrackedOrder]) -> None:
        """Add or update these orders in place (e.g. OrderPoller.Updated.changed); others stay as they are."""
        self._apply(tracked, complete=False)

    def remove_order(self, order_id: str) -> None:
        self.refresh_orders([r.tracked for k, r in self._rows.items() if k != str(order_id)])

    def select(self, order_id: str) -> None:
        """Move the cursor to an order."""
        if str(order_id) in self._rows:
            self._move_cursor(str(order_id))

    def expand(self, order_id: str, expanded: bool = True) -> None:
        """Show (or hide) an order's per-number lines."""
        row = self._rows.get(str(order_id))
        if row is None or row.expanded == expanded:
            return
        row.expanded = expanded
        self._relayout(force=True)
        self._show_order(str(order_id))

    def row_text(self, order_id: str) -> str:
        """The order's summary line as drawn (plain text), at the current width."""
        return self._header(self._rows[str(order_id)], self._content_width()).plain.rstrip()

    def detail_text(self, order_id: str) -> list[str]:
        """The order's per-number lines (plain text), as drawn when expanded."""
        row = self._rows[str(order_id)]
        return [t.plain.rstrip() for t in detail_lines(row, self._content_width(), self._style)]

    # --- keeping rows -----------------------------------------------------------------------------

    def _apply(self, tracked: list[TrackedOrder], complete: bool) -> None:
        if not self.is_mounted:
            self._upsert(tracked, complete)
            return
        with self.app.batch_update():
            changed = self._upsert(tracked, complete)
            structure = self._relayout()
            if not structure:
                for order_id in changed:
                    self._refresh_order(order_id)
            self._sync_age_timer()

    def _upsert(self, tracked: list[TrackedOrder], complete: bool) -> set[str]:
        """Update the row data; return the ids of rows whose drawing changed."""
        changed = upsert_rows(self._rows, tracked, complete, self._now())
        self._ids = newest_first(self._rows)
        if self._cursor not in self._rows:
            # where the cursor goes when its order disappears: the row now at its place, or the first
            drawn_order = sorted(self._first_line, key=self._first_line.__getitem__)
            nearest = nearest_row(self._cursor, drawn_order, self._rows)
            self._cursor = nearest if nearest is not None else (self._ids[0] if self._ids else None)
        return changed

    def _relayout(self, force: bool = False) -> bool:
        """Rebuild the line map; repaint everything when the lines or the columns moved. True if it did."""
        width = self._content_width()
        widths = self._column_widths(width)
        lines: list[tuple[str, int]] = []
        first: dict[str, int] = {}
        for key in self._ids:
            row = self._rows[key]
            row.details = detail_lines(row, width, self._style) if row.expanded else []
            first[key] = len(lines)
            lines.extend((key, n) for n in range(1 + len(row.details)))
        if not force and lines == self._lines and widths == self._widths:
            return False
        had_rows = bool(self._lines)
        self._lines, self._first_line, self._widths = lines, first, widths
        self._cache.clear()
        self.virtual_size = Size(0, len(lines) + 1)  # + the column header
        self.refresh()
        if had_rows != bool(lines):
            self.refresh_bindings()
        return True

    def _refresh_order(self, order_id: str) -> None:
        start = self._first_line.get(order_id)
        if start is None:
            return
        row = self._rows[order_id]
        count = 1 + (len(row.details) if row.expanded else 0)
        for index in range(start, start + count):
            self._cache.pop(index, None)
        self.refresh_lines(start + 1, count)  # line 0 of the widget is the column header

    # --- drawing ----------------------------------------------------------------------------------

    def _now(self) -> float:
        clock = app_services(self).clock if self.is_attached else time.time
        return float(clock())

    def _content_width(self) -> int:
        """The width lines are laid out for: the scrollbar's column is always kept free, so columns and
        wrapped messages do not move when the scrollbar comes and goes."""
        if not self.is_mounted:
            return 80
        return max(0, self.size.width - self.styles.scrollbar_size_vertical)

    def _column_widths(self, width: int) -> ColumnWidths:
        return column_widths(self._ids, [self._rows[k].tracked for k in self._ids], width)

    def _header(self, row: OrderRow, width: int, drawing: bool = False) -> Text:
        age = order_age(row.tracked, self._now())
        if drawing:
            row.age_text = age  # what refresh_ages compares with
        return summary_line(row, self._widths or self._column_widths(width), age, self._style)

    def _style(self, name: str, partial: bool = True) -> Style:
        """A component style: whole (cursor) or partial (colour and text style, laid over the line)."""
        key = (name, partial)
        style = self._styles.get(key)
        if style is None:
            full = self.get_component_rich_style(f"order-tracker--{name}")
            if partial:  # the partial style loses "auto" colours such as $text-muted: take the resolved one
                part = self.get_component_rich_style(f"order-tracker--{name}", partial=True)
                full = Style(color=full.color, bold=part.bold, dim=part.dim, italic=part.italic,
                             underline=part.underline, reverse=part.reverse, strike=part.strike)
            style = self._styles[key] = full
        return style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if not self._ids:
            if y != 0:
                return Strip.blank(width, base)
            text = Text(EMPTY, style=base + self._style("muted"), no_wrap=True, end="")
            return self._strip(text, width, base)
        if y == 0:
            text = column_header(self._widths or self._column_widths(self._content_width()))
            text.stylize(base + self._style("header"), 0)
            return self._strip(text, width, base)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self._lines):
            return Strip.blank(width, base)
        cached = self._cache.get(index)
        if cached is not None and cached.cell_length == width:
            return cached
        key, n = self._lines[index]
        row = self._rows[key]
        if n == 0:
            text = self._header(row, self._content_width(), drawing=True)
            line_style = base + (self._style("cursor", partial=False) if key == self._cursor else Style())
        else:
            text = row.details[n - 1] if n - 1 < len(row.details) else Text("")
            line_style = base
        styled = Text(style=line_style, no_wrap=True, end="")
        styled.append_text(text)
        if n == 0 and key == self._cursor and self.has_focus:
            styled.stylize(self._style("cursor", partial=False))
        strip = self._strip(styled, width, line_style)
        self._cache[index] = strip
        return strip

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, style)

    # --- events -----------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._age_timer = self.set_interval(AGE_REFRESH, self.refresh_ages, pause=True, name="order-ages")
        self._relayout(force=True)
        self._sync_age_timer()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout(force=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()

    def on_focus(self, event: events.Focus) -> None:
        self._refresh_cursor()

    def on_blur(self, event: events.Blur) -> None:
        self._refresh_cursor()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < len(self._lines):
            key = self._lines[index][0]
            if key == self._cursor and self._lines[index][1] == 0:
                self.action_toggle()
            else:
                self._move_cursor(key)

    def _refresh_cursor(self) -> None:
        if self._cursor is not None:
            self._refresh_order(self._cursor)

    @property
    def ticking(self) -> bool:
        """The age timer runs (only while a pending order is shown)."""
        return self._ticking

    def _sync_age_timer(self) -> None:
        if self._age_timer is None:
            return
        ticking = any(not r.tracked.final for r in self._rows.values())
        if ticking != self._ticking:
            self._ticking = ticking
            if ticking:
                self._age_timer.resume()
            else:
                self._age_timer.pause()

    def refresh_ages(self) -> None:
        """Redraw only the summary lines whose age text changed (the timer calls this every 30 s)."""
        now = self._now()
        with self.app.batch_update():
            for key, row in self._rows.items():
                text = order_age(row.tracked, now)
                if text != row.age_text:
                    row.age_text = text
                    self._refresh_order_header(key)
        self._sync_age_timer()

    def _refresh_order_header(self, order_id: str) -> None:
        index = self._first_line.get(order_id)
        if index is not None:
            self._cache.pop(index, None)
            self.refresh_lines(index + 1, 1)

    # --- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle", "expand", "collapse", "untrack", "cursor_up", "cursor_down", "first", "last"):
            return True if self._ids else None
        return True

    def _move_cursor(self, order_id: str | None) -> None:
        if order_id is None or order_id == self._cursor:
            return
        old, self._cursor = self._cursor, order_id
        if old is not None:
            self._refresh_order_header(old)
        self._refresh_order_header(order_id)
        self._show_order(order_id)

    def _show_order(self, order_id: str) -> None:
        start = self._first_line.get(order_id)
        if start is None:
            return
        row = self._rows[order_id]
        height = 1 + len(row.details)
        viewport = max(1, self.scrollable_content_region.height - 1)
        region = Region(0, start + 1, 1, min(height, viewport))
        self.scroll_to_region(region, spacing=Spacing(1, 0, 0, 0), animate=False, force=True, immediate=True)

    def _step(self, delta: int) -> None:
        if not self._ids:
            return
        index = self._ids.index(self._cursor) if self._cursor in self._ids else 0
        self._move_cursor(self._ids[max(0, min(len(self._ids) - 1, index + delta))])

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_first(self) -> None:
        if self._ids:
            self._move_cursor(self._ids[0])
            self.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        if self._ids:
            self._move_cursor(self._ids[-1])

    def action_toggle(self) -> None:
        if self._cursor is not None:
            self.expand(self._cursor, not self._rows[self._cursor].expanded)

    def action_expand(self) -> None:
        if self._cursor is not None:
            self.expand(self._cursor, True)

    def action_collapse(self) -> None:
        if self._cursor is not None:
            self.expand(self._cursor, False)

    def action_untrack(self) -> None:
        if self._cursor is None:
            return
        tracked = self._rows[self._cursor].tracked
        if not tracked.final:
            self.notify(f"Order {tracked.order_id} is still pending; untrack it once it is final.",
                        severity="warning", timeout=4, markup=False)
            return
        self.post_message(self.Untrack(self, tracked.order_id))
