"""The list's filter box, for the inventory screen: "/" opens it, each change filters, escape clears.

A mixin of InventoryScreen: it uses the screen's `query_text`, `marks`, `copy_for_filter`, `show_rows` and
`show_status`. (The box's enter is handled on the screen itself: Textual's @on handlers are collected from
the screen's own class.)
"""

from __future__ import annotations

from textual.actions import SkipAction
from textual.widgets import Input

from ..widgets.number_table import NumberTable


class FilterActions:
    """Mixed into InventoryScreen."""

    def action_filter(self) -> None:
        # "/" is a priority binding so that it runs before the keys typed right after it are routed
        # (a fast typist's "/415" arrives in one read): focus moves at once, not deferred as
        # box.focus() does. In the box itself "/" is just a character.
        box = self.query_one("#filter", Input)
        if box.has_focus:
            raise SkipAction()
        box.display = True
        self.set_focus(box)

    def filter_changed(self, value: str) -> None:
        if value != self.query_text:
            self.query_text = value
            if self.copy_for_filter(value):   # else once the copy's values are read
                self.show_rows(to_top=True)  # the best matches first, as every filtering list does

    def action_clear(self) -> None:
        """escape: the filter first, then the marks."""
        box = self.query_one("#filter", Input)
        if box.value or box.display:
            self.query_text = ""   # first: the box's listener then has nothing to do
            box.value = ""
            box.display = False
            self.show_rows()
        elif self.marks:
            count = self.marks.clear()
            self.query_one(NumberTable).refresh()
            self.show_status()
            self.notify(f"{count:,} mark{'s' if count != 1 else ''} cleared", timeout=3)
        self.query_one(NumberTable).focus()
