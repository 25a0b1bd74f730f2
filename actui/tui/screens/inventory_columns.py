"""The list's columns and sort as the user left them: applied when the list opens, the column chooser (`c`),
and each change saved in the profile (tui/ui_prefs.py).

A mixin of InventoryScreen: it uses the screen's `sort_key`, `descending` and `show_rows`.
"""

from __future__ import annotations

from textual import work

from ...core.inventory import COLUMNS
from ..ui_prefs import chosen_columns, sort_text
from ..widgets.number_table import NumberTable


class ColumnActions:
    """Mixed into InventoryScreen."""

    def apply_view_prefs(self) -> None:
        """Before the first rows: the columns and sort remembered for this profile."""
        prefs = self.app.prefs
        self.query_one(NumberTable).set_columns(chosen_columns(prefs.columns))
        if prefs.sort:
            self.sort_key, self.descending = prefs.sort.removeprefix("-"), prefs.sort.startswith("-")

    @work(group="columns", exit_on_error=False)
    async def action_choose_columns(self) -> None:
        from .columns import ColumnsScreen

        table = self.query_one(NumberTable)
        chosen = await self.app.push_screen_wait(ColumnsScreen([column.key for column in table.columns]))
        if chosen is None:
            return
        table.set_columns(chosen_columns(chosen))
        self.remember_view()

    def remember_view(self) -> None:
        """Save the columns and sort shown now (a notice if the file cannot take them)."""
        shown = self.query_one(NumberTable).columns
        columns = None if shown == COLUMNS else tuple(column.key for column in shown)
        problem = self.app.prefs.view_changed(columns, sort_text(self.sort_key, self.descending))
        if problem:
            self.notify(problem, severity="warning", timeout=10)
