"""Marks in the list and the bulk edit flow (form → preview → typed count → run → results), against the
sandbox on loopback."""

from actui.core.journal import Journal
from actui.core.patch import get_path
from actui.tui.screens.bulk_edit import BulkEditScreen
from actui.tui.screens.bulk_preview import BulkPreviewScreen
from actui.tui.screens.bulk_run import BulkRunScreen
from actui.tui.screens.inventory import InventoryScreen
from actui.tui.screens.type_count import TypeCountScreen
from tests.helpers import HeldClient, until, until_steady
from tests.tui.app_pilot import started, status, table
from tests.tui.bulk_pilot import choose, describe_marked, retype, send_with_count

S = "settings."


def marks(app) -> list[str]:
    return app.inventory_screen().marks.numbers()


async def test_space_marks_and_moves_down_and_shift_arrows_extend(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        rows = table(app).rows
        await pilot.press("space")
        assert marks(app) == [rows[0].number] and table(app).cursor == 1
        await pilot.press("up", "space", "space")
        assert marks(app) == [rows[1].number]          # row 0 unmarked again
        assert "1 marked" in status(app)
        await pilot.press("shift+down", "shift+down")   # from row 2: marks rows 2, 3 and 4
        assert set(marks(app)) == {rows[i].number for i in (1, 2, 3, 4)}
        await pilot.press("shift+up")
        assert len(marks(app)) == 4 and table(app).cursor == 3
        assert "4 marked" in status(app)
        await pilot.press("escape")
        assert marks(app) == [] and "marked" not in status(app)


async def test_star_marks_every_match_and_the_status_counts_what_the_filter_hides(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded)
        await pilot.press("slash", *"class:a2p", "enter")
        await until(pilot, lambda: app.screen.query_text == "class:a2p")
        a2p = [r.number for r in table(app).rows]
        assert 0 < len(a2p) < 120
        await pilot.press("asterisk")
        assert set(marks(app)) == set(a2p)
        assert f"{len(a2p)} marked" in status(app) and "hidden" not in status(app)
        # one more mark outside the filter: hidden while the filter is on
        await pilot.press("escape")                    # clears the filter first, marks stay
        await until(pilot, lambda: app.screen.query_text == "")
        assert set(marks(app)) == set(a2p)
        p2p_row = next(r for r in table(app).rows if r.number not in a2p)
        table(app).move_to_number(p2p_row.number)
        await pilot.press("space")
        await pilot.press("slash", *"class:a2p", "enter")
        await until(pilot, lambda: "1 hidden by filter" in status(app))
        assert f"{len(a2p) + 1} marked" in status(app)


async def test_bulk_needs_marks(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, InventoryScreen)


async def test_bulk_edit_previews_skips_numbers_already_so_asks_the_count_and_sends(sandbox, client, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        numbers = [r.number for r in table(app).rows[:4]]
        # the fourth number already holds everything the form will ask for: the plan skips it
        await client.update_number(numbers[3], {"settings": {"optOut": {"enabled": True, "text": "HALT"}},
                                                "description": "same"})
        before = {n: (await client.get_number(n)).to_wire() for n in numbers}
        await pilot.press(*["space"] * 4, "b")
        await until(pilot, lambda: isinstance(app.screen, BulkEditScreen))
        screen = app.screen
        await until_steady(pilot, lambda: screen.form.virtual_size.height, also=lambda: app.focused is not None)
        assert screen.form.changed_paths() == []
        await retype(pilot, screen, f"{S}optOut.text", "HALT")
        await retype(pilot, screen, "description", "same")
        await choose(pilot, screen, f"{S}optOut.enabled", 1)   # on
        assert screen.requested() == {"description": "same",
                                      "settings": {"optOut": {"enabled": True, "text": "HALT"}}}
        puts_before = sum(sandbox.state.put_counts.values())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, BulkPreviewScreen))
        preview = app.screen
        plan = preview.plan
        assert plan.unchanged == [numbers[3]]
        assert [i.number for i in plan.items] == numbers[:3]
        assert plan.field_counts()["description"] == 3
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TypeCountScreen))
        await pilot.press(*"2", "enter")                        # the wrong count: refused
        await pilot.pause()
        assert isinstance(app.screen, TypeCountScreen)
        assert "nothing was sent" in str(app.screen.query_one("#count-error").render())
        await pilot.press("ctrl+u", *str(len(plan.items)), "enter")
        await until(pilot, lambda: isinstance(app.screen, BulkRunScreen) and app.screen.result is not None)
        result = app.screen.result
        assert result.counts().get("changed") == len(plan.items) and not result.failed
        assert "Done" in str(app.screen.query_one("#run-progress").render())
        run = Journal(app.store, app.connection.account_key).runs()[0]
        assert run.kind == "bulk" and run.counts.get("changed") == len(plan.items)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
    for number in numbers:
        after = (await client.get_number(number)).to_wire()
        assert after["description"] == "same"
        assert get_path(after, f"{S}optOut.text") == "HALT" and get_path(after, f"{S}optOut.enabled") is True
        # everything else as it was
        assert get_path(after, f"{S}optIn") == get_path(before[number], f"{S}optIn")
    assert sum(sandbox.state.put_counts.values()) - puts_before == len(plan.items)   # none sent twice, none skipped


async def test_failed_numbers_are_listed_with_the_servers_word_and_f_retries_only_them(sandbox, client, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        numbers = [r.number for r in table(app).rows[:3]]
        await describe_marked(pilot, "bulk one", "space", "space", "space")
        sandbox.faults.error_rate = 1.0            # every request answers 503 from now on
        run_screen = await send_with_count(pilot, 3)
        await until(pilot, lambda: run_screen.result is not None)
        assert len(run_screen.result.failed) == 3
        assert "f retries the 3 failed" in str(run_screen.query_one("#run-hint").render())
        sandbox.faults.clear()
        await pilot.press("f")
        await until(pilot, lambda: run_screen.result is not None and run_screen.result.counts().get("changed") == 3)
    for number in numbers:
        assert (await client.get_number(number)).to_wire()["description"] == "bulk one"


async def test_escape_from_the_preview_keeps_the_fields_and_sends_nothing(sandbox, client, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        first = table(app).rows[0].number
        before = (await client.get_number(first)).to_wire()["description"]
        screen = await describe_marked(pilot, "not sent", "space")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert screen.requested() == {"description": "not sent"}
        assert "Nothing was sent" in screen.message_text()
    assert (await client.get_number(first)).to_wire()["description"] == before


async def test_unprovision_of_the_marked_numbers_goes_through_the_journal_and_the_tracker(sandbox, app_for):
    from actui.tui.screens.unprovision import UnprovisionScreen
    from actui.tui.widgets.order_tracker import OrderTracker

    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        numbers = [r.number for r in table(app).rows[:3]]
        await pilot.press("space", "space", "space", "u")
        await until(pilot, lambda: isinstance(app.screen, UnprovisionScreen))
        assert app.screen.numbers == numbers
        await pilot.press(*"3", "enter")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        run = Journal(app.store, app.connection.account_key).runs()[0]
        assert run.kind == "unprovision" and run.counts == {"ordered": 3}
        await until(pilot, lambda: app.book.all())
        assert app.screen.query_one(OrderTracker).display


async def test_escape_cancels_a_run_cleanly_and_the_journal_says_what_was_sent(sandbox, app_for):
    app = app_for(sandbox, poll=False, client_class=HeldClient)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        # the first page and the next, prefetched (120 numbers in all): settled before * marks what is loaded
        await until(pilot, lambda: app.inventory.total and len(app.inventory.loaded) == app.inventory.total)
        await describe_marked(pilot, "cancelled run", "asterisk")
        count = len(app.screen.plan.items)
        assert count == len(app.inventory.loaded)        # * marked every loaded number
        app.client.hold()                                # every PUT waits: the run is surely under way
        run_screen = await send_with_count(pilot, count)
        await until(pilot, lambda: app.client.waiting > 0)
        await pilot.press("escape")
        await until(pilot, lambda: run_screen.cancel.is_set())
        app.client.release()                             # those in flight finish and are recorded
        await until(pilot, lambda: run_screen.result is not None, timeout=20)
        result = run_screen.result
        assert result.cancelled
        counts = result.counts()
        assert set(counts) <= {"changed", "cancelled"} and counts.get("cancelled", 0) > 0
        assert counts["changed"] == sum(sandbox.state.put_counts.values())   # what was sent is recorded
        run = Journal(app.store, app.connection.account_key).run(result.run.id)
        assert run.state == "cancelled" and run.open == 0


async def test_j_opens_the_journal_and_U_undoes_a_run_after_its_preview(sandbox, client, app_for):
    from actui.tui.screens.journal import JournalScreen

    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        numbers = [r.number for r in table(app).rows[:2]]
        before = {n: (await client.get_number(n)).to_wire()["description"] for n in numbers}
        await describe_marked(pilot, "to be undone", "space", "space")
        run_screen = await send_with_count(pilot, 2)
        await until(pilot, lambda: run_screen.result is not None)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        # someone else changes one of them meanwhile: undo leaves it alone and says so
        await client.update_number(numbers[1], {"description": "changed by someone else"})
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen) and app.screen.entries)
        await pilot.press("U")
        await until(pilot, lambda: isinstance(app.screen, BulkPreviewScreen))
        plan = app.screen.plan
        assert [i.number for i in plan.items] == [numbers[0]] and list(plan.conflicts) == [numbers[1]]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TypeCountScreen))
        await pilot.press("1", "enter")
        await until(pilot, lambda: isinstance(app.screen, BulkRunScreen) and app.screen.result is not None)
        counts = app.screen.result.counts()
        assert counts.get("changed") == 1 and counts.get("conflict") == 1
    assert (await client.get_number(numbers[0])).to_wire()["description"] == before[numbers[0]]
    assert (await client.get_number(numbers[1])).to_wire()["description"] == "changed by someone else"


async def test_a_run_cut_short_is_offered_at_start_and_resumed(sandbox, client, app_for, tmp_path):
    from actui.core.journal import FieldChange, PlannedItem
    from actui.core.store import Store
    from actui.tui.screens.resume import ResumeScreen

    store = Store(tmp_path / "state.sqlite3")
    app = app_for(sandbox, poll=False, store=store)
    numbers = (await client.list_page(1, 3)).items
    old = {n.phone_number: n.description for n in numbers}   # as planned: what the numbers held
    numbers = list(old)
    journal = Journal(store, app.connection.account_key)
    items = [PlannedItem(n, {"description": "resumed"}, (FieldChange("description", old[n], "resumed"),))
             for n in numbers]
    run = journal.begin("bulk", items, "set description")
    journal.finish_item(run.id, numbers[0], "changed")   # the first was sent before the "crash"
    journal.release(run.id)                              # its process is gone
    assert [r.id for r in journal.resumable()] == [run.id]
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ResumeScreen))
        await pilot.press("tab", "enter")             # Later has the focus; Resume is next to it
        await until(pilot, lambda: isinstance(app.screen, BulkRunScreen) and app.screen.result is not None)
        assert app.screen.result.counts() == {"changed": 3}
    assert sum(sandbox.state.put_counts[n] for n in numbers) == 2      # only what was not applied
    for number in numbers[1:]:
        assert (await client.get_number(number)).to_wire()["description"] == "resumed"


async def test_the_resume_offer_waits_for_the_first_page(sandbox, client, app_for, tmp_path):
    """Checking the journal imports the bulk engine (~100 ms): the first page is asked for and shown first."""
    from actui.core.journal import FieldChange, PlannedItem
    from actui.core.store import Store
    from actui.tui.screens.resume import ResumeScreen

    store = Store(tmp_path / "state.sqlite3")
    app = app_for(sandbox, poll=False, store=store, client_class=HeldClient)
    app.settings.resume_offer_latest = 600  # only the first page lets it in, however slow the machine
    number = (await client.list_page(1, 1)).items[0].phone_number
    journal = Journal(store, app.connection.account_key)
    run = journal.begin("bulk", [PlannedItem(number, {"description": "x"}, (FieldChange("description", "a", "x"),))],
                        "set description")
    journal.release(run.id)
    app.client.hold()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.client.waiting == 1, what="the first page asked for")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ResumeScreen)
        app.client.release()
        await until(pilot, lambda: isinstance(app.screen, ResumeScreen))
        assert app.inventory.pages and not app.inventory_screen().showing_cache
