"""EditorScreen against a real sandbox over loopback: every field kind, validation, the diff, saving,
errors from the server, leaving, drafts, keyboard reach. No mocks of the client."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Button, Input, Select, Static, Switch, TextArea
from textual.widgets.collapsible import CollapsibleTitle

from actui.api.errors import AuthenticationError
from actui.api.number_models import PhoneNumber
from actui.core.drafts import Drafts
from actui.core.form_spec import form_fields, sections, unknown_paths
from actui.core.journal import Journal
from actui.core.patch import apply, get_path
from actui.core.store import Store
from actui.tui.screens.diff import DiffScreen, LeaveScreen, RestoreDraftScreen
from actui.tui.screens.editor import EditorScreen
from actui.tui.widgets.address_editor import AddressEntry
from actui.tui.widgets.settings_form import FormSection, SettingsForm, section_id
from tests.helpers import client_for, fast_retry
from tests.tui.editor_pilot import (
    ACCOUNT,
    FROZEN,
    SHOWCASE,
    EditorApp,
    ReportingApp,
    S,
    editor,
    focus,
    message,
    note,
    opened,
    patch_of,
    rendered,
    retype,
    shown,
    until,
    wire,
)
from tests.tui.harness import HarnessApp

# --- the form --------------------------------------------------------------------------------------


async def test_every_field_has_the_widget_of_its_kind(client, store):
    widgets = {"bool": Switch, "enum": Select, "text": Input, "int": Input, "datetime": Input,
               "cron": Input, "multiline": TextArea}
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        form = screen.form
        assert list(form.editors) == [spec.path for spec in form_fields()]
        for spec in form_fields():
            row = form.editors[spec.path]
            if spec.kind == "email_list":
                assert len(row.query(AddressEntry)) == 3 and row.query(Button)
            else:
                assert row.query(widgets[spec.kind]), spec.path
        titles = [c.title for c in form.query(FormSection)]
        assert titles == ["Read-only · fixed at provisioning", *[t for t, _ in sections()],
                          "Other fields (kept as they are)"]
        read_only = rendered(form.query_one("#read-only", Static))
        assert "Acme Corp  immutable" in read_only and "Approved Contact  immutable" in read_only
        other = rendered(form.query_one(".other-fields", Static))
        for path in ("tags", "costCenter", "settings.businessHours", "settings.aiSettings.temperature",
                     "settings.optOut.confirmationDelaySeconds", "settings.notifications.email"):
            assert path in other
        assert set(unknown_paths(form.original)) == set(form.unknown)


async def test_switch_select_text_and_number(client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await focus(pilot, screen, "isActivated")
        await pilot.press("space")
        await focus(pilot, screen, "billingPlanName")
        await pilot.press("enter", "down", "enter")   # 2000 -> Pooled
        await retype(pilot, screen, "description", "Front desk")
        await retype(pilot, screen, f"{S}rateLimit", "250")
        await focus(pilot, screen, f"{S}notifications.webex.enabled")
        await pilot.press("enter")
        assert patch_of(screen) == {
            "isActivated": False, "billingPlanName": "Pooled", "description": "Front desk",
            "settings": {"rateLimit": 250, "notifications": {"webex": {"enabled": True}}},
        }
        assert "● 5 unsaved changes" in screen.query_one("#editor-title").text.plain
        assert str(editor(screen, "description").query_one(".field-label", Static).render()) == "Description ●"
        # changing a field back is no change at all
        await retype(pilot, screen, "description", "Customer Support - Primary Line")
        assert "description" not in patch_of(screen)


async def test_a_field_the_number_lacks_stays_absent_until_set(client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert "campaignId" in screen.form.original and screen.form.original["campaignId"] is None
        await retype(pilot, screen, "campaignId", "C1")
        await pilot.press("backspace", "backspace")
        assert screen.form.document() == screen.form.original   # "" is what null looked like: unchanged
        await pilot.press(*"CX1")
        assert patch_of(screen) == {"campaignId": "CX1"}


async def test_datetime_shows_the_local_reading(client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        path = f"{S}outOfOffice.startDate"
        assert note(screen, path).startswith("local: 2025-02-18 00:00:00 UTC")
        await retype(pilot, screen, path, "2025-02-19T09:30:00+02:00")
        assert note(screen, path).startswith("local: 2025-02-19 07:30:00 UTC")
        assert patch_of(screen) == {"settings": {"outOfOffice": {"startDate": "2025-02-19T09:30:00+02:00"}}}
        await retype(pilot, screen, path, "tomorrow")
        assert "ISO 8601" in message(screen, path)


async def test_message_keeps_newlines_and_counts_sms_segments(client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        path = f"{S}signature.message"
        original = screen.form.original["settings"]["signature"]["message"]
        assert note(screen, path) == f"1 SMS segment (GSM-7, {len(original)}/160 characters)"
        await focus(pilot, screen, path)
        area = editor(screen, path).query_one(TextArea)
        area.move_cursor(area.document.end)
        await pilot.press("enter", *"Call 555")
        assert screen.form.document()["settings"]["signature"]["message"] == original + "\nCall 555"
        area.insert("x" * 118)
        await pilot.press("x", "x")
        assert note(screen, path).startswith("2 SMS segments (GSM-7, ")
        await pilot.press("€")   # an extension character: two septets
        assert note(screen, path).startswith("2 SMS segments (GSM-7, ")
        ai = f"{S}aiSettings.responseGenerationContext"   # not sent by SMS: no segments
        assert "SMS" not in note(screen, ai) and "characters" in note(screen, ai)
        await focus(pilot, screen, f"{S}autoResponse.message")
        await pilot.press("end", "ß", "Ж")
        assert "UCS-2" in note(screen, f"{S}autoResponse.message")


async def test_address_list_add_edit_remove_by_keyboard(client, store):
    path = f"{S}autoForward.emailAddresses"
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        row = editor(screen, path)

        def addresses():
            return screen.form.document()["settings"]["autoForward"]["emailAddresses"]

        start = list(addresses())
        await focus(pilot, screen, path)
        assert app.focused is row.query(AddressEntry)[0]
        await pilot.press("ctrl+n")                      # a new line below the focused one
        await pilot.pause()
        assert app.focused is row.query(AddressEntry)[1] and app.focused.value == ""
        assert "an address is required" in str(row.query(".address-message")[1].render())
        await pilot.press(*"desk@acme.example.com")
        assert addresses() == [start[0], "desk@acme.example.com", *start[1:]]
        await pilot.press("enter")                       # enter adds one too
        await pilot.pause()
        await pilot.press("backspace")                   # backspace on an empty line removes it
        await pilot.pause()
        assert addresses() == [start[0], "desk@acme.example.com", *start[1:]]
        assert app.focused is row.query(AddressEntry)[1]
        row.query(AddressEntry)[2].focus()              # manager@
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert addresses() == [start[0], "desk@acme.example.com", start[2]]
        row.query_one(Button).focus()
        await pilot.press("enter")                       # the + Add address button
        await pilot.pause()
        await pilot.press(*"x@acme.example.com")
        assert addresses()[-1] == "x@acme.example.com"
        assert patch_of(screen) == {"settings": {"autoForward": {"emailAddresses": addresses()}}}
        for entry in list(row.query(AddressEntry)):
            entry.focus()
            await pilot.press("ctrl+r")
            await pilot.pause()
        assert addresses() == []
        assert "add at least one address while auto-forward is on" in message(screen, path)


async def test_cron_says_when_it_runs(client, store):
    path = f"{S}optOut.periodicCron"
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert note(screen, path) == "runs at 12:00, on day 15 of the month; next 2025-12-15 12:00"
        await retype(pilot, screen, path, "0 9 * * 1-5")
        assert note(screen, path) == "runs at 09:00, Monday through Friday; next 2025-11-25 09:00"
        await retype(pilot, screen, path, "0 9 * * MON#2")
        assert note(screen, path).startswith("runs at 09:00, on the second Monday of the month; next ")
        assert message(screen, path) == ""
        await retype(pilot, screen, path, "0 9 * *")
        assert note(screen, path) == "" and "not a 5-field cron expression" in message(screen, path)


# --- validation ------------------------------------------------------------------------------------

CASES = {
    "email": (f"{S}autoForward.emailAddresses", "not-an-email", "is not a valid email address"),
    "cron": (f"{S}optOut.periodicCron", "61 * * * *", "is not a valid cron expression"),
    "date order": (f"{S}outOfOffice.endDate", "2025-02-17T00:00:00Z", "must be after the start date"),
    "negative rate limit": (f"{S}rateLimit", "-5", "must be a non-negative integer"),
    "empty keyword": (f"{S}optOut.text", "", "a keyword is required while opt-out is on"),
    "overlapping keywords": (f"{S}optIn.text", "stop", "the opt-in keyword is also the opt-out keyword"),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_inline_validation_and_save_refused_without_a_request(client, store, case):
    path, typed, expected = CASES[case]
    before = await wire(client)
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        if case == "email":
            await focus(pilot, screen, path)
            await pilot.press("end", "ctrl+u", *typed)
            entry = editor(screen, path).query(AddressEntry)[0]
            assert expected in str(editor(screen, path).query(".address-message")[0].render())
            assert entry.value == typed
        else:
            await retype(pilot, screen, path, typed)
            assert expected in message(screen, path)
        if case == "overlapping keywords":
            assert "the opt-out keyword is also the opt-in keyword" in message(screen, f"{S}optOut.text")
        assert editor(screen, path).has_class("-invalid") or case == "email"
        requests = client.stats.requests
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, EditorScreen)       # no diff: refused before
        said = screen.message_text()
        assert said.startswith("Not saved:") and screen.form.field_title(path) in said and "nothing was sent" in said
        assert client.stats.requests == requests
        # the refused field has the focus, so the user can fix it at once
        assert screen.form.editor_of(app.focused) is editor(screen, path)
    assert await wire(client) == before


# --- the diff and saving ---------------------------------------------------------------------------


async def test_diff_lists_exactly_the_changed_fields_and_back_sends_nothing(sandbox, client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}optOut.text", "HALT")
        await retype(pilot, screen, f"{S}rateLimit", "250")
        await focus(pilot, screen, f"{S}notifications.webex.enabled")
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        diff = app.screen
        assert [(r.path, r.old, r.new) for r in diff.rows] == [
            (f"{S}notifications.webex.enabled", False, True),
            (f"{S}optOut.text", "STOP", "HALT"),
            (f"{S}rateLimit", 500, 250),
        ]
        assert [r.label for r in diff.rows] == ["Notifications · Webex · Enabled", "Opt-out · Keyword",
                                                "Limits · Rate limit"]
        text = str(diff.query_one(".dialog-changes", Static).render())
        assert "− STOP" in text and "+ HALT" in text and "− 500" in text and "+ 250" in text
        assert "Save 3 changes to +13125555622?" in str(diff.query_one(".dialog-title", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and len(patch_of(screen)) == 1
        assert SHOWCASE not in sandbox.state.put_counts   # read again for the diff, never written
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and SHOWCASE not in sandbox.state.put_counts


async def test_save_round_trip_changes_one_nested_field_and_nothing_else(client, store):
    before = await wire(client)
    assert {"tags", "costCenter"} <= set(before) and "businessHours" in before["settings"]
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}optOut.text", "END")
        await until(pilot, lambda: Drafts(store, ACCOUNT).load(SHOWCASE) is not None)   # the draft is written
        puts = client.stats.requests
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        assert [r.path for r in app.screen.rows] == [f"{S}optOut.text"]
        await pilot.press("enter")
        await until(pilot, lambda: app.results)
        # a GET for the diff's old values, one right before the PUT, the PUT, and no GET after it
        assert client.stats.requests == puts + 3
    saved = app.results[0]
    assert isinstance(saved, PhoneNumber) and saved.settings.opt_out.text == "END"
    after = await wire(client)
    assert after == apply(before, {"settings": {"optOut": {"text": "END"}}})
    assert saved.to_wire() == after
    assert Drafts(store, ACCOUNT).load(SHOWCASE) is None
    run = Journal(store, ACCOUNT).runs()[0]      # journaled, so it can be undone
    assert run.kind == "edit" and run.counts == {"changed": 1}
    [item] = Journal(store, ACCOUNT).items(run.id)
    assert [(c.path, c.new) for c in item.changes] == [(f"{S}optOut.text", "END")]


async def test_edits_typed_while_the_save_is_on_its_way_stay_unsaved_on_screen(sandbox, client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}optOut.text", "END")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        # the PUT waits (over real HTTP, once let go) until the user has typed more
        release, real_update = asyncio.Event(), client.update_number

        async def held_update(*args, **kw):
            await release.wait()
            return await real_update(*args, **kw)

        client.update_number = held_update
        await pilot.press("enter")
        await until(pilot, lambda: screen.saving)
        await retype(pilot, screen, f"{S}optIn.text", "JOIN")
        assert screen.saving
        release.set()
        await until(pilot, lambda: "still here" in screen.message_text())
        client.update_number = real_update
        assert app.screen is screen and not app.results
        assert patch_of(screen) == {"settings": {"optIn": {"text": "JOIN"}}}
        assert get_path(screen.form.original, f"{S}optOut.text") == "END"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.press("enter")
        await until(pilot, lambda: app.results)
    after = await wire(client)
    assert get_path(after, f"{S}optOut.text") == "END" and get_path(after, f"{S}optIn.text") == "JOIN"
    assert app.results[0].settings.opt_in.text == "JOIN"


async def test_server_refusal_stands_beside_its_field_and_the_edit_stays(client, store):
    """The client cannot see it: the server's startDate moved between the last read and the PUT."""
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        path = f"{S}outOfOffice.endDate"
        await retype(pilot, screen, path, "2025-02-25T00:00:00Z")
        assert message(screen, path) == ""   # fine against what the editor knows
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        real_update = client.update_number

        async def colleague_first(*args, **kw):   # someone else saves right before our PUT lands
            client.update_number = real_update
            await real_update(SHOWCASE, {"settings": {"outOfOffice": {
                "startDate": "2025-03-01T00:00:00Z", "endDate": "2025-03-10T00:00:00Z"}}})
            return await real_update(*args, **kw)

        client.update_number = colleague_first
        await pilot.press("y")
        await until(pilot, lambda: "refused" in screen.message_text())
        assert app.screen is screen and not app.results
        assert message(screen, path) == "server: must be after startDate"
        assert "HTTP 400" in screen.message_text() and "kept" in screen.message_text()
        assert patch_of(screen) == {"settings": {"outOfOffice": {"endDate": "2025-02-25T00:00:00Z"}}}
        assert screen.form.editor_of(app.focused) is editor(screen, path)
        await pilot.press("end", "backspace", "Z")   # editing the field clears the server's word on it
        assert message(screen, path) == ""
    assert get_path(await wire(client), path) == "2025-03-10T00:00:00Z"


async def test_network_failure_keeps_the_edit_and_ctrl_s_retries(sandbox, store):
    async with client_for(sandbox, retry=fast_retry(1), timeout=5) as api:
        app = EditorApp(api, store)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await opened(pilot)
            await retype(pilot, screen, f"{S}optOut.text", "END")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, DiffScreen))
            sandbox.faults.drop_rate = 1.0
            await pilot.press("enter")
            await until(pilot, lambda: "Nothing was lost" in screen.message_text())
            assert "connection was dropped" in screen.message_text()
            assert app.screen is screen and patch_of(screen) == {"settings": {"optOut": {"text": "END"}}}
            sandbox.faults.clear()
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, DiffScreen))
            await pilot.press("enter")
            await until(pilot, lambda: app.results)
        assert app.results[0].settings.opt_out.text == "END"


async def test_authentication_error_goes_to_the_apps_report_error_and_retry_saves(sandbox, client, store):
    app = ReportingApp(client, store)
    async with client_for(sandbox, "wrong", retry=fast_retry(0)) as stale:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await opened(pilot)
            await retype(pilot, screen, f"{S}optOut.text", "END")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, DiffScreen))
            screen.client = stale   # the password changed while the diff was shown
            await pilot.press("enter")
            await until(pilot, lambda: app.reported)
            error, retry = app.reported[0]
            assert isinstance(error, AuthenticationError) and "kept" in screen.message_text()
            app.client = client       # what the real app has after the password prompt
            retry()
            await until(pilot, lambda: app.results)
    assert app.results[0].settings.opt_out.text == "END"


async def test_authentication_error_is_shown_when_the_app_cannot_report(sandbox, store):
    async with client_for(sandbox, "wrong", retry=fast_retry(0)) as api:
        app = EditorApp(api, store)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: "Could not load" in pilot.app.screen.message_text())
            assert "401" in app.screen.message_text() and not app.screen.query(Input)


# --- leaving ---------------------------------------------------------------------------------------


async def test_leaving_with_unsaved_changes_asks_and_defaults_to_stay(client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}optOut.text", "END")
        for stay in ("enter", "escape", "n"):
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, LeaveScreen))
            assert "Opt-out · Keyword" in str(app.screen.query_one(".dialog-changes", Static).render())
            await pilot.press(stay)
            await pilot.pause()
            assert app.screen is screen and patch_of(screen)
        await until(pilot, lambda: Drafts(store, ACCOUNT).load(SHOWCASE) is not None)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LeaveScreen))
        await pilot.press("d")
        await until(pilot, lambda: app.results == [None])
    assert Drafts(store, ACCOUNT).load(SHOWCASE) is None


async def test_leaving_without_changes_does_not_ask(client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])


# --- drafts ----------------------------------------------------------------------------------------


async def test_draft_survives_the_app_stopping_mid_edit_and_is_restored(client, tmp_path):
    path = tmp_path / "state.sqlite3"
    first = Store(path)
    app = EditorApp(client, first)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}optOut.text", "QUIT")
        await until(pilot, lambda: Drafts(first, ACCOUNT).load(SHOWCASE) is not None)   # the debounce
        app.exit()
    first.close()
    assert not app.results   # never saved, never left

    second = Store(path)
    app = EditorApp(client, second)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftScreen))
        offer = app.screen
        assert "Restore unsaved changes from 16:00?" in str(offer.query_one(".dialog-title", Static).render())
        assert [(r.path, r.old, r.new) for r in offer.rows] == [(f"{S}optOut.text", "STOP", "QUIT")]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        screen = app.screen
        await pilot.pause()
        assert patch_of(screen) == {"settings": {"optOut": {"text": "QUIT"}}}
        assert editor(screen, f"{S}optOut.text").query_one(Input).value == "QUIT"
        assert "Restored unsaved changes from 16:00" in screen.message_text()
        assert "● 1 unsaved change" in screen.query_one("#editor-title").text.plain
    second.close()


async def test_a_draft_can_be_discarded_when_offered(client, store):
    Drafts(store, ACCOUNT, clock=lambda: FROZEN).save(
        SHOWCASE, base=await wire(client), edited=apply(await wire(client), {"description": "Old idea"}))
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftScreen))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert patch_of(app.screen) == {}
    assert Drafts(store, ACCOUNT).load(SHOWCASE) is None


async def test_a_restored_draft_marks_fields_the_server_changed_since(client, store):
    base = await wire(client)
    edited = apply(base, {"description": "Draft words", "settings": {"optOut": {"text": "QUIT"}}})
    Drafts(store, ACCOUNT, clock=lambda: FROZEN - 86400).save(SHOWCASE, base=base, edited=edited)
    # meanwhile, elsewhere: one field the draft also changes, one it does not
    await client.update_number(SHOWCASE, {"description": "Server words", "externalId": "CRM-1"})
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftScreen))
        offer = app.screen
        assert "from 2025-11-23 16:00?" in str(offer.query_one(".dialog-title", Static).render())
        assert "Number · Description" in str(offer.query_one(".dialog-note", Static).render())
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        screen = app.screen
        await pilot.pause()
        conflict = shown(editor(screen, "description").query_one(".field-conflict", Static))
        assert "changed on the server since your draft" in conflict and "Server words" in conflict
        assert shown(editor(screen, f"{S}optOut.text").query_one(".field-conflict", Static)) == ""
        assert screen.form.document()["externalId"] == "CRM-1"   # the server's other change is kept
        assert patch_of(screen) == {"description": "Draft words", "settings": {"optOut": {"text": "QUIT"}}}


# --- keyboard, read-only, load errors ---------------------------------------------------------------


async def test_tab_reaches_every_field_and_scrolls_it_into_view(client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        form: SettingsForm = screen.form
        start = form.query(CollapsibleTitle).first()
        start.focus()
        await pilot.pause()
        reached: list[str] = []
        for _ in range(200):
            await pilot.press("tab")
            widget = app.focused
            if widget is start:
                break
            row = form.editor_of(widget)
            if row is not None and row.path not in reached:
                reached.append(row.path)
            if form in widget.ancestors:
                assert form.content_region.contains(widget.region.x, widget.region.y), (row or widget)
        assert reached == [spec.path for spec in form_fields()]
        await pilot.press("shift+tab")   # and back: the last section's title, its last field
        assert isinstance(app.focused, CollapsibleTitle)
        await pilot.press("shift+tab")
        assert form.editor_of(app.focused).path == f"{S}noOutboundTexts"


async def test_read_only_connection_shows_a_message_and_no_inputs(client, store):
    app = EditorApp(client, store, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause()
        screen = app.screen
        assert "read-only" in screen.message_text()
        assert not screen.query("Input, Switch, Select, TextArea") and screen.form is None
        await pilot.press("ctrl+s")
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])
    assert client.stats.requests == 0


async def test_a_number_not_in_the_inventory_says_so(client, store):
    app = EditorApp(client, store, number="+14155550150")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Could not load" in app.screen.message_text())
        assert "not found" in app.screen.message_text() and app.screen.form is None
        await pilot.press("r")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert client.stats.requests >= 2


async def test_fold_all_and_sections_follow_problems(client, store):
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}optOut.text", "")
        await pilot.press("f2")
        await pilot.pause()
        assert all(c.collapsed for c in screen.form.query(FormSection))
        section = screen.form.query_one(f"#{section_id('Opt-out')}", FormSection)
        assert "● 1 changed" in section.title and "✗ 1 to fix" in section.title
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert not section.collapsed   # the refused field's section opens
        assert screen.form.editor_of(app.focused) is editor(screen, f"{S}optOut.text")


async def test_not_now_keeps_the_draft_until_the_next_edit(client, store):
    drafts = Drafts(store, ACCOUNT, clock=lambda: FROZEN)
    base = await wire(client)
    drafts.save(SHOWCASE, base=base, edited=apply(base, {"description": "Old idea"}))
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        screen = app.screen
        assert patch_of(screen) == {} and drafts.load(SHOWCASE).edited["description"] == "Old idea"
        await retype(pilot, screen, "externalId", "CRM-2")
        await until(pilot, lambda: not screen.draft_pending)
    assert drafts.load(SHOWCASE).patch == {"externalId": "CRM-2"}


async def test_values_holding_markup_are_shown_as_they_are(client, store):
    await client.update_number(SHOWCASE, {"description": "[bold]50% off[/] [/]"})
    app = EditorApp(client, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert editor(screen, "description").query_one(Input).value == "[bold]50% off[/] [/]"
        await retype(pilot, screen, "description", "[red]x")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        text = rendered(app.screen.query_one(".dialog-changes", Static))
        assert "[bold]50% off[/] [/]" in text and "[red]x" in text


class OneField(HarnessApp):
    def __init__(self, spec_path: str, initial):
        super().__init__()
        from actui.core.form_spec import field_spec
        from actui.tui.widgets.field_editors import editor_for

        self.row = editor_for(field_spec(spec_path), initial, clock=lambda: FROZEN)

    def compose(self):
        yield self.row


async def test_a_value_the_guide_does_not_list_is_kept_until_changed():
    app = OneField("billingPlanName", "P2P Legacy")
    async with app.run_test(size=(80, 10)) as pilot:
        select = app.row.query_one(Select)
        assert select.value == "P2P Legacy" and not app.row.changed and app.row.value == "P2P Legacy"
        select.focus()
        await pilot.press("enter", "home", "enter")
        assert select.value == "250" and app.row.changed and app.row.value == "250"


async def test_a_switch_the_number_lacks_says_not_set():
    from actui.tui.widgets.field_values import MISSING

    app = OneField(f"{S}noOutboundTexts", MISSING)
    async with app.run_test(size=(80, 10)) as pilot:
        state = app.row.query_one(".switch-state", Static)
        assert str(state.render()) == "off (not set)" and app.row.value is MISSING
        app.row.query_one(Switch).focus()
        await pilot.press("space")
        assert str(state.render()) == "on" and app.row.value is True
        await pilot.press("space")
        assert app.row.value is MISSING   # back to as it was: still absent


async def test_a_rate_limit_that_is_not_a_number():
    app = OneField(f"{S}rateLimit", 100)
    async with app.run_test(size=(80, 10)) as pilot:
        app.row.query_one(Input).focus()
        await pilot.press("end", "ctrl+u", "-")
        assert [p.message for p in app.row.own_problems()] == ["must be a whole number"]
        await pilot.press("5")
        assert app.row.value == -5 and app.row.own_problems() == []
