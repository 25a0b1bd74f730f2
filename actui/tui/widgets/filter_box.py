"""The list's filter box: an Input that tells its listener of each change while the keystroke is handled.

Input.Changed is a message, handled after the box has already been repainted: the box and the matching
rows would reach the terminal in two screen updates, a frame apart. Calling the listener from the value's
watcher puts both in the same update.

Input also sets its virtual size on every change (a reactive with layout=True): a layout pass of the whole
screen per keystroke, which sizes the table's scrollbar after the frame's compositor pass, so the
scrollbar reached the terminal a frame (16.7 ms at 60 fps) after the rows. The box's size never follows
its text (height 3, width 100%), so the virtual size is set here without asking for a layout.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.widget import Widget

from .inputs import ActuiInput


class FilterBox(ActuiInput):
    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.listener: Callable[[str], None] | None = None

    def _watch_value(self, value: str) -> None:   # Input's own watcher (private: tests/tui/test_textual_private_api.py)
        if not self.styles.auto_dimensions:
            self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    def watch_value(self, value: str) -> None:
        if self.listener is not None:
            self.listener(value)
