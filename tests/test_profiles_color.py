"""A profile's `color` (the TUI's header colour): read and checked with config.toml, carried into the
Connection, written by `actui config add --color`; a bad one is an error naming the profile, never echoed."""

from __future__ import annotations

import pytest

from actui import paths
from actui.api.errors import ConfigError
from actui.cli import main
from actui.config import ConnectionFlags, resolve_connection
from actui.profiles import ConfigFile, Profile
from actui.tui.header_color import css_color


def write_config(body: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('default = "prod"\n[profiles.prod]\nbase_url = "https://api.example.com"\n'
                    f'user = "ops@example.com"\n{body}\n', encoding="utf-8")


@pytest.mark.parametrize(("written", "kept", "drawn"), [
    ("red", "red", "#FF0000"),                 # Textual's red, not the terminal's dim ANSI red
    ("Bright_Red", "bright_red", "#FF0000"),   # Rich's names
    ("dark_orange", "dark_orange", "#FF8700"),
    ("#2E7D32", "#2e7d32", "#2E7D32"),
    ("#f00", "#f00", "#FF0000"),
    ("rgb(10, 20, 30)", "rgb(10, 20, 30)", "#0A141E"),
])
def test_a_colour_is_read_with_the_profile_and_reaches_the_connection(written, kept, drawn):
    write_config(f'color = "{written}"')
    assert ConfigFile.load().profiles["prod"].color == kept
    connection = resolve_connection(ConnectionFlags(), env={})
    assert connection.color == kept and css_color(connection.color) == drawn


def test_without_a_colour_nothing_changes():
    write_config("")
    assert ConfigFile.load().profiles["prod"].color is None
    assert resolve_connection(ConnectionFlags(), env={}).color is None
    assert resolve_connection(ConnectionFlags(sandbox=True), env={}).color is None
    assert "color" not in Profile("x", base_url="https://a.example.com").to_table()


@pytest.mark.parametrize("written", ['"reddish"', '"default"', '"#ff00"', '""', "3", '"rgb(300, 0, 0)"'])
def test_a_bad_colour_is_an_error_naming_the_profile_and_the_file(written):
    write_config(f"color = {written}")
    with pytest.raises(ConfigError) as info:
        ConfigFile.load()
    said = str(info.value)
    assert "profile 'prod': color must be a colour name" in said and str(paths.config_file()) in said
    assert "reddish" not in said   # values are never echoed (a pasted password could be one)


def test_a_near_miss_names_the_closest_colour():
    write_config('color = "gren"')
    with pytest.raises(ConfigError, match='did you mean "green"'):
        ConfigFile.load()


def test_every_command_refuses_a_bad_colour(capsys):
    write_config('color = "reddish"')
    assert main(["numbers", "list"]) == 1
    assert "profile 'prod': color must be a colour name" in capsys.readouterr().err


def test_config_add_takes_a_colour_and_refuses_a_bad_one(capsys):
    assert main(["config", "add", "prod", "--url", "https://api.example.com/api/v1", "--email", "ops@example.com",
                 "--color", "red"]) == 0
    assert 'color = "red"' in paths.config_file().read_text()
    assert ConfigFile.load().profiles["prod"].color == "red"
    capsys.readouterr()
    assert main(["config", "add", "stage", "--url", "https://stage.example.com", "--email", "o@x.com",
                 "--color", "nope"]) == 1
    assert "profile 'stage': color must be a colour name" in capsys.readouterr().err
    assert set(ConfigFile.load().profiles) == {"prod"}
