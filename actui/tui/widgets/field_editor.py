"""The settings form's row for one field: label, control, note and message lines (FieldEditor).

Every editor is a row: the label on the left; on the right the control, a note (what the value means:
SMS segments, the cron schedule in words, the local time) and a message line (the field's problem, the
server's word on it, or a conflict with the server). One subclass per kind of field (form_spec.KINDS)
fills in the control: `choice_editors`, `text_editors`, `address_editor`; `field_editors.editor_for`
picks the class.

An editor knows the value the field had when editing started (`initial`, MISSING when the document did
not hold it) and compares what the control shows now with what it showed then: an editor the user has
not changed (or changed back) leaves the field exactly as it was (`changed` is False), so a field the
number never had is not added, and null stays null.

Every value from the API is shown as `rich.text.Text` (never markup), and terminal-safe: a control shows
the value made safe (core.safe_text) and its row says the value holds control characters. The shown text
is what the field is compared with, so the field counts as changed (and is sent, replacing them) only
once the user edits it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from ...api.errors import FieldProblem
from ...core.form_spec import FormField
from ...core.safe_text import terminal_safe
from .field_values import MISSING, control_stand_ins


class FieldEditor(HorizontalGroup):
    """The row of one field. Subclasses fill in the control and how its state maps to a wire value."""

    DEFAULT_CSS = """
    FieldEditor {
        height: auto;
        width: 1fr;
        & > .field-label {
            width: 20;
            height: auto;
            padding-right: 1;
            color: $text-muted;
        }
        &.-changed > .field-label { color: $text-accent; }
        &.-invalid > .field-label { color: $text-error; }
        &.-focused > .field-label { color: $text; text-style: bold; background: $boost; }
        & > .field-body { width: 1fr; height: auto; }
        & .field-note { color: $text-muted; height: auto; }
        & .field-message { color: $text-error; height: auto; }
        & .field-conflict { color: $text-warning; height: auto; }
        & .field-note.-empty, & .field-message.-empty, & .field-conflict.-empty { display: none; }
        & Input, & Select, & TextArea { width: 1fr; }
        & Input, & TextArea, & SelectCurrent { background: $boost; }
        & Input:focus, & TextArea:focus { background-tint: $foreground 8%; }
        & Select:focus > SelectCurrent { background-tint: $foreground 8%; }
        & TextArea { height: auto; max-height: 8; min-height: 1; padding: 0; }
        & Switch { border: none; padding: 0; height: 1; background: transparent; }
        & Switch:focus { border: none; background: $boost; }
        & .switch-state { width: auto; padding-left: 1; }
    }
    """

    class Changed(Message):
        """The user changed this field's control."""

        def __init__(self, editor: FieldEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> FieldEditor:
            return self.editor

    unset_label = "not set"
    """What an empty control says when the document does not hold the field ("unchanged" in bulk)."""
    note_only_when_changed = False
    """Bulk: a note about an empty "unchanged" field ("0 SMS segments") says nothing."""
    multiline = False
    """The control keeps newlines and tabs (a message); elsewhere they are drawn as ␊ and ␉."""
    shows_text = True
    """The control shows the value as text (not a switch): control characters in it are drawn, and said."""

    def __init__(self, spec: FormField, initial: Any = MISSING, *, clock: Callable[[], float] | None = None):
        super().__init__(classes="field-editor")
        self.spec = spec
        self.initial = initial
        self.clock = clock
        self.problems: list[FieldProblem] = []
        self.server_message: str | None = None
        self.conflict: str | None = None
        self.odd: str | None = None
        """What is odd about the value the server already holds (never blocks a save; gone once changed)."""
        self._initial_display = self.to_display(initial)
        self._shown = self._initial_display   # what the control showed at the last change
        self.stand_ins = control_stand_ins(initial, self.multiline) if self.shows_text else []
        """How the control characters of the server's value are shown (empty when it holds none)."""
        self._ready = False
        self._last: dict[str, Text | None] = {}

    @property
    def path(self) -> str:
        return self.spec.path

    # --- what subclasses provide ------------------------------------------------------------------

    def compose_control(self) -> ComposeResult:
        raise NotImplementedError

    def to_display(self, value: Any) -> Hashable:
        """What the control shows for a wire value (comparable: the editor is changed when it differs)."""
        raise NotImplementedError

    def display_value(self) -> Hashable:
        """What the control shows now, in to_display's terms."""
        raise NotImplementedError

    def load(self, value: Any) -> Awaitable[None] | None:
        """Show a wire value in the control."""
        raise NotImplementedError

    def wire_value(self) -> Any:
        """The value the control holds, as it would be sent."""
        raise NotImplementedError

    def note(self) -> Text | None:
        return None

    def focus_target(self) -> Widget:
        return self.query(Input).first() if self.query(Input) else self

    # --- shared -----------------------------------------------------------------------------------

    @property
    def changed(self) -> bool:
        if not self._ready:   # not composed yet: the control can only show the initial value
            return False
        return self.display_value() != self._initial_display

    @property
    def value(self) -> Any:
        """The field's value in the edited document (the initial one, MISSING included, if unchanged)."""
        return self.wire_value() if self.changed else self.initial

    def compose(self) -> ComposeResult:
        yield Static(Text(self.spec.label), classes="field-label")
        with VerticalGroup(classes="field-body"):
            yield from self.compose_control()
            yield Static("", classes="field-note -empty")
            yield Static("", classes="field-conflict -empty")
            yield Static("", classes="field-message -empty")

    def on_mount(self) -> None:
        self._ready = True
        self.tooltip = Text(f"{self.spec.help}\n{self.spec.path}")
        self.refresh_state()

    # the focused row is marked by a class, not :focus-within (which restyles every ancestor's subtree)
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.remove_class("-focused")

    def edited(self) -> None:
        """Called by subclasses when the control may have changed (controls also say so when mounted)."""
        shown = self.display_value()
        if shown == self._shown:
            return
        self._shown = shown
        self.server_message = None   # the server spoke about the value it saw, not this one
        self.refresh_state()
        self.post_message(self.Changed(self))

    def refresh_state(self) -> None:
        if not self._ready:
            return
        changed = self.changed
        self.set_class(changed, "-changed")
        self._show(".field-label", Text(self.spec.label + (" ●" if changed else "")))
        note = self.note() if changed or not self.note_only_when_changed else None
        if self.stand_ins:
            note = Text.assemble(self.control_note(), *(("\n", note) if note else ()))
        if self.odd and not changed:
            flag = Text(terminal_safe(f"⚠ on the server: {self.odd} (kept as it is unless you change it)"),
                        style="yellow")
            note = flag if note is None else Text.assemble(note, "\n", flag)
        self._show(".field-note", note)
        messages = [p.message for p in self.own_problems()]
        if self.server_message:
            messages.append(self.server_message)
        self._show(".field-message", Text(terminal_safe("\n".join(messages), multiline=True)) if messages else None)
        self._show(".field-conflict", Text(terminal_safe(self.conflict, multiline=True)) if self.conflict else None)
        self.set_class(bool(messages or self.problems), "-invalid")

    def control_note(self) -> Text:
        shown = " ".join(self.stand_ins[:6]) + (" …" if len(self.stand_ins) > 6 else "")
        return Text(f"⚠ holds control characters, shown as {shown}; saving this field replaces them "
                    "(left unedited, it is not sent)", style="bold")

    def own_problems(self) -> list[FieldProblem]:
        """Problems to show on the row itself (the address list shows its items' on the items)."""
        return self.problems

    def _show(self, selector: str, text: Text | None) -> None:
        # only on a change: every Static.update re-lays out the whole form
        if self._last.get(selector) == text:
            return
        self._last[selector] = text
        widget = self.query_one(selector, Static)
        widget.update(text or "")
        widget.set_class(not text, "-empty")

    def set_problems(self, problems: list[FieldProblem]) -> None:
        if problems != self.problems:
            self.problems = list(problems)
            self.refresh_state()

    def set_server_message(self, message: str | None, who: str = "server") -> None:
        """What the server (or the client's own check before sending: who="not sent") said of the value
        it saw; cleared when the user changes the field."""
        self.server_message = f"{who}: {message}" if message else None
        self.refresh_state()

    def set_conflict(self, message: str | None) -> None:
        self.conflict = message
        self.refresh_state()

    async def set_value(self, value: Any) -> None:
        """Show a value (restoring a draft); counts as a change when it differs from the initial one."""
        if self.to_display(value) != self.display_value():
            loading = self.load(value)
            if loading is not None:
                await loading
        self._shown = self.to_display(value)
        self.refresh_state()
