"""The theme the TUI remembers: read from config.toml and applied before the first frame, saved when chosen in
the palette ("Change theme"), a notice (never a crash) when the file cannot take it or names no theme."""

from __future__ import annotations

import textwrap

from textual.command import CommandList, CommandPalette

from actui import paths
from actui.config import ConnectionFlags, resolve_connection
from actui.profiles import ConfigFile
from tests.helpers import until
from tests.tui.app_pilot import started

FILE = """\
    # my settings
    theme = "nord"   # the palette writes this

    [profiles.prod]
    base_url = "https://api.example.com"
    user = "ops@example.com"
"""


def write_config(text: str = FILE):
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def choose_theme(pilot, name: str) -> None:
    """As a user does: the palette's "Change theme", the name typed, enter."""
    pilot.app.action_change_theme()
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*name)
    await until(pilot, lambda: pilot.app.screen.query_one(CommandList).option_count)   # the hits are in
    await pilot.press("enter")
    await until(pilot, lambda: pilot.app.theme == name)


async def test_the_saved_theme_is_applied_before_the_first_frame(sandbox, app_for):
    path = write_config()
    before = path.read_text(encoding="utf-8")
    app = app_for(sandbox)
    assert app.theme == "nord"   # set while the app is built: the first frame is drawn in it
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert app.theme == "nord" and notices(app) == []
    assert path.read_text(encoding="utf-8") == before   # applying it at start writes nothing


async def test_a_theme_chosen_in_the_palette_is_saved_keeping_the_comments(sandbox, app_for):
    path = write_config()
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await choose_theme(pilot, "dracula")
        await until(pilot, lambda: ConfigFile.load().theme == "dracula")
    text = path.read_text(encoding="utf-8")
    assert 'theme = "dracula"   # the palette writes this' in text and "# my settings" in text
    assert "password" not in text


async def test_an_unknown_theme_is_a_notice_and_the_default(sandbox, app_for):
    path = write_config('theme = "no-such-theme"\n')
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await until(pilot, lambda: any("'no-such-theme'" in text and "not one actui knows" in text
                                       for text in notices(app)))
        assert app.theme == "textual-dark"
        assert ConfigFile.load().theme == "no-such-theme"   # the file keeps its word until one is chosen
        app.theme = "textual-light"   # a change made by Textual's own light/dark toggle
        app.theme = "textual-dark"    # and back: the user chose the default now
        await until(pilot, lambda: ConfigFile.load().theme == "textual-dark")
    assert path.read_text(encoding="utf-8").strip() == 'theme = "textual-dark"'


async def test_without_a_config_file_choosing_a_theme_writes_one_that_still_means_the_sandbox(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert not paths.config_file().exists()   # nothing written at start
        await choose_theme(pilot, "gruvbox")
        await until(pilot, lambda: paths.config_file().exists())
    assert ConfigFile.load().theme == "gruvbox"
    assert resolve_connection(ConnectionFlags()).sandbox
    assert paths.config_file().stat().st_mode & 0o777 == 0o600


async def test_a_read_only_config_file_is_a_notice_and_the_theme_still_applies(sandbox, app_for):
    path = write_config()
    path.chmod(0o400)
    before = path.read_text(encoding="utf-8")
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await choose_theme(pilot, "dracula")
        await until(pilot, lambda: any("was not saved" in text and "read-only" in text for text in notices(app)))
        assert app.theme == "dracula"
    assert path.read_text(encoding="utf-8") == before


async def test_a_file_that_cannot_be_written_is_a_notice(sandbox, app_for):
    directory = paths.config_file().parent
    directory.parent.mkdir(parents=True, exist_ok=True)
    directory.write_text("a file where the config directory should be", encoding="utf-8")
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await choose_theme(pilot, "dracula")
        await until(pilot, lambda: any("was not saved" in text for text in notices(app)))
        assert app.theme == "dracula"


async def test_a_file_broken_since_the_cli_read_it_is_a_notice_not_a_crash(sandbox, app_for):
    write_config('theme = "nord"\n[profiles.prod\n')
    app = app_for(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await until(pilot, lambda: any("Settings not read" in text and "not valid TOML" in text
                                       for text in notices(app)))
        assert app.theme == "textual-dark"
