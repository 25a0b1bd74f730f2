"""Unprovision: a confirmation that defaults to "no" and asks the user to type the count (or the number).

`UnprovisionScreen(numbers, client, connection)` is a `ModalScreen[OrderAck | None]`. It names the
count and lists the numbers (scrollable), and asks for the count typed into a box — or, for a single
number, the number itself in any format. Escape, the Cancel button (focused at first) and enter on an
empty box all refuse; a wrong text says why and sends nothing. On a match the order is POSTed once: on
success the app is told (OrderSubmitted) and the dialog dismisses with the OrderAck; a POST that failed
in flight (OrderStateUnknown) is never retried and the dialog says how to check. A read-only
connection gets a refusal only.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalScroll
from textual.widgets import Button, Input, Static

from ...api.client import ApiClient
from ...api.errors import ActuiError, ConfigError, OrderStateUnknown, ServerValidationError
from ...api.order_models import OrderAck
from ...api.phone import InvalidNumber, friendly, to_e164
from ...config import Connection, require_tenant_id
from ...core.journal import Journal
from ...core.order_runs import place_orders
from ..messages import OrderSubmitted
from ..safe import error_text, terminal_safe
from ..widgets.inputs import ActuiInput
from .modal import ModalDialog
from .order_confirm import unknown_state_lines
from .type_count import TypingGoesToTheBox


class UnprovisionScreen(TypingGoesToTheBox, ModalDialog[OrderAck | None]):
    FORM = True  # the app's q is a letter here

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="unprovision.cancel")]
    CANCEL_ID, BOX_ID = "unprov-cancel", "unprov-confirm"

    def __init__(self, numbers: list[str], client: ApiClient, connection: Connection, journal: Journal, *,
                 name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.client = client
        self.journal = journal
        self.connection = connection
        self.numbers = list(dict.fromkeys(_e164(n, connection.country) for n in numbers))
        self.tenant_id: str | None = None
        self.refusal = ""
        if connection.read_only:
            self.refusal = (f"read-only: {connection.label or 'this connection'} is read-only, so unprovisioning "
                            "is refused (drop --read-only or use a profile that allows changes).")
        elif not self.numbers:
            self.refusal = "Nothing to unprovision: mark numbers in the list first."
        else:
            try:
                self.tenant_id = require_tenant_id(connection)
            except ConfigError as exc:
                self.refusal = f"Cannot unprovision: {exc}."
        self.busy = False
        self.state_unknown = False

    @property
    def expected(self) -> str:
        """What the user must type: the count, or the number itself when there is one."""
        return self.numbers[0] if len(self.numbers) == 1 else str(len(self.numbers))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="unprov-box", can_focus=False):
            if self.refusal:
                yield Static(Text(self.refusal), id="unprov-refused")
                yield Static("escape to close", classes="hint")
                return
            count = len(self.numbers)
            one = count == 1
            # (a number the list could not parse is shown as the server sent it: made safe)
            title = f"Unprovision {friendly(self.numbers[0])}?" if one else f"Unprovision {count} numbers?"
            yield Static(Text(terminal_safe(title)), id="unprov-title")
            if not one:
                with VerticalScroll(id="unprov-list"):
                    yield Static(Text("\n".join(terminal_safe(friendly(n)) for n in self.numbers)),
                                 id="unprov-numbers")
            yield Static(Text(f"{'It is' if one else 'They are'} released from tenant {self.tenant_id} when "
                              "the order completes. This cannot be undone here."), classes="hint")
            prompt = ("Type the number (any format) to confirm:" if one
                      else f"Type {count} (how many numbers) to confirm:")
            yield Static(prompt, id="unprov-prompt")
            yield ActuiInput(placeholder="type here", id="unprov-confirm",
                             select_on_focus=False)
            yield Static("", id="unprov-error")
            with HorizontalGroup(id="unprov-buttons"):
                yield Button("Cancel", id="unprov-cancel", compact=True)
                yield Button("Unprovision", id="unprov-ok", variant="error", compact=True)

    def on_mount(self) -> None:
        if self.refusal:
            return
        self.query_one("#unprov-cancel", Button).focus()   # the default is "no"

    def accepts_typing(self) -> bool:
        return not self.refusal and not self.busy

    # --- answers ------------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.busy:
            self.notify("The order is being placed; wait for the answer.", severity="warning")
            return
        self.dismiss(None)

    @on(Button.Pressed, "#unprov-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted, "#unprov-confirm")
    def _submitted(self) -> None:
        self.confirm()

    @on(Button.Pressed, "#unprov-ok")
    def _ok_pressed(self) -> None:
        self.confirm(from_button=True)

    @on(Input.Changed, "#unprov-confirm")
    def _typing(self, event: Input.Changed) -> None:
        if event.value:      # (clearing the box after a failure keeps its message)
            self._error("")

    def matches(self, typed: str) -> bool:
        typed = typed.strip()
        if len(self.numbers) == 1:
            try:
                return to_e164(typed, self.connection.country) == self.numbers[0]
            except InvalidNumber:
                return False
        return typed == self.expected

    def confirm(self, from_button: bool = False) -> None:
        if self.busy or self.refusal:
            return
        typed = self.query_one("#unprov-confirm", Input).value.strip()
        if not typed and not from_button:
            self.dismiss(None)     # enter on an empty box: the default answer, no
            return
        if not self.matches(typed):
            want = ("the number being unprovisioned" if len(self.numbers) == 1
                    else f"{self.expected}, the count of numbers")
            said = f"{typed!r} is not {want}" if typed else f"Type {want} first"
            self._error(f"{said}: nothing was sent. Type it exactly, or escape to cancel.")
            return
        self.send()

    def _error(self, text: str) -> None:
        error = self.query_one("#unprov-error", Static)
        error.update(Text(terminal_safe(text, multiline=True)))   # it quotes the server's words
        error.set_class(bool(text), "-shown")
        if text:     # the message and the buttons in view on a short terminal
            self.call_after_refresh(self.query_one("#unprov-box", VerticalScroll).scroll_end, animate=False)

    # --- the order ----------------------------------------------------------------------------------

    @work(exclusive=True, group="unprovision", exit_on_error=False)
    async def send(self) -> None:
        box = self.query_one("#unprov-confirm", Input)
        self.busy = True
        box.disabled = True
        self._error("")
        count = len(self.numbers)
        try:
            try:
                acks = await place_orders(self.client, self.journal, "unprovision", self.numbers,
                                          lambda batch: self.client.unprovision(self.tenant_id or "", batch))
            except Exception as exc:
                self._track(getattr(exc, "placed", []))   # orders placed before one failed
                raise
            self._track(acks)
        except OrderStateUnknown as exc:
            self.state_unknown = True
            self._error("\n".join(unknown_state_lines(exc, self.numbers)))
        except ServerValidationError as exc:
            said = [_friendly_paths(m, self.numbers) for m in (exc.field_messages.items() or [])]
            lines = said or exc.server_messages or [str(exc)]
            self._error("\n".join([f"The server refused the order (HTTP {exc.status}); nothing was ordered."]
                                  + lines))
        except ActuiError as exc:
            self._error(f"The order was not placed: {error_text(exc, self.connection.user)}")
        except Exception as exc:  # noqa: BLE001 - a bug or an odd answer must not take the app down
            self._error(f"Unexpected error placing the order: {type(exc).__name__}: {exc}")
        else:
            ids = ", ".join(str(a.order_id) for a in acks)
            self.notify(f"Order{'s' if len(acks) > 1 else ''} {ids} submitted for {count} "
                        f"number{'s' if count > 1 else ''}")
            self.dismiss(acks[-1] if acks else None)
            return
        finally:
            self.busy = False
        # the box is cleared: placing it again means typing the confirmation again
        box.disabled = False
        box.value = ""
        box.focus()


    def _track(self, acks) -> None:
        for ack in acks:
            self.app.post_message(OrderSubmitted(str(ack.order_id), "Unprovision", None))


def _e164(number: str, country: str) -> str:
    try:
        return to_e164(number, country)
    except InvalidNumber:
        return number


def _friendly_paths(item: tuple[str, str], numbers: list[str]) -> str:
    """('phoneNumbers[2].number', 'is not in the inventory') -> '(415) 555-0102: is not in the inventory'."""
    path, message = item
    if path.startswith("phoneNumbers[") and "]" in path:
        index = path[len("phoneNumbers["):path.index("]")]
        if index.isdigit() and int(index) < len(numbers):
            return f"{friendly(numbers[int(index)])}: {message}"
    return f"{path}: {message}"
