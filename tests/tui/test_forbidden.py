"""A 403 in the TUI says "not allowed" and changes nothing: no password prompt (keys meant for the list or
the form must not go into one), the password in use stays, an edit is kept. The whole app against a
sandbox behind a scripted server (tests/scripted_proxy.py) that answers 403 where the test says."""

from __future__ import annotations

from textual.notifications import Notify

from actui.tui.screens.diff import DiffScreen
from actui.tui.screens.editor import EditorScreen
from actui.tui.screens.inventory import InventoryScreen
from actui.tui.screens.prompts import PasswordScreen
from actui.tui.widgets.banner import Banner
from tests.helpers import until
from tests.scripted_proxy import number_path
from tests.tui.app_pilot import started, status, table

FORBIDDEN = {"message": "Forbidden: this account may not change numbers of this tenant"}


def everything_said(app, seen: list) -> str:
    """Notifications, the banner and the status line: wherever the app may tell the user."""
    screen = app.screen
    parts = [str(m.notification.message) for m in seen if isinstance(m, Notify)]
    if screen.query(Banner):
        parts.append(str(screen.query_one(Banner).render()))
    if isinstance(screen, InventoryScreen):
        parts.append(status(app))
    if isinstance(screen, EditorScreen):
        parts.append(screen.message_text())
    return "\n".join(parts)


async def test_a_403_on_save_says_not_allowed_keeps_the_edit_and_asks_no_password(sandbox, scripted_proxy,
                                                                                  app_for):
    proxy = scripted_proxy(sandbox)
    app = app_for(proxy)
    seen: list = []
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await started(pilot)
        number = table(app).cursor_row.number
        before = sandbox.state.detail(number)
        proxy.script("PUT", number_path(number), 403, json=FORBIDDEN)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.form is not None)
        editor = app.screen
        editor.form.focus_field("description")
        await until(pilot, lambda: app.focused is not None and editor.form.editors["description"] in
                    app.focused.ancestors_with_self)
        await pilot.press("end", "ctrl+u", *"Not mine to change")
        await until(pilot, lambda: editor.form.changed_paths() == ["description"])
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.press("enter")
        await until(pilot, lambda: proxy.answered(403) and app.screen is editor and
                    "not allowed" in everything_said(app, seen).lower())
        await pilot.pause()
        assert not any(isinstance(s, PasswordScreen) for s in app.screen_stack)
        assert editor.form.changed_paths() == ["description"]        # the edit is kept
        await pilot.press(*" still")                                  # keys still go to the form
        assert editor.form.document()["description"] == "Not mine to change still"
    assert sandbox.state.detail(number) == before                     # nothing changed on the server
    assert sandbox.state.put_counts.get(number, 0) == 0


async def test_a_403_on_the_list_says_not_allowed_and_the_list_keeps_its_keys(sandbox, scripted_proxy, app_for):
    proxy = scripted_proxy(sandbox)
    app = app_for(proxy)
    seen: list = []
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await started(pilot)
        shown = [r.number for r in table(app).rows]
        proxy.script("GET", "/phone-numbers/active", 403, json=FORBIDDEN)
        await pilot.press("r")
        await until(pilot, lambda: proxy.answered(403) and "not allowed" in everything_said(app, seen).lower())
        await pilot.pause()
        assert not any(isinstance(s, PasswordScreen) for s in app.screen_stack)
        assert [r.number for r in table(app).rows] == shown             # what was shown stays
        await pilot.press("down", "down")
        assert isinstance(app.screen, InventoryScreen) and table(app).cursor == 2
        proxy.clear()
        await pilot.press("r")                                          # the same password still works
        await until(pilot, lambda: proxy.seen[-1][1].startswith("/phone-numbers/active")
                    and proxy.seen[-1][2] == 200)
        assert not proxy.answered(401)
