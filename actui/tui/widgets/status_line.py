"""The list's status line: page N of M, totals, what is loaded, freshness, filter and sort."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Static

from ...core.inventory import COLUMNS, Inventory
from ...core.safe_text import terminal_safe


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.loading: tuple[int, int | None] | None = None
        self.filter_error: str | None = None
        self.cached = False  # showing the first page as last seen, fresh one on its way

    def show(self, inventory: Inventory, *, page: int, shown: int, query: str, sort_key: str | None,
             descending: bool, stale: bool, marked: int = 0, hidden: int = 0) -> None:
        """Most useful first: an 80-column line keeps the page, the matches and the totals."""
        parts: list[tuple[str, str]] = []
        pages = inventory.total_pages
        parts.append((f"page {page}/{pages}" if pages else f"page {page}", "bold"))
        if self.filter_error:
            parts.append((terminal_safe(self.filter_error), "bold red"))   # it quotes what was typed
        elif query:
            parts.append((f"{shown:,} match", "bold"))
        if marked:
            parts.append((f"{marked:,} marked" + (f" ({hidden:,} hidden by filter)" if hidden else ""),
                          "bold reverse"))
        if inventory.total is not None:
            parts.append((f"{inventory.total:,} numbers", ""))
        if self.loading is not None:
            done, total = self.loading
            parts.append((f"loading {done:,}/{total:,}" if total else f"loading {done:,}", "bold"))
        else:
            parts.append(("all loaded" if inventory.all_loaded else f"{inventory.loaded_count:,} loaded", ""))
        if sort_key:
            title = next(c.title for c in COLUMNS if c.key == sort_key)
            parts.append((f"{title} {'▼' if descending else '▲'}", ""))
        fetched = inventory.oldest_fetch()
        if fetched is not None:
            when = time.strftime("%H:%M:%S", time.localtime(fetched))
            if stale:
                parts.append((f"stale since {when}", "bold red"))
            elif self.cached:
                parts.append((f"cached {when}, refreshing", "italic"))
            else:
                parts.append((f"as of {when}", ""))
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, (part, style) in enumerate(parts):
            if index:
                text.append(" · ")
            text.append(part, style=style)
        self.update(text, layout=False)   # one line, always: no layout pass (it costs a frame)
