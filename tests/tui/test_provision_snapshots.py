"""Snapshots of the provision form (empty; filled with an A2P error showing) and the unprovision dialog,
at 80x24 and 120x40. Nothing is sent in any of them; the sandbox only supplies a real client and the
numbers. Look at the SVGs under tests/tui/__snapshots__/test_provision_snapshots/ when they change.
"""

import pytest
from textual.widgets import TextArea

from actui.tui.app import UiSettings
from actui.tui.screens.provision import ProvisionScreen
from actui.tui.screens.unprovision import UnprovisionScreen
from tests.helpers import client_for
from tests.tui.app_pilot import connection_for
from tests.tui.harness import HarnessApp
from tests.tui.provision_pilot import journal

SIZES = [(80, 24), (120, 40)]
NUMBERS = ["+14155553412", "+14155554695", "+14155555156", "+12125550652", "+12125552513"]


class Harness(HarnessApp):
    def __init__(self, make_screen):
        super().__init__(settings=UiSettings(clock=lambda: 1_764_000_000.0, poll_orders=False))
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


def parts(sandbox):
    connection = connection_for(sandbox, sandbox=True)
    return client_for(sandbox), connection


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_provision_form_empty(snap_compare, sandbox, size):
    client, connection = parts(sandbox)
    assert snap_compare(Harness(lambda: ProvisionScreen(client, connection, journal())), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_provision_form_a2p_error(snap_compare, sandbox, size):
    client, connection = parts(sandbox)

    async def fill(pilot):
        screen = pilot.app.screen
        screen.query_one("#ni-lines", TextArea).load_text("+14155550201\n(415) 555-0202\n12\n")
        screen.query_one("#f-provisionClass").value = "A2P"
        await pilot.pause()
        screen.query_one("#f-campaignId").value = "C123"
        screen.query_one("#f-email").value = "ops@example.com"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(Harness(lambda: ProvisionScreen(client, connection, journal())), terminal_size=size,
                        run_before=fill)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_unprovision_dialog(snap_compare, sandbox, size):
    client, connection = parts(sandbox)

    async def wrong(pilot):
        await pilot.press("4", "enter")
        await pilot.pause()

    assert snap_compare(Harness(lambda: UnprovisionScreen(NUMBERS, client, connection, journal())), terminal_size=size,
                        run_before=wrong)
