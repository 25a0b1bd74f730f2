"""The list's status line: page N of M, totals, what is loaded, freshness, filter and sort, and the local
copy (how many numbers have details and how old the oldest is; a background read's progress)."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Static

from ...core.inventory import COLUMNS, Inventory
from ...core.safe_text import terminal_safe
from ...core.timefmt import age
from ..app_services import app_services


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.loading: tuple[int, int | None] | None = None
        self.filter_error: str | None = None
        self.cached = False  # showing the first page as last seen, fresh one on its way
        self.copy_status = None   # core.local_copy.CopyStatus, once the copy was read (never before the first page)
        self.copy_progress: str | None = None   # a background read of the copy under way
        self.showing_copy = False  # the API is unreachable: the list is the local copy's
        self.copy_list_at: float | None = None   # when the copy's list was last read whole

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
        if self.copy_progress:
            parts.append((self.copy_progress, "bold"))
        if sort_key:
            title = next(c.title for c in COLUMNS if c.key == sort_key)
            parts.append((f"{title} {'▼' if descending else '▲'}", ""))
        now = app_services(self).clock() if self.is_attached else time.time()
        fetched = inventory.oldest_fetch()
        if self.showing_copy:
            when = "a list never read whole" if self.copy_list_at is None else (
                f"{time.strftime('%H:%M', time.localtime(self.copy_list_at))} ({age(now - self.copy_list_at)} old)")
            parts.append((f"local copy of {when}", "bold yellow"))
        elif fetched is not None:
            when = time.strftime("%H:%M:%S", time.localtime(fetched))
            if stale:
                parts.append((f"stale since {when}", "bold red"))
            elif self.cached:
                parts.append((f"cached {when}, refreshing", "italic"))
            else:
                parts.append((f"as of {when}", ""))
        copy = self.copy_status
        if copy is not None and copy.with_details and not self.copy_progress:
            oldest = "" if copy.oldest_detail_at is None else f", oldest {age(now - copy.oldest_detail_at)}"
            parts.append((f"{copy.with_details:,} with details{oldest}", "italic" if self.showing_copy else ""))
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, (part, style) in enumerate(parts):
            if index:
                text.append(" · ")
            text.append(part, style=style)
        self.update(text, layout=False)   # one line, always: no layout pass (it costs a frame)
