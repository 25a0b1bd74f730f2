"""Export what the list shows (`list.export`, ctrl+e): the dialog of screens/export.py, handed the list's
rows as filtered and sorted, and the marked ones; its result said in a notification.

A mixin of InventoryScreen: it uses the screen's `inventory`, `marks`, `query_text`, `sort_key`,
`shown_only`, `keeper` and its NumberTable.
"""

from __future__ import annotations

from textual import work

from ..app_services import app_services
from ..widgets.number_table import NumberTable


class ExportActions:
    """Mixed into InventoryScreen."""

    def export_rows(self) -> list:
        """The rows the list shows, in its order: the table's, once a filter, a sort, a narrowing or the whole
        inventory makes it one list; while browsing page by page, every loaded page (not the one shown)."""
        inventory = self.inventory
        if inventory.all_loaded or self.query_text or self.sort_key or self.shown_only is not None:
            return list(self.query_one(NumberTable).rows)   # references only: the rows are the list's own
        return list(inventory.loaded)

    def marked_rows(self, rows: list) -> list:
        """The marked numbers: those the list shows in its order, then those the filter hides."""
        if not self.marks:
            return []
        marked = [row for row in rows if row.number in self.marks]
        if len(marked) < len(self.marks):
            shown = {row.number for row in marked}
            find = self.inventory.find
            from ...core.inventory import NumberRow

            for number in self.marks:
                if number not in shown:
                    marked.append(find(number) or NumberRow(number, (number,)))
        return marked

    def shown_fields(self) -> tuple[str, ...]:
        """The wire paths of the columns the list shows."""
        columns = self.query_one(NumberTable).columns   # the ones shown (the column chooser, `c`)
        return tuple(column.wire for column in columns)

    @work(group="export", exclusive=True, exit_on_error=False)
    async def action_export(self) -> None:
        from .export import ExportRequest, ExportScreen, fields_text

        services = app_services(self)
        rows = self.export_rows()
        inventory = self.inventory
        note = ""
        if not inventory.all_loaded and inventory.total and inventory.loaded_count < inventory.total:
            note = f"{inventory.loaded_count:,} of {inventory.total:,} numbers are loaded (L loads every page)"
        connection = services.connection
        request = ExportRequest(label=connection.label if connection else "", now=services.clock(),
                                fields_text=fields_text(self.shown_fields()), rows=rows,
                                marked=self.marked_rows(rows), copy=self.keeper.copy, note=note)
        done = await self.app.push_screen_wait(ExportScreen(request))
        if done is not None:
            noun = "number" if done.count == 1 else "numbers"
            self.notify(f"Wrote {done.count:,} {noun} to {done.path}", title="Exported", timeout=10, markup=False)
