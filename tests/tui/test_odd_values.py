"""Odd data already on the server, in the detail screen and the editor (issue 9, item 3).

A wrongly typed field (`rateLimit: "abc"`, `optOut: "STOP"`, `settings: 5`) must not make a number
unviewable: the detail shows what it can, marks the bad field and keeps `y` (raw JSON); the editor
opens with the field flagged. Values the client's rules dislike ("P2P Legacy", "@daily", a rejected
address, an end before the start) are flagged in the editor, never blocking a save of another field.
Odd data is seeded with SandboxState.put_raw (stored unchecked, as a real server may hold it).
"""

from __future__ import annotations

import copy
import json

import pytest
from textual.widgets import Static

from actui.core.journal import Journal
from actui.tui.screens.detail import DetailScreen
from actui.tui.screens.diff import DiffScreen
from actui.tui.screens.editor import EditorScreen
from tests.tui.detail_pilot import DetailApp, settle
from tests.tui.editor_pilot import ACCOUNT, EditorApp, opened, retype, shown, until

S = "settings."


def seed(server, change) -> tuple[str, dict]:
    """Store a copy of the sandbox's first number with `change(doc)` applied, unchecked."""
    state = server.state
    number = state.numbers()[0]
    doc = copy.deepcopy(state.detail(number))
    change(doc)
    state.put_raw(doc)
    return number, doc


def badly_typed(doc: dict) -> None:
    doc["settings"]["rateLimit"] = "abc"
    doc["settings"]["optOut"] = "STOP"
    doc["capabilities"] = None
    doc["createdAt"] = "the day before yesterday"


def disliked(doc: dict) -> None:
    """Values the client's rules refuse when typed, already stored on the server."""
    doc["billingPlanName"] = "P2P Legacy"
    settings = doc["settings"]
    settings["optOut"] = {**(settings.get("optOut") or {}), "periodicCron": "@daily"}
    settings["autoForward"] = {"enabled": True, "emailAddresses": ["ops@@example.com", "ok@example.com"]}
    settings["outOfOffice"] = {"enabled": True, "message": "Away", "startDate": "2025-03-10T00:00:00Z",
                               "endDate": "2025-03-01T00:00:00Z"}


def cross_field_only(doc: dict) -> None:
    """Odd combinations only the editor's own rules judge (the sandbox's checks accept them)."""
    settings = doc["settings"]
    settings["optIn"] = {"enabled": True, "text": "STOP"}
    settings["optOut"] = {"enabled": True, "text": "stop"}
    settings["autoForward"] = {"enabled": True, "emailAddresses": []}
    settings["outOfOffice"] = {"enabled": True, "message": "Away"}


def note_of(screen: EditorScreen, path: str) -> str:
    return shown(screen.form.editors[path].query_one(".field-note", Static))


def message_of(screen: EditorScreen, path: str) -> str:
    return shown(screen.form.editors[path].query_one(".field-message", Static))


# --- the detail -------------------------------------------------------------------------------------


async def test_detail_shows_a_number_whose_fields_are_wrongly_typed(sandbox, client):
    number, doc = seed(sandbox, badly_typed)
    app = DetailApp(number, client)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert screen.error is None and screen.document == doc   # the exact document
        text = screen.plain_text()
        assert "Rate limit: ⚠ not a number: abc" in text
        assert "Opt-out: ⚠ not an object: STOP" in text
        assert "Created: ⚠ not a date: the day before yesterday" in text
        assert "Capabilities: —" in text
        assert "Description:" in text   # everything else is still shown
        assert screen.check_action("toggle_raw", ()) is True
        await pilot.press("y")
        raw = str(screen.query_one("#detail-raw-text", Static).render())
        assert screen.show_raw and '"rateLimit": "abc"' in raw and '"optOut": "STOP"' in raw


async def test_detail_of_a_number_whose_settings_are_not_an_object(sandbox, client):
    number, _ = seed(sandbox, lambda doc: doc.update(settings=5))
    app = DetailApp(number, client)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.error is None
        assert "settings: ⚠ not an object: 5" in screen.plain_text()


# --- the editor: wrongly typed fields ---------------------------------------------------------------


async def test_editor_opens_with_a_wrongly_typed_field_flagged_and_other_fields_save(sandbox, client, store):
    number, _ = seed(sandbox, badly_typed)
    app = EditorApp(client, store, number)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert "⚠ on the server: not a number: abc" in note_of(screen, f"{S}rateLimit")
        assert "settings.optOut not an object: STOP" in note_of(screen, f"{S}optOut.enabled")
        assert message_of(screen, f"{S}rateLimit") == ""   # flagged, not refused
        await retype(pilot, screen, "description", "Front desk")
        assert screen.form.validate() == []
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        assert [row.path for row in app.screen.rows] == ["description"]   # only what the user changed


async def test_a_wrongly_typed_field_the_user_retypes_is_judged(sandbox, client, store):
    number, _ = seed(sandbox, badly_typed)
    app = EditorApp(client, store, number)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}rateLimit", "-")   # (the input takes only what a number may hold)
        assert "must be a whole number" in message_of(screen, f"{S}rateLimit")
        assert "on the server" not in note_of(screen, f"{S}rateLimit")   # the flag goes with the old value
        await retype(pilot, screen, f"{S}rateLimit", "20")
        assert screen.form.validate() == []


# --- the editor: values the client's rules dislike ----------------------------------------------------


async def test_odd_values_on_the_server_are_flagged_and_never_block_a_save(sandbox, client, store):
    number, _ = seed(sandbox, disliked)
    app = EditorApp(client, store, number)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert "⚠ on the server" in note_of(screen, "billingPlanName")
        assert "'@daily' is not a 5-field cron" in note_of(screen, f"{S}optOut.periodicCron")
        assert "address 1: 'ops@@example.com'" in note_of(screen, f"{S}autoForward.emailAddresses")
        assert "must be after the start date" in note_of(screen, f"{S}outOfOffice.endDate")
        assert screen.form.problems == [] and screen.form.invalid_paths() == []
        await retype(pilot, screen, "description", "Front desk")
        requests = client.stats.requests
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        assert [row.path for row in app.screen.rows] == ["description"]
        await pilot.press("enter")
        # not refused by the client's own checks, nor by the server: saved, and the editor closed
        await until(pilot, lambda: sandbox.state.detail(number)["description"] == "Front desk")
        await app.workers.wait_for_complete()
        assert client.stats.requests > requests and not isinstance(app.screen, EditorScreen)
    # what was sent is the description alone
    journal = Journal(store, ACCOUNT)
    [item] = journal.items(journal.runs()[0].id)
    assert [(change.path, change.new) for change in item.changes] == [("description", "Front desk")]


async def test_a_changed_field_is_judged_with_the_odd_values_it_is_checked_against(sandbox, client, store):
    number, _ = seed(sandbox, disliked)
    app = EditorApp(client, store, number)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        # the stored end (March 1st) is before the start the user now types: the rule spans both
        await retype(pilot, screen, f"{S}outOfOffice.startDate", "2025-03-05T00:00:00Z")
        assert "must be after the start date" in message_of(screen, f"{S}outOfOffice.endDate")
        await retype(pilot, screen, f"{S}optOut.periodicCron", "@weekly")
        assert "not a 5-field cron" in message_of(screen, f"{S}optOut.periodicCron")
        requests = client.stats.requests
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and screen.message_text().startswith("Not saved:")
        assert client.stats.requests == requests


async def test_odd_combinations_on_the_server_do_not_block_saving_the_description(sandbox, client, store):
    number, before = seed(sandbox, cross_field_only)
    app = EditorApp(client, store, number)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert "is also the opt-out keyword" in note_of(screen, f"{S}optIn.text")
        assert "add at least one address" in note_of(screen, f"{S}autoForward.emailAddresses")
        assert "required while out of office is on" in note_of(screen, f"{S}outOfOffice.startDate")
        await retype(pilot, screen, "description", "Front desk")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.press("enter")
        await until(pilot, lambda: app.results)
    assert app.results[0] is not None and app.results[0].description == "Front desk"
    after = (await client.get_number(number)).to_wire()
    assert after == {**before, "description": "Front desk"}


async def test_saving_the_description_of_a_number_with_odd_and_wrongly_typed_values(sandbox, client, store):
    def both(doc):
        disliked(doc)
        doc["settings"]["rateLimit"] = "abc"

    number, before = seed(sandbox, both)
    app = EditorApp(client, store, number)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        await retype(pilot, screen, "description", "Front desk")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.press("enter")
        await until(pilot, lambda: app.results or "Not saved" in screen.message_text())
    assert app.results and app.results[0].description == "Front desk"
    after = (await client.get_number(number)).to_wire()
    assert json.dumps(after, sort_keys=True) == json.dumps({**before, "description": "Front desk"}, sort_keys=True)


# --- reading is never refused -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["+19995551234", "(999) 555-1234"])
async def test_opening_a_number_libphonenumber_calls_invalid_asks_the_server(sandbox, tmp_path, typed):
    """`actui open +19995551234` (and the palette, which calls open_detail): the detail is asked for,
    and the server's 404 says the number is not in the inventory."""
    from actui.core.store import Store
    from actui.tui.app import UiSettings, make_app
    from tests.tui.app_pilot import FROZEN, connection_for

    app = make_app(connection_for(sandbox), store=Store(tmp_path / "s.sqlite3"), open_number=typed,
                   settings=UiSettings(clock=lambda: FROZEN, poll_orders=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.error is not None)
        screen = app.screen
        assert screen.number == "+19995551234"
        assert "+19995551234 is not in the inventory (404)" in str(
            screen.query_one("#detail-message", Static).render())


def test_a_flag_quoting_hostile_server_text_is_terminal_safe():
    from actui.api.number_models import PhoneNumber
    from actui.core.detail_view import detail_sections
    from tests.fixtures.hostile import HOSTILE, assert_terminal_safe

    phone = PhoneNumber.model_validate({"phoneNumber": "+14155550100", "settings": {"rateLimit": HOSTILE}})
    [flagged] = [row for section in detail_sections(phone.to_wire(), 0, phone.problems) for row in section.rows
                 if row.wire == "settings.rateLimit"]
    assert flagged.value.plain.startswith("⚠ not a number: ")
    assert_terminal_safe(flagged.value.plain)
