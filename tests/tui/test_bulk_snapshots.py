"""Snapshots of the marks in the list, the bulk editor, its preview and the results, at 80x24 and 120x40.

Deterministic as test_snapshots is: seeded sandbox, frozen clocks, a fresh journal (run 1).
"""

import pytest

from actui.tui.screens.bulk_edit import BulkEditScreen
from actui.tui.screens.bulk_preview import BulkPreviewScreen
from actui.tui.screens.bulk_run import BulkRunScreen
from actui.tui.screens.type_count import TypeCountScreen
from tests.helpers import until_steady
from tests.tui.app_pilot import SIZES, list_ready, snapshot_app, wait_for

IDS = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731


async def marked_three(pilot) -> None:
    await wait_for(pilot, lambda: list_ready(pilot))
    await pilot.press("space", "space", "down", "space")


async def in_bulk_editor(pilot) -> BulkEditScreen:
    await marked_three(pilot)
    await pilot.press("b")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen))
    screen = pilot.app.screen
    screen.form.focus_field("description")
    await pilot.pause()
    await pilot.press(*"Shared line")
    screen.form.focus_field("settings.optOut.text")
    await pilot.pause()
    await pilot.press(*"STOP")
    await wait_for(pilot, lambda: screen.form.changed_paths() == ["description", "settings.optOut.text"])
    # until the form's layout holds still (notes and messages wrap once they know their width)
    await until_steady(pilot, lambda: screen.form.virtual_size.height, step=0.05)
    # every section folded but the two changed ones: what a user checks before ctrl+s, and a layout
    # that does not depend on when the long notes of other sections wrapped
    screen.form.set_all_collapsed(True)
    for section in ("#section-number", "#section-opt-out"):
        screen.form.query_one(section).collapsed = False
    await wait_for(pilot, lambda: True)
    screen.form.scroll_home(animate=False)
    await pilot.pause()
    await pilot.pause()
    return screen


async def in_preview(pilot) -> None:
    await in_bulk_editor(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BulkPreviewScreen))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_marks_in_the_list(snap_compare, snap_sandbox, tmp_path, size):
    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=marked_three)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_bulk_editor(snap_compare, snap_sandbox, tmp_path, size):
    async def ready(pilot):
        await in_bulk_editor(pilot)

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_bulk_preview(snap_compare, snap_sandbox, tmp_path, size):
    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=in_preview)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_bulk_results(snap_compare, snap_sandbox, tmp_path, size):
    async def ready(pilot):
        await in_preview(pilot)
        count = len(pilot.app.screen.plan.items)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TypeCountScreen))
        await pilot.press(*str(count), "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, BulkRunScreen)
                       and pilot.app.screen.result is not None)

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)
