"""What every cell of the fault matrix asserts: no traceback, one clear message, no partial JSON, no
terminal control from the server, journal = server."""

from __future__ import annotations

import json
from typing import Any

from actui.core.journal import Journal
from actui.core.patch import get_path
from actui.core.store import Store
from tests.fixtures.hostile import assert_terminal_safe

# Signs that a body or an exception reached the user as it was.
RAW = ("Traceback", 'File "/', "<html", "<!DOCTYPE", "<center>", "pydantic", "validation error for",
       "unexpected ")


def assert_no_raw_dump(text: str, where: str = "output") -> None:
    for sign in RAW:
        assert sign not in text, f"{where} shows {sign!r}: {text[:600]!r}"
    assert_terminal_safe(text, where)


def error_lines(err: str) -> list[str]:
    """The lines of stderr that report a failure (warnings and progress lines are not counted)."""
    return [line for line in err.splitlines()
            if line.startswith("actui:") and "warning" not in line.lower()]


def assert_one_clear_message(code: int, out: str, err: str, *, json_output: bool = False) -> str:
    """A failed command: exit code 1 (not a crash, not "authentication failed"), one line saying
    what happened, nothing raw, and no partial JSON on stdout."""
    assert code == 1, (code, err)
    assert_no_raw_dump(err, "stderr")
    lines = error_lines(err)
    assert len(lines) == 1, err
    assert len(lines[0]) < 400, lines[0]
    if json_output and out.strip():
        json.loads(out)   # valid JSON or nothing at all
    return lines[0]


def assert_succeeded(code: int, out: str, err: str) -> None:
    assert code == 0, err
    assert_no_raw_dump(err, "stderr")


def journal_for(server) -> Journal:
    host = server.base_url.split("//")[1].split("/")[0]
    return Journal(Store(), f"{server.user}@{host}")


def assert_journal_matches_server(server, run_id: int | None = None) -> dict[str, int]:
    """Every journaled item's fields hold on the server what its state says: the new value when
    "changed", the old one when it failed or was never sent. Returns the count of items by state."""
    journal = journal_for(server)
    runs = [journal.run(run_id)] if run_id is not None else journal.runs()
    counts: dict[str, int] = {}
    for run in runs:
        for item in journal.items(run.id):
            counts[item.state] = counts.get(item.state, 0) + 1
            doc = server.state.detail(item.number)
            assert item.state in ("changed", "unchanged", "failed", "pending", "cancelled", "conflict"), \
                (item.number, item.state, item.error)
            for change in item.changes:
                held: Any = get_path(doc, change.path) if doc is not None else None
                if item.state in ("changed", "unchanged"):
                    assert held == change.new, (item.number, change, item.state)
                elif doc is not None:
                    assert held == change.old, (item.number, change, item.state, item.error)
    return counts


def injected(server) -> int:
    """How many faults the sandbox injected (a matrix cell whose fault never struck proves nothing)."""
    counts = server.faults.stats.as_dict()
    return sum(n for name, n in counts.items() if name not in ("requests", "posts", "puts", "delayed"))
