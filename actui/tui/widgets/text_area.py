"""The app's TextArea: its cursor blinks only when the settings say so (see inputs.py)."""

from __future__ import annotations

from textual.events import Mount
from textual.widgets import TextArea

from .inputs import cursor_blinks


class ActuiTextArea(TextArea):
    """A TextArea that blinks only when the settings say so."""

    def _on_mount(self, event: Mount) -> None:
        self.cursor_blink = cursor_blinks(self)
