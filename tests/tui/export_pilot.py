"""Driving the export dialog (screens/export.py) in pilot tests: open it from the list, fill it, wait for
the file."""

from pathlib import Path

from textual.widgets import Input, Select, Static

from actui.tui.screens.export import ExportScreen
from actui.tui.screens.inventory import InventoryScreen
from tests.helpers import until


def dialog(app) -> ExportScreen:
    screen = app.screen
    assert isinstance(screen, ExportScreen), screen
    return screen


def value(app, widget_id: str):
    widget = dialog(app).query_one(f"#{widget_id}")
    return widget.value if isinstance(widget, (Input, Select)) else str(widget.render())


def error(app) -> str:
    found = dialog(app).query_one("#export-error", Static)
    return str(found.render()) if found.has_class("-shown") else ""


async def open_export(pilot) -> ExportScreen:
    await pilot.press("ctrl+e")
    await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
    await pilot.pause()
    return pilot.app.screen


async def fill(pilot, *, name: str | None = None, fmt: str | None = None, fields: str | None = None,
               scope: str | None = None) -> None:
    screen = dialog(pilot.app)
    if fmt is not None:
        screen.query_one("#export-format", Select).value = fmt
        await pilot.pause()
    if name is not None:
        screen.query_one("#export-name", Input).value = name
    if fields is not None:
        screen.query_one("#export-fields", Input).value = fields
    if scope is not None:
        screen.query_one("#export-scope", Select).value = scope
    await pilot.pause()


async def export_to(pilot, path: Path, **filled) -> None:
    """Fill the dialog, ctrl+s, and wait until the list is back with `path` written."""
    await fill(pilot, name=str(path), **filled)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, InventoryScreen) and path.exists())


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())
