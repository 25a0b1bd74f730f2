"""The editor's conflict dialog: fields the user changed that someone else changed on the server since the
editor read the number (core/edits.py finds them, right before the diff and again right before the PUT).

`EditConflictScreen(number, rows, refreshed)` lists each field as loaded → theirs → yours and answers
"overwrite" (o: write yours over theirs), "theirs" (t: drop your change to those fields, keep the rest)
or "back" (b / escape: back to the form, nothing sent). `refreshed` names the fields the server changed
that the user did not touch (already taken into the form).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from ...core.edits import ABSENT
from ...core.safe_text import terminal_safe
from ..widgets.field_values import MISSING, value_text
from .diff import Dialog


@dataclass(frozen=True)
class ConflictRow:
    path: str
    label: str
    loaded: Any   # ABSENT when the number did not have the field
    theirs: Any
    yours: Any


def shown_value(value: Any) -> Text:
    """A value on one line, terminal-safe (server text may hold escape sequences)."""
    text = value_text(MISSING if value is ABSENT else value)
    return Text(terminal_safe(text.plain), style=text.style)


def render_conflicts(rows: list[ConflictRow]) -> Text:
    out = Text()
    for index, row in enumerate(rows):
        if index:
            out.append("\n")
        out.append(row.label, style="bold")
        out.append(f"  {terminal_safe(row.path)}\n", style="dim")
        for name, value, style in (("loaded", row.loaded, "dim"), ("theirs", row.theirs, "yellow"),
                                   ("yours ", row.yours, "green")):
            out.append(f"  {name}  ", style=style)
            out.append_text(shown_value(value))
            out.append("\n")
    out.rstrip()
    return out


class EditConflictScreen(Dialog):
    """Someone changed fields of this edit on the server: overwrite, take theirs, or go back."""

    BINDINGS = [
        Binding("o", "answer('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("t", "answer('theirs')", "Take theirs", id="conflict.theirs"),
        Binding("b,escape", "answer('back')", "Back", id="conflict.back"),
    ]

    def __init__(self, number: str, rows: list[ConflictRow], refreshed: list[str]):
        super().__init__()
        self.number = number
        self.rows = rows
        self.refreshed = refreshed

    def compose(self) -> ComposeResult:
        count = len(self.rows)
        title = Text(f"Changed on the server since you opened {self.number}: "
                     f"{count} field{'s' if count != 1 else ''} you changed too. Nothing was sent.")
        note = None
        if self.refreshed:
            note = Text("Also changed on the server (fields you did not touch, now shown in the form): "
                        + ", ".join(terminal_safe(label) for label in self.refreshed) + ".")
        keys = ("o: overwrite theirs with yours · t: take theirs (drop your change to these fields) · "
                "b or escape: back to the form, nothing sent")
        yield from self.dialog(title, render_conflicts(self.rows), keys, note)

    def action_answer(self, choice: str) -> None:
        self.dismiss(choice)
