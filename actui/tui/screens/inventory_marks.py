"""Marks in the list, for the inventory screen: space, shift+up/down, * and what the status line says.

A mixin of InventoryScreen: it uses the screen's `marks` (core.marks.Marks), `inventory`, `query_text`,
its NumberTable and `show_status`.
"""

from __future__ import annotations

from ..widgets.number_table import NumberTable


class MarkActions:
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
