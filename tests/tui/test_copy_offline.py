"""The API unreachable (the sandbox stopped): the header says "offline", the list shows the local copy with
its age, writes are refused with a clear message, and the next answer brings everything back."""

from actui.tui.screens import inventory as inventory_screen
from tests.fixtures.hostile import assert_terminal_safe, seed_hostile
from tests.helpers import until
from tests.tui.app_pilot import FROZEN, started, status, table
from tests.tui.copy_pilot import detail_message


def shown(app) -> list[str]:
    return [n.message for n in app._notifications]


async def fill_copy(app_for, server) -> None:
    """A session that pressed L (which fills the local copy), then quit."""
    app = app_for(server)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded and app.copy_keeper.status is not None)


async def test_unreachable_api_shows_the_copy_says_offline_refuses_writes_and_recovers(
        sandbox, app_for, monkeypatch):
    monkeypatch.setattr(inventory_screen, "RETRY_DELAYS", (0.3,))
    await fill_copy(app_for, sandbox)
    sandbox.stop()
    app = app_for(sandbox)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.screen.showing_copy)
        assert len(table(app).rows) == 120 and app.inventory.all_loaded
        assert app.sub_title.endswith("· offline")
        assert "local copy of 16:00 (0s old)" in status(app)
        await pilot.press("e")
        await until(pilot, lambda: any("editing is refused" in m for m in shown(app)))
        await pilot.press("p")
        await until(pilot, lambda: any("ordering numbers is refused" in m for m in shown(app)))
        await pilot.press("space", "b")
        await until(pilot, lambda: any("a bulk edit is refused" in m for m in shown(app)))
        await pilot.press("u")
        await until(pilot, lambda: any("releasing numbers is refused" in m for m in shown(app)))
        assert app.screen.id == "inventory"           # no editor, order or release screen opened
        assert all("nothing was sent, nothing is queued" in m for m in shown(app) if "refused" in m)

        sandbox.start()                               # back: the retry's answer ends it all
        await until(pilot, lambda: not app.screen.showing_copy and not app.offline)
        assert "offline" not in app.sub_title and "local copy" not in status(app)
        assert len(table(app).rows) == 100 and not app.inventory.all_loaded   # the server's first page


async def test_an_empty_copy_leaves_the_list_as_it_was_and_still_says_offline(sandbox, app_for, monkeypatch):
    monkeypatch.setattr(inventory_screen, "RETRY_DELAYS", (30.0,))
    sandbox.stop()
    app = app_for(sandbox)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.offline)
        assert not app.screen.showing_copy and not table(app).rows
        assert app.sub_title.endswith("· offline")


async def test_the_detail_opens_from_the_copy_when_the_api_is_unreachable(sandbox_factory, app_for, monkeypatch):
    monkeypatch.setattr(inventory_screen, "RETRY_DELAYS", (30.0,))
    server = sandbox_factory(list_settings=True)
    number = seed_hostile(server)
    await fill_copy(app_for, server)
    server.stop()
    app = app_for(server)
    async with app.run_test(size=(160, 70)) as pilot:
        await until(pilot, lambda: app.screen.showing_copy)
        drawn = app.export_screenshot()
        assert_terminal_safe(drawn, "the list from the copy")
        assert "␛[2J" in drawn
        app.open_detail(number)
        await until(pilot, lambda: "Could not load" in detail_message(app))
        screen = app.screen
        assert screen.copy_read_at == FROZEN and screen.document["phoneNumber"] == number
        title = str(screen.query_one("#detail-title").render())
        assert "local copy of 16:00 (0s old)" in title
        message = str(screen.query_one("#detail-message").render())
        assert f"Could not load {number}" in message and "Showing the local copy" in message
        drawn = app.export_screenshot()
        assert_terminal_safe(drawn, "the detail from the copy")
        assert "␛[2J" in drawn
