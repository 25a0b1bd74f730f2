"""The settings form's row for autoForward.emailAddresses: one line per address, each with its problem."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalGroup
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from ...api.errors import FieldProblem
from ...core.safe_text import terminal_safe
from .field_editor import FieldEditor
from .inputs import ActuiInput


class AddressEntry(ActuiInput):
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

    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def compose(self) -> ComposeResult:
        yield AddressEntry(self.address, compact=True, placeholder="name@example.com", select_on_focus=False)
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
                yield AddressRow(address)
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
        await rows.mount_all([AddressRow(a) for a in addresses])
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
        row = AddressRow("")
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
