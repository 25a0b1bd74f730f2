"""The TUI against the sandbox with each fault on: the list, the detail, the editor's save.

No crash and no traceback, one clear message (a banner or the editor's message, never the raw body), no
lost edit (the form keeps it and a draft holds it), a 403 that opens no password prompt.
"""

from __future__ import annotations

import pytest

from actui.api.client import ApiClient
from actui.api.errors import AuthenticationError
from actui.core.drafts import Drafts
from actui.core.patch import update_patch
from actui.core.store import Store
from actui.tui.app import UiSettings, make_app
from actui.tui.screens.detail import DetailScreen
from actui.tui.screens.diff import DiffScreen
from actui.tui.screens.editor import EditorScreen
from actui.tui.screens.inventory import InventoryScreen
from actui.tui.screens.prompts import PasswordScreen
from actui.tui.widgets.banner import Banner
from tests.helpers import client_for, fast_retry, until
from tests.tui.app_pilot import FROZEN, connection_for, table
from tests.tui.harness import HarnessApp

from .checks import assert_no_raw_dump, injected

ACCOUNT = "tester@sandbox"
FIELD = "settings.optOut.text"


def whole_app(server, tmp_path, *, timeout: float = 3.0):
    connection = connection_for(server)
    client = client_for(connection, retry=fast_retry(1), timeout=timeout)
    return make_app(connection, client=client, store=Store(tmp_path / "state.sqlite3"),
                    settings=UiSettings(clock=lambda: FROZEN, poll_orders=False))


async def listed(pilot) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, InventoryScreen) and table(pilot.app).rows)


def screen_text(app) -> str:
    """Everything the screen draws, as the terminal would get it (an SVG of the cells)."""
    return app.export_screenshot()


def words(app) -> str:
    """The text of the screen's static widgets."""
    return " ".join(str(widget.render()) for widget in app.screen.query("Static"))


# --- the list --------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["lying_total=-1", "lying_total=30", "duplicates=3"])
async def test_load_all_gets_every_number_once(server, tmp_path, spec):
    server.faults.set(spec)
    app = whole_app(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await listed(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded and not app.screen.loading_all)
        numbers = [row.number for row in table(app).rows]
        assert injected(server)
        assert sorted(numbers) == sorted(server.state.numbers())


# (a 500 with a traceback takes the 502's path; a stalled body a dropped connection's: the CLI matrix has both)
UNREADABLE = {"HTML 200": "html_every=1", "truncated body": "truncate_every=1", "502 nginx page": "gateway_every=1"}


async def test_an_unreadable_list_shows_the_banner_and_retries(server, tmp_path):
    """One app, each fault in turn (the app's start is the slow part): the banner, stale rows, recovery."""
    app = whole_app(server, tmp_path, timeout=2.0)
    problems = []
    async with app.run_test(size=(100, 30)) as pilot:
        await listed(pilot)
        shown = [row.number for row in table(app).rows]
        banner = app.screen.query_one(Banner)
        for name, spec in UNREADABLE.items():
            server.faults.set(spec)
            await pilot.press("r")
            await until(pilot, lambda: banner.has_class("-shown"))
            try:
                assert_no_raw_dump(str(banner.render()), "banner")
                assert [row.number for row in table(app).rows] == shown and table(app).stale
            except AssertionError as exc:
                problems.append(f"{name}: {exc}")
            server.faults.clear()
            await until(pilot, lambda: not banner.has_class("-shown"), timeout=15)
            assert not table(app).stale
    assert not problems, "\n".join(problems)


async def test_403_says_not_allowed_and_opens_no_password_prompt(server, tmp_path):
    app = whole_app(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await listed(pilot)
        server.faults.set("forbidden_every=1")
        await pilot.press("r")
        await until(pilot, lambda: app._notifications or app.screen.query_one(Banner).has_class("-shown"))
        await pilot.pause()
        assert not isinstance(app.screen, PasswordScreen)
        shown = " ".join(n.message for n in app._notifications) + str(app.screen.query_one(Banner).render())
        assert "not allowed" in shown.lower() or "403" in shown
        server.faults.clear()
        await pilot.press("down")          # keys still go to the list
        assert table(app).cursor == 1


async def test_a_number_deleted_after_listing_says_not_found(server, tmp_path):
    server.faults.set("vanish_every=1")
    app = whole_app(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await listed(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        await until(pilot, lambda: "not in the inventory" in words(app).lower())
        assert_no_raw_dump(screen_text(app), "detail")


async def test_hostile_text_never_reaches_the_terminal(server, tmp_path):
    server.faults.set("hostile_every=1")
    app = whole_app(server, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await listed(pilot)
        assert_no_raw_dump(screen_text(app), "list")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.phone is not None)
        await pilot.pause()
        assert_no_raw_dump(screen_text(app), "detail")


# --- the editor's save -------------------------------------------------------------------------------


class EditorApp(HarnessApp):
    def __init__(self, client: ApiClient, store: Store, number: str):
        super().__init__(settings=UiSettings(clock=lambda: FROZEN))
        self.animation_level = "none"
        self.api, self.store, self.number = client, store, number
        self.results: list = []
        self.reported: list[Exception] = []

    async def report_error(self, error, retry=None) -> None:
        """As the real app's: it opens the password prompt for an AuthenticationError."""
        self.reported.append(error)

    def on_mount(self) -> None:
        self.push_screen(EditorScreen(self.number, self.api, self.store, ACCOUNT, clock=lambda: FROZEN),
                         self.results.append)


async def opened(pilot) -> EditorScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, EditorScreen) and pilot.app.screen.form is not None
                and pilot.app.focused is not None)
    return pilot.app.screen


# (503 and dropped connections: tests/tui/test_editor.py; a 500 traceback takes the 502's path)
SAVE_FAULTS = {"403": "forbidden_every=1", "502 nginx page": "gateway_every=1", "HTML 200": "html_every=1",
               "HTML 200 to the PUT": "html_every=1,on=PUT", "stalled answer": "stall_every=1,stall_for=60s"}


async def test_a_failed_save_keeps_the_edit_and_says_so_once(server, tmp_path):
    """One editor, a save under each fault in turn (opening the editor is the slow part): each says
    "Not saved" once, nothing raw, the form keeps the edit, no password prompt; a draft holds it."""
    number = server.state.numbers()[0]          # every settings section filled in
    store = Store(tmp_path / "editor.sqlite3")
    problems = []
    async with client_for(server, retry=fast_retry(1), timeout=2.0) as api:
        app = EditorApp(api, store, number)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await opened(pilot)
            screen.form.focus_field(FIELD)
            await pilot.pause()
            await pilot.press("end", "ctrl+u", *"HALT")
            await pilot.pause()
            for name, spec in SAVE_FAULTS.items():
                screen.show_message(None)
                await pilot.press("ctrl+s")   # the number is read again before the diff: no fault yet
                await until(pilot, lambda: isinstance(app.screen, DiffScreen))
                server.faults.set(spec)       # the fault meets the save itself (its last read and the PUT)
                await pilot.press("enter")
                await until(pilot, lambda: app.screen is screen and not screen.saving
                            and "Not saved" in screen.message_text(), timeout=15)
                server.faults.clear()
                said = screen.message_text()
                try:
                    assert_no_raw_dump(said, "the editor's message")
                    assert said.count("Not saved") == 1 and not app.results
                    assert not any(isinstance(e, AuthenticationError) for e in app.reported), "a password prompt"
                    edit = update_patch(screen.form.original, screen.form.document())
                    assert edit == {"settings": {"optOut": {"text": "HALT"}}}, edit        # the form keeps it
                except AssertionError as exc:
                    problems.append(f"{name}: {exc}")
                app.reported.clear()
            await until(pilot, lambda: Drafts(store, ACCOUNT).load(number) is not None)
            assert Drafts(store, ACCOUNT).load(number).patch == {"settings": {"optOut": {"text": "HALT"}}}
            # an answer cut short after the PUT ran: read back, found applied, saved
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, DiffScreen))
            server.faults.set("truncate_every=1,on=PUT")
            await pilot.press("enter")
            await until(pilot, lambda: app.results, timeout=15)
            server.faults.clear()
    assert app.results[0].settings.opt_out.text == "HALT"
    assert server.state.detail(number)["settings"]["optOut"]["text"] == "HALT"
    store.close()
    assert not problems, "\n".join(problems)
