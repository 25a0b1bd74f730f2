"""The detail of a number opens from the local copy at once, its age in the title, and the server's answer
replaces it (and is kept in the copy)."""

from actui.tui.screens.detail import DetailScreen
from tests.helpers import until
from tests.tui.app_pilot import FROZEN, started
from tests.tui.copy_pilot import detail_message


def title(screen) -> str:
    return str(screen.query_one("#detail-title").render())


async def test_the_detail_opens_from_the_copy_marked_with_its_age_then_refreshes(sandbox, app_for):
    number = sandbox.state.numbers()[3]
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded)
        held = dict(sandbox.state.detail(number), description="as the copy holds it")
        assert app.copy_keeper.copy.put_detail(number, held, FROZEN - 14 * 60)
        sandbox.faults.latency_ms = 800      # the server's answer is on its way while the copy shows
        app.open_detail(number)
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.document is not None)
        screen = app.screen
        assert screen.copy_read_at == FROZEN - 14 * 60 and "as the copy holds it" in screen.plain_text()
        assert "local copy of 15:46 (14m old)" in title(screen)
        await until(pilot, lambda: screen.copy_read_at is None, timeout=15)
        sandbox.faults.latency_ms = 0
        served = sandbox.state.detail(number)["description"]
        assert served != "as the copy holds it" and served in screen.plain_text()
        assert "local copy" not in title(screen)
        assert app.copy_keeper.copy.detail(number) == (sandbox.state.detail(number), FROZEN)


async def test_a_number_the_copy_lacks_opens_as_before(sandbox, app_for):
    number = sandbox.state.numbers()[3]
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.open_detail(number)
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.document is not None)
        assert app.screen.copy_read_at is None and "local copy" not in title(app.screen)


async def test_a_number_the_server_no_longer_knows_leaves_the_copy(sandbox, app_for):
    gone = "+13125550000"   # not in the sandbox's inventory: its GET answers 404
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        copy = app.copy_keeper.copy
        doc = dict(sandbox.state.detail(sandbox.state.numbers()[0]), phoneNumber=gone)
        copy.put_list_items([doc], FROZEN - 60)
        assert copy.detail(gone) is not None
        app.open_detail(gone)
        await until(pilot, lambda: "is not in the inventory (404)" in detail_message(app))
        assert copy.detail(gone) is None and gone not in copy.numbers()
        assert "local copy" not in title(app.screen)


async def test_a_number_known_only_from_the_list_opens_from_its_list_item(sandbox, app_for):
    """The sandbox's list carries no settings: after `L` the copy holds list items only; the detail shows the
    list item at once (marked with the list's age) rather than nothing until the server answers."""
    number = sandbox.state.numbers()[5]
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded and app.copy_keeper.copy.known(number) is not None)
        copy = app.copy_keeper.copy
        assert copy.detail(number) is None
        item, seen_at = copy.known(number)
        assert item["phoneNumber"] == number and "settings" not in item
        sandbox.faults.latency_ms = 800      # the server's answer is on its way while the list item shows
        app.open_detail(number)
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.document is not None)
        screen = app.screen
        assert screen.copy_read_at == seen_at and "local copy of" in title(screen)
        await until(pilot, lambda: screen.copy_read_at is None, timeout=15)
        sandbox.faults.latency_ms = 0
        assert "local copy" not in title(screen)
