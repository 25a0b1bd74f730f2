"""Driving the provision form and the unprovision dialog in pilot tests: a harness app around one
screen, filling and submitting the form."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from actui.core.journal import Journal
from actui.core.store import Store
from actui.tui.app import UiSettings
from actui.tui.messages import OrderSubmitted
from actui.tui.screens.provision import ProvisionScreen, SummaryScreen
from actui.tui.screens.unprovision import UnprovisionScreen
from tests.helpers import until
from tests.tui.app_pilot import connection_for
from tests.tui.harness import HarnessApp


class Harness(HarnessApp):
    """Pushes one screen; records OrderSubmitted messages and the screen's result."""

    def __init__(self, make_screen):
        super().__init__(settings=UiSettings(clock=lambda: 1_764_000_000.0, poll_orders=False))
        self.make_screen = make_screen
        self.submitted: list[OrderSubmitted] = []
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), callback=self.results.append)

    def on_order_submitted(self, message: OrderSubmitted) -> None:
        self.submitted.append(message)


def journal() -> Journal:
    """The journal in the test's own data dir (conftest points ACTUI_DATA_DIR at tmp_path)."""
    return Journal(Store(), "tester@sandbox")


def provision_app(sandbox, client, **conn) -> Harness:
    return Harness(lambda: ProvisionScreen(client, connection_for(sandbox, **conn), journal()))


def unprovision_app(sandbox, client, numbers, **conn) -> Harness:
    return Harness(lambda: UnprovisionScreen(numbers, client, connection_for(sandbox, **conn), journal()))


def sent(sandbox) -> int:
    """Requests the sandbox has seen (all of them, whatever the client)."""
    return sandbox.faults.stats.requests


def text_of(screen, selector) -> str:
    return str(screen.query_one(selector).render())


def form(app) -> ProvisionScreen:
    assert isinstance(app.screen, ProvisionScreen), app.screen
    return app.screen


async def fill(pilot, numbers: str = "", csv: str = "", **fields):
    screen = form(pilot.app)
    if numbers:
        screen.query_one("#ni-lines", TextArea).load_text(numbers)
    if csv:
        screen.query_one("#ni-csv", Input).value = csv
    for wire, value in fields.items():
        control = screen.query_one(f"#f-{wire}")
        control.value = value
        await pilot.pause()
    await pilot.pause()


async def submit_and_confirm(pilot):
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen))
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, SummaryScreen))
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
