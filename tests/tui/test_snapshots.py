"""Snapshots of the list, the detail screen, the order tracker and help, at 80x24 and 120x40.

Deterministic: seeded sandbox data, frozen clocks (the app's and the sandbox's), no animations, no
cursor blink. Look at the SVGs under tests/tui/__snapshots__/test_snapshots/ when they change.
"""

import asyncio

import pytest

from tests.helpers import TENANT, client_for
from tests.tui.app_pilot import SIZES, list_ready, snapshot_app, wait_for


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_inventory_list(snap_compare, snap_sandbox, tmp_path, size):
    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_inventory_filtered_and_sorted(snap_compare, snap_sandbox, tmp_path, size):
    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))
        await pilot.press("L")
        await wait_for(pilot, lambda: pilot.app.inventory.all_loaded)
        pilot.app.screen.sort_by("description")
        await pilot.press("slash", *"415", "enter")
        await wait_for(pilot, lambda: pilot.app.screen.query_text == "415")

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail(snap_compare, snap_sandbox, tmp_path, size):
    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "phone", None) is not None)

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_order_tracker(snap_compare, snap_sandbox, tmp_path, size):
    async def place_orders():
        async with client_for(snap_sandbox) as api:
            acks = []
            for numbers in (["+14155550234"], ["+14155550235", "+14155550150"]):
                acks.append(await api.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
                    {"number": n, "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}}
                    for n in numbers]}))
            acks.append(await api.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
                {"number": "+14155550237", "campaignId": "C1A2B3C", "brandId": "B9X8Y7Z",
                 "messagingFeature": {"provisionType": "SMSMMS", "provisionClass": "A2P"}}]}))
            return acks

    acks = asyncio.run(place_orders())
    snap_sandbox.clock.now += 5  # the P2P orders are final, the A2P one still in progress
    app = snapshot_app(snap_sandbox, tmp_path, poll=True)

    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))
        for ack in acks:
            pilot.app.track(str(ack.order_id), "Provision")
        await wait_for(pilot, lambda: sum(t.final for t in pilot.app.book.all()) == 2
                       and all(t.order for t in pilot.app.book.all()))
        from actui.tui.widgets.order_tracker import OrderTracker

        tracker = pilot.app.screen.query_one(OrderTracker)
        tracker.expand(str(acks[1].order_id))
        tracker.focus()
        pilot.app.clear_notifications()  # toasts come and go with time: asserted in test_app instead
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, snap_sandbox, tmp_path, size):
    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)
