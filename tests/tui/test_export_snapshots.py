"""Snapshots of the export dialog (ctrl+e on the list) at 80x24 and 120x40: pre-filled with two numbers
marked and settings columns whose details the copy lacks; and an unknown column refused. The folder is
shown under a test home (`~/exports`) and the file's time in UTC, so they do not depend on the machine.
Look at the SVGs under tests/tui/__snapshots__/test_export_snapshots/ when they change.
"""

import time

import pytest
from textual.widgets import Input

from tests.helpers import until
from tests.tui.app_pilot import SIZES, list_ready, snapshot_app, wait_for
from tests.tui.export_pilot import dialog, error, open_export


@pytest.fixture
def exports_at_home(tmp_path, monkeypatch):
    """A home folder with `exports` as the current directory, and UTC as the local time."""
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(folder)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield folder
    monkeypatch.undo()
    time.tzset()


async def marked_and_open(pilot):
    await wait_for(pilot, lambda: list_ready(pilot))
    await pilot.press("space", "space")
    await open_export(pilot)   # (wait_for no more: the list's export worker waits for the dialog)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog(snap_compare, snap_sandbox, tmp_path, exports_at_home, size):
    async def ready(pilot):
        await marked_and_open(pilot)
        dialog(pilot.app).query_one("#export-fields", Input).value = "number,status,settings.optOut.enabled"
        await until(pilot, lambda: dialog(pilot.app).details_missing is not None)
        await pilot.pause()

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog_unknown_column(snap_compare, snap_sandbox, tmp_path, exports_at_home, size):
    async def ready(pilot):
        await marked_and_open(pilot)
        dialog(pilot.app).query_one("#export-fields", Input).value = "number,settings.optOut.enabld"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: error(pilot.app))
        await pilot.pause()

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)
