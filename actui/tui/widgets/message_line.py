"""A screen's message line (the editor's, the bulk edit's): hidden while empty, a bar on its left in
the accent colour, or the error colour for an error. It often quotes the server's words, so what it
shows goes through safe_rich."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..safe import safe_rich


class MessageLine(Static):
    DEFAULT_CSS = """
    MessageLine { height: auto; max-height: 6; padding: 0 1; display: none; border-left: thick $accent; }
    MessageLine.-shown { display: block; }
    MessageLine.-error { border-left: thick $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    def show(self, text: Text | None, *, error: bool = False) -> None:
        """Show `text` (None hides the line); `error` marks it as a problem."""
        self.update(safe_rich(text) if text else "")
        self.set_class(bool(text), "-shown")
        self.set_class(error, "-error")

    @property
    def shown_text(self) -> str:
        """What the line says now, as plain text ("" when hidden)."""
        return str(self.render())
