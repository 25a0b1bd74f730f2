"""The profile's bulk_reread_after: how old a bulk run's reading of a number may be before it is read
again right before the write (default a minute)."""

from __future__ import annotations

import textwrap

import pytest

from actui import paths
from actui.api.errors import ConfigError
from actui.config import ConnectionFlags, resolve_connection
from actui.profiles import ConfigFile


def write_config(text: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_the_profile_sets_it_and_the_connection_carries_it():
    write_config('default = "prod"\n[profiles.prod]\nbase_url = "https://api.example.com"\n'
                 'user = "ops@example.com"\nbulk_reread_after = 5\n')
    assert resolve_connection(ConnectionFlags(), env={}).bulk_reread_after == 5.0


def test_it_defaults_to_a_minute():
    write_config('default = "prod"\n[profiles.prod]\nbase_url = "https://api.example.com"\nuser = "o@e.com"\n')
    assert resolve_connection(ConnectionFlags(), env={}).bulk_reread_after == 60.0


@pytest.mark.parametrize("value", ["-1", '"soon"', "true", "inf"])
def test_a_bad_value_is_refused_naming_it(value):
    write_config(f'[profiles.prod]\nbase_url = "https://api.example.com"\nbulk_reread_after = {value}\n')
    with pytest.raises(ConfigError, match="bulk_reread_after must be a number of seconds"):
        ConfigFile.load()
