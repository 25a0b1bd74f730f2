"""core.edits.save_edit against the sandbox on loopback: a colleague's change (another ApiClient) between
the reading and the save is never overwritten unseen, and the journal holds only what was sent."""

from __future__ import annotations

import pytest

from actui.api.errors import InvalidInput, NetworkError
from actui.core.edits import (
    ABSENT,
    EditConflict,
    FieldConflict,
    rebase,
    save_edit,
    unmet_expectations,
)
from actui.core.journal import Journal
from actui.core.patch import get_path
from tests.helpers import client_for, fast_retry

TEXT = "settings.optOut.text"


@pytest.fixture
def journal(store):
    return Journal(store, "sandbox", "sandbox")


@pytest.fixture
async def colleague(sandbox):
    """Someone else on the same API (another actui, the web console)."""
    async with client_for(sandbox, retry=fast_retry()) as api:
        yield api


async def test_a_field_changed_by_someone_else_since_loading_is_a_conflict_and_nothing_is_written(
        sandbox, client, colleague, journal):
    number = sandbox.state.numbers()[0]
    loaded = (await client.get_number(number)).to_wire()
    before = get_path(loaded, TEXT)
    await colleague.update_number(number, {"settings": {"optOut": {"text": "THEIRS"}}})
    puts = sandbox.state.put_counts[number]
    with pytest.raises(EditConflict) as caught:
        await save_edit(client, journal, number, loaded, {"settings": {"optOut": {"text": "MINE"}}})
    assert caught.value.conflicts == [FieldConflict(TEXT, before, "THEIRS", "MINE")]
    assert get_path(caught.value.current, TEXT) == "THEIRS"
    assert "THEIRS" in str(caught.value) and "MINE" in str(caught.value) and TEXT in str(caught.value)
    assert sandbox.state.put_counts[number] == puts            # nothing written
    assert get_path(sandbox.state.detail(number), TEXT) == "THEIRS"
    assert journal.runs() == []                                # nothing sent, nothing journaled


async def test_fields_changed_elsewhere_that_the_edit_does_not_touch_are_kept(sandbox, client, colleague, journal):
    number = sandbox.state.numbers()[1]
    loaded = (await client.get_number(number)).to_wire()
    await colleague.update_number(number, {"description": "theirs", "settings": {"rateLimit": 7}})
    saved = await save_edit(client, journal, number, loaded, {"settings": {"optOut": {"text": "MINE"}}})
    after = sandbox.state.detail(number)
    assert after["description"] == "theirs" and after["settings"]["rateLimit"] == 7
    assert get_path(after, TEXT) == "MINE" and saved.phone.to_wire() == after
    assert saved.sent == {"settings": {"optOut": {"text": "MINE"}}}
    [item] = journal.items(saved.run.id)
    assert item.state == "changed" and [(c.path, c.old, c.new) for c in item.changes] == [
        (TEXT, get_path(loaded, TEXT), "MINE")]


async def test_the_journal_old_is_what_was_read_just_before_the_write(sandbox, client, journal):
    """A field the editor did not have at all (loaded absent) and the server now has: "old" is the server's."""
    number = sandbox.state.numbers()[2]
    loaded = (await client.get_number(number)).to_wire()
    loaded.pop("description", None)
    with pytest.raises(EditConflict):   # absent when loaded, something else now: a conflict
        await save_edit(client, journal, number, loaded, {"description": "mine"})
    fresh = (await client.get_number(number)).to_wire()
    saved = await save_edit(client, journal, number, fresh, {"description": "mine"})
    [item] = journal.items(saved.run.id)
    assert [(c.path, c.old) for c in item.changes] == [("description", fresh.get("description"))]


async def test_the_same_change_made_elsewhere_is_not_sent_again(sandbox, client, colleague, journal):
    number = sandbox.state.numbers()[3]
    loaded = (await client.get_number(number)).to_wire()
    await colleague.update_number(number, {"description": "same"})
    puts = sandbox.state.put_counts[number]
    saved = await save_edit(client, journal, number, loaded, {"description": "same"})
    assert saved.sent == {} and saved.run is None and sandbox.state.put_counts[number] == puts


async def test_a_value_refused_locally_sends_nothing_and_journals_nothing(sandbox, client, journal):
    number = sandbox.state.numbers()[4]
    loaded = (await client.get_number(number)).to_wire()
    requests = client.stats.requests
    with pytest.raises(InvalidInput, match="rateLimit"):
        await save_edit(client, journal, number, loaded, {"settings": {"rateLimit": -5}})
    assert client.stats.requests == requests and journal.runs() == []


async def test_the_save_is_journaled_sending_before_the_put(sandbox, client, journal):
    """A kill during the PUT leaves a run with its item "sending" (resumable), as the bulk engine's do."""
    number = sandbox.state.numbers()[5]
    loaded = (await client.get_number(number)).to_wire()
    seen = []
    real_update = client.update_number

    async def watched(*args, **kw):
        [run] = journal.runs()
        seen.append((run.kind, run.state, [i.state for i in journal.items(run.id)]))
        return await real_update(*args, **kw)

    client.update_number = watched
    saved = await save_edit(client, journal, number, loaded, {"description": "watched"})
    assert seen == [("edit", "running", ["sending"])]
    assert saved.run.state == "done" and saved.run.counts == {"changed": 1}


async def test_a_put_lost_on_the_network_is_journaled_failed_and_raised(sandbox_factory, store):
    server = sandbox_factory(numbers=5)
    journal = Journal(store, "sandbox", "sandbox")
    number = server.state.numbers()[0]
    async with client_for(server, retry=fast_retry(1)) as api:
        loaded = (await api.get_number(number)).to_wire()
        real_get = api.get_number

        async def get_then_drop(*args, **kw):   # the read goes through; then the network goes away
            phone = await real_get(*args, **kw)
            server.faults.drop_rate = 1.0
            return phone

        api.get_number = get_then_drop
        with pytest.raises(NetworkError):
            await save_edit(api, journal, number, loaded, {"description": "lost"})
    [run] = journal.runs()
    assert run.state == "done" and run.counts == {"failed": 1}


def test_rebase_names_conflicts_and_what_the_server_changed_on_its_own():
    loaded = {"description": "a", "settings": {"rateLimit": 1, "optOut": {"text": "STOP"}}}
    current = {"description": "b", "settings": {"rateLimit": 2, "optOut": {"text": "STOP"}}, "tags": ["x"]}
    based = rebase(loaded, current, {"description": "c", "settings": {"optOut": {"text": "END"}}})
    assert based.conflicts == [FieldConflict("description", "a", "b", "c")]
    assert based.send == {"description": "c", "settings": {"optOut": {"text": "END"}}}
    assert based.refreshed == ["settings.rateLimit", "tags"]
    assert rebase(loaded, current, {"settings": {"rateLimit": 2}}).send == {}   # already so


def test_expectations_compare_type_and_absence():
    doc = {"settings": {"rateLimit": 1, "optOut": {"enabled": True}}}
    assert unmet_expectations(doc, {"settings.rateLimit": 1, "settings.optOut.enabled": True,
                                    "description": None}) == []
    [unmet] = unmet_expectations(doc, {"settings.optOut.enabled": 1})
    assert (unmet.path, unmet.expected, unmet.actual) == ("settings.optOut.enabled", 1, True)
    [absent] = unmet_expectations(doc, {"description": "x"})
    assert absent.actual is ABSENT
