"""Switching profile inside the TUI (tui/profile_switch.py): two real sandboxes on loopback as two profiles of
config.toml. The list, tracker, poller and journal follow the new account; a failed switch, or "stay" at the
unsaved-edit question, leaves everything as it was; the password never reaches the screen or the store."""

from __future__ import annotations

import pytest

from actui.config import ConnectionFlags, resolve_connection
from actui.core.journal import Journal
from actui.core.orders import OrderBook
from actui.core.store import Store
from actui.tui.screens.diff import LeaveScreen
from actui.tui.screens.editor import EditorScreen
from actui.tui.screens.journal import JournalScreen
from actui.tui.screens.profile_picker import ProfilePicker
from actui.tui.screens.prompts import PasswordScreen
from actui.tui.widgets.order_tracker import OrderTracker
from tests.helpers import until
from tests.tui.editor_pilot import opened, retype
from tests.tui.profile_pilot import app_on, choose, list_of, notices, picker, picker_lines, write_profiles


@pytest.fixture
def two(sandbox_factory):
    """Two accounts: "one" (30 numbers) and "two" (12 others, its own password)."""
    one = sandbox_factory(numbers=30)
    two = sandbox_factory(numbers=12, seed=7)
    write_profiles("one", one=(one,), two=(two, 'color = "red"'))
    return one, two


async def switch_with_password(pilot, option_id: str, password: str) -> None:
    await choose(pilot, option_id)
    await until(pilot, lambda: isinstance(pilot.app.screen, PasswordScreen))
    await pilot.press(*password, "enter")


async def test_the_key_opens_the_picker_and_the_list_follows_the_new_account(two, tmp_path):
    one, other = two
    app = app_on("one", one.password, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        await pilot.press("P")
        lines = picker_lines(await picker(pilot))
        assert lines[0].startswith("● one · current") and one.base_url in lines[0] and one.user in lines[0]
        assert lines[1].startswith("  ■ two") and other.base_url in lines[1]
        assert lines[2].startswith("  sandbox") and "embedded sandbox" in lines[2]

        await switch_with_password(pilot, "profile:two", other.password)
        await list_of(pilot, other)
        assert app.connection.profile == "two" and app.connection.base_url == other.base_url
        assert app.sub_title == "two"
        assert any(text.startswith("Switched to two") for text in notices(app))
        assert other.password not in app.export_screenshot()
        assert all(other.password not in text for text in notices(app))
        # nothing written holds it: the local store, config.toml
        store_bytes = b"".join(path.read_bytes() for path in tmp_path.glob("state.sqlite3*"))
        assert other.password.encode() not in store_bytes
        assert other.password not in (tmp_path / "config" / "config.toml").read_text()

        await pilot.press("P")          # and back, with the password asked again
        await switch_with_password(pilot, "profile:one", one.password)
        await list_of(pilot, one)
        assert app.connection.profile == "one"


async def test_the_palette_opens_it_and_a_password_in_the_environment_is_used(sandbox_factory, tmp_path,
                                                                               monkeypatch):
    one = sandbox_factory(numbers=30)
    other = sandbox_factory(numbers=12, seed=7, password="pw-of-two")
    write_profiles("one", one=(one,), two=(other,))
    monkeypatch.setenv("ACTUI_PASSWORD", "pw-of-two")
    app = app_on("one", one.password, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        await pilot.press("ctrl+p", *"Switch profile")
        await until(pilot, lambda: "restarting" in app.export_screenshot().split("ctrl+p")[-1])
        await pilot.press("enter")
        await picker(pilot)
        await choose(pilot, "profile:two")
        await list_of(pilot, other)      # no password asked: ACTUI_PASSWORD, as the CLI finds it
        assert app.connection.profile == "two"


async def test_the_tracker_the_poller_and_the_journal_follow_the_account(two, tmp_path):
    one, other = two
    store = Store(tmp_path / "state.sqlite3")
    key_one, key_two = (resolve_connection(ConnectionFlags(profile=name)).account_key for name in ("one", "two"))
    OrderBook(store, key_one).track("101", "provision")
    OrderBook(store, key_two).track("202", "unprovision")
    edited_in_two = other.state.numbers()[0]
    Journal(store, key_two, "two").record_edit(edited_in_two, {"description": "a"}, {"description": "b"}, "changed")
    app = app_on("one", one.password, tmp_path, poll=True, store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        tracker = app.screen.query_one(OrderTracker)
        assert tracker.order_ids == ["101"]
        await until(pilot, lambda: app.poller is not None and app.poller.running)
        assert app.poller.book.account == key_one

        await pilot.press("P")
        await picker(pilot)
        await switch_with_password(pilot, "profile:two", other.password)
        await list_of(pilot, other)
        assert app.screen.query_one(OrderTracker).order_ids == ["202"]
        await until(pilot, lambda: app.poller is not None and app.poller.running)
        assert app.poller.book.account == key_two and app.poller.client is app.client

        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        journal = app.screen
        assert journal.journal.account == key_two
        assert [item.number for run in journal.journal.runs() for item in journal.journal.items(run.id)] == [
            edited_in_two]


async def test_an_unsaved_edit_asks_first_and_stay_keeps_it(two, tmp_path):
    one, other = two
    app = app_on("one", one.password, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        number = one.state.numbers()[0]
        app.open_editor(number)
        editor = await opened(pilot)
        await retype(pilot, editor, "description", "half typed")
        await pilot.press("ctrl+p", *"Switch profile")
        await until(pilot, lambda: "restarting" in app.export_screenshot().split("ctrl+p")[-1])
        await pilot.press("enter")
        await picker(pilot)
        await switch_with_password(pilot, "profile:two", other.password)
        await until(pilot, lambda: isinstance(app.screen, LeaveScreen), timeout=15)
        app.action_switch_profile()      # one switch at a time (the palette reaches it over a question)
        await until(pilot, lambda: any(text.startswith("Already switching to two") for text in notices(app)))
        assert isinstance(app.screen, LeaveScreen)
        await pilot.press("n")           # stay
        await until(pilot, lambda: app.screen is editor)
        assert editor.form.edited["description"] == "half typed"
        assert app.connection.profile == "one"

        await pilot.press("ctrl+p", *"Switch profile")
        await until(pilot, lambda: "restarting" in app.export_screenshot().split("ctrl+p")[-1])
        await pilot.press("enter")
        await picker(pilot)
        await switch_with_password(pilot, "profile:two", other.password)
        await until(pilot, lambda: isinstance(app.screen, LeaveScreen), timeout=15)
        await pilot.press("d")           # discard and switch
        await list_of(pilot, other)
        assert not any(isinstance(screen, EditorScreen) for screen in app.screen_stack)
        assert editor.drafts.load(number) is None   # no draft of it offered later in account one


async def test_a_wrong_password_leaves_the_user_where_they_were(two, tmp_path):
    one, other = two
    app = app_on("one", one.password, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        before = app.inventory
        await pilot.press("P")
        await picker(pilot)
        await switch_with_password(pilot, "profile:two", "not-the-password")
        await until(pilot, lambda: any(text.startswith("Could not switch to two") for text in notices(app)),
                    timeout=15)
        [said] = [text for text in notices(app) if text.startswith("Could not switch")]
        assert said.endswith("Still on one.") and "\n" not in said and "not-the-password" not in said
        assert app.connection.profile == "one" and app.inventory is before
        await list_of(pilot, one)


async def test_an_unreachable_profile_leaves_the_user_where_they_were(sandbox_factory, tmp_path, monkeypatch):
    one = sandbox_factory(numbers=30)
    gone = sandbox_factory(numbers=5, password="pw")
    write_profiles("one", one=(one,), gone=(gone,))
    gone.stop()
    monkeypatch.setenv("ACTUI_PASSWORD", "pw")
    app = app_on("one", one.password, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        await pilot.press("P")
        await picker(pilot)
        await choose(pilot, "profile:gone")
        await until(pilot, lambda: any(text.startswith("Could not switch to gone") for text in notices(app)),
                    timeout=30)
        assert app.connection.profile == "one" and isinstance(app.screen, type(app.inventory_screen()))
        await list_of(pilot, one)


async def test_no_switch_while_a_bulk_run_is_under_way(two, tmp_path):
    import asyncio

    from actui.tui.screens.bulk_run import BulkRunScreen

    one, _ = two
    app = app_on("one", one.password, tmp_path)
    go_on = asyncio.Event()

    async def start(on_progress, cancel):   # a run that lasts until the test lets it end
        await go_on.wait()
        raise RuntimeError("ended by the test")

    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        run = BulkRunScreen("Bulk edit", start)
        app.push_screen(run)
        await until(pilot, lambda: run.running)
        await pilot.press("P")
        await until(pilot, lambda: any("No profile switch while a bulk run" in text for text in notices(app)))
        assert not isinstance(app.screen, ProfilePicker)
        go_on.set()
        await until(pilot, lambda: not run.running)
        await pilot.press("P")
        await picker(pilot)


async def test_the_profiles_colour_is_the_headers_on_every_screen(two, tmp_path):
    one, other = two
    app = app_on("two", other.password, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, other)
        from textual.widgets import Header

        assert app.header_color == "#FF0000" and app.has_class("-profile-color")
        assert app.screen.query_one(Header).styles.background.hex == "#FF0000"
        app.open_detail(other.state.numbers()[0])
        await until(pilot, lambda: app.screen.id != "inventory" and app.screen.query("#detail-title"))
        await pilot.pause()
        assert app.screen.query_one("#detail-title").styles.background.hex == "#FF0000"
        await pilot.press("escape")

        await until(pilot, lambda: app.screen.id == "inventory")
        await pilot.press("P")
        await picker(pilot)
        await switch_with_password(pilot, "profile:one", one.password)   # one has no colour: as the theme draws it
        await list_of(pilot, one)
        assert app.header_color is None and not app.has_class("-profile-color")
        assert app.screen.query_one(Header).styles.background.hex != "#FF0000"


async def test_a_bad_colour_in_config_is_said_when_the_picker_opens(two, tmp_path):
    one, other = two
    app = app_on("one", one.password, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        write_profiles("one", one=(one,), two=(other, 'color = "reddish"'))
        await pilot.press("P")
        await until(pilot, lambda: any("Cannot read the profiles" in text for text in notices(app)))
        [said] = [text for text in notices(app) if "Cannot read the profiles" in text]
        assert "profile 'two': color must be a colour name" in said
        assert not isinstance(app.screen, ProfilePicker) and app.connection.profile == "one"


async def test_a_profile_that_cannot_connect_is_shown_with_why_and_cannot_be_chosen(two, tmp_path):
    from textual.widgets import OptionList

    one, other = two
    write_profiles("one", one=(one,), two=(other,))
    with (tmp_path / "config" / "config.toml").open("a") as config:
        config.write('\n[profiles.nourl]\nuser = "nobody@example.com"\n')
    app = app_on("one", one.password, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_of(pilot, one)
        await pilot.press("P")
        screen = await picker(pilot)
        [line] = [text for text in picker_lines(screen) if "nourl" in text]
        assert "has no base_url" in line
        options = screen.query_one(OptionList)
        assert options.get_option("profile:nourl").disabled


async def test_the_new_profiles_columns_and_sort_follow_the_switch(sandbox_factory, tmp_path):
    one = sandbox_factory(numbers=30)
    other = sandbox_factory(numbers=12, seed=7)
    write_profiles("one", one=(one,), two=(other, 'columns = ["number", "email"]', 'sort = "-status"'))
    app = app_on("one", one.password, tmp_path)
    async with app.run_test(size=(160, 30)) as pilot:
        await list_of(pilot, one)
        assert "status" in [column.key for column in app.screen.query_one("NumberTable").columns]
        await pilot.press("P")
        await picker(pilot)
        await switch_with_password(pilot, "profile:two", other.password)
        await list_of(pilot, other)
        assert [column.key for column in app.screen.query_one("NumberTable").columns] == ["number", "email"]
        assert (app.screen.sort_key, app.screen.descending) == ("status", True)
