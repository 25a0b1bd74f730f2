"""Asked before an export replaces a file that exists (screens/export.py)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup
from textual.widgets import Button, Static

from ..safe import plain
from .modal import ModalDialog


class ReplaceFileScreen(ModalDialog[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Replace", id="export.replace"),
        Binding("escape,n", "answer(False)", "Keep it", id="export.keep"),
    ]

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with VerticalGroup(id="replace-dialog"):
            yield Static(plain(f"{self.path} exists. Replace it?"), id="replace-question")
            with HorizontalGroup(id="replace-buttons"):
                yield Button("Replace (y)", id="replace-yes", variant="warning", compact=True)
                yield Button("Keep it (n)", id="replace-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#replace-no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "replace-yes")

    def action_answer(self, replace: bool) -> None:
        self.dismiss(replace)
