"""The app's text input: Textual's Input whose cursor blinks only when the settings say so
(`text_area.ActuiTextArea` is its TextArea twin, in a module of its own: TextArea is slow to import, and the
first screen needs only an Input).

A blinking cursor alone writes ~2.3 KB/s to the terminal (over SSH too), so it is off unless
`app.settings.cursor_blink` turns it on (`UiSettings` default: no blinking).
Use these instead of Input / TextArea everywhere in the TUI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.events import Mount
from textual.widgets import Input

from ..app_services import app_services

if TYPE_CHECKING:
    from textual.message_pump import MessagePump


def cursor_blinks(node: MessagePump) -> bool:
    """Whether the settings of the app `node` runs in let a text cursor blink."""
    return app_services(node).settings.cursor_blink


class ActuiInput(Input):
    """An Input that blinks only when the settings say so."""

    def _on_mount(self, event: Mount) -> None:
        # runs before Input's own mount handler, which starts the blink timer paused unless blinking
        self.cursor_blink = cursor_blinks(self)
