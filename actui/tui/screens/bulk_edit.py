"""Bulk edit: one settings form for the marked numbers, every field starting "unchanged".

`BulkEditScreen(numbers, plan)`: the user sets only the fields to change (a three-way select for
switches: unchanged / on / off); ctrl+s checks them, then `plan(numbers, requested, on_progress)` reads
every number's current values (BulkEngine.plan) and the preview (screens/bulk_preview) shows what would
change. Confirmed, the screen dismisses with the BulkPlan for the app to send; back from the preview, the
fields are as the user left them. Nothing is written from here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from ...api.errors import ActuiError
from ...core.bulk import BulkPlan
from ...core.patch import leaves, update_patch
from ..safe import error_text
from ..widgets.message_line import MessageLine
from ..widgets.settings_form import FormSection, SettingsForm
from ..widgets.text_line import TextLine
from .bulk_preview import BulkPreviewScreen
from .diff import LeaveScreen
from .tcss import css_beside

PlanMaker = Callable[[Sequence[str], dict[str, Any], Callable[[int, int], None]], Awaitable[BulkPlan]]


class BulkEditScreen(Screen[BulkPlan | None]):
    FORM = True  # q is a letter here
    DEFAULT_CSS = css_beside(__file__, "bulk_edit.tcss")

    BINDINGS = [
        Binding("ctrl+s", "review", "Review", id="bulk_edit.review",
                tooltip="Read the numbers' current values and show what would change"),
        Binding("escape", "leave", "Back", id="bulk_edit.back"),
        Binding("f2", "fold", "Fold all", id="bulk_edit.fold", tooltip="Fold or unfold every section"),
    ]

    def __init__(self, numbers: Sequence[str], plan: PlanMaker, *, clock: Callable[[], float] | None = None):
        super().__init__()
        self.numbers = list(numbers)
        self.make_plan = plan
        self.clock = clock
        self.form = SettingsForm({}, bulk=True, clock=clock, id="bulk-form")
        self.planning = False

    def compose(self) -> ComposeResult:
        yield TextLine(id="bulk-title")
        yield MessageLine(id="bulk-message")
        yield self.form
        yield TextLine(id="bulk-help")
        yield Footer()

    def on_mount(self) -> None:
        self._retitle()
        self.query_one("#bulk-help", TextLine).text = Text(
            "Set only what should change; untouched fields stay as each number has them · ctrl+s reviews")
        first = next(iter(self.form.editors.values()))
        self.call_after_refresh(first.focus_target().focus, False)

    def requested(self) -> dict[str, Any]:
        return update_patch({}, self.form.document())

    def _retitle(self) -> None:
        count = len(self.form.changed_paths()) if self.form.is_mounted else 0
        text = Text.assemble(("Bulk edit ", "bold"), f"{len(self.numbers):,} marked number"
                             f"{'s' if len(self.numbers) != 1 else ''}")
        if count:
            text.append(f"  ● {count} field{'s' if count != 1 else ''} to set", style="bold")
        self.query_one("#bulk-title", TextLine).text = text

    def on_settings_form_changed(self, event: SettingsForm.Changed) -> None:
        event.stop()
        self._retitle()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        editor = self.form.editor_of(event.widget)
        if editor is not None:
            self.query_one("#bulk-help", TextLine).text = Text.assemble((editor.path, "bold"), "  ",
                                                                         editor.spec.help)

    def show_message(self, text: Text | None, *, error: bool = False) -> None:
        self.query_one("#bulk-message", MessageLine).show(text, error=error)

    def message_text(self) -> str:
        return self.query_one("#bulk-message", MessageLine).shown_text

    # --- review -----------------------------------------------------------------------------------

    def action_review(self) -> None:
        if self.planning:
            return
        problems = self.form.validate()
        if problems:
            names = list(dict.fromkeys(self.form.field_title(p.field) for p in problems))
            self.show_message(Text.assemble(("Not reviewed: ", "bold"), f"fix {'; '.join(names[:4])}"
                                            f"{' and more' if len(names) > 4 else ''}. Nothing was sent."),
                              error=True)
            invalid = self.form.invalid_paths()
            if invalid:
                self.form.focus_field(invalid[0])
            return
        requested = self.requested()
        if not requested:
            self.show_message(Text("Nothing to change yet: set at least one field."))
            return
        self.plan(requested)

    @work(exclusive=True, group="bulk-plan", exit_on_error=False)
    async def plan(self, requested: dict[str, Any]) -> None:
        self.planning = True
        total = len(self.numbers)
        fields = len(list(leaves(requested)))

        def progress(done: int, of: int) -> None:
            self.show_message(Text(f"Reading the current values of {total:,} numbers… {done:,}/{of:,}"))

        progress(0, total)
        try:
            plan = await self.make_plan(self.numbers, requested, progress)
        except ActuiError as error:
            self.show_message(Text.assemble(("Not reviewed: ", "bold"), str(error), " Nothing was sent."),
                              error=True)
            fields_named = getattr(error, "fields", None)
            if fields_named:
                self.form.set_server_messages(fields_named, who="not sent")
            return
        except Exception as error:  # noqa: BLE001 - said on screen, never a crash
            self.show_message(Text(f"Not reviewed: {error_text(error)}"), error=True)
            return
        finally:
            self.planning = False
        self.show_message(Text(f"Read {total:,} numbers: {len(plan.items):,} would change "
                               f"({fields} field{'s' if fields != 1 else ''} asked)."))

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.dismiss(plan)
            else:
                self.show_message(Text("Nothing was sent. Change the fields, or ctrl+s to review again."))

        self.app.push_screen(BulkPreviewScreen(plan, f"Bulk edit · {plan.run_description()}"), answered)

    # --- leaving ----------------------------------------------------------------------------------

    def action_leave(self) -> None:
        changed = self.form.changed_paths()
        if not changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(LeaveScreen([self.form.field_title(p) for p in changed]), answered)

    def action_fold(self) -> None:
        fold = any(not c.collapsed for c in self.form.query(FormSection))
        self.form.set_all_collapsed(fold)
