"""The editor's save, from ctrl+s to the server's answer, as a part of EditorScreen (screens/editor.py).

ctrl+s reads the number again: what the server changed meanwhile comes into the form (marked ↻); a field
changed on both sides opens EditConflictScreen (overwrite, take theirs, back). The diff then shows the
old values as just read, and the PUT goes through core.edits.save_edit, which reads once more right
before it (a change in between comes back here as a conflict) and journals it. A failed save keeps the
edit (EditorScreen._save_failed says why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from ...api.errors import ActuiError
from ...core.edits import ABSENT, EditConflict, FieldConflict, Rebased, rebase, save_edit
from ...core.patch import apply, get_path, leaves, set_path, update_patch
from ...core.safe_text import terminal_safe
from ..app_services import app_services
from ..widgets.field_values import MISSING, value_text
from ..widgets.settings_form import SettingsForm
from .diff import DiffScreen, change_rows
from .edit_conflict import ConflictRow, EditConflictScreen

if TYPE_CHECKING:
    from ...api.number_models import PhoneNumber


class EditSaving:
    """Mixed into EditorScreen: uses its form, client, journal, e164 and message line."""

    async def _reread(self, patch: dict[str, Any]) -> None:
        """The diff's "old" values are the server's as of now, not as of when the editor opened."""
        self.show_message(Text("Reading the number again before saving…"))
        try:
            phone = await self.client.get_number(self.e164)
        except Exception as error:  # noqa: BLE001 - said on screen, never a crash
            self.error = error if isinstance(error, ActuiError) else None
            await self._save_failed(error, patch, retry=self._retry_save)
            return
        finally:
            self.saving = False
        self.show_message(None)
        await self._settle(phone.to_wire())

    async def _settle(self, current: dict[str, Any]) -> None:
        """Put the edit on the number as the server holds it now: what the server changed meanwhile comes
        into the form (marked); a field changed on both sides asks the user; else the diff."""
        form = self.form
        assert form is not None
        mine = update_patch(form.original, form.document())
        based = rebase(form.original, current, mine)
        if current != form.original:
            await self._rebase_form(based, mine)
            if self.refused_invalid():   # the user's values no longer fit what the server holds now
                return
        if not based.conflicts:
            self._confirm()
            return
        form = self.form
        assert form is not None
        rows = [ConflictRow(c.path, form.field_title(c.path), c.loaded, c.theirs, c.yours) for c in based.conflicts]
        refreshed = list(dict.fromkeys(form.field_title(path) for path in based.refreshed))

        async def answered(choice: str | None) -> None:
            if choice == "overwrite":
                self._confirm()
            elif choice == "theirs":
                await self._take_theirs(based.conflicts)
                self._confirm(nothing="Took the server's values: nothing else to save.")
            else:
                labels = ", ".join(form.field_title(c.path) for c in based.conflicts)
                self.show_message(Text.assemble(
                    ("Not saved: ", "bold"), f"changed on the server since you opened it: {labels}. ",
                    "The form now starts from the server's values, each marked; yours are kept. "
                    "ctrl+s to review and save them over the server's."), error=True)
                self.call_after_refresh(form.focus_field, based.conflicts[0].path)

        self.app.push_screen(EditConflictScreen(self.e164, rows, refreshed), answered)

    def _confirm(self, nothing: str = "Nothing to save: the server already holds your changes.") -> None:
        """The diff of what a save sends now, old values as just read; once confirmed, the PUT."""
        form = self.form
        assert form is not None
        patch = update_patch(form.original, form.document())
        if not patch:
            self._write_draft()
            self.show_message(Text(nothing))
            self._retitle()
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.put(patch)

        self.app.push_screen(DiffScreen(change_rows(form.original, patch, form.field_title), self.e164), answered)

    async def _rebase_form(self, based: Rebased, mine: dict[str, Any]) -> None:
        """The form again, starting from the number as just read, with the user's changes on top; the
        fields the server changed are marked (and named in the message)."""
        await self._replace_form(based.current, mine)
        form = self.form
        assert form is not None
        marks: dict[str, str] = {path: "↻ changed on the server since you opened it: now "
                                       f"{_shown(get_path(based.current, path, ABSENT))} (refreshed here)"
                                 for path in based.refreshed}
        marks.update({c.path: f"⚠ changed on the server since you opened it: {_shown(c.loaded)} → "
                              f"{_shown(c.theirs)}; yours is {_shown(c.yours)}" for c in based.conflicts})
        form.set_conflicts(marks)
        if based.refreshed:
            labels = list(dict.fromkeys(form.field_title(path) for path in based.refreshed))
            self.show_message(Text.assemble(
                ("Refreshed: ", "bold"), f"the server changed {len(labels)} field{'s' if len(labels) != 1 else ''}"
                " you did not touch since you opened this number: ", terminal_safe(", ".join(labels)),
                " (marked ↻ in the form)."))

    async def _take_theirs(self, conflicts: list[FieldConflict]) -> None:
        """Drop the user's change to each conflicting field: it shows the server's value again."""
        form = self.form
        assert form is not None
        dropped = {c.path for c in conflicts}
        keep: dict[str, Any] = {}
        for path, value in leaves(update_patch(form.original, form.document())):
            if path not in dropped:
                set_path(keep, path, value)
        await form.load_document(apply(form.original, keep))
        form.set_conflicts({path: None for path in dropped})   # type: ignore[misc]
        self._retitle()

    def put(self, patch: dict[str, Any]) -> None:
        self.saving = True
        self.run_worker(self._put(patch), group="editor-save", exclusive=True, exit_on_error=False)

    async def _put(self, patch: dict[str, Any]) -> None:
        form = self.form
        assert form is not None
        self.saving = True
        self.show_message(Text(f"Saving {len(list(leaves(patch)))} change(s)…"))
        try:
            saved = await save_edit(self.client, self.journal, self.e164, form.original, patch)
        except EditConflict as conflict:   # changed on the server between the diff and the PUT
            self.saving = False
            self.show_message(None)
            await self._settle(conflict.current)
            return
        except Exception as error:  # noqa: BLE001 - said on screen, never a crash
            self.error = error if isinstance(error, ActuiError) else None
            await self._save_failed(error, patch)
            return
        finally:
            self.saving = False
        phone = saved.phone
        self.error = None
        later = update_patch(apply(form.original, patch), form.document())
        if later:   # typed while the save was on its way: keep those edits on top of the saved number
            await self._keep_later_edits(phone, later, patch)
            return
        self._drop_draft()
        self.dismiss(phone)

    async def _replace_form(self, document: dict[str, Any], edits: dict[str, Any]) -> None:
        """A new form whose baseline is `document`, showing `edits` on top (the draft follows it)."""
        old = self.form
        assert old is not None
        if self._draft_timer is not None:   # written below, from the new form
            self._draft_timer.stop()
            self._draft_timer = None
        form = SettingsForm(document, clock=self.clock, id="editor-form")
        self.form = None   # nothing reads the old form while it goes
        await old.remove()
        await self.query_one("#editor-body").mount(form)
        self.form = form
        await form.load_document(apply(form.original, edits))
        self._write_draft()
        self._retitle()

    async def _keep_later_edits(self, phone: PhoneNumber, later: dict[str, Any], saved: dict[str, Any]) -> None:
        self.phone = self.saved = phone
        await self._replace_form(phone.to_wire(), later)
        form = self.form
        assert form is not None
        count = len(list(leaves(saved)))
        self.show_message(Text.assemble(
            ("Saved ", "bold"), f"{count} change{'s' if count != 1 else ''}. ",
            "What you typed while it was being sent is still here, unsaved: ctrl+s to save it too."))
        self.call_after_refresh(form.focus_field, next(iter(form.changed_paths()), ""))

    def _retry_save(self) -> None:
        """After the user typed the password again (the read before the diff failed): start the save again."""
        if not self.is_attached:
            return
        self.client = app_services(self).client or self.client
        self.save()


def _shown(value: Any) -> str:
    """A value as a mark beside a field shows it: one line, terminal-safe."""
    return terminal_safe(value_text(MISSING if value is ABSENT else value).plain)
