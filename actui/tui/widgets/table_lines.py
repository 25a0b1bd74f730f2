"""The NumberTable's column math and line drawing, free of widget state.

`layout_columns` picks the columns that fit a width, `fit_cell` makes a value exactly one cell width
(terminal-safe, wide characters measured in cells), and `header_strip` / `row_strip` draw one line of
the table from a layout (the widget caches them and handles cursor, marks and scrolling).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ...core.inventory import ListColumn
from ...core.safe_text import terminal_safe

GUTTER = 2
"""Cells on the left of every line for the mark glyph (always there, so marking never shifts columns)."""

ELLIPSIS = "…"


def fit_cell(text: str, width: int) -> str:
    """`text` made exactly `width` cells wide: padded with spaces, or clipped with an ellipsis.

    Wide characters (CJK, emoji) are measured in terminal cells; one split by the clip is replaced
    by a space, so the columns after it stay aligned.
    """
    if width <= 0:
        return ""
    text = terminal_safe(text)   # API data: controls drawn as visible stand-ins (the same string when clean)
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length) if length < width else text
    return set_cell_size(text, width - 1) + ELLIPSIS


class TableLayout(NamedTuple):
    """Which columns are shown, and how wide, for one viewport width."""

    columns: tuple[tuple[int, int], ...]   # (index into the column tuple, width in cells)
    columns_width: int                      # cells of the columns part (separators included)
    total_width: int                        # gutter + columns: the virtual width


def layout_columns(columns: Sequence[ListColumn], available: int) -> TableLayout:
    """Pick the columns that fit in `available` cells (gutter included).

    Columns are dropped in descending `drop` order (0 never goes) until the preferred widths fit;
    the `description` column takes whatever is left over. If even the kept columns do not fit, the
    layout is wider than `available` and the table scrolls horizontally.
    """
    room = max(0, available - GUTTER)
    kept = list(range(len(columns)))

    def needed(indexes: list[int]) -> int:
        return sum(columns[i].width for i in indexes) + max(0, len(indexes) - 1)

    droppable = sorted((i for i, c in enumerate(columns) if c.drop > 0),
                       key=lambda i: columns[i].drop, reverse=True)
    for index in droppable:
        if needed(kept) <= room:
            break
        kept.remove(index)

    widths = {i: columns[i].width for i in kept}
    spare = room - needed(kept)
    if spare > 0:
        for i in kept:
            if columns[i].key == "description":
                widths[i] += spare
                break
    shown = tuple((i, widths[i]) for i in kept)
    columns_width = sum(w for _, w in shown) + max(0, len(shown) - 1)
    return TableLayout(shown, columns_width, GUTTER + columns_width)


class TableStyles(NamedTuple):
    """The rich styles of one render pass (a change of focus or theme gives a new tuple)."""

    base: Style
    header: Style
    cursor: Style
    marked: Style
    stale: Style
    empty: Style
    status_muted: Style
    status_warning: Style

    @classmethod
    def of(cls, base: Style, get: Callable[[str], Style]) -> TableStyles:
        """The styles of the table's component classes (`get`: the widget's get_component_rich_style)."""
        return cls(base, get("number-table--header"), get("number-table--cursor"), get("number-table--marked"),
                   get("number-table--stale"), get("number-table--empty"),
                   Style(color=get("number-table--status-muted").color),
                   Style(color=get("number-table--status-warning").color))

    def row_style(self, is_cursor: bool, stale: bool, is_marked: bool) -> Style:
        """A row's style: the cursor (italic while stale) over stale (dimmed) over marked."""
        if is_cursor:
            return self.cursor + Style(italic=True) if stale else self.cursor
        if stale:
            return self.stale
        if is_marked:
            return self.marked
        return self.base


def header_strip(columns: Sequence[ListColumn], layout: TableLayout, sort: tuple[str | None, bool],
                 width: int, scroll_x: int, style: Style) -> Strip:
    """The column titles (with ▲/▼ on the sorted one), scrolled by `scroll_x`, behind the gutter."""
    sort_key, descending = sort
    arrow = "▼" if descending else "▲"
    segments = []
    for position, (index, cell_width) in enumerate(layout.columns):
        if position:
            segments.append(Segment(" ", style))
        column = columns[index]
        title = column.title
        if column.key == sort_key:
            title = f"{title} {arrow}"
            if cell_len(title) > cell_width:
                title = fit_cell(column.title, cell_width - 1).rstrip() + arrow
        segments.append(Segment(fit_cell(title, cell_width), style))
    body = Strip(segments, layout.columns_width)
    body = body.crop_extend(scroll_x, scroll_x + width - GUTTER, style)
    return Strip.join([Strip([Segment(" " * GUTTER, style)], GUTTER), body]).crop(0, width)


def column_cells(columns: Sequence[ListColumn],
                 cells_order: Sequence[ListColumn]) -> tuple[tuple[int, ...] | None, int]:
    """For the columns shown: where each one's text is in a row's cells (which follow `cells_order`; None when
    the columns are that order), and the status column's position among them (-1: not shown)."""
    indexes = tuple(cells_order.index(c) if c in cells_order else i for i, c in enumerate(columns))
    status = next((i for i, c in enumerate(columns) if c.key == "status"), -1)
    return (None if indexes == tuple(range(len(cells_order))) else indexes), status


def row_strip(cells: Sequence[str], layout: TableLayout, style: Style, styles: TableStyles,
              status_index: int, glyph: str, width: int, scroll_x: int,
              cell_indexes: Sequence[int] | None = None) -> Strip:
    """One row's line in `style`; a status other than Active (at `status_index`, -1 for none) muted
    or warned; `glyph` fills the gutter. `cell_indexes`: where each column's text is in `cells` (None: in
    order, see column_cells)."""
    if cell_indexes is not None:
        cells = [cells[i] for i in cell_indexes]
    segments = []
    for position, (column, cell_width) in enumerate(layout.columns):
        if position:
            segments.append(Segment(" ", style))
        text = cells[column] if column < len(cells) else ""
        cell_style = style
        if column == status_index and text != "Active":
            cell_style = style + (styles.status_muted if text in ("Inactive", "")
                                  else styles.status_warning)
        segments.append(Segment(fit_cell(text, cell_width), cell_style))
    body = Strip(segments, layout.columns_width)
    body = body.crop_extend(scroll_x, scroll_x + width - GUTTER, style)
    return Strip.join([Strip([Segment(glyph, style)], GUTTER), body]).crop(0, width)


def column_at(layout: TableLayout, x: int, scroll_x: int) -> int | None:
    """The index (into the columns) of the column under cell `x` of the widget, scrolled by `scroll_x`;
    None on the gutter, a separator or past the last column."""
    if x < GUTTER:
        return None
    position = x - GUTTER + scroll_x
    start = 0
    for index, width in layout.columns:
        if start <= position < start + width:
            return index
        start += width + 1
    return None
