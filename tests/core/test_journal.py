"""The journal: runs and items in the local store, entries for the journal screen, resumable runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from actui.core.journal import (
    ITEM_STATES,
    FieldChange,
    Journal,
    JournalError,
    PlannedItem,
    changes_between,
    process_token,
)
from actui.core.store import MIGRATIONS, Store


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def journal(store):
    return Journal(store, "ops@api.example.com", "prod", clock=Clock())


def item(number: str, text: str = "STOP", old: str | None = None) -> PlannedItem:
    patch = {"settings": {"optOut": {"text": text}}}
    return PlannedItem(number, patch, changes_between({"settings": {"optOut": {"text": old}}}, patch))


NUMBERS = ["+14155550101", "+14155550102", "+14155550103"]


def test_fresh_store_has_every_migration(store):
    assert store.query("PRAGMA user_version")[0][0] == len(MIGRATIONS)
    assert store.query("PRAGMA synchronous")[0][0] == 1  # NORMAL


def test_begin_records_every_item_pending(journal):
    run = journal.begin("bulk", [item(n) for n in NUMBERS], "set optOut", requested={"a": 1})
    assert run.state == "running" and run.kind == "bulk" and run.counts == {"pending": 3} and run.total == 3
    assert run.requested == {"a": 1} and run.pid == os.getpid() and run.profile == "prod"
    items = journal.items(run.id)
    assert [i.number for i in items] == NUMBERS
    assert items[0].changes == (FieldChange("settings.optOut.text", None, "STOP"),)
    assert items[0].patch == {"settings": {"optOut": {"text": "STOP"}}} and items[0].updated_at is None


def test_items_move_through_their_states(journal):
    run = journal.begin("bulk", [item(n) for n in NUMBERS])
    journal.sending(run.id, NUMBERS[0])
    assert [i.number for i in journal.items(run.id, ["sending"])] == [NUMBERS[0]]
    journal.finish_item(run.id, NUMBERS[0], "changed")
    journal.finish_item(run.id, NUMBERS[1], "failed", "PUT failed: HTTP 400")
    journal.finish_items(run.id, [NUMBERS[2]], "cancelled")
    done = journal.finish_run(run.id)
    assert done.state == "done" and done.finished_at is not None
    assert done.counts == {"changed": 1, "failed": 1, "cancelled": 1}
    assert journal.items(run.id, ["failed"])[0].error == "PUT failed: HTTP 400"
    with pytest.raises(ValueError, match="unknown item state"):
        journal.finish_item(run.id, NUMBERS[0], "exploded")
    assert set(ITEM_STATES) >= {"pending", "sending", "changed", "unknown", "ordered", "conflict"}


def test_runs_are_newest_first_and_per_account(store, journal):
    first = journal.begin("bulk", [item(NUMBERS[0])])
    second = journal.begin("undo", [item(NUMBERS[0])], undoes=first.id)
    other = Journal(store, "sandbox")
    other.begin("bulk", [item(NUMBERS[1])])
    assert [r.id for r in journal.runs()] == [second.id, first.id]
    assert journal.runs()[0].undoes == first.id
    assert len(other.runs()) == 1 and other.run(first.id) is None and other.items(first.id) == []


def test_record_edit_computes_field_changes(journal):
    old = {"description": "Main", "settings": {"optOut": {"enabled": False, "text": "STOP"}}}
    patch = {"description": "Sales", "settings": {"optOut": {"enabled": True}}}
    run = journal.record_edit("+14155550101", old, patch, "changed")
    assert run.kind == "edit" and run.state == "done" and run.counts == {"changed": 1}
    (only,) = journal.items(run.id)
    assert only.changes == (FieldChange("description", "Main", "Sales"),
                            FieldChange("settings.optOut.enabled", False, True))
    failed = journal.record_edit("+14155550102", old, patch, "failed", "HTTP 503")
    assert journal.items(failed.id)[0].error == "HTTP 503" and journal.resumable() == []


def test_entries_match_every_word_anywhere(journal):
    run = journal.begin("bulk", [item(NUMBERS[0], "STOP", "QUIT"), item(NUMBERS[1], "STOP")])
    journal.finish_item(run.id, NUMBERS[0], "changed")
    journal.finish_item(run.id, NUMBERS[1], "failed", "HTTP 503 Service Unavailable")
    journal.finish_run(run.id)
    edit = journal.record_edit(NUMBERS[2], {"billingPlanName": "250"}, {"billingPlanName": "500"}, "changed")
    everything = journal.entries()
    assert [e.number for e in everything] == [NUMBERS[2], NUMBERS[1], NUMBERS[0]]  # newest first
    assert everything[0].path == "billingPlanName" and everything[0].kind == "edit"
    assert [e.number for e in journal.entries("(415) 555-0101")] == [NUMBERS[0]]  # any format
    assert [e.number for e in journal.entries("4155550102")] == [NUMBERS[1]]
    assert [e.number for e in journal.entries("OPTOUT quit")] == [NUMBERS[0]]  # path and old value
    assert [e.number for e in journal.entries("failed 503")] == [NUMBERS[1]]
    assert [e.run_id for e in journal.entries(f"run:{edit.id}")] == [edit.id]
    assert [e.number for e in journal.entries("prod edit")] == [NUMBERS[2]]
    assert journal.entries("nothing-like-this") == []
    assert len(journal.entries(limit=2)) == 2


def test_entries_show_failures_without_field_changes(journal):
    run = journal.begin("bulk", [], settled=[(PlannedItem(NUMBERS[0], {}, ()), "failed", "could not read"),
                                             (PlannedItem(NUMBERS[1], {}, ()), "unchanged", None)])
    (entry,) = journal.entries(f"run:{run.id}")
    assert (entry.number, entry.path, entry.result, entry.error) == (NUMBERS[0], "", "failed", "could not read")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _own_by(store: Store, run_id: int, pid: int, token: str | None) -> None:
    store.execute("UPDATE journal_runs SET pid = ?, token = ? WHERE id = ?", (pid, token, run_id))


def test_a_run_whose_process_is_gone_is_resumable(store, journal):
    run = journal.begin("bulk", [item(n) for n in NUMBERS])
    assert journal.resumable() == []  # this process runs it
    journal.release(run.id)
    assert [r.id for r in journal.resumable()] == [run.id]  # this process no longer does
    _own_by(store, run.id, _dead_pid(), "12345")
    assert [r.id for r in journal.resumable()] == [run.id]
    parent = os.getppid()
    _own_by(store, run.id, parent, process_token(parent))
    assert journal.resumable() == []  # a live process of this machine owns it
    if sys.platform.startswith("linux"):  # elsewhere a pid is all there is to compare
        assert process_token(parent)
        _own_by(store, run.id, parent, "not-its-start-time")  # the pid was reused by another process
        assert [r.id for r in journal.resumable()] == [run.id]


def test_finished_or_settled_runs_are_not_resumable(store, journal):
    done = journal.begin("bulk", [item(NUMBERS[0])])
    journal.finish_item(done.id, NUMBERS[0], "changed")
    journal.release(done.id)  # "running" but nothing pending or sending
    finished = journal.begin("bulk", [item(NUMBERS[1])])
    journal.finish_run(finished.id, "cancelled")
    assert journal.resumable() == []


def test_claim_takes_over_only_an_abandoned_run(store, journal):
    run = journal.begin("bulk", [item(n) for n in NUMBERS])
    with pytest.raises(JournalError, match="still running in process"):
        journal.claim(run.id)
    _own_by(store, run.id, _dead_pid(), "1")
    claimed = journal.claim(run.id)
    assert claimed.pid == os.getpid() and journal.resumable() == []
    journal.finish_run(run.id)
    with pytest.raises(JournalError, match="nothing to resume"):
        journal.claim(run.id)
    with pytest.raises(JournalError, match="no run 999"):
        journal.claim(999)
