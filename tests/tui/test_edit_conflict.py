"""The editor when someone else (another ApiClient: another actui, the web console) changes the number while
it is open: conflicts are asked about (overwrite, take theirs, back), other changes are taken into the form,
the diff's "old" is the server's value now, and nothing is overwritten unseen."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from actui.core.journal import Journal
from actui.core.patch import get_path
from actui.tui.screens.diff import DiffScreen
from actui.tui.screens.edit_conflict import EditConflictScreen
from actui.tui.screens.editor import EditorScreen
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe
from tests.helpers import client_for, fast_retry
from tests.tui.editor_pilot import ACCOUNT, SHOWCASE, EditorApp, ReportingApp, S, opened, patch_of, retype, until

TEXT = f"{S}optOut.text"


@pytest.fixture
async def colleague(sandbox):
    async with client_for(sandbox, retry=fast_retry()) as api:
        yield api


def conflict_mark(screen: EditorScreen, path: str) -> str:
    widget = screen.form.editors[path].query_one(".field-conflict", Static)
    return str(widget.render()) if "-empty" not in widget.classes else ""


def dialog_text(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def conflict_on_save(pilot, colleague, mine: str = "MINE", theirs: str = "THEIRS") -> EditorScreen:
    """Open the editor, let the colleague change the opt-out keyword, type ours, save: the dialog."""
    screen = await opened(pilot)
    await colleague.update_number(SHOWCASE, {"settings": {"optOut": {"text": theirs}}})
    await retype(pilot, screen, TEXT, mine)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, EditConflictScreen))
    return screen


async def test_a_field_changed_on_both_sides_opens_the_dialog_and_nothing_is_sent(sandbox, client, colleague, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await conflict_on_save(pilot, colleague)
        dialog = app.screen
        assert [(r.path, r.loaded, r.theirs, r.yours) for r in dialog.rows] == [(TEXT, "STOP", "THEIRS", "MINE")]
        text = dialog_text(dialog)
        assert "loaded  STOP" in text and "theirs  THEIRS" in text and "yours   MINE" in text
        assert "Opt-out · Keyword" in text
    assert sandbox.state.put_counts[SHOWCASE] == 1   # the colleague's only
    assert get_path(sandbox.state.detail(SHOWCASE), TEXT) == "THEIRS"
    assert Journal(store, ACCOUNT).runs() == []


async def test_overwrite_shows_the_diff_against_theirs_and_saves_mine(sandbox, client, colleague, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await conflict_on_save(pilot, colleague)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        assert [(r.path, r.old, r.new) for r in app.screen.rows] == [(TEXT, "THEIRS", "MINE")]
        await pilot.press("enter")
        await until(pilot, lambda: app.results)
    assert get_path(sandbox.state.detail(SHOWCASE), TEXT) == "MINE"
    run = Journal(store, ACCOUNT).runs()[0]
    [item] = Journal(store, ACCOUNT).items(run.id)
    assert [(c.path, c.old, c.new) for c in item.changes] == [(TEXT, "THEIRS", "MINE")]   # undo restores theirs


async def test_take_theirs_drops_my_change_to_that_field_and_saves_the_rest(sandbox, client, colleague, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        await colleague.update_number(SHOWCASE, {"settings": {"optOut": {"text": "THEIRS"}}})
        await retype(pilot, screen, TEXT, "MINE")
        await retype(pilot, screen, f"{S}rateLimit", "42")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, EditConflictScreen))
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        assert [(r.path, r.new) for r in app.screen.rows] == [(f"{S}rateLimit", 42)]
        await pilot.press("enter")
        await until(pilot, lambda: app.results)
    after = sandbox.state.detail(SHOWCASE)
    assert get_path(after, TEXT) == "THEIRS" and get_path(after, f"{S}rateLimit") == 42


async def test_take_theirs_with_nothing_else_changed_sends_nothing(sandbox, client, colleague, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await conflict_on_save(pilot, colleague)
        await pilot.press("t")
        await until(pilot, lambda: "nothing else to save" in screen.message_text())
        assert app.screen is screen and patch_of(screen) == {} and not conflict_mark(screen, TEXT)
        assert screen.form.editors[TEXT].wire_value() == "THEIRS"
    assert sandbox.state.put_counts[SHOWCASE] == 1


async def test_back_keeps_my_value_on_theirs_marked_and_a_second_save_goes_to_the_diff(
        sandbox, client, colleague, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await conflict_on_save(pilot, colleague)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen and "Not saved" in screen.message_text())
        assert get_path(screen.form.original, TEXT) == "THEIRS"
        assert patch_of(screen) == {"settings": {"optOut": {"text": "MINE"}}}
        assert "THEIRS" in conflict_mark(screen, TEXT) and "STOP" in conflict_mark(screen, TEXT)
        assert sandbox.state.put_counts[SHOWCASE] == 1
        await pilot.press("ctrl+s")   # seen now: no second dialog
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        assert [(r.old, r.new) for r in app.screen.rows] == [("THEIRS", "MINE")]


async def test_fields_changed_on_the_server_that_i_did_not_touch_come_into_the_form(sandbox, client, colleague, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        await colleague.update_number(SHOWCASE, {"settings": {"rateLimit": 77}})
        await retype(pilot, screen, TEXT, "MINE")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))   # no conflict: straight to the diff
        assert [(r.path, r.old, r.new) for r in app.screen.rows] == [(TEXT, "STOP", "MINE")]
        assert screen.form.editors[f"{S}rateLimit"].wire_value() == 77
        assert "77" in conflict_mark(screen, f"{S}rateLimit") and "Refreshed" in screen.message_text()
        await pilot.press("enter")
        await until(pilot, lambda: app.results)
    after = sandbox.state.detail(SHOWCASE)
    assert get_path(after, TEXT) == "MINE" and get_path(after, f"{S}rateLimit") == 77


async def test_a_change_between_the_diff_and_the_put_is_caught_too(sandbox, client, colleague, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await retype(pilot, app.screen, TEXT, "MINE")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await colleague.update_number(SHOWCASE, {"settings": {"optOut": {"text": "LATE"}}})
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EditConflictScreen))
        assert [(r.loaded, r.theirs, r.yours) for r in app.screen.rows] == [("STOP", "LATE", "MINE")]
    assert get_path(sandbox.state.detail(SHOWCASE), TEXT) == "LATE"
    assert Journal(store, ACCOUNT).runs() == []


async def test_the_dialog_draws_hostile_server_text_harmlessly(sandbox, client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        doc = sandbox.state.detail(SHOWCASE)
        doc["settings"]["optOut"]["text"] = HOSTILE
        sandbox.state.put_raw(doc)
        await retype(pilot, screen, TEXT, "MINE")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, EditConflictScreen))
        text = dialog_text(app.screen)
        assert "wiped" in text
        assert_terminal_safe(text)
        assert_terminal_safe(conflict_mark(screen, TEXT))


async def test_a_failed_read_before_the_diff_keeps_the_edit_and_retry_goes_on(sandbox, client, store):
    app = ReportingApp(client, store)
    async with client_for(sandbox, "wrong", retry=fast_retry(0)) as stale:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await opened(pilot)
            await retype(pilot, screen, TEXT, "MINE")
            screen.client = stale
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.reported)
            assert "kept" in screen.message_text() and patch_of(screen) == {"settings": {"optOut": {"text": "MINE"}}}
            app.client = client
            app.reported[0][1]()
            await until(pilot, lambda: isinstance(app.screen, DiffScreen))
            await pilot.press("enter")
            await until(pilot, lambda: app.results)
    assert get_path(sandbox.state.detail(SHOWCASE), TEXT) == "MINE"


async def test_a_value_that_no_longer_fits_the_servers_is_refused_before_anything_is_sent(
        sandbox, client, colleague, store):
    """The colleague moved the start date on; our end date, fine when typed, now comes before it."""
    app = EditorApp(client, store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        await colleague.update_number(SHOWCASE, {"settings": {"outOfOffice": {"startDate": "2025-02-21T00:00:00Z"}}})
        await retype(pilot, screen, f"{S}outOfOffice.endDate", "2025-02-20T00:00:00Z")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "to fix" in screen.message_text())
        assert app.screen is screen and "nothing was sent" in screen.message_text()
        assert screen.form.editors[f"{S}outOfOffice.startDate"].wire_value() == "2025-02-21T00:00:00Z"
    assert sandbox.state.put_counts[SHOWCASE] == 1   # the colleague's only
