"""A one-line problem banner: what went wrong and what the user can do; hidden when all is well."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...core.safe_text import terminal_safe


class Banner(Static):
    DEFAULT_CSS = """
    Banner { display: none; height: auto; max-height: 3; background: $error 30%; color: $text; padding: 0 1; }
    Banner.-shown { display: block; }
    """

    def show_problem(self, message: str, retry_in: float | None = None) -> None:
        """A fault that passes (network, 5xx, 429): what is shown is stale, and when it is tried again."""
        text = Text("⚠ ", style="bold")
        text.append(terminal_safe(message))   # the server's words may hold escapes: one safe line
        text.append("  Showing the last data (stale).", style="italic")
        if retry_in is not None:
            text.append(f" Retrying in {retry_in:.0f}s; r retries now.")
        self.update(text)
        self.add_class("-shown")

    def show_refusal(self, message: str) -> None:
        """A refusal that trying again will not change (403): said until the next success."""
        text = Text("⚠ ", style="bold")
        text.append(terminal_safe(message))
        self.update(text)
        self.add_class("-shown")

    def clear(self) -> None:
        self.remove_class("-shown")
        self.update("")
