"""The list's column chooser: which of the list's columns it shows (the number always), in the list's order.

Opened by `c` on the inventory (binding `list.columns`). Space toggles a column, enter shows the chosen
ones, escape leaves the list as it was. The inventory saves the choice in the profile (tui/ui_prefs.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...core.inventory import COLUMNS
from ..ui_prefs import ALWAYS_SHOWN
from .modal import ModalDialog
from .tcss import css_beside


class ColumnChoices(SelectionList[str]):
    """The columns to tick. SelectionList's own space toggles through a message to itself, handled after
    the keys already read, and a priority enter ran before them: "down space down space enter" typed in one
    burst toggled the last option twice and applied before it. Here both act as their key is handled, in
    the keys' order."""

    BINDINGS = [
        Binding("space", "toggle_highlighted", "Show or hide", show=False),
        Binding("enter", "screen.apply", "Show these columns", show=False),
    ]

    def action_toggle_highlighted(self) -> None:
        if self.highlighted is None:
            return
        option = self.get_option_at_index(self.highlighted)
        if not option.disabled:
            self.toggle(option.value)


class ColumnsScreen(ModalDialog[tuple[str, ...] | None]):
    """Returns the chosen column keys in the list's order, or None when cancelled."""

    DEFAULT_CSS = css_beside(__file__, "columns.tcss")
    BINDINGS = [
        Binding("enter", "apply", "Show these columns", id="columns.apply"),
        Binding("escape", "cancel", "Cancel", id="columns.cancel"),
    ]

    def __init__(self, shown: Sequence[str]):
        super().__init__()
        self.shown = set(shown) | set(ALWAYS_SHOWN)

    def compose(self) -> ComposeResult:
        with Vertical(id="columns-dialog") as box:
            box.border_title = "Columns"
            yield Label("The list shows:")
            yield ColumnChoices(*[
                Selection(column.title, column.key, column.key in self.shown, disabled=column.key in ALWAYS_SHOWN)
                for column in COLUMNS], id="columns-list")
            yield Static("space toggles · enter shows them · esc cancels\n"
                         "The number is always shown.\n"
                         "A narrow terminal drops what does not fit.", classes="hint")

    def on_mount(self) -> None:
        choices = self.query_one(SelectionList)
        choices.focus()
        choices.highlighted = 1 if len(COLUMNS) > 1 else 0   # the first column one can toggle

    def action_apply(self) -> None:
        chosen = set(self.query_one(SelectionList).selected) | set(ALWAYS_SHOWN)
        self.dismiss(tuple(column.key for column in COLUMNS if column.key in chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)
