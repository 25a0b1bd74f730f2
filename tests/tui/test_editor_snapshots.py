"""Snapshots of the number editor at 80x24 and 120x40: every section open (scrolled to in turn),
validation messages, a server refusal, and the diff, leave and restore-draft modals.

Deterministic: the sandbox's seeded data, a frozen clock (ages, the cron's next run, the draft's time),
no animations, no cursor blink. Look at the SVGs under tests/tui/__snapshots__/test_editor_snapshots/
when they change.
"""

from __future__ import annotations

import asyncio

import pytest

from actui.api.client import ApiClient
from actui.core.drafts import Drafts
from actui.core.patch import apply
from actui.core.store import Store
from actui.tui.app import UiSettings
from actui.tui.screens.diff import DiffScreen, LeaveScreen, RestoreDraftScreen
from actui.tui.screens.editor import EditorScreen
from actui.tui.widgets.settings_form import section_id
from tests.helpers import client_for, fast_retry, until_steady
from tests.tui.editor_pilot import ACCOUNT, FROZEN, SHOWCASE, S, until
from tests.tui.harness import HarnessApp


class SnapshotApp(HarnessApp):
    """Opens the editor on the showcase number; the client is made in the app's own event loop."""

    def __init__(self, sandbox, store: Store):
        super().__init__(settings=UiSettings(clock=lambda: FROZEN))
        self.animation_level = "none"
        self.sandbox, self.store = sandbox, store
        self.api: ApiClient | None = None

    def on_mount(self) -> None:
        self.api = client_for(self.sandbox, retry=fast_retry())
        self.push_screen(EditorScreen(SHOWCASE, self.api, self.store, ACCOUNT, clock=lambda: FROZEN))

    async def on_unmount(self) -> None:
        if self.api is not None:
            await self.api.aclose()


@pytest.fixture
def make_app(sandbox, tmp_path):
    def make(store: Store | None = None) -> SnapshotApp:
        return SnapshotApp(sandbox, store or Store(tmp_path / "state.sqlite3"))
    return make


async def opened(pilot) -> EditorScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, EditorScreen) and pilot.app.screen.form is not None)
    await pilot.app.workers.wait_for_complete()
    await laid_out(pilot, pilot.app.screen)
    return pilot.app.screen


async def laid_out(pilot, screen: EditorScreen) -> None:
    """Until the form's height holds still (message areas wrap once they know their width)."""
    await until_steady(pilot, lambda: screen.form.virtual_size.height, also=lambda: pilot.app.focused is not None)


async def settle(pilot) -> None:
    """Workers done and the draft written (its debounce shows in the title)."""
    screens = [s for s in pilot.app.screen_stack if isinstance(s, EditorScreen)]
    if screens:
        await until(pilot, lambda: not screens[0].draft_pending)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def retype(pilot, screen: EditorScreen, path: str, text: str) -> None:
    screen.form.focus_field(path)
    await pilot.pause()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text)


# 80x24: the top, the middle (opt-out, its cron in words) and the bottom (limits, other fields).
PLACES_80 = {"top": "userId", "middle": f"{S}optOut.periodicCron", "bottom": f"{S}noOutboundTexts"}


@pytest.mark.parametrize("place", list(PLACES_80))
def test_editor_80x24(snap_compare, make_app, place):
    async def ready(pilot):
        screen = await opened(pilot)
        screen.form.focus_field(PLACES_80[place])
        await settle(pilot)
        if place == "bottom":
            screen.form.scroll_end(animate=False)
            await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ready)


# 120x40: three pages, each section wholly on one of them.
PAGES_120 = {"1-number-to-auto-response": None, "2-opt-in-to-out-of-office": "Opt-in",
             "3-out-of-office-to-other-fields": "Out of office"}


@pytest.mark.parametrize("page", list(PAGES_120))
def test_editor_120x40(snap_compare, make_app, page):
    async def ready(pilot):
        screen = await opened(pilot)
        title = PAGES_120[page]
        if title:
            section = screen.form.query_one(f"#{section_id(title)}")
            screen.form.scroll_to_widget(section, animate=False, top=True)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=ready)


def test_editor_validation_messages(snap_compare, make_app):
    """Opt-out keyword emptied while opt-out is on, opt-in keyword equal to the opt-out 'all' one;
    ctrl+s refused, saying which fields."""

    async def ready(pilot):
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}optIn.text", "stop all")
        await retype(pilot, screen, f"{S}optOut.text", "")
        await settle(pilot)
        await pilot.press("ctrl+s")
        # the refusal moves the focus to the first field to fix, then scrolls it into view
        await until(pilot, lambda: screen.form.editor_of(pilot.app.focused) is screen.form.editors[f"{S}optIn.text"])
        await settle(pilot)
        await laid_out(pilot, screen)
        # where it scrolled to depends on where the form stood before: pin it, opt-in at the top
        screen.form.scroll_to_widget(screen.form.query_one(f"#{section_id('Opt-in')}"), animate=False, top=True)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ready)


def test_editor_address_list_and_date_problems(snap_compare, make_app):
    async def ready(pilot):
        screen = await opened(pilot)
        screen.form.focus_field(f"{S}autoForward.emailAddresses")
        await settle(pilot)
        await pilot.press("end", "ctrl+n", *"desk@")
        await retype(pilot, screen, f"{S}outOfOffice.endDate", "2025-02-17T23:00:00Z")
        screen.form.scroll_to_widget(screen.form.editors[f"{S}autoForward.emailAddresses"], animate=False,
                                     top=True)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ready)


def test_editor_server_refusal(snap_compare, make_app, sandbox):
    """The server's start date moved between the last read and the PUT: its 400 stands beside the end date."""

    async def ready(pilot):
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}outOfOffice.endDate", "2025-02-25T00:00:00Z")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, DiffScreen))
        client = screen.client
        real_update = client.update_number

        async def colleague_first(*args, **kw):   # someone else saves right before our PUT lands
            client.update_number = real_update
            await real_update(SHOWCASE, {"settings": {"outOfOffice": {
                "startDate": "2025-03-01T00:00:00Z", "endDate": "2025-03-10T00:00:00Z"}}})
            return await real_update(*args, **kw)

        client.update_number = colleague_first
        await pilot.press("enter")
        await until(pilot, lambda: "refused" in screen.message_text())
        await settle(pilot)
        # the refused field gets the focus two refreshes later, which scrolls it into view: wait for both
        end_date = f"{S}outOfOffice.endDate"
        await until(pilot, lambda: getattr(screen.form.editor_of(pilot.app.focused), "path", None) == end_date)

        def refused_field_in_view() -> bool:
            editor = screen.form.editors[end_date]
            return screen.form.region.contains_region(editor.region)

        await until(pilot, refused_field_in_view)
        await until_steady(pilot, lambda: screen.form.scroll_y)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ready)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_editor_diff_modal(snap_compare, make_app, size):
    async def ready(pilot):
        screen = await opened(pilot)
        await retype(pilot, screen, "description", "Front desk")
        await retype(pilot, screen, f"{S}optOut.text", "HALT")
        screen.form.focus_field(f"{S}signature.message")
        await settle(pilot)
        area = screen.form.editors[f"{S}signature.message"].query_one("TextArea")
        area.move_cursor(area.document.end)
        await pilot.press("enter", *"Call 555")
        await retype(pilot, screen, f"{S}rateLimit", "250")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, DiffScreen))
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=ready)


def test_editor_leave_modal(snap_compare, make_app):
    async def ready(pilot):
        screen = await opened(pilot)
        await retype(pilot, screen, f"{S}optOut.text", "HALT")
        await settle(pilot)
        # the form scrolls the focused field into view: under load that could still be moving (seen in CI)
        await until_steady(pilot, lambda: scroll_offsets(screen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, LeaveScreen))
        await settle(pilot)
        await until_steady(pilot, lambda: scroll_offsets(screen))

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ready)


def scroll_offsets(screen) -> tuple:
    return tuple((widget.scroll_x, widget.scroll_y) for widget in screen.query("*") if widget.is_scrollable)


def test_editor_restore_draft_modal(snap_compare, make_app, sandbox, tmp_path):
    async def prepare():
        async with client_for(sandbox) as api:
            base = (await api.get_number(SHOWCASE)).to_wire()
            store = Store(tmp_path / "state.sqlite3")
            Drafts(store, ACCOUNT, clock=lambda: FROZEN - 600).save(SHOWCASE, base=base, edited=apply(base, {
                "description": "Front desk", "settings": {"optOut": {"text": "HALT"}}}))
            store.close()
            await api.update_number(SHOWCASE, {"description": "Changed elsewhere"})

    asyncio.run(prepare())

    async def ready(pilot):
        await until(pilot, lambda: isinstance(pilot.app.screen, RestoreDraftScreen))
        await laid_out(pilot, pilot.app.screen_stack[-2])
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ready)
