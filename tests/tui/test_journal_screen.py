"""The journal screen and its dialogs (undo confirmation, resume offer), hosted in a tiny app, over a real
Store and a Journal filled through its public API. No API requests: undo is a callback here."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import DataTable, Static

from actui.core.journal import Journal
from actui.tui.journal_text import change_text
from actui.tui.screens.journal import JournalScreen, columns_for, cut_path
from actui.tui.screens.resume import ResumeScreen, resumable_offer, undo_question
from tests.helpers import until
from tests.tui.journal_pilot import ACCOUNT, FROZEN, A, B, C, Clock, D, JournalApp, cut_short, item, sample_journal


@pytest.fixture
def journal(store):
    return sample_journal(store)


def journal_app(journal, undos=None, **options) -> JournalApp:
    def make():
        return JournalScreen(journal, clock=lambda: FROZEN, on_undo=lambda *a: undos.append(a) if undos is not None
                             else None, **options)
    return JournalApp(make)


async def loaded(pilot) -> JournalScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, JournalScreen) and pilot.app.screen.loaded)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


def rows(screen: JournalScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [" | ".join(cell.plain for cell in table.get_row_at(i)) for i in range(table.row_count)]


def panel(screen) -> str:
    return screen.query_one("#journal-run", Static).render().plain


def dialog_text(dialog) -> str:
    return "\n".join(s.render().plain for s in dialog.query(Static))


async def select(pilot, screen: JournalScreen, predicate) -> None:
    index = next(i for i, e in enumerate(screen.entries) if predicate(e))
    screen.query_one(DataTable).move_cursor(row=index)
    await pilot.pause()


# --- the list -------------------------------------------------------------------------------------


async def test_lists_every_field_change_newest_first_with_its_run(journal):
    app = journal_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        shown = rows(screen)
        assert len(shown) == 8                       # the unchanged number of the bulk run is not a change
        assert [e.run_id for e in screen.entries] == [4, 3, 3, 2, 2, 1, 1, 1]
        assert shown[0].startswith("15:50 | 4 undo | (415) 555-0101 | …optOut.text | QUIT → STOP | changed")
        assert "(212) 555-0103" in shown[5] and "failed: HTTP 422" in shown[5]
        assert "14:00 | 1 bulk | (415) 555-0101" in shown[7]
        assert "Journal · 8 changes" in screen.query_one("#journal-title", Static).render().plain
        assert "Run 4 · undo of run 1 · done" in panel(screen)


async def test_the_panel_names_the_run_and_shows_the_change_whole_never_as_markup(journal):
    app = journal_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await select(pilot, screen, lambda e: e.path == "description")
        text = panel(screen)
        assert "Run 2 · edit · done" in text and "1 number: 1 changed" in text
        assert "description: Front desk → Reception [bold]desk[/] · changed" in text
        await select(pilot, screen, lambda e: e.result == "failed")
        text = panel(screen)
        assert "Run 1 · bulk · done · set settings.optOut.text=\"QUIT\"" in text
        assert "4 numbers: 2 changed, 1 unchanged, 1 failed" in text
        assert "HTTP 422: settings.optOut.text: must be at most 4 letters" in text


async def test_wide_screens_show_full_times_paths_and_kinds(journal):
    app = journal_app(journal)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        assert rows(screen)[1].startswith("2025-11-24 15:30:00 | 3 provision | (312) 555-0104 | action | Provision")
        assert "settings.optOut.text | STOP → QUIT" in rows(screen)[7]
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: rows(screen)[0].startswith("15:50 | 4 undo"))


async def test_filter_narrows_as_you_type_and_escape_clears_it_then_goes_back(journal):
    app = journal_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"(212) 555-0103")     # the number in another format
        await until(pilot, lambda: len(screen.entries) == 1)
        assert screen.entries[0].number == C
        assert "1 match for (212) 555-0103" in screen.query_one("#journal-title", Static).render().plain
        await pilot.press("escape")
        await until(pilot, lambda: len(screen.entries) == 8)
        assert not screen.query_one("#journal-filter").has_class("-shown")
        await pilot.press("slash", *"billingplan", "enter")  # a field name; enter keeps the filter
        await until(pilot, lambda: [e.path for e in screen.entries] == ["billingPlanName"])
        assert screen.query_one(DataTable).has_focus
        await pilot.press("slash", *"xxx")            # (focusing selects the text: typing replaces it)
        await until(pilot, lambda: screen.has_class("-empty"))
        assert "No change matches xxx." in screen.query_one("#journal-empty", Static).render().plain
        await pilot.press("escape", "escape")
        await until(pilot, lambda: app.results == [None])
        assert not isinstance(app.screen, JournalScreen)


async def test_keys_typed_right_after_the_slash_reach_the_journal_filter(journal):
    app = journal_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        for key in ["slash", *"billingplan"]:
            app.post_message(events.Key(key, "/" if key == "slash" else key))   # one burst
        await until(pilot, lambda: [e.path for e in screen.entries] == ["billingPlanName"])
        assert screen.query_one("#journal-filter").has_focus


async def test_run_filter_and_reload_keep_the_cursor_on_its_entry(journal):
    app = journal_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"run:1", "enter")
        await until(pilot, lambda: {e.run_id for e in screen.entries} == {1})
        await pilot.press("escape")
        await until(pilot, lambda: len(screen.entries) == 8)
        await select(pilot, screen, lambda e: e.path == "billingPlanName")
        journal.record_edit(D, {"description": "old"}, {"description": "new"}, "changed")
        await pilot.press("r")
        await until(pilot, lambda: len(screen.entries) == 9)
        assert screen.selected.path == "billingPlanName"


async def test_an_empty_journal_says_so(store):
    app = journal_app(Journal(store, ACCOUNT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert screen.has_class("-empty")
        assert "The journal is empty" in screen.query_one("#journal-empty", Static).render().plain
        await pilot.press("u", "U")


# --- undo -----------------------------------------------------------------------------------------


async def test_u_and_U_hand_the_number_or_the_run_to_on_undo(journal):
    """The app's on_undo previews what is written back (read from the server) and asks for the count."""
    undos = []
    app = journal_app(journal, undos)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await select(pilot, screen, lambda e: e.run_id == 1 and e.number == B)
        await pilot.press("u")
        assert undos == [(1, [B])]
        await select(pilot, screen, lambda e: e.run_id == 1 and e.result == "failed")
        await pilot.press("U")                          # a whole run from any of its rows, failed ones too
        assert undos == [(1, [B]), (1, None)]
        assert app.screen is screen


async def test_undo_is_refused_for_failures_orders_and_unfinished_runs(journal):
    undos = []
    app = journal_app(journal, undos)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await select(pilot, screen, lambda e: e.result == "failed")
        await pilot.press("u")
        await pilot.pause()
        assert any("this one is failed" in n.message for n in app._notifications)
        await select(pilot, screen, lambda e: e.kind == "provision")
        await pilot.press("u", "U")
        await pilot.pause()
        assert app.screen is screen and undos == []
        assert any("orders cannot be undone" in n.message for n in app._notifications)
        running = journal.begin("bulk", [item(A, {"description": "a"}, {"description": "b"})], "still going")
        journal.finish_item(running.id, A, "changed")
        await pilot.press("r")
        await until(pilot, lambda: screen.entries[0].run_id == running.id)
        await select(pilot, screen, lambda e: e.run_id == running.id)
        await pilot.press("U")
        await pilot.pause()
        assert app.screen is screen and undos == []
        assert any("has not finished" in n.message for n in app._notifications)


async def test_read_only_hides_and_refuses_undo(journal):
    undos = []
    app = journal_app(journal, undos, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert screen.check_action("undo_number", ()) is False and screen.check_action("undo_run", ()) is False
        assert "read-only" in screen.query_one("#journal-title", Static).render().plain
        await pilot.press("u", "U")
        assert app.screen is screen and undos == []
        screen.action_undo_run()                       # (from the palette, say): refused, with a reason
        await pilot.pause()
        assert app.screen is screen and undos == []
        assert any("read-only" in n.message for n in app._notifications)


# --- resume ---------------------------------------------------------------------------------------


def test_no_offer_without_a_resumable_run(journal):
    assert resumable_offer(journal) is None


async def test_the_resume_offer_names_the_run_and_later_is_the_default(store):
    journal = Journal(store, ACCOUNT, clock=Clock(FROZEN - 120))
    run_id = cut_short(journal)
    offer = resumable_offer(journal, clock=lambda: FROZEN)
    assert isinstance(offer, ResumeScreen) and offer.run.id == run_id
    app = JournalApp(lambda: offer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = dialog_text(offer)
        assert f"Run {run_id} · bulk · set settings.autoResponse.message=\"away\"" in text
        assert "(2m ago)" in text and "2 of 3 numbers left to send" in text and "1 changed" in text
        assert offer.focused.id == "dialog-no"
        await pilot.press("q", "enter")              # q is not quit here; enter takes the default
        assert app.results == [None]


async def test_resume_dismisses_with_the_run_id_and_escape_with_none(store):
    journal = Journal(store, ACCOUNT)
    older = cut_short(journal, (A, B))
    newest = cut_short(journal, (C, D))
    offer = resumable_offer(journal)
    assert offer.run.id == newest and offer.others == 1
    app = JournalApp(lambda: offer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "1 more unfinished run" in dialog_text(offer)
        await pilot.press("tab", "enter")
        assert app.results == [newest]
    app = JournalApp(lambda: resumable_offer(journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        assert app.results == [None]
    assert older < newest


# --- the layout, without Textual ------------------------------------------------------------------


def test_paths_keep_their_leaf_and_changes_cut_both_sides():
    assert cut_path("settings.optOut.text", 20) == "settings.optOut.text"
    assert cut_path("settings.optOut.text", 12) == "…optOut.text"
    assert cut_path("settings.optOut.text", 6) == "…text"
    assert cut_path("billingPlanName", 8) == "billing…"
    from actui.core.journal import Entry

    entry = Entry(FROZEN, "", 1, "bulk", A, "description", "a" * 30, "b" * 30, "changed", None)
    assert change_text(entry, 20).plain == "a" * 7 + "… → " + "b" * 8 + "…"
    assert change_text(entry).plain == "a" * 30 + " → " + "b" * 30


def test_columns_fit_80_columns(journal):
    entries = journal.entries()
    for width in (80, 100, 120):
        columns = columns_for(width, entries, FROZEN)
        assert sum(c.width + 2 for c in columns) <= width - 1


# --- with the bulk engine against the sandbox -----------------------------------------------------


async def test_undo_from_the_journal_writes_the_old_values_back_through_the_engine(client, store):
    from actui.core.bulk import BulkEngine

    journal = Journal(store, ACCOUNT)
    engine = BulkEngine(client, journal)
    page = await client.list_page(1, limit=3)
    numbers = [n.phone_number for n in page.items]
    before = {n: (await client.get_number(n)).to_wire().get("description") for n in numbers}
    result = await engine.apply(await engine.plan(numbers, {"description": "set [bold]by[/] a test"}))
    assert result.counts() == {"changed": 3}
    calls = []

    def on_undo(run_id, which):
        calls.append((run_id, which))
        app.run_worker(engine.undo(run_id, which), group="undo")

    app = JournalApp(lambda: JournalScreen(journal, on_undo=on_undo))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.entries) == 3 and {e.path for e in screen.entries} == {"description"}
        await pilot.press("U", *"3", "enter")
        await until(pilot, lambda: calls == [(result.run.id, None)])
        await pilot.app.workers.wait_for_complete()
        await pilot.press("r")
        await until(pilot, lambda: len(screen.entries) == 6)
        assert screen.entries[0].kind == "undo" and rows(screen)[0].split(" | ")[1].endswith("undo")
        assert screen.selected.kind == "bulk"          # the cursor stays on what it was on
        await select(pilot, screen, lambda e: e.kind == "undo")
        assert f"Run {result.run.id + 1} · undo of run {result.run.id} · done" in panel(screen)
    after = {n: (await client.get_number(n)).to_wire().get("description") for n in numbers}
    assert after == before


def test_undo_question_says_what_would_be_asked_or_why_not(journal):
    entries = journal.entries()
    by = {(e.run_id, e.number, e.path): e for e in entries}
    opt = "settings.optOut.text"
    failed = by[(1, C, opt)]
    assert undo_question(journal, failed, False, journal.run(1)) == \
        "Only a change that was made can be undone; this one is failed."
    whole = undo_question(journal, failed, True, journal.run(1))
    assert (whole.run_id, whole.numbers) == (1, None)
    assert [i.number for i in whole.items] == [A, B]
    one = undo_question(journal, by[(1, B, opt)], False, journal.run(1))
    assert (one.numbers, [i.number for i in one.items]) == ([B], [B])
    assert "orders cannot be undone" in undo_question(journal, by[(3, D, "action")], True, journal.run(3))
