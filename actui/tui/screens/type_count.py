"""Confirm a change to many numbers by typing how many: the default answer is "no".

`TypeCountScreen(question, count, action="Send")` dismisses with True only when the count was typed
exactly and confirmed; escape, Cancel (focused at first) and enter on an empty box dismiss with False.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup
from textual.widgets import Button, Input, Static

from ..widgets.inputs import ActuiInput
from .modal import ModalDialog


class TypingGoesToTheBox:
    """For a dialog whose default answer, Cancel, has the focus: what the user types goes to the box they
    must type into (enter and space still press Cancel). Subclasses name the two widgets."""

    CANCEL_ID = ""
    BOX_ID = ""

    def accepts_typing(self) -> bool:
        return True

    def on_key(self, event: events.Key) -> None:
        focused = self.focused  # type: ignore[attr-defined]
        if (focused is not None and focused.id == self.CANCEL_ID and self.accepts_typing() and event.is_printable
                and event.character and event.character != " "):
            box = self.query_one(f"#{self.BOX_ID}", Input)  # type: ignore[attr-defined]
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()


class TypeCountScreen(TypingGoesToTheBox, ModalDialog[bool]):
    FORM = True  # q is a letter here

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="type_count.cancel")]
    CANCEL_ID, BOX_ID = "count-cancel", "count-input"

    def __init__(self, question: str, count: int, action: str = "Send"):
        super().__init__()
        self.question = question
        self.count = count
        self.action = action

    def compose(self) -> ComposeResult:
        with VerticalGroup(id="count-box"):
            yield Static(Text(self.question), id="count-question")
            yield Static(f"Type {self.count} (how many numbers) to confirm:")
            yield ActuiInput(placeholder="type here", id="count-input", select_on_focus=False)
            yield Static("", id="count-error")
            with HorizontalGroup(id="count-buttons"):
                yield Button("Cancel", id="count-cancel", compact=True)
                yield Button(self.action, id="count-ok", variant="warning", compact=True)

    def on_mount(self) -> None:
        self.query_one("#count-cancel", Button).focus()   # the default is "no"

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#count-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted, "#count-input")
    def _submitted(self) -> None:
        self.confirm()

    @on(Button.Pressed, "#count-ok")
    def _ok_pressed(self) -> None:
        self.confirm(from_button=True)

    def confirm(self, from_button: bool = False) -> None:
        typed = self.query_one("#count-input", Input).value.strip().replace(",", "")
        if not typed and not from_button:
            self.dismiss(False)
            return
        if typed != str(self.count):
            said = f"{typed!r} is not {self.count}" if typed else f"Type {self.count} first"
            error = self.query_one("#count-error", Static)
            error.update(Text(f"{said}: nothing was sent. Type it exactly, or escape to cancel."))
            error.add_class("-shown")
            return
        self.dismiss(True)
