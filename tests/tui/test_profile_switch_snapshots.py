"""Snapshots of the profile picker and of a profile's colour on the header, at 80x24.

The picker lists profiles that are never connected to (fixed URLs, so the picture holds still); the app
runs on the seeded snapshot sandbox. Look at the SVGs under tests/tui/__snapshots__/ when they change.
"""

import dataclasses

from actui.core.store import Store
from actui.tui.app import UiSettings, make_app
from actui.tui.screens.profile_picker import ProfilePicker
from tests.tui.app_pilot import FROZEN, connection_for, list_ready, snapshot_app, wait_for
from tests.tui.profile_pilot import write_profile_tables

PROFILES = {
    "prod": ['base_url = "https://api.example.com/api/v1"', 'user = "ops@example.com"', 'color = "red"',
             "read_only = true"],
    "staging": ['base_url = "https://staging.example.com/api/v1"', 'user = "qa@example.com"',
                'color = "#2e7d32"'],
}


def test_picker(snap_compare, snap_sandbox, tmp_path):
    write_profile_tables(PROFILES)

    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ProfilePicker))

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=(80, 24), run_before=ready)


def test_coloured_header(snap_compare, snap_sandbox, tmp_path):
    connection = dataclasses.replace(connection_for(snap_sandbox), profile="prod", color="red")
    app = make_app(connection, store=Store(tmp_path / "state.sqlite3"),
                   settings=UiSettings(clock=lambda: FROZEN, poll_orders=False))

    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
