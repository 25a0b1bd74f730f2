"""Driving the health screen in pilot tests: a policy file, a local copy filled from the sandbox, the
screen opened and evaluated, its rows and lines read as text."""

from __future__ import annotations

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


def seed_copy(app, sandbox, *, details: bool = True, read_at: float = FROZEN - 60, numbers=None) -> list[str]:
    """The sandbox's list into the app's local copy as read at `read_at`, with every detail (or none)."""
    copy = app.copy_keeper.copy
    numbers = list(numbers or sandbox.state.numbers())
    items = [{k: v for k, v in sandbox.state.detail(n).items() if k != "settings"} for n in numbers]
    copy.put_list_items(items, read_at)
    copy.keep_only(numbers, read_at)
    if details:
        copy.put_details([(n, sandbox.state.detail(n), read_at) for n in numbers])
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
