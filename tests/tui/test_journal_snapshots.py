"""Snapshots of the journal screen (a failed change selected; filtered; empty), the undo confirmation and
the resume offer, at 80x24 and 120x40. Deterministic: the journal's times are fixed, the screens' clock is
frozen, the time zone is UTC, no animations or cursor blink. Look at the SVGs under
tests/tui/__snapshots__/test_journal_snapshots/ when they change.
"""

import pytest

from actui.core.journal import Journal
from actui.core.store import Store
from actui.tui.screens.journal import JournalScreen
from actui.tui.screens.resume import resumable_offer
from tests.helpers import until
from tests.tui.journal_pilot import ACCOUNT, FROZEN, Clock, JournalApp, cut_short, sample_journal

SIZES = [(80, 24), (120, 40)]


def journal_screen(tmp_path, sample=True, **options):
    store = Store(tmp_path / "state.sqlite3")
    journal = sample_journal(store) if sample else Journal(store, ACCOUNT)
    return JournalApp(lambda: JournalScreen(journal, clock=lambda: FROZEN, **options))


async def loaded(pilot):
    await until(pilot, lambda: isinstance(pilot.app.screen, JournalScreen) and pilot.app.screen.loaded, step=0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def select(screen, predicate):
    from textual.widgets import DataTable

    index = next(i for i, e in enumerate(screen.entries) if predicate(e))
    screen.query_one(DataTable).move_cursor(row=index)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_journal_failed_change_selected(snap_compare, tmp_path, size):
    async def ready(pilot):
        await loaded(pilot)
        select(pilot.app.screen, lambda e: e.result == "failed")
        await pilot.pause()

    assert snap_compare(journal_screen(tmp_path), terminal_size=size, run_before=ready)


def test_journal_filtered(snap_compare, tmp_path):
    async def ready(pilot):
        await loaded(pilot)
        await pilot.press("slash", *"555-0102")
        await until(pilot, lambda: len(pilot.app.screen.entries) == 3, step=0.02)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(journal_screen(tmp_path), terminal_size=(80, 24), run_before=ready)


def test_journal_empty_read_only(snap_compare, tmp_path):
    assert snap_compare(journal_screen(tmp_path, sample=False, read_only=True), terminal_size=(80, 24),
                        run_before=loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_resume_offer(snap_compare, tmp_path, size):
    store = Store(tmp_path / "state.sqlite3")
    journal = Journal(store, ACCOUNT, clock=Clock(FROZEN - 300))
    cut_short(journal)
    offer = resumable_offer(journal, clock=lambda: FROZEN)
    assert snap_compare(JournalApp(lambda: offer), terminal_size=size)
