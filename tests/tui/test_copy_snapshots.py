"""Snapshots of the list's status line with the local copy's ages: how many numbers have details and how old
the oldest is, at 80x24 and 120x40. Deterministic: seeded sandbox, frozen clocks, a copy seeded with read
times before the app's frozen now."""

import pytest

from tests.tui.app_pilot import (
    FROZEN,  # 2025-11-24 16:00 UTC
    SIZES,
    list_ready,
    snapshot_app,
    wait_for,
)


def seed_copy(app, sandbox) -> None:
    """The whole list as read 20 minutes ago; 480 of the 500 details, the oldest read 14 minutes ago."""
    copy = app.copy_keeper.copy
    numbers = sandbox.state.numbers()
    items = [{key: value for key, value in sandbox.state.detail(n).items() if key != "settings"} for n in numbers]
    copy.put_list_items(items, FROZEN - 20 * 60)
    copy.keep_only(numbers, FROZEN - 20 * 60)
    copy.put_details([(n, sandbox.state.detail(n), FROZEN - 14 * 60 if i < 10 else FROZEN - 60)
                      for i, n in enumerate(numbers[:480])])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_status_line_says_how_many_numbers_have_details_and_the_oldest_age(snap_compare, snap_sandbox,
                                                                             tmp_path, size):
    app = snapshot_app(snap_sandbox, tmp_path)
    seed_copy(app, snap_sandbox)

    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot) and "with details" in str(
            pilot.app.screen.query_one("#status").render()))

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_offline_the_list_is_the_copys_with_its_age(snap_compare, snap_sandbox, tmp_path, size, monkeypatch):
    from actui.tui.screens import inventory as inventory_screen

    monkeypatch.setattr(inventory_screen, "RETRY_DELAYS", (600.0,))
    app = snapshot_app(snap_sandbox, tmp_path)
    seed_copy(app, snap_sandbox)
    snap_sandbox.stop()

    async def ready(pilot):
        await wait_for(pilot, lambda: pilot.app.screen.showing_copy)

    assert snap_compare(app, terminal_size=size, run_before=ready)
