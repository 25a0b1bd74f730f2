"""Switching profile in pilot tests: test sandboxes as the profiles of a config.toml, the whole app started
on one of them as `actui --profile NAME` starts it, and the picker read and driven."""

from __future__ import annotations

from pathlib import Path

from actui import paths
from actui.config import ConnectionFlags, resolve_connection
from actui.core.store import Store
from actui.tui.app import UiSettings, make_app
from actui.tui.screens.inventory import InventoryScreen
from actui.tui.screens.profile_picker import ProfilePicker
from actui.tui.widgets.number_table import NumberTable
from tests.helpers import until
from tests.tui.app_pilot import FROZEN


def write_profiles(default: str | None = None, **profiles: tuple) -> Path:
    """config.toml with one [profiles.NAME] per keyword: (server, extra TOML lines...)."""
    return write_profile_tables({name: [f'base_url = "{server.base_url}"', f'user = "{server.user}"', *extra]
                                 for name, (server, *extra) in profiles.items()}, default)


def write_profile_tables(tables: dict[str, list[str]], default: str | None = None) -> Path:
    """config.toml with a [profiles.NAME] table of the TOML lines given for each NAME."""
    lines = [f'default = "{default}"'] if default else []
    for name, table in tables.items():
        lines += ["", f"[profiles.{name}]", *table]
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def app_on(profile: str, password: str, tmp_path: Path, *, poll: bool = False, store: Store | None = None):
    """The app on `profile`, resolved from config.toml as the CLI resolves it, with its password given."""
    connection = resolve_connection(ConnectionFlags(profile=profile)).with_password(password)
    return make_app(connection, store=store or Store(tmp_path / "state.sqlite3"),
                    settings=UiSettings(clock=lambda: FROZEN, poll_orders=poll))


def shown_numbers(app) -> set[str]:
    return {row.number for row in app.screen.query_one(NumberTable).rows}


async def list_of(pilot, server) -> None:
    """Until the list on screen is `server`'s: every number it holds, and only those."""
    expected = set(server.state.numbers())
    await until(pilot, lambda: isinstance(pilot.app.screen, InventoryScreen) and shown_numbers(pilot.app) == expected,
                timeout=15, what=lambda: f"the list of {server.base_url}")


async def picker(pilot) -> ProfilePicker:
    await until(pilot, lambda: isinstance(pilot.app.screen, ProfilePicker))
    await pilot.pause()
    return pilot.app.screen


def picker_lines(screen: ProfilePicker) -> list[str]:
    """Each option's text, as drawn (two lines each, joined by a newline)."""
    from textual.widgets import OptionList

    options = screen.query_one(OptionList)
    return [str(options.get_option_at_index(index).prompt) for index in range(options.option_count)]


async def choose(pilot, option_id: str) -> None:
    """Move the picker's highlight to `option_id` ("profile:NAME", "sandbox:") with the keys, then enter."""
    from textual.widgets import OptionList

    options = pilot.app.screen.query_one(OptionList)
    target = options.get_option_index(option_id)
    await pilot.press("home")
    for _ in range(target):
        await pilot.press("down")
    assert options.highlighted == target
    await pilot.press("enter")


def notices(app) -> list[str]:
    return [notification.message for notification in app._notifications]
