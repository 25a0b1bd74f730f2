"""The settings form's rows for a choice: a switch (bool) and a drop-down of the guide's values (enum)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widget import Widget
from textual.widgets import Select, Static, Switch

from ...core.safe_text import terminal_safe
from .field_editor import FieldEditor
from .field_values import MISSING


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
