"""Small modal prompts: the password after a 401, an order id to track, a page to jump to, a choice."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.validation import Function, Integer
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.safe_text import terminal_safe
from ..widgets.inputs import ActuiInput
from .modal import ModalDialog


class _Prompt(ModalDialog[str | None]):
    """A titled input; enter returns its value, escape returns None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    title_text = ""
    hint_text = ""

    def make_input(self) -> Input:
        return ActuiInput()

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(Text(terminal_safe(self.title_text)))
            yield self.make_input()
            yield Static(Text(terminal_safe(self.hint_text, multiline=True)), classes="hint")   # the 401's words
            yield Static("", classes="error", id="prompt-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.query_one("#prompt-error", Static).update("; ".join(result.failure_descriptions))
            return
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PasswordScreen(_Prompt):
    """Asked after a 401: the typed password is never shown, logged or kept beyond the session."""

    def __init__(self, connection, reason: str = ""):
        super().__init__()
        self.title_text = f"Password for {connection.user or 'the API'} at {connection.host or connection.label}"
        self.hint_text = (reason + "\n" if reason else "") + "enter to sign in · escape to cancel"

    def make_input(self) -> Input:
        return ActuiInput(password=True, placeholder="password", id="password")


class TrackOrderScreen(_Prompt):
    title_text = "Track an order"
    hint_text = "The order id from a provision or unprovision · enter to track · escape to cancel"

    def make_input(self) -> Input:
        return ActuiInput(placeholder="order id, e.g. 12345", id="order-id",
                          validators=[Function(lambda v: bool(v.strip()) and v.strip().replace("-", "").isalnum(),
                                               "an order id is letters, digits and dashes")])


class JumpToPageScreen(_Prompt):
    def __init__(self, pages: int | None):
        super().__init__()
        self.pages = pages
        self.title_text = "Jump to page" + (f" (1–{pages})" if pages else "")
        self.hint_text = "enter to jump · escape to cancel"

    def make_input(self) -> Input:
        return ActuiInput(placeholder="page number", id="page", type="integer",
                          validators=[Integer(minimum=1, maximum=self.pages or None,
                                              failure_description=f"a page from 1 to {self.pages or 'the last'}")])


class ChoiceScreen(ModalDialog[str | None]):
    """Pick one of a few options (e.g. the column to sort by)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str | None = None):
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield OptionList(*[Option(label, id=key) for key, label in self.options])

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.focus()
        keys = [key for key, _ in self.options]
        if self.current in keys:
            option_list.highlighted = keys.index(self.current)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
