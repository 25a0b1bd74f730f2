"""The help screen: every key active on the screen beneath it, grouped by where it comes from.

`HelpScreen()` is a modal the app opens with `?` and F1. It reads the bindings of the screen that was
current when it opened, through Textual's public `Screen.active_bindings` (the focused widget's chain,
then the screen, then the app; a key bound twice shows only where it takes effect), and lists them as
"key(s)  description" under "This screen", one heading per widget (e.g. "Table"), and "Everywhere".
Bindings hidden from the footer (show=False) are listed too when they have a description; keys are
shown as the footer shows them (`App.get_key_display`, which honours a user keymap).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from .modal import ModalDialog


@dataclass
class HelpRow:
    keys: list[str]  # as displayed, e.g. ["esc", "q"]
    description: str
    tooltip: str = ""
    enabled: bool = True  # False: bound but not available right now


@dataclass
class HelpGroup:
    title: str
    rows: list[HelpRow] = field(default_factory=list)


def group_title(node: DOMNode, screen: Screen) -> str:
    if isinstance(node, App):
        return "Everywhere"
    if node is screen:
        return "This screen"
    if node.BINDING_GROUP_TITLE:
        return node.BINDING_GROUP_TITLE
    if type(node) in (VerticalScroll, ScrollableContainer):  # Textual's plain scrolling containers
        return "Scrolling"
    # NumberTable -> "Number table"
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", type(node).__name__).split()
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if words else type(node).__name__


def binding_groups(screen: Screen) -> list[HelpGroup]:
    """The bindings active on `screen`, grouped: this screen, its widgets (focused first), everywhere.

    Keys bound to the same action and description in one place share a row.
    """
    app = screen.app
    by_node: dict[DOMNode, dict[tuple[str, str], HelpRow]] = {}
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        if not binding.description:
            continue  # nothing to tell a person (e.g. Textual's own ctrl+c hint)
        rows = by_node.setdefault(active.node, {})
        key = app.get_key_display(binding)
        row = rows.get((binding.action, binding.description))
        if row is None:
            rows[(binding.action, binding.description)] = HelpRow(
                [key], binding.description, active.tooltip or binding.tooltip or "", active.enabled)
        elif key not in row.keys:
            row.keys.append(key)
            row.enabled = row.enabled or active.enabled

    def rank(node: DOMNode) -> int:
        return 0 if node is screen else 2 if isinstance(node, App) else 1

    # widgets keep the chain's order (focused widget first, then its containers)
    nodes = sorted(by_node, key=rank)
    groups = []
    for node in nodes:
        rows = list(by_node[node].values())
        if node is screen:  # the screen's own keys first, Textual's generic ones (tab, copy) after
            rows.sort(key=lambda row: (row.description in _GENERIC_SCREEN_DESCRIPTIONS))
        groups.append(HelpGroup(group_title(node, screen), rows))
    return groups


_GENERIC_SCREEN_DESCRIPTIONS = frozenset(b.description for b in Binding.make_bindings(Screen.BINDINGS))


def _group_table(group: HelpGroup, key_width: int) -> Table:
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(width=key_width, overflow="fold", style="bold")
    table.add_column(ratio=1, overflow="fold")
    for row in group.rows:
        description = Text(row.description)
        if row.tooltip and row.tooltip != row.description:
            description.append(f" — {row.tooltip}", style="dim")
        if not row.enabled:
            description.append(" (not available now)", style="italic")
            description.stylize("dim")
        table.add_row(Text(" / ".join(row.keys)), description)
    return table


class HelpScreen(ModalDialog[None]):
    """Keys for the screen beneath, grouped by where they come from. escape, q, ? or F1 closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    def __init__(self, screen: Screen | None = None, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        """`screen`: whose keys to list; by default the screen beneath this one when it opens."""
        super().__init__(name=name, id=id, classes=classes)
        self._target = screen
        self.groups: list[HelpGroup] = []

    @property
    def target(self) -> Screen:
        """The screen whose keys are listed."""
        if self._target is None:
            stack = self.app.screen_stack
            if self in stack:
                index = stack.index(self)
                self._target = stack[index - 1] if index > 0 else self
            else:  # not pushed yet: the current screen is the one beneath
                self._target = self.app.screen
        return self._target

    def compose(self) -> ComposeResult:
        target = self.target
        self.groups = binding_groups(target)
        key_width = min(20, max((len(" / ".join(r.keys)) for g in self.groups for r in g.rows), default=4))
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "esc / q / ? closes"
            with VerticalScroll(id="help-body"):
                for index, group in enumerate(self.groups):
                    yield Static(Text(group.title), classes="help-group-title" + (" -first" if not index else ""))
                    yield Static(_group_table(group, key_width), classes="help-group")
                yield Static(self._palette_line(), id="help-palette")

    def _palette_line(self) -> Text:
        app = self.app
        lines = Text()
        if app.ENABLE_COMMAND_PALETTE:
            key = app.COMMAND_PALETTE_BINDING
            shown = app.get_key_display(Binding(key, "command_palette", key_display=app.COMMAND_PALETTE_DISPLAY))
            label = f"{shown} ({key})" if shown != key else key
            lines.append(f"{label} opens the command palette, where every action is available.")
        if any(k.startswith("^") for g in self.groups for r in g.rows for k in r.keys):
            lines.append(("\n" if lines else "") + "^x means ctrl+x.")
        return lines

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss()

    def plain_text(self) -> str:
        """The listed keys as plain text: group titles, then "keys  description" lines."""
        out: list[str] = []
        for group in self.groups:
            out.append(group.title)
            out.extend(f"  {' / '.join(row.keys)}  {row.description}" for row in group.rows)
        return "\n".join(out)
