"""profiles.py's keys for the TUI: top-level `theme` and `[keymap]`, a profile's `columns` and `sort`; read,
checked for shape, and written back keeping the user's comments. Real files in the test's config dir."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from actui import paths
from actui.api.errors import ConfigError
from actui.config import ConnectionFlags, resolve_connection
from actui.profiles import ConfigFile, Profile

FILE = """\
    # my settings
    default = "prod"
    theme = "nord"   # chosen in the palette

    [profiles.prod]
    base_url = "https://api.example.com"   # production!
    user = "ops@example.com"
    columns = ["number", "status", "user"]
    sort = "-status"

    [keymap]
    "list.filter" = "f"
    "app.journal" = "ctrl+j"
"""


def write_config(text: str):
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_theme_keymap_columns_and_sort_are_read():
    write_config(FILE)
    config = ConfigFile.load()
    assert config.theme == "nord"
    assert config.keymap == {"list.filter": "f", "app.journal": "ctrl+j"}
    prod = config.profiles["prod"]
    assert prod.columns == ("number", "status", "user") and prod.sort == "-status"
    # the connection is what it was: the TUI's settings change nothing there
    assert resolve_connection(ConnectionFlags()).base_url == "https://api.example.com"


def test_a_file_with_only_a_theme_still_means_the_sandbox():
    write_config('theme = "nord"\n')
    assert resolve_connection(ConnectionFlags()).sandbox


@pytest.mark.parametrize("body, message", [
    ('theme = 3', "theme must be a theme name"),
    ('theme = ""', "theme must be a theme name"),
    ('keymap = "f"', "keymap must be a table"),
    ('[keymap]\n"list.filter" = 1', "keymap: 'list.filter' must be a key in quotes"),
    ('[keymap]\n"list.filter" = " "', "keymap: 'list.filter' must be a key in quotes"),
    ('[profiles.prod]\ncolumns = "number"', "profile 'prod': columns must be a list of column keys"),
    ('[profiles.prod]\ncolumns = []', "profile 'prod': columns must be a list of column keys"),
    ('[profiles.prod]\ncolumns = ["number", 2]', "profile 'prod': columns must be a list of column keys"),
    ('[profiles.prod]\nsort = 1', "profile 'prod': sort must be a column key"),
    ('[profiles.prod]\nsort = "--status"', "profile 'prod': sort must be a column key"),
    ('themes = "nord"', "unknown top-level key 'themes' (known keys: default, profiles, theme, keymap)"),
])
def test_bad_shapes_name_the_key(body, message):
    write_config(body + "\n")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ConfigFile.load()


def test_setting_the_theme_keeps_comments_keymap_and_profiles():
    path = write_config(FILE)
    config = ConfigFile.load()
    config.set_theme("dracula")
    config.save()
    text = path.read_text(encoding="utf-8")
    assert 'theme = "dracula"   # chosen in the palette' in text
    assert "# my settings" in text and "# production!" in text and '"app.journal" = "ctrl+j"' in text
    again = ConfigFile.load()
    assert again.theme == "dracula" and again.keymap == config.keymap and again.default == "prod"


def test_a_theme_goes_before_the_tables_of_a_file_that_had_none():
    path = write_config('[profiles.prod]\nbase_url = "https://api.example.com"\nuser = "u"\n')
    config = ConfigFile.load()
    config.set_theme("nord")
    config.save()
    assert ConfigFile.load().theme == "nord"   # not read as a key of [profiles.prod]
    assert path.read_text(encoding="utf-8").index("theme") < path.read_text(encoding="utf-8").index("[profiles")


def test_a_new_file_with_only_the_theme_is_private_and_has_no_password():
    config = ConfigFile.load()
    config.set_theme("nord")
    config.save()
    path = paths.config_file()
    assert path.stat().st_mode & 0o777 == 0o600
    import tomllib

    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"theme": "nord"}


def test_columns_and_sort_written_in_place_and_removed_when_unset():
    path = write_config(FILE)
    config = ConfigFile.load()
    prod = config.profiles["prod"]
    config.add_profile(dataclasses.replace(prod, columns=("number", "plan"), sort="status"), replace=True)
    config.save()
    text = path.read_text(encoding="utf-8")
    assert 'columns = ["number", "plan"]' in text and 'sort = "status"' in text and "# production!" in text
    config.add_profile(dataclasses.replace(prod, columns=None, sort=None), replace=True)
    config.save()
    text = path.read_text(encoding="utf-8")
    assert "columns" not in text and "sort" not in text
    assert ConfigFile.load().profiles["prod"].columns is None


def test_columns_listed_twice_are_kept_once_in_order():
    write_config('[profiles.prod]\ncolumns = ["status", "number", "status"]\n')
    assert ConfigFile.load().profiles["prod"].columns == ("status", "number")


def test_a_profile_without_them_writes_neither():
    config = ConfigFile.load()
    config.add_profile(Profile("prod", base_url="https://api.example.com", user="u"))
    config.save()
    text = paths.config_file().read_text(encoding="utf-8")
    assert "columns" not in text and "sort" not in text and "theme" not in text
