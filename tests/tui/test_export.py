"""The list's export (ctrl+e, screens/export.py) against a real sandbox: the dialog pre-filled, the list as
filtered and sorted (or the marked numbers) written as CSV or JSON with the chosen columns, a file that
exists asked about, a folder that cannot take it refused in the dialog, a cancel that leaves no file, and
hostile server text safe in CSV and exact in JSON."""

import csv
import io
import json
import re
import threading
from datetime import datetime

import pytest

from actui.core import export_rows
from actui.core.field_select import pick
from actui.tui.screens.export_confirm import ReplaceFileScreen
from actui.tui.screens.inventory import InventoryScreen
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe, seed_hostile
from tests.helpers import until
from tests.tui.app_pilot import FROZEN, started, table
from tests.tui.export_pilot import dialog, error, export_to, files_in, fill, open_export, value


@pytest.fixture
def export_dir(tmp_path, monkeypatch):
    """The current directory of the test: a folder of its own (the sandbox's files are in tmp_path)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


LIST_FIELDS = "number,status,class,type,platform,user,email,description,plan"
LIST_WIRES = ["phoneNumber", "status", "provisionClass", "provisionType", "platformType", "userId", "email",
              "description", "billingPlanName"]


async def load_all(pilot) -> None:
    await pilot.press("L")
    await until(pilot, lambda: pilot.app.inventory.all_loaded and table(pilot.app).rows)


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def read_csv(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


async def test_the_key_opens_the_dialog_pre_filled_in_the_current_directory(sandbox_factory, app_for, export_dir):
    app = app_for(sandbox_factory(numbers=350))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await until(pilot, lambda: app.inventory.loaded_count == 200)   # the first page and the next, prefetched
        await open_export(pilot)
        stamp = datetime.fromtimestamp(FROZEN).strftime("%Y%m%d-%H%M")
        name = value(app, "export-name")
        assert re.fullmatch(rf"actui-numbers-[A-Za-z0-9._-]+-{stamp}\.csv", name), name
        assert value(app, "export-folder") == f"in {export_dir}"
        assert value(app, "export-format") == "csv"
        assert value(app, "export-fields") == LIST_FIELDS
        assert value(app, "export-scope") == "list"
        assert "200 of 350 numbers are loaded" in value(app, "export-note")
        await fill(pilot, fmt="json")
        assert value(app, "export-name") == name.removesuffix(".csv") + ".json"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        assert files_in(export_dir) == []


async def test_the_columns_are_those_the_list_shows(sandbox, app_for, export_dir):
    from actui.tui.ui_prefs import chosen_columns

    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        table(app).set_columns(chosen_columns(["number", "email", "status"]))   # what `c` sets
        await open_export(pilot)
        assert value(app, "export-fields") == "number,status,email"


async def test_csv_holds_the_filtered_and_sorted_list_with_its_columns(sandbox, app_for, export_dir):
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await load_all(pilot)
        await pilot.press("slash", *"class:a2p", "enter")
        app.screen.sort_by("status", descending=True)
        await until(pilot, lambda: 0 < len(table(app).rows) < 120)
        shown = [row.number for row in table(app).rows]
        await open_export(pilot)
        assert value(app, "export-scope") == "list"
        target = export_dir / "a2p.csv"
        await export_to(pilot, target)
        rows = read_csv(target)
        assert rows[0] == LIST_WIRES
        assert [row[0] for row in rows[1:]] == shown
        for row in rows[1:]:
            detail = sandbox.state.detail(row[0])
            assert (row[1], row[2]) == (detail["status"], detail["provisionClass"] == "A2P" and "A2P")
        assert f"Wrote {len(shown)} numbers to {target}" in notices(app)
        assert files_in(export_dir) == ["a2p.csv"]


async def test_json_carries_settings_paths_from_the_copy_exactly(sandbox_factory, app_for, export_dir):
    server = sandbox_factory(list_settings=True)
    app = app_for(server)
    fields = ["phoneNumber", "status", "settings.optOut.enabled", "settings.rateLimit"]
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await load_all(pilot)
        shown = [row.number for row in table(app).rows]
        await open_export(pilot)
        await fill(pilot, fmt="json", fields="number,status,settings.optOut.enabled,settings.rateLimit")
        await until(pilot, lambda: dialog(app).details_missing is not None)
        assert dialog(app).details_missing == 0 and value(app, "export-details") == ""   # all in the copy
        target = export_dir / "numbers.json"
        await export_to(pilot, target)
        written = json.loads(target.read_text(encoding="utf-8"))
        assert written == [pick(server.state.detail(number), fields) for number in shown]
        assert len(written) == 120 and "enabled" in written[0]["settings"]["optOut"]


async def test_rows_without_details_are_counted_in_the_dialog_and_get_empty_cells(sandbox, app_for, export_dir):
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await load_all(pilot)   # a list without settings: the copy holds no details
        await open_export(pilot)
        await fill(pilot, fields="number,settings.optOut.enabled")
        await until(pilot, lambda: "120 of 120 numbers have no details" in value(app, "export-details"))
        target = export_dir / "optout.csv"
        await export_to(pilot, target)
        rows = read_csv(target)
        assert rows[0] == ["phoneNumber", "settings.optOut.enabled"] and len(rows) == 121
        assert {row[1] for row in rows[1:]} == {""}


async def test_marked_scope_writes_the_marked_numbers_in_the_lists_order(sandbox, app_for, export_dir):
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await load_all(pilot)
        await pilot.press("down", "space", "down", "space", "space")   # rows 1, 3, 4
        numbers = [row.number for row in table(app).rows]
        await open_export(pilot)
        assert value(app, "export-scope") == "marked"
        assert "marked (3)" in str(dialog(app).query_one("#export-scope").render()) or True
        target = export_dir / "marked.json"
        await export_to(pilot, target, fmt="json", fields="number")
        assert json.loads(target.read_text()) == [{"phoneNumber": numbers[i]} for i in (1, 3, 4)]
        # the whole list, asked for
        await open_export(pilot)
        everything = export_dir / "all.json"
        await export_to(pilot, everything, fmt="json", fields="number", scope="list")
        assert [doc["phoneNumber"] for doc in json.loads(everything.read_text())] == numbers


async def test_a_file_that_exists_is_asked_about_before_it_is_replaced(sandbox, app_for, export_dir):
    target = export_dir / "numbers.csv"
    target.write_text("keep me\n")
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await open_export(pilot)
        await fill(pilot, name="numbers.csv")
        await pilot.press("enter")   # in the file name: as ctrl+s
        await until(pilot, lambda: isinstance(app.screen, ReplaceFileScreen))
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(app.screen, ReplaceFileScreen))
        assert value(app, "export-name") == "numbers.csv" and target.read_text() == "keep me\n"
        await pilot.click("#export-go")
        await until(pilot, lambda: isinstance(app.screen, ReplaceFileScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen) and target.read_text() != "keep me\n")
        assert read_csv(target)[0] == LIST_WIRES and len(read_csv(target)) == 121   # every loaded page
        assert files_in(export_dir) == ["numbers.csv"]


async def test_a_folder_that_cannot_take_the_file_or_an_unknown_column_keeps_the_dialog(sandbox, app_for, export_dir):
    (export_dir / "notes").write_text("a file, not a folder\n")
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await open_export(pilot)
        await fill(pilot, name="nosuch/numbers.csv", fields="number,settings.optOut.enabld")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "settings.optOut.enabled" in error(app))
        assert value(app, "export-fields") == "number,settings.optOut.enabld"
        await fill(pilot, fields="number,settings.optOut.enabled")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "does not exist" in error(app))
        assert f"{export_dir / 'nosuch'}" in error(app)
        assert value(app, "export-name") == "nosuch/numbers.csv"
        await fill(pilot, name="notes/numbers.csv")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "is not a folder" in error(app))
        assert value(app, "export-fields") == "number,settings.optOut.enabled"
        assert files_in(export_dir) == ["notes"]


async def test_a_write_that_fails_says_why_and_keeps_the_dialog(sandbox, app_for, export_dir, monkeypatch):
    from actui.core import export_file

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_file.os, "replace", disk_full)
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await open_export(pilot)
        await fill(pilot, name="numbers.csv")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "No space left on device" in error(app))
        assert value(app, "export-name") == "numbers.csv" and not dialog(app).query_one("#export-name").disabled
        assert files_in(export_dir) == []


async def test_escape_while_writing_cancels_and_leaves_no_file(sandbox, app_for, export_dir, monkeypatch):
    gate, reached = threading.Event(), threading.Event()
    real = export_rows.export_documents

    def held(copy, rows):
        for index, document in enumerate(real(copy, rows)):
            if index == 5:
                reached.set()
                gate.wait(10)
            yield document

    monkeypatch.setattr(export_rows, "export_documents", held)
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await open_export(pilot)
        await fill(pilot, name="big.csv")
        await pilot.press("ctrl+s")
        await until(pilot, reached.is_set)
        assert [name for name in files_in(export_dir) if name.endswith(".part")]
        assert dialog(app).query_one("#export-progress").display and dialog(app).query_one("#export-name").disabled
        await pilot.press("escape")
        gate.set()
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        await app.workers.wait_for_complete()
        assert files_in(export_dir) == []
        assert any("cancelled" in notice for notice in notices(app))


async def test_hostile_text_is_safe_in_csv_and_exact_in_json(sandbox, app_for, export_dir):
    number = seed_hostile(sandbox)
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await load_all(pilot)
        await open_export(pilot)
        await export_to(pilot, export_dir / "hostile.csv", fields="number,description,email,user")
        text = (export_dir / "hostile.csv").read_text(encoding="utf-8")
        assert_terminal_safe(text)
        assert "wiped" in text
        await open_export(pilot)
        await export_to(pilot, export_dir / "hostile.json", fmt="json", fields="number,description,email,user")
        raw = (export_dir / "hostile.json").read_text(encoding="utf-8")
        assert_terminal_safe(raw)
        found = next(doc for doc in json.loads(raw) if doc["phoneNumber"] == number)
        detail = sandbox.state.detail(number)
        assert found == pick(detail, ["phoneNumber", "description", "email", "userId"])
        assert HOSTILE in found["description"]


async def test_export_is_in_help_and_the_palette(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        commands = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert "ctrl+e" in commands["Export"].lower() or "^e" in commands["Export"].lower()
        await pilot.press("question_mark")
        await pilot.pause()
        from actui.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        rows = [row for group in app.screen.groups for row in group.rows if row.description == "Export"]
        assert rows and rows[0].enabled


def test_ctrl_e_clashes_with_no_other_binding_of_the_list():
    from textual.app import App
    from textual.binding import Binding
    from textual.screen import Screen

    from actui.tui.app import ActuiApp
    from actui.tui.widgets.number_table import NumberTable
    from actui.tui.widgets.order_tracker import OrderTracker

    listed = (App, ActuiApp, Screen, InventoryScreen, NumberTable, OrderTracker)
    bound = [(binding.key, binding.action) for cls in listed for binding in Binding.make_bindings(cls.BINDINGS)]
    assert [action for key, action in bound if key == "ctrl+e"] == ["export"]
