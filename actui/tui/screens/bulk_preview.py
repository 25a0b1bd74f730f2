"""What a bulk change will do, before anything is sent: per field how many numbers it alters, per number
the old → new values. Numbers already as asked are counted and skipped (never sent).

`BulkPreviewScreen(plan, title)` dismisses with True once the user confirmed by typing the count of
numbers that will change (TypeCountScreen; its default is "no"), False when they went back. A number
whose fields someone changes on the server after this preview is reported as a conflict and not written;
`o` sets the plan to overwrite such changes instead (plan.overwrite).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...api.phone import friendly
from ...core.bulk import BulkPlan
from ...core.patch import leaves
from ..safe import plain
from ..widgets.field_values import value_text
from .tcss import css_beside
from .type_count import TypeCountScreen


def plan_summary(plan: BulkPlan) -> Text:
    text = Text.assemble((f"{len(plan.items):,} number{'s' if len(plan.items) != 1 else ''} will change", "bold"))
    if plan.unchanged:
        text.append(f" · {len(plan.unchanged):,} already as asked (skipped)")
    if plan.conflicts:
        text.append(f" · {len(plan.conflicts):,} changed since (left alone)", style="bold yellow")
    if plan.unreadable:
        text.append(f" · {len(plan.unreadable):,} could not be read", style="bold red")
    if plan.refused:
        text.append(f" · {len(plan.refused):,} refused by actui's checks (never sent)", style="bold red")
    return text


class BulkPreviewScreen(Screen[bool]):
    DEFAULT_CSS = css_beside(__file__, "bulk_preview.tcss")

    BINDINGS = [
        Binding("ctrl+s,enter", "confirm", "Send", id="bulk_preview.send", priority=True),
        Binding("escape", "back", "Back", id="bulk_preview.back"),
        Binding("o", "overwrite", "Overwrite later changes", id="bulk_preview.overwrite",
                tooltip="Write even numbers changed on the server after this preview (or report them)"),
    ]

    def __init__(self, plan: BulkPlan, title: str):
        super().__init__()
        self.plan = plan
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Static(plain(self.title_text), id="preview-title")
        yield Static(plan_summary(self.plan), id="preview-summary")
        yield DataTable(id="preview-fields", cursor_type="none", show_cursor=False)
        yield DataTable(id="preview-numbers", cursor_type="row", zebra_stripes=True)
        yield Static(self._hint(), id="preview-hint")
        yield Footer()

    def on_mount(self) -> None:
        fields = self.query_one("#preview-fields", DataTable)
        fields.add_columns("Field", "New value", "Numbers it alters")
        counts = self.plan.field_counts()
        asked = dict(leaves(self.plan.requested)) if self.plan.requested else {}
        paths = list(asked) + [p for p in counts if p not in asked]
        for path in paths:
            new = asked.get(path)
            shown = value_text(new) if path in asked else Text("old value", style="dim")
            fields.add_row(plain(path), shown, Text(f"{counts.get(path, 0):,}"))
        numbers = self.query_one("#preview-numbers", DataTable)
        numbers.add_columns("Number", "Field", "Old", "→ New")
        width = max(12, (self.app.size.width - 40) // 2)   # old and new side by side, even at 80 columns
        for item in self.plan.items:
            for index, change in enumerate(item.changes):
                numbers.add_row(plain(friendly(item.number) if index == 0 else ""),
                                plain(change.path.removeprefix("settings.")),
                                _cut(value_text(change.old), width), _cut(value_text(change.new), width))
        for number, why in self.plan.conflicts.items():
            numbers.add_row(plain(friendly(number)), Text("conflict", style="bold yellow"), plain(why), Text(""))
        for number, why in self.plan.unreadable.items():
            numbers.add_row(plain(friendly(number)), Text("not read", style="bold red"), plain(why), Text(""))
        for number, why in self.plan.refused.items():
            numbers.add_row(plain(friendly(number)), Text("refused", style="bold red"), plain(why), Text(""))
        numbers.focus()

    def action_confirm(self) -> None:
        count = len(self.plan.items)
        if not count:
            return

        def answered(ok: bool | None) -> None:
            if ok:
                self.dismiss(True)

        what = f"change {count:,} number{'s' if count != 1 else ''}"
        self.app.push_screen(TypeCountScreen(f"Send this change? It will {what}.", count), answered)

    def action_back(self) -> None:
        self.dismiss(False)

    def action_overwrite(self) -> None:
        if self.plan.items:
            self.plan.overwrite = not self.plan.overwrite
            self.query_one("#preview-hint", Static).update(self._hint())

    def _hint(self) -> Text:
        if not self.plan.items:
            return Text("Nothing to send · escape goes back")
        text = Text("enter: send (you type the count first) · escape: back, nothing sent\n")
        if self.plan.overwrite:
            text.append("Numbers changed after this preview: OVERWRITTEN", style="bold yellow")
            text.append(" · o: leave them alone")
        else:
            text.append("Numbers changed after this preview: left alone (conflicts) · o: overwrite")
        return text


def _cut(text: Text, width: int) -> Text:
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text
