"""NumberTable: a virtual table of numbers that draws only the lines on screen.

Textual's DataTable builds per-row state when rows are added (~10 s for 100,000 rows). This widget
uses the Line API instead (a `ScrollView` with `render_line`): it keeps the caller's list as it is,
sets `virtual_size`, and renders a line only when the compositor asks for it. Moving the cursor
repaints the two lines that changed (or the viewport when it scrolls).

Screen layout (content coordinates):

    y = 0       the header (column titles); never scrolls vertically, follows horizontal scrolling
    y >= 1      row `scroll_y + y - 1`

Every line starts with a fixed 2-cell gutter (the mark glyph), then the columns, which scroll
horizontally when even the never-dropped columns do not fit. The column math and the drawing of a
line live in `table_lines`; this module keeps the data, the cursor, scrolling and events.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.inventory import COLUMNS, ListColumn, NumberRow
from .table_lines import GUTTER, TableStyles, column_at, column_cells, fit_cell, header_strip, layout_columns, row_strip

__all__ = ["NumberTable"]


class NumberTable(ScrollView, can_focus=True):
    """A table of inventory rows that renders only what is visible.

    The caller owns the data: `set_rows` stores the list it is given (sorted and filtered by the
    caller) without copying or walking it; `set_sort` only draws the arrow in the header.
    """

    ALLOW_SELECT = False
    MARK_GLYPH = "●"
    """Drawn in the gutter of marked rows (one cell; set to "*" for fonts without it)."""

    BINDINGS: list[BindingType] = [
        Binding("up", "cursor_up", "Previous number", id="table.cursor_up", show=False),
        Binding("down", "cursor_down", "Next number", id="table.cursor_down", show=False),
        Binding("pageup,ctrl+b", "cursor_page_up", "Page up", id="table.page_up", show=False),
        Binding("pagedown,ctrl+f", "cursor_page_down", "Page down", id="table.page_down", show=False),
        Binding("home,g", "cursor_first", "First number", id="table.first", show=False),
        Binding("end,G,shift+g", "cursor_last", "Last number", id="table.last", show=False),
        Binding("enter", "select_cursor", "Open number", id="table.select", show=False),
    ]

    COMPONENT_CLASSES = {
        "number-table--header",
        "number-table--cursor",
        "number-table--marked",
        "number-table--stale",
        "number-table--empty",
        "number-table--status-muted",
        "number-table--status-warning",
    }

    DEFAULT_CSS = """
    NumberTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;

        & > .number-table--header {
            background: $panel;
            color: $foreground;
            text-style: bold;
        }
        & > .number-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .number-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .number-table--marked {
            background: $accent 20%;
            color: $foreground;
        }
        & > .number-table--stale {
            color: $text-muted;
            text-style: italic;
        }
        & > .number-table--empty {
            color: $text-muted;
        }
        & > .number-table--status-muted {
            color: $text-muted;
        }
        & > .number-table--status-warning {
            color: $text-warning;
        }
    }
    """

    stale: reactive[bool] = reactive(False)
    """True while the rows on screen may be out of date (e.g. after a network failure): drawn dimmed."""

    empty_text: reactive[str] = reactive("No numbers")
    """The line shown under the header when there are no rows."""

    class Selected(Message):
        """Enter (or a click on the cursor row) on a row."""

        def __init__(self, row: NumberRow, table: NumberTable) -> None:
            self.row = row
            self.table = table
            super().__init__()

        @property
        def control(self) -> NumberTable:
            return self.table

    class CursorMoved(Message):
        """The cursor moved to another row (or its row was replaced). Rapid moves coalesce."""

        def __init__(self, row: NumberRow | None, index: int, table: NumberTable) -> None:
            self.row = row
            self.index = index
            self.table = table
            super().__init__()

        @property
        def control(self) -> NumberTable:
            return self.table

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, NumberTable.CursorMoved) and message.table is self.table

    class HeaderClicked(Message):
        """A column title was clicked (the caller may sort by it, then call `set_sort`)."""

        def __init__(self, key: str, table: NumberTable) -> None:
            self.key = key
            self.table = table
            super().__init__()

        @property
        def control(self) -> NumberTable:
            return self.table

    def __init__(self, *, columns: Sequence[ListColumn] = COLUMNS, name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._strip_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._layout_key: tuple[int, int] | None = None
        self.set_columns(columns)   # _columns, _cell_indexes, _status_index
        self._rows: list[NumberRow] = []
        self._cursor = 0
        self._marked: Container[str] = frozenset()
        self._sort: tuple[str | None, bool] = (None, False)
        self._styles: TableStyles | None = None
        self._last_posted: tuple[int, NumberRow | None] = (0, None)
        # Called in the same step as the move, unlike CursorMoved: what it changes on screen (a status
        # line) is drawn in the same frame as the table, not one frame later.
        self.cursor_listener: Callable[[int, NumberRow | None], None] | None = None

    # --- the data ---------------------------------------------------------------------------------

    @property
    def rows(self) -> list[NumberRow]:
        """The rows shown, in display order (the list given to `set_rows`, not a copy)."""
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor(self) -> int:
        """Index of the cursor row in `rows` (0 when empty)."""
        return self._cursor

    @cursor.setter
    def cursor(self, index: int) -> None:
        self.move_cursor(index)

    @property
    def cursor_row(self) -> NumberRow | None:
        rows = self._rows
        return rows[self._cursor] if 0 <= self._cursor < len(rows) else None

    @property
    def marked(self) -> Container[str]:
        """Numbers (E.164) drawn with the mark glyph. Change it with `set_marked`."""
        return self._marked

    @property
    def sort(self) -> tuple[str | None, bool]:
        """The (column key, descending) the header shows an arrow for."""
        return self._sort

    @property
    def columns(self) -> tuple[ListColumn, ...]:
        return self._columns

    def set_columns(self, columns: Sequence[ListColumn]) -> None:
        """Show these columns (of core.inventory.COLUMNS, in this order): the user's choice of them."""
        self._columns = tuple(columns)
        self._cell_indexes, self._status_index = column_cells(self._columns, COLUMNS)
        # no layout (so the next render lays them out and drops the cached lines)
        self._layout_key, self._layout = None, layout_columns((), 0)
        self.refresh()

    def set_rows(self, rows: list[NumberRow], keep_number: str | None = None) -> None:
        """Show `rows` (kept as given, not copied).

        The cursor stays on `keep_number` if it is among the rows, at the same place on screen
        where possible; otherwise the cursor index is clamped to the new rows.
        """
        old_index = self._cursor
        old_screen_y = old_index - self.scroll_offset.y
        self._rows = rows
        self._strip_cache.clear()
        index = self._find(keep_number) if keep_number is not None else None
        kept = index is not None
        if index is None:
            index = min(old_index, len(rows) - 1)
        self._cursor = max(0, index)
        self._update_virtual_size()
        self.refresh()
        if kept and self.size.height and 0 <= old_screen_y < self._page_size():
            self.scroll_to(y=self._cursor - old_screen_y, animate=False, force=True)
        self._scroll_to_cursor()
        self._post_cursor_moved()

    def set_marked(self, numbers: Container[str]) -> None:
        """Draw these numbers (E.164) with the mark glyph. Kept by reference: after changing the
        container, call `refresh_rows` for what changed (or `refresh` for everything)."""
        self._marked = numbers
        self.refresh()

    def refresh_rows(self, *indexes: int) -> None:
        for index in indexes:
            self._refresh_row(index)

    def set_sort(self, key: str | None, descending: bool = False) -> None:
        """Draw ▲/▼ next to column `key`'s title (None: no arrow). Sorting is the caller's job."""
        if (key, descending) != self._sort:
            self._sort = (key, descending)
            self.refresh(Region(0, 0, self.size.width, 1))

    def move_to_number(self, number: str) -> bool:
        """Put the cursor on `number` (E.164). False if it is not among the rows."""
        index = self._find(number)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row `index` (clamped), scrolling it into view."""
        self._set_cursor(index)
        self._scroll_to_cursor()

    def _find(self, number: str) -> int | None:
        rows = self._rows
        if 0 <= self._cursor < len(rows) and rows[self._cursor].number == number:
            return self._cursor
        for index, row in enumerate(rows):
            if row.number == number:
                return index
        return None

    def _set_cursor(self, index: int) -> None:
        new = clamp(index, 0, max(0, len(self._rows) - 1))
        old = self._cursor
        if new == old:
            return
        self._cursor = new
        self._refresh_row(old)
        self._refresh_row(new)
        self._post_cursor_moved()

    def _post_cursor_moved(self) -> None:
        state = (self._cursor, self.cursor_row)
        last_index, last_row = self._last_posted
        if state[0] != last_index or state[1] is not last_row:
            self._last_posted = state
            if self.cursor_listener is not None:
                self.cursor_listener(state[0], state[1])
            self.post_message(self.CursorMoved(state[1], state[0], self))

    # --- geometry ---------------------------------------------------------------------------------

    def _page_size(self) -> int:
        """Rows visible under the header."""
        return max(1, self.size.height - self.scrollbar_size_horizontal - 1)

    def _refresh_row(self, index: int) -> None:
        y = index - self.scroll_offset.y + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_to_cursor(self) -> None:
        if not self.size.height:
            return
        top = self.scroll_offset.y
        page = self._page_size()
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, force=True)
        elif self._cursor >= top + page:
            self.scroll_to(y=self._cursor - page + 1, animate=False, force=True)

    def _check_layout(self) -> None:
        """Re-pick the columns when the usable width changed (resize, scrollbar shown or hidden)."""
        key = (self.size.width, self.scrollbar_size_vertical)
        if key != self._layout_key:
            self._layout_key = key
            layout = layout_columns(self._columns, key[0] - key[1])
            if layout != self._layout:
                self._layout = layout
                self._strip_cache.clear()
                self.refresh()
            self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        size = Size(self._layout.total_width, len(self._rows) + 1)
        if size != self.virtual_size:
            if not self.size or self.styles.height is None or self.styles.height.is_auto:
                self.virtual_size = size   # not laid out yet, or its height follows its rows: a layout pass
                return
            # Its own size does not follow its rows (1fr): no layout pass, which sizes the scrollbar
            # after the frame's compositor pass (repainted a frame, 16.7 ms at 60 fps, after the rows).
            # A scrollbar that appears or goes still asks for one (show_vertical_scrollbar is layout=True).
            # Widget._scroll_update is Textual's own step after a layout (private: test_textual_private_api.py).
            self.set_reactive(NumberTable.virtual_size, size)
            self._scroll_update(size)
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._check_layout()
        self._scroll_to_cursor()

    # --- actions ----------------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_cursor_page_down(self) -> None:
        page = self._page_size()
        self._set_cursor(self._cursor + page)
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, force=True)
        self._scroll_to_cursor()

    def action_cursor_page_up(self) -> None:
        page = self._page_size()
        self._set_cursor(self._cursor - page)
        self.scroll_to(y=self.scroll_offset.y - page, animate=False, force=True)
        self._scroll_to_cursor()

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_select_cursor(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.Selected(row, self))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            index = column_at(self._layout, offset.x, self.scroll_offset.x)
            if index is not None:
                self.post_message(self.HeaderClicked(self._columns[index].key, self))
            return
        index = self.scroll_offset.y + offset.y - 1
        if 0 <= index < len(self._rows):
            if index == self._cursor:
                self.post_message(self.Selected(self._rows[index], self))
            else:
                self.move_cursor(index)

    # --- rendering --------------------------------------------------------------------------------

    def watch_stale(self) -> None:
        self._strip_cache.clear()

    def watch_empty_text(self) -> None:
        self.refresh()

    def _current_styles(self) -> TableStyles:
        styles = TableStyles.of(self.rich_style, self.get_component_rich_style)
        if styles != self._styles:
            self._styles = styles
            self._strip_cache.clear()
        return styles

    def render_lines(self, crop: Region) -> list[Strip]:
        self._check_layout()
        self._current_styles()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        styles = self._styles or self._current_styles()
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            return self._render_header(width, scroll_x, styles)
        index = scroll_y + y - 1
        if index < len(self._rows):
            return self._render_row(index, width, scroll_x, styles)
        if y == 1 and not self._rows:
            text = fit_cell(" " * GUTTER + self.empty_text, width)
            return Strip([Segment(text, styles.empty)], width)
        return Strip.blank(width, styles.base)

    def _render_header(self, width: int, scroll_x: int, styles: TableStyles) -> Strip:
        return header_strip(self._columns, self._layout, self._sort, width, scroll_x, styles.header)

    def _render_row(self, index: int, width: int, scroll_x: int, styles: TableStyles) -> Strip:
        row = self._rows[index]
        is_cursor = index == self._cursor
        is_marked = row.number in self._marked
        key = (index, width, scroll_x, is_cursor, is_marked)
        cached = self._strip_cache.get(key)
        if cached is not None:
            return cached

        stale = self.stale
        style = styles.row_style(is_cursor, stale, is_marked)
        status_index = self._status_index if not (is_cursor or stale) else -1
        glyph = fit_cell(self.MARK_GLYPH, GUTTER) if is_marked else " " * GUTTER
        strip = row_strip(row.cells, self._layout, style, styles, status_index, glyph, width, scroll_x,
                          self._cell_indexes)
        self._strip_cache[key] = strip
        return strip
