"""The number editor: every updatable field of one number in a generated form (widgets/settings_form).

`EditorScreen(number, client, store, account, clock=..., read_only=...)` loads the number in a worker it
owns, validates as the user types, and on ctrl+s reads the number again: fields someone else changed
meanwhile are taken into the form (and marked); if they include fields the user changed, a conflict
dialog (screens/edit_conflict) lets the user overwrite, take theirs or go back. Then it shows exactly what
will be sent, old values as just read (screens/diff), before a PUT of only the changed fields through
core.edits.save_edit (which reads once more right before the PUT, and journals; screens/editor_save).
It dismisses with the server's answer (a PhoneNumber) after a save, or None when left. Unsaved edits are
kept as a draft in the local Store (debounced) and offered back the next time the number is opened; a
field the server changed since the draft was made is marked.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.widgets.collapsible import CollapsibleTitle

from ...api.client import ApiClient
from ...api.errors import ActuiError, AuthenticationError, InvalidInput, NetworkError, ServerValidationError
from ...api.number_models import PhoneNumber
from ...core.drafts import Draft, Drafts, rebase_draft
from ...core.journal import Journal
from ...core.patch import update_patch
from ...core.store import Store
from ..app_services import app_services
from ..safe import error_text
from ..widgets.address_editor import AddressEntry
from ..widgets.field_values import value_text
from ..widgets.message_line import MessageLine
from ..widgets.settings_form import FormSection, SettingsForm
from ..widgets.text_line import TextLine
from .detail import title_text
from .diff import LeaveScreen, RestoreDraftScreen, change_rows
from .editor_save import EditSaving
from .tcss import css_beside

_STATUSES = {status.value for status in HTTPStatus}
DRAFT_DELAY = 0.5
"""Seconds of quiet after a change before the draft is written."""


class EditorScreen(EditSaving, Screen[PhoneNumber | None]):
    """Edit one number's updatable fields and settings; dismissed with the saved PhoneNumber or None.
    (A save that leaves later edits on screen is still what the screen is dismissed with.)"""

    DEFAULT_CSS = css_beside(__file__, "editor.tcss")

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save", tooltip="Review the changes, then send them"),
        Binding("escape", "leave", "Back", id="editor.back"),
        Binding("f2", "fold", "Fold all", id="editor.fold", tooltip="Fold or unfold every section"),
        Binding("r", "reload", "Retry", id="editor.retry", show=False),
    ]

    def __init__(self, number: str, client: ApiClient, store: Store, account: str, *,
                 clock: Callable[[], float] | None = None, read_only: bool = False, journal: Journal | None = None,
                 name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.journal = journal or Journal(store, account)
        """Every save is journaled before it is sent and after (so it can be undone from the journal)."""
        self.number = number
        self.client = client
        self.clock: Callable[[], float] = clock or time.time
        self.read_only = read_only
        self.drafts = Drafts(store, account, clock=self.clock)
        self.phone: PhoneNumber | None = None
        """The number as loaded (the baseline of the edit)."""
        self.form: SettingsForm | None = None
        self.error: ActuiError | None = None
        """The last load's or save's error."""
        self.saving = False
        self.saved: PhoneNumber | None = None
        """The server's answer to a save made on this screen (the screen stays when edits remain)."""
        self.draft_saved_at: float | None = None
        self._drafting = False   # drafts are written only once a restore offer is answered
        self._draft_timer: Timer | None = None

    @property
    def e164(self) -> str:
        return self.phone.phone_number if self.phone is not None else self.number

    @property
    def draft_pending(self) -> bool:
        """A change is waiting for the debounce before it is written as a draft."""
        return self._draft_timer is not None

    @property
    def original(self) -> dict[str, Any] | None:
        return self.form.original if self.form is not None else None

    def compose(self) -> ComposeResult:
        yield TextLine(id="editor-title")
        yield MessageLine(id="editor-message")
        yield Container(id="editor-body")
        yield TextLine(id="editor-help")
        yield Footer()

    def on_mount(self) -> None:
        self._retitle()
        if self.read_only:
            self.show_message(Text.assemble(("This connection is read-only: ", "bold"),
                                            "numbers cannot be edited. escape to go back."), error=True)
            return
        self.load()

    # --- loading ----------------------------------------------------------------------------------

    @work(exclusive=True, group="editor-load", exit_on_error=False)
    async def load(self) -> None:
        body = self.query_one("#editor-body")
        body.loading = True
        try:
            phone = await self.client.get_number(self.number)
        except Exception as error:  # noqa: BLE001 - said on screen, never a crash
            body.loading = False
            self.error = error if isinstance(error, ActuiError) else None
            text = Text.assemble((f"Could not load {self.number}. ", "bold"), _describe(error),
                                 "\nr to retry · escape to go back")
            self.show_message(text, error=True)
            if isinstance(error, AuthenticationError):
                await self._report(error, self.load)
            self.refresh_bindings()
            return
        body.loading = False
        self.error = None
        self.show_message(None)
        await self._show(phone)
        self.refresh_bindings()

    async def _show(self, phone: PhoneNumber) -> None:
        self.phone = phone
        form = SettingsForm(phone.to_wire(), clock=self.clock, id="editor-form")
        await self.query_one("#editor-body").mount(form)
        self.form = form
        self._retitle()
        first = next(iter(form.editors.values()))
        # once laid out: focusing earlier scrolls by a guess of the sizes
        self.call_after_refresh(first.focus_target().focus, False)
        draft = self.drafts.load(self.e164)
        if draft is None:
            self._drafting = True
        else:
            self._offer(draft)

    def _offer(self, draft: Draft) -> None:
        form = self.form
        assert form is not None
        edited, conflicts = rebase_draft(draft, form.original)
        rows = change_rows(form.original, update_patch(form.original, edited), form.field_title)
        if not rows:   # the server already holds everything the draft changed
            self.drafts.discard(self.e164)
            self._drafting = True
            return
        when = self._clock_text(draft.saved_at)

        async def answered(choice: str | None) -> None:
            self._drafting = True
            if choice == "restore":
                await form.load_document(edited)
                form.set_conflicts({path: self._conflict_text(now) for path, now in conflicts.items()})
                self.draft_saved_at = draft.saved_at
                note = f"Restored unsaved changes from {when}."
                if conflicts:
                    note += " Marked fields changed on the server since: check them before saving."
                self.show_message(Text(note))
                self._retitle()
            elif choice == "discard":
                self.drafts.discard(self.e164)

        labels = [form.field_title(path) for path in conflicts]
        self.app.push_screen(RestoreDraftScreen(when, rows, labels), answered)

    @staticmethod
    def _conflict_text(now: Any) -> str:
        return (f"⚠ changed on the server since your draft; the server now has: {value_text(now).plain}. "
                "Saving replaces it with the value shown.")

    def _clock_text(self, stamp: float) -> str:
        then, now = datetime.fromtimestamp(stamp), datetime.fromtimestamp(self.clock())
        return f"{then:%H:%M}" if then.date() == now.date() else f"{then:%Y-%m-%d %H:%M}"

    # --- changes and drafts -----------------------------------------------------------------------

    @on(SettingsForm.Changed)
    def _form_changed(self, event: SettingsForm.Changed) -> None:
        event.stop()
        self._retitle()
        if self._drafting:
            if self._draft_timer is not None:
                self._draft_timer.stop()
            self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    def save_draft(self) -> None:
        """Keep the edit in the local store now (a draft that changes nothing is removed)."""
        self._write_draft()
        self._retitle()

    def _write_draft(self) -> None:
        self._draft_timer = None
        if self.form is None or not self._drafting:
            return
        saved = self.drafts.save(self.e164, base=self.form.original, edited=self.form.edited)
        self.draft_saved_at = saved.saved_at if saved else None

    def _drop_draft(self) -> None:
        self._drafting = False
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self.drafts.discard(self.e164)

    def on_unmount(self) -> None:
        if self._draft_timer is not None:   # leaving (or the app closing) within the debounce
            self._draft_timer.stop()
            try:
                self._write_draft()   # (the widgets are gone: form.edited is the last state)
            except sqlite3.Error:
                pass

    # --- saving -----------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.form is not None and not self.saving:
            self.save()

    def save(self) -> None:
        """Refuse while a field is invalid; else read the number again, settle what the server changed
        meanwhile (conflict dialog), show the diff and, once confirmed, PUT the changes.
        (Callbacks, not push_screen_wait: a worker waiting on a modal would hang the app's exit.)"""
        form = self.form
        if form is None or self.refused_invalid():
            return
        patch = update_patch(form.original, form.document())
        if not patch:
            self.show_message(Text("Nothing to save: no field has changed."))
            return
        self.saving = True
        self.run_worker(self._reread(patch), group="editor-save", exclusive=True, exit_on_error=False)

    def refused_invalid(self) -> bool:
        """Whether a field is invalid (then said, and the first one focused): nothing may be sent."""
        form = self.form
        assert form is not None
        problems = form.validate()
        if problems:
            names = list(dict.fromkeys(form.field_title(p.field) for p in problems))
            shown = "; ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
            self.show_message(Text.assemble(
                ("Not saved: ", "bold"), f"{len(names)} field{'s' if len(names) != 1 else ''} to fix: ",
                shown, ". Each says why beside it; nothing was sent."), error=True)
            if form.invalid_paths():
                form.focus_field(form.invalid_paths()[0])
        return bool(problems)

    async def _save_failed(self, error: Exception, patch: dict[str, Any],
                           retry: Callable[[], Any] | None = None) -> None:
        form = self.form
        assert form is not None
        kept = " Your edit is kept; fix the marked fields and press ctrl+s again."
        if isinstance(error, ServerValidationError):
            form.clear_server_messages()
            fields = error.field_messages
            left = form.set_server_messages(fields)
            said = [f"{path}: {message}" for path, message in left.items()]
            noise = {HTTPStatus(error.status).phrase.lower()} if error.status in _STATUSES else set()
            said += [m for m in error.server_messages
                     if m.partition(":")[0].strip() not in fields and not any(f"{f}: " in m for f in fields)
                     and m.strip().lower() not in noise]   # a bare "Bad Request" says nothing more
            status = f" (HTTP {error.status})" if error.status else ""
            text = Text.assemble(("Not saved: ", "bold"), f"the server refused the change{status}.",
                                 f" {'; '.join(said)}." if said else "", kept)
            self.show_message(text, error=True)
            if form.invalid_paths():
                form.focus_field(form.invalid_paths()[0])
        elif isinstance(error, InvalidInput):   # the client's own check, before sending
            form.set_server_messages(error.fields, who="not sent")
            self.show_message(Text.assemble(("Not saved: ", "bold"), str(error), kept), error=True)
        elif isinstance(error, AuthenticationError):
            self.show_message(Text.assemble(("Not saved: ", "bold"), str(error),
                                            " Your edit is kept; ctrl+s to try again."), error=True)
            await self._report(error, retry or (lambda: self._retry_put(patch)))
        elif isinstance(error, NetworkError):
            self.show_message(Text.assemble(("Not saved: ", "bold"), str(error), "\nNothing was lost: your "
                                            "edit is kept here and as a draft. ctrl+s to try again."), error=True)
        else:
            self.show_message(Text.assemble(("Not saved: ", "bold"), _describe(error),
                                            " Your edit is kept; ctrl+s to try again."), error=True)

    async def _report(self, error: Exception, retry: Callable[[], Any]) -> None:
        await app_services(self).report_error(error, retry)

    def _retry_put(self, patch: dict[str, Any]) -> None:
        """After the user typed the password again: the app's new client, the same confirmed change."""
        if not self.is_attached:
            return
        self.client = app_services(self).client or self.client
        self.put(patch)

    # --- leaving and other actions ------------------------------------------------------------------

    def action_leave(self) -> None:
        changed = self.form.changed_paths() if self.form is not None else []
        if not changed:
            if self._draft_timer is not None:   # changed back within the debounce: nothing to keep
                self.save_draft()
            self.dismiss(self.saved)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._drop_draft()
                self.dismiss(self.saved)

        assert self.form is not None
        self.app.push_screen(LeaveScreen([self.form.field_title(p) for p in changed]), answered)

    def action_fold(self) -> None:
        if self.form is not None:
            fold = any(not c.collapsed for c in self.form.query(FormSection))
            self.form.set_all_collapsed(fold)

    def action_reload(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reload":
            return self.form is None and not self.read_only and self.error is not None
        if action in ("save", "fold"):
            return True if self.form is not None else None
        return True

    # --- what the screen says -----------------------------------------------------------------------

    def show_message(self, text: Text | None, *, error: bool = False) -> None:
        self.query_one("#editor-message", MessageLine).show(text, error=error)

    def message_text(self) -> str:
        return self.query_one("#editor-message", MessageLine).shown_text

    def _title(self) -> Text:
        document = self.original
        text = Text("Edit ", style="bold")
        text.append_text(title_text(document, self.number))
        if self.form is not None:
            count = len(self.form.changed_paths())
            if count:
                text.append(f"  ● {count} unsaved change{'s' if count != 1 else ''}", style="bold")
                if self.draft_saved_at is not None:
                    text.append(" (draft kept)", style="dim")
        return text

    def _retitle(self) -> None:
        self.query_one("#editor-title", TextLine).text = self._title()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        help_line = self.query_one("#editor-help", TextLine)
        editor = self.form.editor_of(event.widget) if self.form is not None else None
        if isinstance(event.widget, AddressEntry):
            help_line.text = Text("enter or ctrl+n: add an address · ctrl+r (or backspace when empty): remove")
        elif editor is not None:
            help_line.text = Text.assemble((editor.path, "bold"), "  ", editor.spec.help)
        elif isinstance(event.widget, CollapsibleTitle):
            help_line.text = Text("enter: fold or unfold this section · f2: all sections")
        else:
            help_line.text = Text()


def _describe(error: Exception) -> str:
    return error_text(error)
