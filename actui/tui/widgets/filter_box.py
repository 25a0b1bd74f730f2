"""The list's filter box: an Input that tells its listener of each change while the keystroke is handled.

Input.Changed is a message, handled after the box has already been repainted: the box and the matching
rows would reach the terminal in two screen updates, a frame apart. Calling the listener from the value's
watcher puts both in the same update.
"""

from __future__ import annotations

from collections.abc import Callable

from .inputs import ActuiInput


class FilterBox(ActuiInput):
    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.listener: Callable[[str], None] | None = None

    def watch_value(self, value: str) -> None:
        if self.listener is not None:
            self.listener(value)
