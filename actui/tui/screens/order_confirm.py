"""What a provision order is confirmed with (the summary modal), and what both order screens say when
a POST failed in flight so that the order's state is unknown (it is never retried).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup
from textual.widgets import Button, Static

from ...api.errors import OrderStateUnknown
from ...api.phone import friendly
from ...core.safe_text import terminal_safe
from .modal import ModalDialog


@dataclass
class OrderPlan:
    """A checked order, waiting for the user's confirmation."""

    entries: list[Any]
    defaults: dict[str, Any]
    tenant_id: str
    loa_file: Path | None
    request: dict[str, Any]


def unknown_state_lines(error: OrderStateUnknown, numbers: list[str]) -> list[str]:
    example = numbers[0] if numbers else "NUMBER"
    return [
        "The order's state is UNKNOWN: " + str(error.args[0] if error.args else error),
        "It was NOT retried: it may or may not have been placed.",
        f"To check: refresh the list (r) and look for {'these numbers' if len(numbers) > 1 else example}, "
        f"run `actui numbers show {example}` (or `actui orders show ORDER_ID` if you have the id), "
        "or watch the order tracker (o).",
        "Submitting again could order twice.",
    ]


def summary_rows(plan: OrderPlan) -> list[tuple[str, str]]:
    """What the user confirms: the count, the numbers, class/type, plan, the A2P ids, the LOA, the tenant."""
    entries = plan.request["phoneNumbers"]

    def tally(get) -> str:
        counts = Counter(get(e) or "(none)" for e in entries)
        if len(counts) == 1:
            return next(iter(counts))
        return ", ".join(f"{value} ×{n}" for value, n in counts.most_common())

    numbers = [friendly(e["number"]) for e in entries]
    shown = ", ".join(numbers[:3]) + (f", … (+{len(numbers) - 3} more)" if len(numbers) > 3 else "")
    rows = [("Numbers", shown),
            ("Class", tally(lambda e: e["messagingFeature"]["provisionClass"])),
            ("Type", tally(lambda e: e["messagingFeature"]["provisionType"])),
            ("Billing plan", tally(lambda e: e.get("billingPlan")))]
    if any(e["messagingFeature"]["provisionClass"] == "A2P" for e in entries):
        rows.append(("Campaign ID", tally(lambda e: e.get("campaignId"))))
        rows.append(("Brand ID", tally(lambda e: e.get("brandId"))))
    if plan.loa_file is not None:
        rows.append(("LOA", f"{plan.loa_file.name} (uploaded first)"))
    elif any(e.get("loaUrl") for e in entries):
        rows.append(("LOA URL", tally(lambda e: e.get("loaUrl"))))
    rows.append(("Tenant", plan.tenant_id))
    return rows


class SummaryScreen(ModalDialog[bool]):
    """The order in a few lines: enter places it, escape goes back to the form."""

    BINDINGS = [Binding("enter", "confirm", "Place order", id="provision.confirm"),
                Binding("escape", "back", "Back", id="provision.back")]

    def __init__(self, rows: list[tuple[str, str]], state_unknown: bool = False):
        super().__init__()
        self.rows = rows
        self.state_unknown = state_unknown

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", no_wrap=True)
        table.add_column(overflow="fold")
        for label, value in self.rows:
            table.add_row(Text(label), Text(terminal_safe(value)))
        with VerticalGroup():
            yield Static("Place this provision order?", classes="summary-title")
            yield Static(table)
            if self.state_unknown:
                yield Static("The last submission's state is unknown: placing it again could order twice.",
                             classes="summary-warning")
            yield Static("enter places the order · escape goes back to the form", classes="summary-hint")
            with HorizontalGroup():
                yield Button("Place order", id="summary-confirm", variant="primary", compact=True)
                yield Button("Back", id="summary-back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#summary-confirm", Button).focus()

    @on(Button.Pressed, "#summary-confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#summary-back")
    def action_back(self) -> None:
        self.dismiss(False)
