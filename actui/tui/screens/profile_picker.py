"""The profile picker: the profiles of config.toml (and the embedded sandbox), the current one marked, each
with its URL and user; enter answers the ProfileChoice, escape None. tui/profile_switch.py does the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.safe_text import terminal_safe
from ..header_color import css_color
from .modal import ModalDialog
from .tcss import css_beside

SANDBOX_ID = "sandbox:"   # never a profile's option id ("profile:NAME"), even for a profile named "sandbox"


@dataclass(frozen=True)
class ProfileChoice:
    """One line of the picker: a profile as `actui --profile NAME` would connect, or the embedded sandbox."""

    name: str                    # the profile's name; "sandbox" for the embedded sandbox
    sandbox: bool = False
    url: str = ""                # as resolved (flags and environment included)
    user: str = ""
    read_only: bool = False
    color: str | None = None     # the profile's `color` as written in config.toml
    current: bool = False
    problem: str | None = None   # why it cannot be used as it stands (a ConfigError's words)

    @property
    def option_id(self) -> str:
        return SANDBOX_ID if self.sandbox else f"profile:{self.name}"


def choice_text(choice: ProfileChoice) -> Text:
    """Two lines: the mark, the name and what it is; then where it connects, as whom (or its problem)."""
    text = Text("● " if choice.current else "  ", style="bold")
    color = css_color(choice.color)
    if color:
        text.append("■ ", style=color)
    text.append(terminal_safe(choice.name), style="bold")
    tags = [tag for tag, shown in (("current", choice.current), ("read-only", choice.read_only)) if shown]
    if tags:
        text.append(" · " + " · ".join(tags), style="dim")
    text.append("\n    ")
    if choice.problem:
        text.append(terminal_safe(choice.problem), style="italic")
    elif choice.sandbox:
        text.append("the embedded sandbox: test numbers on this machine", style="dim")
    else:
        text.append(f"{terminal_safe(choice.url)} · {terminal_safe(choice.user)}", style="dim")
    return text


class ProfilePicker(ModalDialog[ProfileChoice | None]):
    DEFAULT_CSS = css_beside(__file__, "profile_picker.tcss")
    BINDINGS = [Binding("escape", "cancel", "Stay", id="profile_picker.cancel")]

    def __init__(self, choices: Sequence[ProfileChoice], hint: str = ""):
        """`hint`: a line under the list (e.g. how to add a profile when there is none)."""
        super().__init__()
        self.choices = {choice.option_id: choice for choice in choices}
        self.hint = hint

    def compose(self) -> ComposeResult:
        current = next((choice for choice in self.choices.values() if choice.current), None)
        stay = f"escape: stay on {terminal_safe(current.name)}" if current else "escape: cancel"
        with Vertical(id="profile-picker"):
            yield Label(Text("Switch profile", style="bold"))
            yield OptionList(*[Option(choice_text(choice), id=key, disabled=choice.problem is not None)
                               for key, choice in self.choices.items()], id="profile-options")
            if self.hint:
                yield Static(Text(terminal_safe(self.hint, multiline=True)), classes="hint", id="profile-hint")
            yield Static(Text(f"enter: switch · {stay}"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        current = next((key for key, choice in self.choices.items() if choice.current), None)
        if current is not None:
            options.highlighted = options.get_option_index(current)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices.get(event.option.id or ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
