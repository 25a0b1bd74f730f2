"""Marks in the list, for the inventory screen: space, shift+up/down, * and what the status line says.

A mixin of InventoryScreen: it uses the screen's `marks` (core.marks.Marks), `inventory`, `query_text`,
its NumberTable and `show_status`. `show_numbers` (the health screen's enter) narrows the list to a set of
numbers the filter language cannot say, marked, its label in the filter box until escape closes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..widgets.filter_box import FilterBox
from ..widgets.number_table import NumberTable


class MarkActions:
    shown_only: frozenset[str] | None = None   # show_numbers: the list narrowed to these numbers
    _filter_placeholder = ""

    def show_numbers(self, numbers: Iterable[str], label: str) -> None:
        """Only `numbers` in the list, every one marked (so `b` edits them), `label` in the filter box (where
        a filter typed narrows them further); escape shows every number again. The whole list is loaded
        first when it is not (as L loads it): the numbers may be on any page."""
        from ...core.safe_text import terminal_safe

        self.shown_only = frozenset(numbers)
        self.marks.clear()
        self.marks.add(sorted(self.shown_only))
        box = self.query_one("#filter", FilterBox)
        self._filter_placeholder = self._filter_placeholder or box.placeholder
        self.query_text = ""   # first: the box's listener then has nothing to do
        box.value = ""
        box.placeholder = terminal_safe(f"{label}, marked (b edits them) · escape shows all")
        box.display = True
        self.query_one(NumberTable).focus()
        if not self.inventory.all_loaded and not self.loading_all and self.app.session.connected:
            self.load_all()
        self.show_rows(to_top=True)

    def on_input_submitted(self, _) -> None:
        """enter in an empty filter box closes it (InventoryScreen.filter_kept, which runs first): so ends
        the narrowing its label named, at once."""
        if self.shown_only is not None and not self.query_one("#filter", FilterBox).display:
            self.show_rows()

    @property
    def narrowed(self) -> str:
        """Non-empty while show_numbers narrows the list: the status line then counts the rows as matches."""
        return "narrowed" if self.shown_only is not None else ""

    def only_shown(self, rows: list) -> list:
        """The rows of the view that show_numbers keeps (all of them when it keeps none); its narrowing ends
        once the filter box that names it is closed."""
        if self.shown_only is None:
            return rows
        box = self.query_one("#filter", FilterBox)
        if not box.display:
            self.shown_only = None
            box.placeholder = self._filter_placeholder or box.placeholder
            return rows
        if not (self.query_text or self.sort_key or self.inventory.all_loaded):
            rows = self.inventory.loaded   # the page alone would hide the numbers on other pages
        return [row for row in rows if row.number in self.shown_only]

    def marks_hidden(self) -> int:
        """How many marked numbers the current filter hides."""
        if not (self.marks and self.query_text):
            return 0
        from ...core.filtering import FilterError, compile_filter  # the first filter imports it, not start-up

        values = self.inventory.path_values
        try:
            keep = compile_filter(self.query_text, values)
        except FilterError:
            return 0
        find = self.inventory.find
        return self.marks.hidden(lambda number: (row := find(number)) is not None and keep(row, values))

    def action_mark(self) -> None:
        table = self.query_one(NumberTable)
        row = table.cursor_row
        if row is None:
            return
        self.marks.toggle(row.number)
        table.refresh_rows(table.cursor)
        table.move_cursor(table.cursor + 1)
        self.show_status()

    def action_mark_range(self, step: int) -> None:
        """shift+down/up: mark the cursor row and the row the cursor moves to."""
        table = self.query_one(NumberTable)
        start = table.cursor
        table.move_cursor(start + step)
        rows = table.rows
        self.marks.add(rows[i].number for i in {start, table.cursor} if 0 <= i < len(rows))
        table.refresh_rows(start, table.cursor)
        self.show_status()

    def action_mark_matching(self) -> None:
        from ...core.filtering import FilterError

        try:
            rows = self.inventory.matching(self.query_text)
        except FilterError:
            return
        added = self.marks.add(row.number for row in rows)
        self.query_one(NumberTable).refresh()
        self.show_status()
        scope = "matching the filter" if self.query_text else "loaded"
        more = "" if self.inventory.all_loaded else " (L loads every page first)"
        self.notify(f"Marked {added:,} more: every number {scope}{more}", timeout=4)

    def marked_or_cursor(self) -> list[str]:
        """What a bulk action acts on: the marks, else the number under the cursor."""
        if self.marks:
            return self.marks.numbers()
        row = self.query_one(NumberTable).cursor_row
        return [row.number] if row is not None else []
