"""`actui numbers update`: --expect for scripts, --where with a colleague's change after the preview
(a conflict unless --overwrite), and nothing journaled for values refused before any request."""

from __future__ import annotations

import json

import pytest

from actui import paths
from actui.core.patch import get_path
from tests.cli.helpers import journal_for, matching

TEXT = "settings.optOut.text"


@pytest.fixture
def reread_always():
    """A profile whose bulk runs read every number again before writing it."""
    path = paths.config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('default = "t"\n\n[profiles.t]\nbulk_reread_after = 0\n')


def test_expect_refuses_when_the_number_holds_something_else_and_writes_nothing(run, sandbox):
    number = sandbox.state.numbers()[0]
    held = get_path(sandbox.state.detail(number), TEXT)
    puts = sandbox.state.put_counts[number]
    code, out, err = run("numbers", "update", number, "--set", f"{TEXT}=MINE", "--expect", f"{TEXT}=NOT-{held}")
    assert code == 1 and out == ""
    assert TEXT in err and f'expected "NOT-{held}"' in err and f'is "{held}"' in err and "Nothing was written" in err
    assert sandbox.state.put_counts[number] == puts and journal_for(sandbox).runs() == []


def test_expect_that_holds_lets_the_update_through(run, sandbox):
    number = sandbox.state.numbers()[1]
    held = get_path(sandbox.state.detail(number), TEXT)
    rate = get_path(sandbox.state.detail(number), "settings.rateLimit")
    code, out, err = run("numbers", "update", number, "--set", f"{TEXT}=MINE", "--expect", f"{TEXT}={held}",
                         "--expect", f"settings.rateLimit={rate}", "--json")
    assert code == 0, err
    assert json.loads(out)["changed"] == {"settings": {"optOut": {"text": "MINE"}}}
    [run_] = journal_for(sandbox).runs()
    [item] = journal_for(sandbox).items(run_.id)
    assert [(c.path, c.old, c.new) for c in item.changes] == [(TEXT, held, "MINE")]


def test_expect_goes_with_one_number(run):
    code, _, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=x",
                       "--expect", "description=y", "--yes")
    assert code == 2 and "--expect" in err


def test_a_value_refused_before_any_request_leaves_no_run_in_the_journal(run, sandbox):
    number = sandbox.state.numbers()[2]
    before = sandbox.faults.stats.requests
    code, _, err = run("numbers", "update", number, "--set", "settings.rateLimit=-5")
    assert code == 2 and "settings.rateLimit" in err
    assert sandbox.faults.stats.requests == before and journal_for(sandbox).runs() == []


def _colleague_changes_before_the_run(monkeypatch, sandbox, number: str) -> None:
    """Someone changes `number` while the preview is on screen (between the plan and the run)."""
    from actui.cli import bulk_cmd

    real_confirm = bulk_cmd.confirm_count
    done = []

    def confirm(*args, **kw):
        if not done:   # once
            done.append(sandbox.state.update(number, {"description": "theirs"}))
        return real_confirm(*args, **kw)

    monkeypatch.setattr(bulk_cmd, "confirm_count", confirm)


def test_where_reports_a_number_changed_after_the_preview_as_a_conflict(run, sandbox, monkeypatch, reread_always):
    numbers = matching(sandbox, "class:a2p")
    moved = numbers[0]
    _colleague_changes_before_the_run(monkeypatch, sandbox, moved)
    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=bulk", "--yes")
    assert code == 1, err
    line = [line for line in out.splitlines() if line.startswith(f"{moved}  ")][-1]   # its result, after the preview
    assert "conflict" in line and "theirs" in line and "not written" in line
    assert sandbox.state.detail(moved)["description"] == "theirs"
    assert all(sandbox.state.detail(n)["description"] == "bulk" for n in numbers[1:])


def test_where_overwrite_writes_it_and_undo_brings_theirs_back(run, sandbox, monkeypatch, reread_always):
    numbers = matching(sandbox, "class:a2p")
    moved = numbers[0]
    _colleague_changes_before_the_run(monkeypatch, sandbox, moved)
    code, out, err = run("numbers", "update", "--where", "class:a2p", "--set", "description=bulk", "--yes",
                         "--overwrite", "--json")
    assert code == 0, err
    result = json.loads(out)
    [changes] = [r["changes"] for r in result["results"] if r["number"] == moved]
    assert changes == [{"path": "description", "old": "theirs", "new": "bulk"}]
    code, _, err = run("undo", str(result["run"]), "--number", moved, "--yes")
    assert code == 0, err
    assert sandbox.state.detail(moved)["description"] == "theirs"


def test_overwrite_goes_with_where(run, sandbox):
    code, _, err = run("numbers", "update", sandbox.state.numbers()[0], "--set", "description=x", "--overwrite")
    assert code == 2 and "--overwrite" in err
