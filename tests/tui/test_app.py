"""The whole app against the sandbox on loopback: one test per user flow."""

import pytest
from textual import events

from actui.core.store import Store
from actui.tui.app import UiSettings, make_app
from actui.tui.screens.detail import DetailScreen
from actui.tui.screens.inventory import InventoryScreen
from actui.tui.screens.prompts import PasswordScreen
from actui.tui.widgets.banner import Banner
from actui.tui.widgets.order_tracker import OrderTracker
from tests.helpers import TENANT, HeldClient, client_for, until
from tests.tui.app_pilot import FROZEN, connection_for, started, status, table


async def test_start_shows_the_first_page_and_its_status(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert len(table(app).rows) == 100
        assert "page 1/2" in status(app) and "120 numbers" in status(app)
        assert app.sub_title == f"127.0.0.1:{sandbox.port}"


async def test_page_forward_back_and_jump(sandbox_factory, app_for):
    sandbox = sandbox_factory(numbers=250)
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        first = table(app).rows[0].number
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: table(app).rows[0].number != first)
        assert "page 2/3" in status(app)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: "page 3/3" in status(app))
        assert len(table(app).rows) == 50
        await pilot.press("left_square_bracket", "left_square_bracket")
        await until(pilot, lambda: "page 1/3" in status(app))
        assert table(app).rows[0].number == first
        await pilot.press("colon")
        await pilot.press("3", "enter")
        await until(pilot, lambda: "page 3/3" in status(app))


@pytest.mark.parametrize("typed", ["4155", "(415) 5", "415-555", "+1415"])
async def test_filter_finds_a_number_in_any_format(sandbox, app_for, typed):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("slash", *typed)
        await until(pilot, lambda: app.screen.query_text == typed)
        rows = table(app).rows
        assert rows and all("1415" in r.digits for r in rows)
        assert f"{len(rows)} match" in status(app)
        await pilot.press("escape")
        await until(pilot, lambda: len(table(app).rows) == 100)


async def test_the_rows_follow_the_filter_box_in_the_same_pass(sandbox, app_for):
    """Box and rows reach the screen in one update: the rows change while the value is set, not a
    message later."""
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("slash")
        box = app.screen.query_one("#filter")
        box.value = "class:a2p"
        assert table(app).rows and all(r.cells[2] == "A2P" for r in table(app).rows)
        assert "match" in status(app)
        await pilot.press("escape")
        await until(pilot, lambda: len(table(app).rows) == 100)
        assert app.screen.query_text == ""


async def test_keys_typed_right_after_the_slash_reach_the_filter_box(sandbox, app_for):
    """Over SSH a fast typist's "/415" arrives in one read: the keys after "/" are queued before the
    box is focused, so focusing it later (Widget.focus defers) sent them to the table."""
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        for key, char in [("slash", "/"), ("4", "4"), ("1", "1"), ("5", "5")]:
            app.post_message(events.Key(key, char))   # one burst, no pause between the keys
        await until(pilot, lambda: app.screen.query_text == "415")
        assert app.screen.query_one("#filter").has_focus
        await pilot.press("slash", "x")   # in the box, "/" is text
        await until(pilot, lambda: app.screen.query_text == "415/x")


async def test_filter_by_text_and_column(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("slash", *"class:a2p", "enter")
        await until(pilot, lambda: app.screen.query_text == "class:a2p")
        assert table(app).rows and all(r.cells[2] == "A2P" for r in table(app).rows)
        assert app.focused is table(app)


async def test_sort_both_ways_and_load_all(sandbox_factory, app_for):
    sandbox = sandbox_factory(numbers=250)
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded)
        assert len(table(app).rows) == 250 and "all loaded" in status(app)
        app.screen.sort_by("number")
        numbers = [r.number for r in table(app).rows]
        assert numbers == sorted(numbers)
        await pilot.press("S")
        await pilot.pause()
        assert [r.number for r in table(app).rows] == sorted(numbers, reverse=True)
        await pilot.press("s")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ChoiceScreen")
        await pilot.press("down", "enter")  # the second column: Status
        await until(pilot, lambda: app.screen_stack[-1].__class__ is InventoryScreen)
        statuses = [r.cells[1].lower() for r in table(app).rows]
        assert statuses == sorted(statuses)


async def test_open_detail_and_back_keeps_the_cursor(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("down", "down", "down")
        chosen = table(app).cursor_row.number
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.phone is not None)
        assert app.screen.number == chosen
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        assert table(app).cursor_row.number == chosen and table(app).cursor == 3


async def test_copy_from_detail(sandbox, app_for):
    app = app_for(sandbox)
    copied = []
    app.copy_to_clipboard = copied.append
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        number = table(app).cursor_row.number
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.phone is not None)
        await pilot.press("c")
        assert copied == [number]


async def test_track_an_order_to_completed_and_failed_numbers(sandbox, app_for):
    app = app_for(sandbox)
    async with client_for(sandbox) as api:
        good = await api.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
            {"number": "+14155550234", "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}}]})
        mixed = await api.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
            {"number": "+14155550235", "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}},
            {"number": "+14155550150", "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}}]})
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        for order in (good, mixed):
            await pilot.press("t", *str(order.order_id), "enter")
            wanted = str(order.order_id)
            await until(pilot, lambda wanted=wanted: any(t.order_id == wanted for t in app.book.all()))
        tracker = app.screen.query_one(OrderTracker)
        assert tracker.display
        await until(pilot, lambda: all(t.final for t in app.book.all()), timeout=15)
        by_id = {t.order_id: t for t in app.book.all()}
        assert by_id[str(good.order_id)].status == "Completed"
        assert by_id[str(mixed.order_id)].status == "PartiallyCompleted"
        await until(pilot, lambda: "PartiallyCompleted" in tracker.row_text(str(mixed.order_id)))
        tracker.expand(str(mixed.order_id))
        assert any("not available from the carrier" in line for line in tracker.detail_text(str(mixed.order_id)))


async def test_restart_restores_tracked_orders(sandbox_factory, app_for, tmp_path):
    sandbox = sandbox_factory(a2p_seconds=2.0)
    async with client_for(sandbox) as api:
        ack = await api.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
            {"number": "+14155550236", "campaignId": "C1", "brandId": "B1",
             "messagingFeature": {"provisionType": "SMS", "provisionClass": "A2P"}}]})
    first = app_for(sandbox, poll=False, store=Store(tmp_path / "shared.sqlite3"))
    async with first.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        first.track(str(ack.order_id), "Provision", "A2P")
    second = app_for(sandbox, store=Store(tmp_path / "shared.sqlite3"))
    async with second.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        tracker = second.screen.query_one(OrderTracker)
        assert tracker.display and str(ack.order_id) in tracker.order_ids
        await until(pilot, lambda: second.book.get(ack.order_id).final, timeout=15)
        assert second.book.get(ack.order_id).status == "Completed"


async def test_read_only_is_shown_in_the_header(sandbox, app_for):
    app = app_for(sandbox, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert "read-only" in app.sub_title


async def test_network_fault_shows_a_banner_and_keeps_the_data(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        shown = [r.number for r in table(app).rows]
        sandbox.faults.error_every = 1
        await pilot.press("r")
        banner = app.screen.query_one(Banner)
        await until(pilot, lambda: banner.has_class("-shown"))
        assert "503" in str(banner.render()) and "stale" in str(banner.render())
        assert [r.number for r in table(app).rows] == shown and table(app).stale
        assert "stale since" in status(app)
        sandbox.faults.error_every = 0
        await until(pilot, lambda: not banner.has_class("-shown"), timeout=10)
        assert not table(app).stale


async def test_401_opens_the_password_prompt_and_retries(sandbox, app_for):
    app = app_for(sandbox, password="wrong")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PasswordScreen))
        await pilot.press(*sandbox.password, "enter")
        await started(pilot)
        assert len(table(app).rows) == 100


async def test_open_number_starts_on_its_detail(sandbox, tmp_path):
    async with client_for(sandbox) as api:
        number = (await api.list_page(1, 1)).items[0].phone_number
    connection = connection_for(sandbox)
    national = f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    app = make_app(connection, store=Store(tmp_path / "s.sqlite3"), open_number=national,
                   settings=UiSettings(clock=lambda: FROZEN, poll_orders=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.phone is not None)
        assert app.screen.number == number


async def test_palette_finds_numbers_as_typed(sandbox, app_for):
    from actui.tui.commands import NumberFinder

    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        finder = NumberFinder(app.screen)
        hits = [hit async for hit in finder.search("4155")]
        assert hits and all("415" in str(hit.match_display) for hit in hits[1:] or hits)
        opened = [hit async for hit in finder.search("(312) 555-5622")][0]
        assert "Open +13125555622" in str(opened.match_display)


async def test_filter_palette_and_marks_answer_settings_paths_from_the_inventorys_values(sandbox, app_for):
    from actui.core.filtering import DocValues
    from actui.tui.commands import NumberFinder

    docs = {n: sandbox.state.detail(n) for n in sandbox.state.numbers()}

    def limit_over(bound):
        return {n for n, d in docs.items()
                if type(limit := (d.get("settings") or {}).get("rateLimit")) is int and limit > bound}

    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded)
        app.inventory.path_values = DocValues(docs)      # what the local copy gives the list
        assert 0 < len(limit_over(1000)) < len(limit_over(500)) < 120
        await pilot.press("slash", *"settings.rateLimit>500", "enter")   # errors on the way: `...>`
        await until(pilot, lambda: {r.number for r in table(app).rows} == limit_over(500))
        await pilot.press("asterisk")
        await pilot.press("slash", "end", "backspace", "backspace", "backspace", *"1000", "enter")
        await until(pilot, lambda: app.screen.query_text == "settings.rateLimit>1000")
        hidden = len(limit_over(500)) - len(limit_over(1000))
        await until(pilot, lambda: f"{hidden} hidden by filter" in status(app))
        finder = NumberFinder(app.screen)
        assert [hit async for hit in finder.search("sales or")] == []     # half typed: nothing, no error
        hits = [hit async for hit in finder.search("settings.rateLimit>1000")]
        assert len(hits) == min(20, len(limit_over(1000)))


async def test_help_lists_the_screen_bindings(sandbox, app_for):
    from actui.tui.screens.help import HelpScreen

    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.plain_text()
        for words in ("Filter", "Next", "Prev page", "Refresh", "Load all", "Sort", "Orders", "Track order", "Quit"):
            assert words in text


async def test_every_binding_of_the_screen_is_in_the_palette(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for words in ("Filter", "Next page", "Prev page", "Jump to page", "Refresh", "Load all", "Sort",
                      "Reverse sort", "Orders", "Track order", "Help", "Sort by Status", "Mark", "Mark all matching",
                      "Bulk", "Journal"):
            assert words in titles, words
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Load all")
        await command.callback()
        await until(pilot, lambda: app.inventory.all_loaded)


async def test_a_restart_shows_the_cached_first_page_at_once_then_the_fresh_one(sandbox, app_for, tmp_path):
    store_path = tmp_path / "cache.sqlite3"
    first = app_for(sandbox, poll=False, store=Store(store_path))
    async with first.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        seen = [r.number for r in table(first).rows]
    async with client_for(sandbox) as api:
        await api.update_number(seen[0], {"description": "changed since"})
    second = app_for(sandbox, poll=False, store=Store(store_path), client_class=HeldClient)
    second.client.hold()   # the fresh page is on its way until released: the cached one shows meanwhile
    async with second.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(table(second).rows) and second.client.waiting)
        assert [r.number for r in table(second).rows] == seen
        assert "cached" in status(second) and "refreshing" in status(second)
        second.client.release()
        await until(pilot, lambda: table(second).rows[0].cells[-2] == "changed since" or
                    "changed since" in table(second).rows[0].cells)
        assert "cached" not in status(second)


async def test_write_actions_open_their_screens(sandbox, app_for):
    from actui.tui.screens.provision import ProvisionScreen
    from actui.tui.screens.unprovision import UnprovisionScreen

    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        number = table(app).cursor_row.number
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, UnprovisionScreen))
        assert app.screen.numbers == [number] or number in str(app.screen.numbers)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ProvisionScreen))
        await pilot.press("q")  # a letter on a form, never quit
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ProvisionScreen)


async def test_read_only_hides_and_refuses_every_write(sandbox, app_for):
    app = app_for(sandbox, read_only=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        for key in ("p", "u", "e"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, InventoryScreen), key
        shown = {b.binding.action for b in app.screen.active_bindings.values()
                 if app.screen.check_action(b.binding.action, ()) is not False}
        assert not shown & {"provision", "unprovision", "edit"}
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.phone is not None)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)


async def test_edit_from_the_list_saves_and_the_list_shows_the_answer(sandbox, app_for):
    from actui.tui.screens.diff import DiffScreen
    from actui.tui.screens.editor import EditorScreen

    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        number = table(app).cursor_row.number
        puts = sandbox.state.put_counts.get(number, 0)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.form is not None)
        editor = app.screen
        editor.form.focus_field("description")
        await until(pilot, lambda: app.focused is not None and editor.form.editors["description"] in
                    app.focused.ancestors_with_self)
        await pilot.press("end", "ctrl+u", *"Edited in the TUI")
        await until(pilot, lambda: editor.form.changed_paths() == ["description"])
        await pilot.press("ctrl+s")   # the editor's own save: the diff, then enter sends it
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        await until(pilot, lambda: "Edited in the TUI" in table(app).cursor_row.cells)
        assert table(app).cursor_row.number == number
    assert sandbox.state.detail(number)["description"] == "Edited in the TUI"
    assert sandbox.state.put_counts[number] == puts + 1
