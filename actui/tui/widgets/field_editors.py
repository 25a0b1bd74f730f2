"""One row of the settings form per field, one class per kind of field (form_spec.KINDS).

Every editor is a row: the label on the left; on the right the control, a note (what the value means:
SMS segments, the cron schedule in words, the local time) and a message line (the field's problem, the
server's word on it, or a conflict with the server). `editor_for(spec, initial, clock)` picks the class.

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

import re
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime, timezone
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, Switch, TextArea

from ...api.errors import FieldProblem
from ...core import cron_words, sms, timefmt
from ...core.form_spec import FieldSpec
from ...core.safe_text import is_terminal_safe, terminal_safe

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
"""The document does not hold the field at all (not the same as null)."""


def _blink(widget: Widget) -> bool:
    settings = getattr(widget.app, "settings", None)
    return bool(getattr(settings, "cursor_blink", True))


def value_text(value: Any) -> Text:
    """A value as the diff and conflict messages show it: never markup, null and "" made visible."""
    if value is MISSING:
        return Text("(absent)", style="dim")
    if value is None:
        return Text("— (null)", style="dim")
    if isinstance(value, bool):
        return Text("on" if value else "off")
    if isinstance(value, str):   # (newlines kept: the diff shows a message line by line)
        return Text(terminal_safe(value, multiline=True)) if value else Text('"" (empty)', style="dim")
    if isinstance(value, list):
        return Text(terminal_safe(", ".join(str(v) for v in value))) if value else Text("[] (none)", style="dim")
    return Text(terminal_safe(value))


def control_stand_ins(value: Any, multiline: bool = False) -> list[str]:
    """The stand-ins the control characters of a text value (or list of texts) are shown as, in order."""
    texts = value if isinstance(value, list) else [value]
    found: dict[str, None] = {}
    for text in texts:
        if isinstance(text, str) and not is_terminal_safe(text, multiline=multiline):
            found.update(dict.fromkeys(terminal_safe(c, multiline=multiline) for c in text
                                       if not is_terminal_safe(c, multiline=multiline)))
    return list(found)


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

        def __init__(self, editor: "FieldEditor") -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> "FieldEditor":
            return self.editor

    unset_label = "not set"
    """What an empty control says when the document does not hold the field ("unchanged" in bulk)."""
    note_only_when_changed = False
    """Bulk: a note about an empty "unchanged" field ("0 SMS segments") says nothing."""
    multiline = False
    """The control keeps newlines and tabs (a message); elsewhere they are drawn as ␊ and ␉."""
    shows_text = True
    """The control shows the value as text (not a switch): control characters in it are drawn, and said."""

    def __init__(self, spec: FieldSpec, initial: Any = MISSING, *, clock: Callable[[], float] | None = None):
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
        if not _blink(self):
            for widget in self.query("Input, TextArea"):
                widget.cursor_blink = False  # type: ignore[attr-defined]
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


# --- the kinds --------------------------------------------------------------------------------------


class BoolEditor(FieldEditor):
    shows_text = False

    def to_display(self, value: Any) -> Hashable:
        return bool(value)

    def compose_control(self) -> ComposeResult:
        with HorizontalGroup():
            yield Switch(bool(self.initial), animate=False)
            yield Static(self._state_text(bool(self.initial)), classes="switch-state")

    def display_value(self) -> Hashable:
        return self.query_one(Switch).value

    def load(self, value: Any) -> None:
        with self.prevent(Switch.Changed):
            self.query_one(Switch).value = bool(value)
        self.query_one(".switch-state", Static).update(self._state_text(bool(value)))

    def wire_value(self) -> Any:
        return self.query_one(Switch).value

    def _state_text(self, on_: bool) -> Text:
        if not on_ and (self.initial is MISSING or self.initial is None):
            return Text("off (not set)", style="dim")
        return Text("on", style="bold") if on_ else Text("off")

    def focus_target(self) -> Widget:
        return self.query_one(Switch)

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        event.stop()
        self.query_one(".switch-state", Static).update(self._state_text(event.value))
        self.edited()


class EnumEditor(FieldEditor):
    def to_display(self, value: Any) -> Hashable:
        return None if value is MISSING or value is None else terminal_safe(value)

    def compose_control(self) -> ComposeResult:
        options = list(self.spec.options)
        current = self.to_display(self.initial)
        if current is not None and current not in options:
            options.append(current)   # a value the guide does not list: shown, kept until changed
        labels = [(Text(o) if o in self.spec.options else Text(f"{o} (not in the guide)"), o) for o in options]
        yield Select(labels, prompt=f"({self.unset_label})", allow_blank=current is None,
                     value=current if current is not None else Select.NULL, compact=True)

    def display_value(self) -> Hashable:
        value = self.query_one(Select).value
        return None if value is Select.NULL else value

    def load(self, value: Any) -> None:
        select = self.query_one(Select)
        with self.prevent(Select.Changed):
            select.value = Select.NULL if value in (None, MISSING) else terminal_safe(value)

    def wire_value(self) -> Any:
        return self.display_value()

    def focus_target(self) -> Widget:
        return self.query_one(Select)

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        event.stop()
        self.edited()


class TextEditor(FieldEditor):
    """A one-line text field; an emptied field is sent as "" (or left as it was when it held nothing)."""

    input_type = "text"

    def to_display(self, value: Any) -> Hashable:
        return "" if value is MISSING or value is None else terminal_safe(value)

    def make_input(self) -> Input:
        unset = self.initial is MISSING or self.initial is None
        return Input(str(self.to_display(self.initial)), type=self.input_type, compact=True,  # type: ignore[arg-type]
                     select_on_focus=False, placeholder=self.unset_label if unset else "(empty)")

    def compose_control(self) -> ComposeResult:
        yield self.make_input()

    def display_value(self) -> Hashable:
        return self.query_one(Input).value

    def load(self, value: Any) -> None:
        box = self.query_one(Input)
        with self.prevent(Input.Changed):
            box.value = str(self.to_display(value))
            box.cursor_position = len(box.value)

    def wire_value(self) -> Any:
        return self.query_one(Input).value

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()   # enter moves on, as in a paper form


class IntEditor(TextEditor):
    input_type = "integer"

    def wire_value(self) -> Any:
        text = self.query_one(Input).value.strip()
        if not text:
            return None
        return int(text) if re.fullmatch(r"[+-]?\d+", text) else text   # the check names what is wrong

    def own_problems(self) -> list[FieldProblem]:
        # a value the server already holds is flagged (odd), not refused: only what the user typed is judged
        text = self.query_one(Input).value.strip() if self._ready and self.changed else ""
        if text and not re.fullmatch(r"[+-]?\d+", text):
            return [FieldProblem(self.path, "must be a whole number")]
        return self.problems


class DateTimeEditor(TextEditor):
    """ISO 8601 as typed; the note says when that is in local time."""

    def wire_value(self) -> Any:
        text = self.query_one(Input).value.strip()
        return text or None

    def note(self) -> Text | None:
        text = self.query_one(Input).value.strip()
        if not text:
            return Text("ISO 8601, e.g. 2025-01-15T09:00:00Z")
        moment = parse_moment(text)
        if moment is None:
            return None
        now = self.clock() if self.clock else None
        return Text(f"local: {timefmt.local(moment, now)}")

    def make_input(self) -> Input:
        box = super().make_input()
        box.placeholder = "YYYY-MM-DDTHH:MM:SSZ"
        return box


def parse_moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class CronEditor(TextEditor):
    """optOut.periodicCron: five fields; the note says in words when it runs and when next."""

    def wire_value(self) -> Any:
        text = self.query_one(Input).value.strip()
        return text or None

    def make_input(self) -> Input:
        box = super().make_input()
        box.placeholder = "minute hour day month weekday, e.g. 0 0 1 * *"
        return box

    def note(self) -> Text | None:
        text = self.query_one(Input).value.strip()
        if not text:
            return None
        now = datetime.fromtimestamp(self.clock()) if self.clock else None
        try:
            return Text("runs " + cron_words.describe(text, now))
        except ValueError:
            return None


class MessageEditor(FieldEditor):
    """A multi-line text (newlines kept); for texts sent by SMS, the note counts the segments."""

    multiline = True

    def to_display(self, value: Any) -> Hashable:
        return "" if value is MISSING or value is None else terminal_safe(value, multiline=True)

    def compose_control(self) -> ComposeResult:
        unset = self.initial is MISSING or self.initial is None
        yield TextArea(str(self.to_display(self.initial)), soft_wrap=True, tab_behavior="focus",
                       compact=True, show_line_numbers=False, highlight_cursor_line=False,
                       placeholder=self.unset_label if unset else "(empty)")

    def display_value(self) -> Hashable:
        return self.query_one(TextArea).text

    def load(self, value: Any) -> None:
        area = self.query_one(TextArea)
        with self.prevent(TextArea.Changed):
            area.load_text(str(self.to_display(value)))

    def wire_value(self) -> Any:
        return self.query_one(TextArea).text

    def focus_target(self) -> Widget:
        return self.query_one(TextArea)

    def note(self) -> Text | None:
        text = self.query_one(TextArea).text
        if self.spec.sms_message:
            info = sms.segments(text)
            note = Text(sms.describe(text))
            if info.non_gsm:
                note.append(f" · UCS-2 because of {' '.join(info.non_gsm)[:20]}")
            return note
        return Text(f"{len(text)} characters") if text else None

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.edited()


class AddressEntry(Input):
    """One address of the list: enter or ctrl+n adds one below, ctrl+r (or backspace when empty) removes it."""

    BINDINGS = [
        Binding("ctrl+n", "add_after", "Add address", id="editor.address.add"),
        Binding("ctrl+r", "remove", "Remove address", id="editor.address.remove"),
    ]

    def action_add_after(self) -> None:
        self.post_message(AddressListEditor.Add(self))

    def action_remove(self) -> None:
        self.post_message(AddressListEditor.Remove(self))

    async def _on_key(self, event) -> None:
        if event.key == "backspace" and not self.value:
            event.stop()
            event.prevent_default()
            self.post_message(AddressListEditor.Remove(self))
            return
        await super()._on_key(event)


class AddressRow(VerticalGroup):
    DEFAULT_CSS = """
    AddressRow { height: auto; margin-bottom: 0; }
    AddressRow > .address-message { color: $text-error; height: auto; }
    AddressRow > .address-message.-empty { display: none; }
    """

    def __init__(self, address: str, blink: bool = True):
        super().__init__()
        self.address = address
        self.blink = blink

    def compose(self) -> ComposeResult:
        entry = AddressEntry(self.address, compact=True, placeholder="name@example.com", select_on_focus=False)
        entry.cursor_blink = self.blink
        yield entry
        yield Static("", classes="address-message -empty")

    def show(self, message: str | None) -> None:
        widget = self.query_one(".address-message", Static)
        widget.update(Text(terminal_safe(message, multiline=True)) if message else "")
        widget.set_class(not message, "-empty")


class AddressListEditor(FieldEditor):
    """autoForward.emailAddresses: one line per address; each address's problem under it."""

    DEFAULT_CSS = """
    AddressListEditor .address-rows { height: auto; }
    AddressListEditor .address-empty { color: $text-muted; }
    AddressListEditor .address-empty.-hidden { display: none; }
    AddressListEditor Button { margin: 0; min-width: 0; }
    """

    class Add(Message):
        def __init__(self, entry: AddressEntry | None) -> None:
            super().__init__()
            self.entry = entry

    class Remove(Message):
        def __init__(self, entry: AddressEntry) -> None:
            super().__init__()
            self.entry = entry

    def to_display(self, value: Any) -> Hashable:
        if not isinstance(value, list):
            return ()
        return tuple(terminal_safe(str(v).strip()) for v in value)

    def compose_control(self) -> ComposeResult:
        initial = self.to_display(self.initial)
        assert isinstance(initial, tuple)
        with VerticalGroup(classes="address-rows"):
            for address in initial:
                yield AddressRow(address, _blink(self))
        yield Static("(no addresses)", classes="address-empty" + (" -hidden" if initial else ""))
        yield Button("+ Add address", compact=True, classes="address-add")

    def entries(self) -> list[AddressEntry]:
        return list(self.query(AddressEntry))

    def display_value(self) -> Hashable:
        return tuple(entry.value.strip() for entry in self.entries())

    def wire_value(self) -> Any:
        return list(self.display_value())   # type: ignore[arg-type]

    async def load(self, value: Any) -> None:
        rows = self.query_one(".address-rows", VerticalGroup)
        await rows.remove_children()
        addresses = self.to_display(value)
        assert isinstance(addresses, tuple)
        await rows.mount_all([AddressRow(a, _blink(self)) for a in addresses])
        self.query_one(".address-empty").set_class(bool(addresses), "-hidden")

    def focus_target(self) -> Widget:
        entries = self.entries()
        return entries[0] if entries else self.query_one(Button)

    def own_problems(self) -> list[FieldProblem]:
        # problems of single addresses stand under those addresses
        return [p for p in self.problems if p.field == self.path]

    def refresh_state(self) -> None:
        super().refresh_state()
        if not self._ready:
            return
        for index, row in enumerate(self.query(AddressRow)):
            item = f"{self.path}[{index}]"
            row.show("; ".join(p.message for p in self.problems if p.field == item) or None)

    async def add_entry(self, after: AddressEntry | None = None) -> AddressEntry:
        rows = self.query_one(".address-rows", VerticalGroup)
        row = AddressRow("", _blink(self))
        if after is not None and isinstance(after.parent, AddressRow):
            await rows.mount(row, after=after.parent)
        else:
            await rows.mount(row)
        self.query_one(".address-empty").set_class(True, "-hidden")
        entry = row.query_one(AddressEntry)
        entry.focus()
        self.edited()
        return entry

    async def remove_entry(self, entry: AddressEntry) -> None:
        entries = self.entries()
        if entry not in entries:
            return
        index = entries.index(entry)
        row = entry.parent
        assert row is not None
        await row.remove()
        rest = self.entries()
        if rest:
            rest[index - 1 if index > 0 else 0].focus()
        else:
            self.query_one(".address-empty").set_class(False, "-hidden")
            self.query_one(Button).focus()
        self.edited()

    @on(Add)
    async def _add(self, event: Add) -> None:
        event.stop()
        await self.add_entry(event.entry)

    @on(Remove)
    async def _remove(self, event: Remove) -> None:
        event.stop()
        await self.remove_entry(event.entry)

    @on(Button.Pressed, ".address-add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        entries = self.entries()
        await self.add_entry(entries[-1] if entries else None)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited()

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if isinstance(event.input, AddressEntry):
            await self.add_entry(event.input)


EDITORS: dict[str, type[FieldEditor]] = {
    "bool": BoolEditor,
    "enum": EnumEditor,
    "text": TextEditor,
    "int": IntEditor,
    "datetime": DateTimeEditor,
    "multiline": MessageEditor,
    "email_list": AddressListEditor,
    "cron": CronEditor,
}


def editor_for(spec: FieldSpec, initial: Any = MISSING, clock: Callable[[], float] | None = None) -> FieldEditor:
    return EDITORS[spec.kind](spec, initial, clock=clock)
