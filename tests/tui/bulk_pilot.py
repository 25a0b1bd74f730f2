"""Driving the bulk editor in pilot tests: choosing and typing in its form, previewing and sending."""

from __future__ import annotations

from actui.tui.screens.bulk_edit import BulkEditScreen
from actui.tui.screens.bulk_preview import BulkPreviewScreen
from actui.tui.screens.bulk_run import BulkRunScreen
from actui.tui.screens.type_count import TypeCountScreen
from tests.helpers import until, until_steady


async def choose(pilot, screen, path: str, downs: int) -> None:
    """Pick an option of a select field with the keyboard (0 downs: the blank, "unchanged")."""
    screen.form.focus_field(path)
    await pilot.pause()
    await pilot.pause()
    await pilot.press("enter", *["down"] * downs, "enter")
    await pilot.pause()


async def retype(pilot, screen, path: str, text: str) -> None:
    screen.form.focus_field(path)
    await pilot.pause()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text)
    await pilot.pause()


async def describe_marked(pilot, description: str, *mark_keys: str) -> BulkEditScreen:
    """Mark with `mark_keys`, open the bulk editor, set the description and ask for the preview."""
    app = pilot.app
    await pilot.press(*mark_keys, "b")
    await until(pilot, lambda: isinstance(app.screen, BulkEditScreen))
    screen = app.screen
    await until_steady(pilot, lambda: screen.form.virtual_size.height, also=lambda: app.focused is not None)
    await retype(pilot, screen, "description", description)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, BulkPreviewScreen), timeout=20)
    return screen


async def send_with_count(pilot, count: int) -> BulkRunScreen:
    """From the preview: enter, type the count, and wait for the run screen."""
    app = pilot.app
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, TypeCountScreen))
    await pilot.press(*str(count), "enter")
    await until(pilot, lambda: isinstance(app.screen, BulkRunScreen))
    return app.screen
