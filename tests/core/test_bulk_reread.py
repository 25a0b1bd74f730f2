"""The bulk engine reads a number again before writing it when its reading is older than `reread_after`:
a colleague's change after the preview is reported as a conflict (or overwritten when the plan says so),
the journal's "old" is what was just read, and undo brings back what was really there."""

from __future__ import annotations

import pytest

from actui.core.bulk import BulkEngine
from actui.core.journal import FieldChange, Journal, PlannedItem
from actui.core.patch import get_path
from tests.helpers import client_for, fast_retry

WANTED = {"description": "bulk"}


@pytest.fixture
def journal(store):
    return Journal(store, "sandbox", "sandbox")


@pytest.fixture
async def colleague(sandbox):
    async with client_for(sandbox, retry=fast_retry()) as api:
        yield api


async def test_a_change_made_after_the_preview_is_a_conflict_and_is_not_written(sandbox, client, colleague,
                                                                                journal):
    numbers = sandbox.state.numbers()[:4]
    engine = BulkEngine(client, journal, reread_after=0)
    plan = await engine.plan(numbers, WANTED)
    moved, same, untouched_elsewhere, _ = numbers
    await colleague.update_number(moved, {"description": "theirs"})
    await colleague.update_number(same, {"description": "bulk"})
    await colleague.update_number(untouched_elsewhere, {"settings": {"rateLimit": 9}})
    puts = dict(sandbox.state.put_counts)
    result = await engine.apply(plan)
    states = {o.number: o.state for o in result.outcomes}
    assert states == {moved: "conflict", same: "unchanged", untouched_elsewhere: "changed", numbers[3]: "changed"}
    [conflict] = result.conflicts
    assert "theirs" in conflict.error and "description" in conflict.error and "not written" in conflict.error
    assert sandbox.state.put_counts[moved] == puts[moved] and sandbox.state.put_counts[same] == puts[same]
    assert sandbox.state.detail(moved)["description"] == "theirs"
    assert sandbox.state.detail(untouched_elsewhere)["settings"]["rateLimit"] == 9   # theirs kept too
    # nothing of the conflict is left for an undo to revert
    undo = await engine.plan_undo(result.run.id)
    assert {i.number for i in undo.items} == {untouched_elsewhere, numbers[3]} and not undo.conflicts


async def test_overwrite_writes_over_it_journals_the_value_just_read_and_undo_brings_it_back(
        sandbox, client, colleague, journal):
    number = sandbox.state.numbers()[10]
    engine = BulkEngine(client, journal, reread_after=0)
    plan = await engine.plan([number], WANTED)
    planned_old = plan.items[0].changes[0].old
    await colleague.update_number(number, {"description": "theirs"})
    plan.overwrite = True
    result = await engine.apply(plan)
    assert result.counts() == {"changed": 1}
    assert sandbox.state.detail(number)["description"] == "bulk"
    [item] = journal.items(result.run.id)
    assert [(c.path, c.old, c.new) for c in item.changes] == [("description", "theirs", "bulk")]
    assert planned_old != "theirs"
    undone = await engine.undo(result.run.id)
    assert undone.counts() == {"changed": 1}
    assert sandbox.state.detail(number)["description"] == "theirs"   # what was really there


async def test_a_fresh_reading_is_written_from_without_reading_again(sandbox, client, journal):
    numbers = sandbox.state.numbers()[20:25]
    engine = BulkEngine(client, journal)   # the default age: a minute
    plan = await engine.plan(numbers, WANTED)
    before = sandbox.faults.stats.requests
    result = await engine.apply(plan)
    assert result.counts() == {"changed": 5}
    assert sandbox.faults.stats.requests - before == 5   # the PUTs only


async def test_an_old_reading_is_read_again_by_the_engines_clock(sandbox, client, colleague, journal):
    now = [1000.0]
    engine = BulkEngine(client, journal, clock=lambda: now[0], reread_after=60)
    numbers = sandbox.state.numbers()[30:32]
    plan = await engine.plan(numbers, WANTED)
    await colleague.update_number(numbers[0], {"description": "theirs"})
    now[0] += 61   # the preview stayed open more than a minute
    result = await engine.apply(plan)
    assert {o.number: o.state for o in result.outcomes} == {numbers[0]: "conflict", numbers[1]: "changed"}


async def test_an_undo_to_a_value_the_client_refuses_is_neither_sent_nor_journaled(sandbox, client, journal):
    odd, fine = sandbox.state.numbers()[40:42]
    for number in (odd, fine):
        await client.update_number(number, {"settings": {"rateLimit": 7}})
    def item(number, old):
        return PlannedItem(number, {"settings": {"rateLimit": 7}}, (FieldChange("settings.rateLimit", old, 7),))

    run = journal.begin("bulk", [], "set rateLimit", settled=[(item(odd, -5), "changed", None),
                                                              (item(fine, 3), "changed", None)])
    journal.finish_run(run.id)
    engine = BulkEngine(client, journal)
    plan = await engine.plan_undo(run.id)
    assert [i.number for i in plan.items] == [fine] and "rateLimit" in plan.refused[odd]
    puts = sandbox.state.put_counts[odd]
    result = await engine.apply(plan)
    assert [(i.number, i.state) for i in journal.items(result.run.id)] == [(fine, "changed")]
    assert result.refused == plan.refused and sandbox.state.put_counts[odd] == puts
    assert get_path(sandbox.state.detail(odd), "settings.rateLimit") == 7
    assert get_path(sandbox.state.detail(fine), "settings.rateLimit") == 3
