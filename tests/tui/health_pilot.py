"""Driving the health screen in pilot tests: a policy file, a local copy filled from the sandbox, the
screen opened and evaluated, its rows and lines read as text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import DataTable

from actui.tui.screens.health import HealthScreen
from tests.helpers import until
from tests.tui.app_pilot import FROZEN

A2P_STOP = '''
[[policy]]
name = "a2p-stop"
description = "A2P numbers honour STOP"
where = "class:a2p"
require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP" }
'''


def write_policies(text: str) -> Path:
    """`text` as the default policy file (policies.toml beside config.toml, in the test's own dir)."""
    from actui.paths import policies_file

    path = policies_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def created_lately(index: int, count: int, now: float = FROZEN) -> str:
    """A createdAt within the 26 weeks before `now`, more of them lately (the seeded sandbox's are years
    old): the overview's weeks then have something to draw, the same at every run."""
    share = (index * 37 % count) / count
    return datetime.fromtimestamp(now - 182 * 86400 * share ** 1.2, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seed_copy(app, sandbox, *, details: bool | int = True, read_at: float = FROZEN - 60,
              detail_at: float | None = None, recent: bool = False) -> list[str]:
    """The sandbox's list into the app's local copy as read at `read_at`, with every detail, none, or the
    first `details` of them (read at `detail_at`, else `read_at`); `recent`: createdAt moved into the last
    26 weeks (created_lately), in the list items and the details alike."""
    copy = app.copy_keeper.copy
    numbers = list(sandbox.state.numbers())
    docs = [sandbox.state.detail(n) for n in numbers]
    if recent:
        docs = [{**doc, "createdAt": created_lately(i, len(docs))} for i, doc in enumerate(docs)]
    copy.put_list_items([{k: v for k, v in doc.items() if k != "settings"} for doc in docs], read_at)
    copy.keep_only(numbers, read_at)
    held = len(docs) if details is True else int(details)
    copy.put_details([(n, doc, read_at if detail_at is None else detail_at)
                      for n, doc in zip(numbers[:held], docs[:held], strict=True)])
    return numbers


def a2p_without_stop(sandbox) -> set[str]:
    """The A2P numbers whose opt-out is not enabled with the text STOP, as the sandbox holds them."""
    found = set()
    for number in sandbox.state.numbers():
        detail = sandbox.state.detail(number)
        opt_out = (detail.get("settings") or {}).get("optOut") or {}
        if detail.get("provisionClass") == "A2P" and (opt_out.get("enabled") is not True
                                                       or opt_out.get("text") != "STOP"):
            found.add(number)
    return found


def health(app) -> HealthScreen | None:
    screen = app.screen
    return screen if isinstance(screen, HealthScreen) else None


async def evaluated(pilot, timeout: float = 15.0) -> HealthScreen:
    """Until the health screen is on top with an evaluation shown, its workers done."""
    await until(pilot, lambda: health(pilot.app) is not None and health(pilot.app).evaluation is not None,
                timeout, what="the health screen evaluated")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return health(pilot.app)


async def reevaluated(pilot, screen: HealthScreen, before) -> None:
    """Until an evaluation other than `before` is shown."""
    await until(pilot, lambda: screen.evaluation is not before, what="evaluated again")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def rows(screen: HealthScreen) -> dict[str, list[str]]:
    """Policy name -> its cells as plain text."""
    table = screen.query_one(DataTable)
    out = {}
    for index in range(table.row_count):
        cells = [str(getattr(cell, "plain", cell)).strip() for cell in table.get_row_at(index)]
        out[cells[0]] = cells
    return out


def line(screen: HealthScreen, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}").render())


def select(screen: HealthScreen, name: str) -> None:
    index = list(rows(screen)).index(name)
    screen.query_one(DataTable).move_cursor(row=index)
