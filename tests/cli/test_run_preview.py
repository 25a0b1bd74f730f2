"""`actui undo RUN_ID --dry-run` and `actui resume --dry-run`: what would be written, nothing sent or journaled."""

from __future__ import annotations

import json

from actui.cli.common import show_value
from actui.core.journal import FieldChange, PlannedItem
from tests.cli.helpers import journal_for, matching
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe

TEXT = "description"


def bulk_run(run, sandbox) -> list[str]:
    code, _, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=Previewed", "--yes")
    assert code == 0, err
    return matching(sandbox, "class:a2p")


def journal_state(sandbox) -> list:
    journal = journal_for(sandbox)
    try:
        return [(r.id, r.state, r.counts) for r in journal.runs()] + \
            [journal.items(r.id) for r in journal.runs()]
    finally:
        journal.store.close()


def test_undo_dry_run_lists_every_field_going_back_and_sends_nothing(run, sandbox):
    numbers = bulk_run(run, sandbox)
    puts, before = dict(sandbox.state.put_counts), journal_state(sandbox)
    code, out, err = run("undo", "1", "--dry-run")      # no --yes, no terminal: a preview asks nothing
    assert code == 0, err
    lines = out.splitlines()
    for number in numbers:
        assert any(line.startswith(f"{number}  description: \"Previewed\" -> ") for line in lines), number
    assert f"undo run 1: {len(numbers)} numbers would go back to their old values (dry run: nothing sent)" in out
    assert dict(sandbox.state.put_counts) == puts and journal_state(sandbox) == before
    code, out, _ = run("undo", "1", "--dry-run", "--json")
    preview = json.loads(out)
    assert preview["dryRun"] is True and preview["undoes"] == 1 and preview["fields"] == {"description": len(numbers)}
    assert dict(sandbox.state.put_counts) == puts and journal_state(sandbox) == before
    code, out, _ = run("undo", "1", "--yes", "--json")   # the undo itself writes what the preview said
    done = json.loads(out)
    assert code == 0 and {r["number"] for r in done["results"]} == {i["number"] for i in preview["items"]}


def test_undo_dry_run_names_a_field_changed_since_and_exits_1(run, sandbox):
    numbers = bulk_run(run, sandbox)
    sandbox.state.put_raw({**sandbox.state.detail(numbers[0]), "description": "someone else"})
    puts = dict(sandbox.state.put_counts)
    code, out, _ = run("undo", "1", "--dry-run", "--number", numbers[0])
    assert code == 1 and f"{numbers[0]}  conflict: changed since, left alone" in out
    assert "nothing to undo in run 1" in out and dict(sandbox.state.put_counts) == puts


def test_a_read_only_profile_may_preview_but_not_undo(run, sandbox):
    bulk_run(run, sandbox)
    code, out, err = run("--read-only", "undo", "1", "--dry-run")
    assert code == 0 and "would go back" in out, err
    code, _, err = run("--read-only", "undo", "1", "--yes")
    assert code == 1 and "read-only" in err


def cut_short(sandbox, new_value: str = "away") -> tuple[int, list[str]]:
    """A bulk run whose process died: one number changed, one being sent, two pending."""
    numbers = sandbox.state.numbers()[:4]
    journal = journal_for(sandbox)
    try:
        items = [PlannedItem(n, {TEXT: new_value}, (FieldChange(TEXT, sandbox.state.detail(n).get(TEXT), new_value),))
                 for n in numbers]
        started = journal.begin("bulk", items, f"set {TEXT}=away")
        journal.sending(started.id, numbers[0])
        journal.finish_item(started.id, numbers[0], "changed")
        journal.sending(started.id, numbers[1])
        journal.release(started.id)   # as if its process were gone
        return started.id, numbers
    finally:
        journal.store.close()


def test_resume_dry_run_shows_what_is_left_from_the_journal_without_a_request(run, sandbox):
    run_id, numbers = cut_short(sandbox)
    requests, before = sandbox.faults.stats.requests, journal_state(sandbox)
    code, out, err = run("resume", "--dry-run")
    assert code == 0, err
    assert f"run {run_id} (bulk: set {TEXT}=away): 3 of 4 numbers left" in out
    assert f'{numbers[1]}  (was being sent when the run stopped' in out
    for number in numbers[1:]:
        assert f'{number}  {TEXT}: {show_value(sandbox.state.detail(number).get(TEXT))} -> "away"' in out
    assert numbers[0] not in out and f"resume run {run_id}: 3 numbers left (dry run: nothing sent)" in out
    code, out, _ = run("resume", str(run_id), "--dry-run", "--json")
    preview = json.loads(out)
    assert preview["dryRun"] is True and preview["run"] == run_id and preview["left"] == 3
    assert [(i["number"], i["state"]) for i in preview["items"]] == \
        [(numbers[1], "sending"), (numbers[2], "pending"), (numbers[3], "pending")]
    assert sandbox.faults.stats.requests == requests and journal_state(sandbox) == before
    code, out, err = run("resume", "--yes")      # the preview claimed nothing: the run can still be resumed
    assert code == 0 and f"run {run_id} (done)" in out, out + err


def test_resume_dry_run_with_nothing_to_resume(run):
    code, out, _ = run("resume", "--dry-run")
    assert code == 0 and "nothing to resume" in out
    code, out, _ = run("resume", "--dry-run", "--json")
    assert json.loads(out) == {"resumable": [], "dryRun": True}
    code, _, err = run("resume", "9", "--dry-run")
    assert code == 1 and "no run 9" in err


def test_resume_dry_run_makes_server_text_safe_and_keeps_json_exact(run, sandbox):
    run_id, _ = cut_short(sandbox, new_value=HOSTILE)
    code, out, _ = run("resume", "--dry-run")
    assert code == 0 and "wiped" in out
    assert_terminal_safe(out)
    code, out, _ = run("resume", "--dry-run", "--json")
    assert json.loads(out)["items"][0]["changes"][0]["new"] == HOSTILE
