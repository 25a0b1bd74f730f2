"""The editor's modals: the diff to confirm before a save, leaving with unsaved changes, restoring a draft.

`change_rows(original, patch, describe)` lists exactly what a PUT of `patch` changes, field by field
(old -> new), without Textual; `DiffScreen` shows it and answers True (save: enter / y) or False (back:
escape / n). `LeaveScreen` answers True only for "discard" (d / y); enter, escape and n stay.
`RestoreDraftScreen` answers "restore" (enter / r), "discard" (d) or "later" (escape); the draft is put on
the number as it is now by `core.drafts.rebase_draft`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ...core.patch import get_path, leaves
from ..widgets.field_values import MISSING, value_text
from .modal import ModalDialog


@dataclass(frozen=True)
class ChangeRow:
    path: str      # wire path, dotted
    label: str     # 'Opt-out · Keyword'
    old: Any       # MISSING when the number did not have the field
    new: Any


def change_rows(original: Mapping[str, Any], patch: Mapping[str, Any],
                describe: Callable[[str], str] = str) -> list[ChangeRow]:
    """Each field a PUT of `patch` changes, old -> new, in the patch's (form's) order."""
    return [ChangeRow(path, describe(path), get_path(original, path, MISSING), new)
            for path, new in leaves(patch)]


def _side(sign: str, value: Any, style: str) -> Text:
    text = value_text(value)
    lines = text.split("\n", allow_blank=True) if "\n" in text.plain else [text]
    out = Text()
    for index, line in enumerate(lines):
        out.append(f"  {sign} " if index == 0 else "    ", style=style)
        out.append_text(line if line.plain or len(lines) == 1 else Text("⏎", style="dim"))
        out.append("\n")
    return out


def render_changes(rows: list[ChangeRow]) -> Text:
    out = Text()
    for index, row in enumerate(rows):
        if index:
            out.append("\n")
        out.append(row.label, style="bold")
        out.append(f"  {row.path}\n", style="dim")
        out.append_text(_side("−", row.old, "red"))
        out.append_text(_side("+", row.new, "green"))
    out.rstrip()
    return out


class Dialog(ModalDialog):
    """The editor's dialogs: a title, the changes (scrolling), an optional note and the keys."""

    def dialog(self, title: Text, body: Text, keys: str, note: Text | None = None) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(title, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(body, classes="dialog-changes")
            if note is not None:
                yield Static(note, classes="dialog-note")
            yield Static(Text(keys), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(".dialog-body").focus()


class DiffScreen(Dialog):
    """What a save will send, old -> new; True to send it."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Save", id="diff.save"),
        Binding("escape,n", "answer(False)", "Back", id="diff.back"),
    ]

    def __init__(self, rows: list[ChangeRow], number: str):
        super().__init__()
        self.rows = rows
        self.number = number

    def compose(self) -> ComposeResult:
        count = len(self.rows)
        title = Text(f"Save {count} change{'s' if count != 1 else ''} to {self.number}?")
        yield from self.dialog(title, render_changes(self.rows),
                               "enter or y: save (sends only these fields) · escape or n: back to the form")

    def action_answer(self, save: bool) -> None:
        self.dismiss(save)


class LeaveScreen(Dialog):
    """Unsaved changes: stay (the default) or discard them and leave."""

    BINDINGS = [
        Binding("enter,escape,n", "answer(False)", "Stay", id="leave.stay"),
        Binding("d,y", "answer(True)", "Discard", id="leave.discard"),
    ]

    def __init__(self, labels: list[str]):
        super().__init__()
        self.labels = labels

    def compose(self) -> ComposeResult:
        count = len(self.labels)
        body = Text("\n".join(f"• {label}" for label in self.labels))
        title = Text(f"Leave without saving? {count} unsaved change{'s' if count != 1 else ''}:")
        yield from self.dialog(title, body,
                               "enter, escape or n: stay and keep editing · d or y: discard the changes and leave")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


class RestoreDraftScreen(Dialog):
    """A draft of unsaved changes exists for this number: restore it, discard it, or decide later."""

    BINDINGS = [
        Binding("enter,r", "answer('restore')", "Restore", id="draft.restore"),
        Binding("d", "answer('discard')", "Discard", id="draft.discard"),
        Binding("escape", "answer('later')", "Later", id="draft.later"),
    ]

    def __init__(self, when: str, rows: list[ChangeRow], conflicts: list[str]):
        super().__init__()
        self.when = when
        self.rows = rows
        self.conflicts = conflicts

    def compose(self) -> ComposeResult:
        note = None
        if self.conflicts:
            note = Text("Changed on the server since the draft: " + ", ".join(self.conflicts)
                        + ". Restoring marks those fields.")
        yield from self.dialog(Text(f"Restore unsaved changes from {self.when}?"), render_changes(self.rows),
                               "enter or r: restore · d: discard the draft · escape: not now (kept until you edit)",
                               note)

    def action_answer(self, choice: str) -> None:
        self.dismiss(choice)
