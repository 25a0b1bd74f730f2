"""Driving the EditorScreen in pilot tests: a harness app around one editor, and reading and typing in its form."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Static

from actui.api.client import ApiClient
from actui.api.number_models import PhoneNumber
from actui.core.patch import update_patch
from actui.core.store import Store
from actui.tui.app import UiSettings
from actui.tui.screens.editor import EditorScreen
from actui.tui.widgets.field_editor import FieldEditor
from tests.helpers import until as wait_until
from tests.helpers import until_steady
from tests.tui.app_pilot import FROZEN  # 2025-11-24 16:00 UTC, a Monday
from tests.tui.harness import HarnessApp

SHOWCASE = "+13125555622"  # the seed's first number: every settings section, unknown fields too
ACCOUNT = "tester@sandbox"
S = "settings."


class EditorApp(HarnessApp):
    """Pushes one EditorScreen; records what it is dismissed with."""

    def __init__(self, client: ApiClient, store: Store, number: str = SHOWCASE, **options):
        super().__init__(settings=UiSettings(clock=lambda: FROZEN))
        self.animation_level = "none"
        self.api, self.store, self.number, self.options = client, store, number, options
        self.results: list[PhoneNumber | None] = []

    def on_mount(self) -> None:
        self.push_screen(EditorScreen(self.number, self.api, self.store, ACCOUNT, clock=lambda: FROZEN,
                                      **self.options), self.results.append)


class ReportingApp(EditorApp):
    """Has report_error, as the real app does (it asks for the password and calls retry)."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.reported: list[tuple[Exception, object]] = []
        self.client: ApiClient | None = None

    async def report_error(self, error, retry=None) -> None:
        self.reported.append((error, retry))


async def until(pilot, condition, timeout=10.0):
    await wait_until(pilot, condition, timeout, step=0.02)


async def opened(pilot) -> EditorScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, EditorScreen) and pilot.app.screen.form is not None)
    screen = pilot.app.screen
    # until the form's height holds still (message areas wrap once they know their width)
    await until_steady(pilot, lambda: screen.form.virtual_size.height, also=lambda: pilot.app.focused is not None)
    return screen


def editor(screen: EditorScreen, path: str) -> FieldEditor:
    assert screen.form is not None
    return screen.form.editors[path]


def rendered(widget) -> str:
    """The text a widget renders at its laid-out size."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def shown(widget: Static) -> str:
    return str(widget.render()) if widget.display and "-empty" not in widget.classes else ""


def message(screen: EditorScreen, path: str) -> str:
    return shown(editor(screen, path).query_one(".field-message", Static))


def note(screen: EditorScreen, path: str) -> str:
    return shown(editor(screen, path).query_one(".field-note", Static))


async def focus(pilot, screen: EditorScreen, path: str) -> None:
    screen.form.focus_field(path)
    await pilot.pause()
    await pilot.pause()


async def retype(pilot, screen: EditorScreen, path: str, text: str) -> None:
    """Focus a one-line field, clear it with keys and type `text`."""
    await focus(pilot, screen, path)
    await pilot.press("end", "ctrl+u", *text)
    await pilot.pause()


def patch_of(screen: EditorScreen) -> dict:
    return update_patch(screen.form.original, screen.form.document())


async def wire(client: ApiClient, number: str = SHOWCASE) -> dict:
    return (await client.get_number(number)).to_wire()
