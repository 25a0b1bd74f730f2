"""The user's keys: config.toml's [keymap] of binding ids, checked against actui's bindings before the TUI
opens, applied with Textual's keymap (the footer, `?` help and the palette follow)."""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict

import pytest
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from actui import paths
from actui.tui.keymap import SettingError, bindings_with_ids, check_key, check_keymap, known_bindings
from actui.tui.screens.help import HelpScreen
from tests.helpers import until
from tests.tui.app_pilot import started


def write_config(text: str):
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_binding_id_is_unique_and_named_by_its_place():
    declared = defaultdict(list)
    for binding_id, _, cls in bindings_with_ids():
        declared[binding_id].append(cls.__qualname__)
    assert {binding_id: where for binding_id, where in declared.items() if len(where) > 1} == {}
    assert "list.filter" in declared and "app.journal" in declared and "list.columns" in declared
    assert [i for i in declared if not re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", i)] == []


def test_keys_may_change_places():
    assert check_keymap({"list.filter": "s", "list.sort": "slash"}) == {"list.filter": "s", "list.sort": "slash"}


def test_a_good_keymap_is_returned_as_written():
    assert check_keymap({"list.filter": "f", "app.journal": "ctrl+j", "list.next_page": "n,right_square_bracket"}) \
        == {"list.filter": "f", "app.journal": "ctrl+j", "list.next_page": "n,right_square_bracket"}


@pytest.mark.parametrize("keymap, message", [
    ({"list.filtr": "f"}, "no binding has the id 'list.filtr'; did you mean 'list.filter'?"),
    ({"app.jornal": "j"}, "did you mean 'app.journal'?"),
    ({"zzzz": "j"}, "no binding has the id 'zzzz' (ids look like"),
    ({"list.filter": "ctrl+shft+f"}, "'list.filter' = 'ctrl+shft+f': 'ctrl+shft+f': 'shft' is not a modifier"),
    ({"list.filter": "ctrl+slahs"}, "'slahs' is not a key name"),
    ({"list.filter": "f,"}, "an empty key"),
    ({"list.filter": "s"}, "'list.filter' = 's': 's' is also the key of 'list.sort' (InventoryScreen)"),
    ({"list.sort": "slash"}, "'slash' is also the key of 'list.filter'"),
    ({"list.sort": "/"}, "'slash' is also the key of 'list.filter'"),
])
def test_a_bad_id_or_key_names_the_line(keymap, message):
    with pytest.raises(SettingError) as raised:
        check_keymap(keymap)
    assert message in str(raised.value)


@pytest.mark.parametrize("key", ["f", "F", "ctrl+j", "question_mark", "slash", "f5", "alt+shift+up", "space",
                                 "enter", "ctrl+right_square_bracket", "?", "ä"])
def test_keys_textual_knows_are_keys(key):
    assert check_key(key) is None


def test_the_registry_covers_the_app_and_its_screens():
    known = known_bindings()
    assert known["app.help"].key == "question_mark,f1" and known["list.sort"].action == "sort"
    assert {"editor.save", "detail.copy", "table.select", "help.close"} <= set(known)


KEYMAP = """\
    [keymap]
    "list.filter" = "f"
    "app.help" = "f2"
"""


async def test_the_keys_apply_in_the_app_the_footer_and_help(sandbox, app_for):
    write_config(KEYMAP)
    app = app_for(sandbox)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        screen = app.screen

        def footer() -> dict[str, str]:
            return {key.description: key.key_display for key in screen.query(FooterKey)}

        await until(pilot, lambda: "Filter" in footer())
        assert footer()["Filter"] == "f"
        await pilot.press("slash")   # the old key no longer filters
        await pilot.pause()
        assert not screen.query_one("#filter", Input).display
        await pilot.press("f")
        await until(pilot, lambda: screen.query_one("#filter", Input).has_focus)
        await pilot.press("escape", "f2")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.plain_text()
        assert re.search(r"^\s+f\s+Filter$", text, re.MULTILINE), text
        assert re.search(r"^\s+c\s+Columns", text, re.MULTILINE), text   # the column chooser is listed


async def test_the_palette_shows_the_new_key(sandbox, app_for):
    write_config(KEYMAP)
    app = app_for(sandbox)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        helps = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert helps["Filter"].endswith("(f)") and helps["Columns"].endswith("(c)")


async def test_a_keymap_broken_after_the_cli_checked_it_is_a_notice(sandbox, app_for):
    write_config('[keymap]\n"list.filtr" = "f"\n')
    app = app_for(sandbox)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await until(pilot, lambda: any("did you mean 'list.filter'" in n.message for n in app._notifications))
        await pilot.press("slash")   # the default keys stay
        await until(pilot, lambda: app.screen.query_one("#filter", Input).has_focus)


@pytest.mark.parametrize("text, message", [
    ('[keymap]\n"list.filtr" = "f"\n', "[keymap]: no binding has the id 'list.filtr'; did you mean 'list.filter'?"),
    ('[keymap]\n"list.filter" = "cmd+f"\n', "'cmd' is not a modifier"),
    ('[profiles.p]\nbase_url = "https://a.example.com"\nuser = "u"\ncolumns = ["numbr"]\n',
     "columns: unknown column 'numbr'"),
])
def test_the_cli_refuses_to_open_the_tui_with_exit_2(text, message, monkeypatch, capsys):
    import actui.cli as cli
    import actui.tui as tui

    write_config(text)
    monkeypatch.setattr(cli, "_require_terminal", lambda: None)
    monkeypatch.setattr(tui, "run", lambda *a, **k: pytest.fail("the TUI started"))
    monkeypatch.setenv("ACTUI_PASSWORD", "never asked")
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("actui: ") and str(paths.config_file()) in err and message in err


def test_the_ids_the_readme_lists_exist():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Your keys"):]
    section = section[:section.index("\n## ")]
    named = set(re.findall(r"`((?:list|app)\.[a-z_]+)`", section)) | set(re.findall(r'"([a-z_]+\.[a-z_]+)" =', section))
    assert named and named <= set(known_bindings())
    # and the list's own are all there
    assert {i for i in known_bindings() if i.startswith("list.")} <= named
