"""DetailScreen against a real sandbox over loopback: content, keys, errors."""

from __future__ import annotations

from datetime import datetime

import pytest

from actui.api.errors import NotFound
from actui.api.phone import friendly
from actui.api.vocabulary import DOCUMENTED_IMMUTABLE
from actui.core import timefmt
from actui.core.detail_view import SETTINGS_SECTIONS, detail_sections
from actui.tui.screens.detail import DetailScreen
from tests.helpers import HeldClient, client_for, fast_retry, until
from tests.tui.detail_pilot import FIXED, MISSING, DetailApp, line_with, rendered, settle


@pytest.fixture
async def rich_number(client):
    """A number with unknown fields at the top level and inside settings (the seed's showcase has them)."""
    page = await client.list_page(1, 40)
    for item in page.items:
        phone = await client.get_number(item.phone_number)
        top_extra = set(phone.model_extra or {}) - DOCUMENTED_IMMUTABLE
        if top_extra and phone.settings is not None and phone.settings.model_extra:
            return phone
    pytest.fail("the sandbox seeded no number with unknown fields")


async def test_shows_everything_the_api_returned(client, rich_number):
    doc = rich_number.to_wire()
    number = doc["phoneNumber"]
    app = DetailApp(number, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert screen.error is None and screen.document == doc
        text = rendered(screen)

        # title line: friendly number, E.164, status as sent, class / type
        title = rendered(screen, "#detail-title")
        for part in (friendly(number), number, doc["status"], doc["provisionClass"], doc["provisionType"]):
            assert part in title

        # every settings section the sandbox returned, headed with its wire path
        settings = doc["settings"]
        for spec in SETTINGS_SECTIONS:
            present = spec.path[1] in settings if len(spec.path) == 2 else any(
                f.key in settings for f in spec.fields)
            if present:
                assert spec.title in text, spec.title
                assert spec.id in screen.section_ids()
        assert "settings.autoResponse" in text
        assert "New threads only" in text

        # capabilities as ticks
        caps = doc["capabilities"]
        mark = {True: "✓", False: "✗"}
        assert f"SMS {mark[caps['sms']]}  MMS {mark[caps['mms']]}" in line_with(text, "Capabilities")

        # immutable fields are marked
        assert "immutable" in line_with(text, "Owner", doc["owner"])
        assert "immutable" in line_with(text, "Provider", doc["provider"])
        assert "immutable" in line_with(text, "Number ID", doc["phoneNumberId"][:8])

        # dates in local time, with the age from the frozen clock
        created = datetime.fromisoformat(doc["createdAt"].replace("Z", "+00:00"))
        expected = timefmt.local(created, FIXED)
        assert f"({timefmt.age(FIXED - created.timestamp())} ago)" in expected
        assert expected in line_with(text, "Created")

        # nothing hidden: unknown top-level fields and unknown keys inside settings
        assert "Other fields (not in the guide)" in text
        for key in set(rich_number.model_extra) - DOCUMENTED_IMMUTABLE:
            assert key in line_with(text, key)
        for key in rich_number.settings.model_extra:
            assert f"settings.{key}" in text
        assert doc["costCenter"] in line_with(text, "costCenter")

        # multi-line signature: one line each
        signature = settings["signature"]["message"].strip().splitlines()
        assert len(signature) > 1
        for part in signature:
            assert any(line.strip().endswith(part) for line in text.splitlines()), part


async def test_body_scrolls_with_the_keyboard(client, rich_number):
    app = DetailApp(rich_number.phone_number, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        body = app.screen.query_one("#detail-body")
        assert app.screen.focused is body
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        assert body.scroll_y > 0
        await pilot.press("end")
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home")
        assert body.scroll_y == 0
        await pilot.press("down")
        assert body.scroll_y == 1


async def test_raw_json_shows_the_document_with_unknown_fields(client, rich_number):
    app = DetailApp(rich_number.phone_number, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert not screen.query_one("#detail-raw").display
        await pilot.press("y")
        await pilot.pause()
        assert screen.query_one("#detail-raw").display
        assert not screen.query_one("#detail-body").display
        assert screen.focused is screen.query_one("#detail-raw")
        raw = rendered(screen, "#detail-raw")
        assert f'"phoneNumber": "{rich_number.phone_number}"' in raw
        for key in set(rich_number.model_extra) - DOCUMENTED_IMMUTABLE:
            assert f'"{key}":' in raw
        for key in rich_number.settings.model_extra:
            assert f'"{key}":' in raw
        await pilot.press("y")
        await pilot.pause()
        assert screen.query_one("#detail-body").display
        assert not screen.query_one("#detail-raw").display


async def test_wire_names_toggle(client, rich_number):
    app = DetailApp(rich_number.phone_number, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "billingPlanName" not in rendered(app.screen)
        await pilot.press("w")
        await pilot.pause()
        text = rendered(app.screen)
        assert "billingPlanName" in text and "phoneNumberId" in text
        assert "Billing plan" not in text


async def test_copy_puts_the_e164_number_on_the_clipboard(client, rich_number):
    number = rich_number.phone_number
    app = DetailApp(number, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.copied == [number]
        assert app.clipboard == number
        assert f"Copied {number}" in app.notes


async def test_escape_goes_back(client, rich_number):
    app = DetailApp(rich_number.phone_number, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)
        assert len(app.screen_stack) == 1


async def test_loading_indicator_while_fetching(sandbox, rich_number):
    api = HeldClient(sandbox.base_url, sandbox.user, sandbox.password, retry=fast_retry(0), timeout=5)
    api.hold()   # the answer is on its way until released
    app = DetailApp(rich_number.phone_number, api)
    async with api, app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: api.waiting == 1)
        await pilot.pause()
        assert app.screen.query_one("#detail-body").loading
        api.release()
        await settle(pilot)
        assert not app.screen.query_one("#detail-body").loading
        assert app.screen.document is not None


async def test_unknown_number_says_not_found(client):
    app = DetailApp(MISSING, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert isinstance(screen.error, NotFound)
        message = rendered(screen, "#detail-message")
        assert f"{MISSING} is not in the inventory (404)" in message
        assert "escape to go back" in message
        assert screen.sections == []
        await pilot.press("y")  # nothing to show: no crash
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("fault", ["error_every", "drop_every"])
async def test_fault_shows_message_and_r_retries(sandbox, rich_number, fault):
    api = client_for(sandbox, retry=fast_retry(0), timeout=5)
    try:
        setattr(sandbox.faults, fault, 1)
        app = DetailApp(rich_number.phone_number, api)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, DetailScreen)
            assert screen.error is not None and screen.document is None
            message = rendered(screen, "#detail-message")
            assert f"Could not load {rich_number.phone_number}" in message
            assert "r to retry" in message

            sandbox.faults.clear()
            await pilot.press("r")
            await settle(pilot)
            assert screen.error is None
            assert not screen.query_one("#detail-message").display
            assert "Identity & assignment" in rendered(screen)
        assert app.return_code in (None, 0)
    finally:
        await api.aclose()


async def test_reload_failure_keeps_what_was_shown(sandbox, client, rich_number):
    api = client_for(sandbox, retry=fast_retry(0), timeout=5)
    try:
        app = DetailApp(rich_number.phone_number, api)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            sandbox.faults.error_every = 1
            await pilot.press("r")
            await settle(pilot)
            text = rendered(app.screen)
            assert "r to retry" in text and "Showing what was loaded before" in text
            assert "Identity & assignment" in text
            sandbox.faults.clear()
    finally:
        await api.aclose()


async def test_reload_shows_new_values(client, rich_number):
    number = rich_number.phone_number
    app = DetailApp(number, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await client.update_number(number, {"externalId": "CRM-RELOADED"})
        await pilot.press("r")
        await settle(pilot)
        assert "CRM-RELOADED" in line_with(rendered(app.screen), "External ID")


async def test_markup_in_values_renders_literally(client, rich_number):
    number = rich_number.phone_number
    await client.update_number(number, {"description": "[bold]x[/]",
                                         "settings": {"autoResponse": {"message": "[red]hi[/red] [/]"}}})
    app = DetailApp(number, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = rendered(app.screen)
        assert "[bold]x[/]" in line_with(text, "Description")
        assert "[red]hi[/red] [/]" in text
        await pilot.press("y")
        await pilot.pause()
        assert '"description": "[bold]x[/]"' in rendered(app.screen, "#detail-raw")


async def test_wide_terminal_lays_out_two_columns(client, rich_number):
    app = DetailApp(rich_number.phone_number, client)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-wide")
        left = screen.query_one("#detail-column-1")
        right = screen.query_one("#detail-column-2")
        assert left.region.x < right.region.x and left.region.y == right.region.y
        assert right.children  # sections on both sides
        assert "Other fields (not in the guide)" in rendered(screen)


async def test_read_only_is_shown_in_the_title(client, rich_number):
    app = DetailApp(rich_number.phone_number, client, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "read-only" in rendered(app.screen, "#detail-title")
        assert app.screen.read_only


def test_describe_null_and_missing_are_consistent():
    doc = {
        "phoneNumber": "+14155551234", "status": "PendingPortOut", "description": None,
        "capabilities": {"sms": True, "voice": True},
        "settings": {"optIn": None, "autoForward": {"enabled": True, "emailAddresses": []},
                     "notifications": {"microsoftTeams": {"enabled": False, "x": 1}, "webex": None},
                     "rateLimit": 0, "custom": {"a": [1, 2]}},
        "weird": {"nested": [1, {"b": None}]},
    }
    sections = {s.id: s for s in detail_sections(doc, FIXED)}
    identity = sections["identity"].text()
    assert "Status: PendingPortOut" in identity  # unknown status words as sent
    assert "Description: —" in identity  # null shown as a dash
    assert "Email" not in identity  # absent: not shown
    assert "Capabilities: SMS ✓" in sections["messaging"].text()
    assert "Opt-in: —" in sections["optIn"].text()
    assert "Email addresses: (none)" in sections["autoForward"].text()
    assert "Teams enabled: ✗ no" in sections["notifications"].text()
    assert "Webex: —" in sections["notifications"].text()
    assert "Rate limit: 0" in sections["limits"].text()
    assert "Auto-response (autoResponse)" in sections["not-set"].text()
    other = sections["other"].text()
    for line in ('weird: {"nested": [1, {"b": null}]}', "capabilities.voice: true",
                 "settings.notifications.microsoftTeams.x: 1", 'settings.custom: {"a": [1, 2]}'):
        assert line in other
