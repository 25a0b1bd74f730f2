"""The list's column chooser (`c`, binding list.columns) and the sort, remembered per profile in config.toml."""

from __future__ import annotations

import textwrap

import pytest

from actui import paths
from actui.api.errors import ConfigError
from actui.profiles import ConfigFile
from actui.tui.screens.columns import ColumnsScreen
from actui.tui.screens.inventory import InventoryScreen
from actui.tui.ui_prefs import check_at_start
from tests.helpers import until
from tests.tui.app_pilot import SIZES, connection_for, list_ready, snapshot_app, started, table, wait_for

PROFILE = """\
    default = "prod"

    [profiles.prod]
    base_url = "https://api.example.com"   # hand-written
    user = "ops@example.com"
"""


def write_config(text: str = PROFILE):
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def shown(app) -> list[str]:
    return [column.key for column in table(app).columns]


def header(app) -> str:
    return table(app).render_line(0).text


async def open_chooser(pilot):
    await pilot.press("c")
    await until(pilot, lambda: isinstance(pilot.app.screen, ColumnsScreen))


async def test_choosing_columns_shows_them_and_saves_them_in_the_profile(sandbox, app_for):
    path = write_config()
    app = app_for(sandbox, profile="prod")
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        assert "Email" in header(app) and "Plan" in header(app)
        await open_chooser(pilot)
        # the cursor starts on Status (the number cannot be turned off): Status, Class, Type off
        await pilot.press("space", "down", "space", "down", "space", "enter")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        assert shown(app) == ["number", "platform", "user", "email", "description", "plan"]
        assert "Status" not in header(app) and "Platform" in header(app)
        row = table(app).rows[0]
        line = table(app).render_line(1).text
        # each cell under its own title: the platform right after the number, not the status
        assert line[2:].startswith(row.cells[0]) and line[2 + 16 + 1:].startswith(row.cells[4][:13])
    assert ConfigFile.load().profiles["prod"].columns == ("number", "platform", "user", "email", "description",
                                                         "plan")
    assert "# hand-written" in path.read_text(encoding="utf-8")


async def test_escape_leaves_the_columns_and_the_file_alone(sandbox, app_for):
    path = write_config()
    before = path.read_text(encoding="utf-8")
    app = app_for(sandbox, profile="prod")
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        await open_chooser(pilot)
        await pilot.press("space", "escape")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        assert "status" in shown(app)
    assert path.read_text(encoding="utf-8") == before


async def test_the_number_column_cannot_be_turned_off(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        await open_chooser(pilot)
        await pilot.press("up", "space", "enter")   # on Number: disabled, space does nothing
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        assert shown(app)[0] == "number"


async def test_columns_and_sort_are_applied_at_start(sandbox, app_for):
    write_config(PROFILE + '    columns = ["description", "number", "status"]\n    sort = "-number"\n')
    app = app_for(sandbox, profile="prod")
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        assert shown(app) == ["number", "status", "description"]   # the list's order, whatever the file's
        assert "Number ▼" in header(app)
        numbers = [row.number for row in table(app).rows]
        assert numbers == sorted(numbers, reverse=True)


async def test_the_sort_is_saved_when_changed(sandbox, app_for):
    write_config()
    app = app_for(sandbox, profile="prod")
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        await pilot.press("s")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ChoiceScreen")
        await pilot.press("down", "enter")   # Status
        await until(pilot, lambda: app.screen.sort_key == "status")
        assert ConfigFile.load().profiles["prod"].sort == "status"
        await pilot.press("S")
        await until(pilot, lambda: ConfigFile.load().profiles["prod"].sort == "-status")
        app.screen.sort_by(None)
        assert ConfigFile.load().profiles["prod"].sort is None


async def test_without_a_profile_the_choice_lasts_for_the_session(sandbox, app_for):
    app = app_for(sandbox)   # no profile: nothing configured, as with the sandbox
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        await open_chooser(pilot)
        await pilot.press("space", "enter")
        await until(pilot, lambda: "status" not in shown(app))
    assert not paths.config_file().exists()


async def test_a_read_only_file_is_a_notice_and_the_columns_still_change(sandbox, app_for):
    path = write_config()
    path.chmod(0o400)
    app = app_for(sandbox, profile="prod")
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        await open_chooser(pilot)
        await pilot.press("space", "enter")
        await until(pilot, lambda: "status" not in shown(app))
        await until(pilot, lambda: any("read-only" in str(n.message) for n in app._notifications))
    assert "columns" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("line, message", [
    ('columns = ["number", "stauts"]', "columns: unknown column 'stauts' (known: number, status, class"),
    ('sort = "-colour"', "sort: unknown column 'colour' (known: number, status"),
])
def test_an_unknown_column_is_refused_at_start_naming_the_known_ones(line, message):
    write_config(PROFILE + "    " + line + "\n")
    with pytest.raises(ConfigError, match=r"profile 'prod': " + message.replace("(", r"\(")):
        check_at_start()


@pytest.mark.parametrize("size", SIZES[:1], ids=lambda s: f"{s[0]}x{s[1]}")
def test_columns_dialog_snapshot(snap_compare, snap_sandbox, tmp_path, size):
    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))
        await pilot.press("c")   # (not wait_for: the chooser's worker waits for the dialog to close)
        await until(pilot, lambda: isinstance(pilot.app.screen, ColumnsScreen))
        await pilot.press("space", "down", "down")   # Status off, the cursor on Type
        await pilot.pause()

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=size, run_before=ready)


async def test_switching_profile_inside_the_tui_brings_that_profiles_columns(sandbox, app_for):
    write_config(PROFILE + '''
    [profiles.stage]
    base_url = "https://stage.example.com"
    user = "qa@example.com"
    columns = ["number", "plan"]
    sort = "plan"
''')
    app = app_for(sandbox, profile="prod")
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        assert "status" in shown(app)
        app.prefs.use_profile(connection_for(sandbox, profile="stage"))
        app.screen.apply_view_prefs()
        app.screen.show_rows()
        assert shown(app) == ["number", "plan"] and app.screen.sort_key == "plan"
        await open_chooser(pilot)
        await pilot.press("space", "enter")   # Status back on: saved in stage, not in prod
        await until(pilot, lambda: ConfigFile.load().profiles["stage"].columns == ("number", "status", "plan"))
    assert ConfigFile.load().profiles["prod"].columns is None


async def test_keys_typed_in_one_burst_act_in_their_order(sandbox, app_for):
    """A fast typist's (or a paste's) "down space down space enter" arrives in one read: each toggle acts
    on the option highlighted at its key, and enter applies after them."""
    from textual import events

    write_config()
    app = app_for(sandbox, profile="prod")
    async with app.run_test(size=(170, 30)) as pilot:
        await started(pilot)
        await open_chooser(pilot)
        for key, character in [("down", None), ("space", " "), ("down", None), ("space", " "), ("enter", "\r")]:
            app.post_message(events.Key(key, character))   # all queued before any is handled
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        assert shown(app) == ["number", "status", "platform", "user", "email", "description", "plan"]
