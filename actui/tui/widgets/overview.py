"""The inventory overview (core/overview.py) at a glance, in at most seven rows at 80 columns: the total with
orders pending, one row per breakdown (class, type, status, platform, plan: "label count" runs, the biggest
first, those that do not fit folded into "+N more"), and numbers provisioned per week as a sparkline with
its first and last week and the busiest week's count. A wider panel shows more of each breakdown.

Keys are the server's values: every one reaches the screen through tui/safe.py, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from ...core.overview import NONE_KEY, InventoryOverview
from ..safe import plain

LABEL_WIDTH = 10       # "Platform  "
KEY_WIDTH = 24         # a longer value is cut (with "…"): one odd value never hides the others
SEPARATOR = " · "


def key_text(key: str) -> Text:
    """A breakdown key as the screen shows it: safe, cut to KEY_WIDTH cells; "(none)" for numbers without it."""
    if key == NONE_KEY:
        return Text("(none)", style="dim italic")
    text = plain(key)
    if cell_len(text.plain) > KEY_WIDTH:
        text.truncate(KEY_WIDTH - 1)
        text.append("…")
    return text


def breakdown_text(label: str, counts: Mapping[str, int], width: int) -> Text:
    """`label` then "key count" runs, biggest first, as many as fit `width` cells; the rest as "+N more"."""
    line = Text()
    line.append(label.ljust(LABEL_WIDTH), style="bold")
    if not counts:
        line.append("—", style="dim")
        return line
    pairs = list(counts.items())
    for index, (key, count) in enumerate(pairs):
        run = key_text(key)
        run.append(f" {count:,}", style="bold")
        lead = SEPARATOR if index else ""
        left = len(pairs) - index - 1
        more = f"{SEPARATOR}+{left:,} more" if left else ""
        if index and cell_len(line.plain) + len(lead) + cell_len(run.plain) + len(more) > width:
            line.append(f"{SEPARATOR}+{len(pairs) - index:,} more", style="dim")
            return line
        line.append(lead, style="dim")
        line.append_text(run)
    return line


class BreakdownLine(Widget):
    """One breakdown in one row, folded to the row's width (drawn again when the width changes)."""

    DEFAULT_CSS = """
    BreakdownLine { height: 1; width: 1fr; }
    """

    def __init__(self, label: str, **kw) -> None:
        super().__init__(**kw)
        self.label = label
        self.counts: dict[str, int] = {}

    def show(self, counts: Mapping[str, int]) -> None:
        self.counts = dict(counts)
        self.refresh()

    def render(self) -> Text:
        text = breakdown_text(self.label, self.counts, self.content_size.width)
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text


class OverviewPanel(Widget):
    """The overview; `show(overview)` draws it (again, with new data, as often as called)."""

    DEFAULT_CSS = """
    OverviewPanel { height: auto; padding: 0 1; }
    OverviewPanel > #overview-total { height: 1; }
    OverviewPanel > #overview-weeks { height: 1; }
    OverviewPanel #overview-weeks-label { width: 10; text-style: bold; }
    OverviewPanel #overview-sparkline { width: 26; margin: 0 1 0 0; }
    """

    BREAKDOWN_IDS = ("class", "type", "status", "platform", "plan")

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.overview: InventoryOverview | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Overview: not read yet", style="dim"), id="overview-total")
        for key, label in zip(self.BREAKDOWN_IDS, ("Class", "Type", "Status", "Platform", "Plan"), strict=True):
            yield BreakdownLine(label, id=f"overview-{key}")
        with Horizontal(id="overview-weeks"):
            yield Static("Per week", id="overview-weeks-label")   # provisioned
            yield Sparkline([], id="overview-sparkline")
            yield WeeksRange(id="overview-weeks-range")

    def show(self, overview: InventoryOverview) -> None:
        self.overview = overview
        self.query_one("#overview-total", Static).update(total_text(overview))
        for key, (_, counts) in zip(self.BREAKDOWN_IDS, overview.breakdowns(), strict=True):
            self.query_one(f"#overview-{key}", BreakdownLine).show(counts)
        sparkline = self.query_one("#overview-sparkline", Sparkline)
        sparkline.data = [count for _, count in overview.per_week]
        sparkline.styles.width = max(1, len(overview.per_week))
        sparkline.display = bool(overview.per_week)
        self.query_one("#overview-weeks-range", WeeksRange).show(overview)


def total_text(overview: InventoryOverview) -> Text:
    line = Text()
    if overview.total:
        line.append(f"{overview.total:,}", style="bold")
        line.append(" number" if overview.total == 1 else " numbers")
    else:
        line.append("No numbers in the local copy", style="bold")
    line.append(SEPARATOR, style="dim")
    pending = overview.orders_pending
    line.append(f"{pending:,}", style="bold" if pending else "")
    line.append(" order pending" if pending == 1 else " orders pending")
    if overview.undated:
        line.append(SEPARATOR, style="dim")
        line.append(f"{overview.undated:,} without a creation date", style="dim")
    return line


def weeks_text(overview: InventoryOverview | None, width: int) -> Text:
    """The weeks the sparkline spans and its busiest week's count; how many in all where `width` allows."""
    weeks = overview.per_week if overview is not None else []
    if not weeks:
        return Text("no weeks" if overview is not None else "", style="dim")
    busiest = max(count for _, count in weeks)
    if not busiest:
        return Text(f"none provisioned since {weeks[0][0]}", style="dim", no_wrap=True, overflow="ellipsis")
    text = f"{weeks[0][0]} … {weeks[-1][0]}, max {busiest:,}"
    in_all = f"{text} a week, {sum(count for _, count in weeks):,} in {len(weeks)} weeks"
    return Text(in_all if cell_len(in_all) <= width else text, no_wrap=True, overflow="ellipsis")


class WeeksRange(Widget):
    """weeks_text at the row's width."""

    DEFAULT_CSS = """
    WeeksRange { height: 1; width: 1fr; color: $text-muted; }
    """

    overview: InventoryOverview | None = None

    def show(self, overview: InventoryOverview) -> None:
        self.overview = overview
        self.refresh()

    def render(self) -> Text:
        return weeks_text(self.overview, self.content_size.width)
