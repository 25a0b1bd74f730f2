"""What the TUI remembers between runs, and the user's keys: read from config.toml at start, saved when changed.

- The theme (top-level `theme`), chosen in the palette's "Change theme": applied before the first frame,
  saved when it changes. With no config file (the sandbox, nothing configured) one is written holding only
  the theme, as k9s writes its own: a file without profiles still means the embedded sandbox.
- The list's columns and sort, per profile (`columns`, `sort` in [profiles.NAME]): applied when the list
  opens, saved when changed. Without a profile (the sandbox, or --base-url) they last for the session only:
  there is no profile to keep them in, and writing one would change what actui connects to.
- The [keymap] (actui.tui.keymap): applied with Textual's App.set_keymap before the first frame.

Saving goes through profiles.ConfigFile (comments kept, never a password). A file that cannot be written
(read-only, a full disk) or that turned invalid is a notice; the setting still applies for the session.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual.constants import DEFAULT_THEME

from .. import paths
from ..api.errors import ActuiError, ConfigError
from ..core.inventory import COLUMN_KEYS, COLUMNS, ListColumn
from ..profiles import ConfigFile
from .keymap import SettingError, check_keymap  # its registry imports every screen: only with a [keymap]

if TYPE_CHECKING:
    from textual.app import App

    from ..config import Connection

ALWAYS_SHOWN = ("number",)   # the list's key: a list without it is a list of nothing


def check_view(config: ConfigFile) -> None:
    """Every profile's `columns` and `sort` name the list's columns, else a SettingError naming the key and
    the known ones (the file's shape is checked by profiles.py; which columns exist is the list's)."""
    for profile in config.profiles.values():
        where = f"{config.path}: profile {profile.name!r}"
        for key in profile.columns or ():
            if key not in COLUMN_KEYS:
                raise SettingError(f"{where}: columns: unknown column {key!r} (known: {', '.join(COLUMN_KEYS)})")
        if profile.sort and profile.sort.removeprefix("-") not in COLUMN_KEYS:
            raise SettingError(f"{where}: sort: unknown column {profile.sort.removeprefix('-')!r} "
                              f"(known: {', '.join(COLUMN_KEYS)}; \"-status\" sorts descending)")


def check_at_start(config: ConfigFile | None = None) -> ConfigFile:
    """Before the TUI opens: the file's view settings and keymap, a SettingError naming the line if wrong
    (a ConfigError if the file itself is)."""
    config = config if config is not None else ConfigFile.load()
    check_view(config)
    if config.keymap:
        check_keymap(config.keymap, f"{config.path}: [keymap]")
    return config


def chosen_columns(keys: Sequence[str] | None) -> tuple[ListColumn, ...]:
    """The list's columns for these keys, in the list's order, the number always among them; None: all."""
    if not keys:
        return COLUMNS
    wanted = set(keys) | set(ALWAYS_SHOWN)
    return tuple(column for column in COLUMNS if column.key in wanted)


def sort_text(key: str | None, descending: bool) -> str | None:
    return None if not key else f"-{key}" if descending else key


@dataclass
class UiPrefs:
    path: Path
    profile: str | None = None            # where columns and sort are saved; None: kept for the session
    theme: str | None = None
    columns: tuple[str, ...] | None = None
    sort: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)   # said once the app is on screen

    @classmethod
    def load(cls, connection: Connection, path: Path | None = None) -> UiPrefs:
        """The settings for `connection`'s profile. Tolerant: the CLI refused a bad file before the TUI
        started, so what is wrong here (edited since, or an app built by a test) is a notice, not a crash."""
        path = path if path is not None else paths.config_file()
        try:
            config = ConfigFile.load(path)
            check_view(config)
        except ActuiError as error:
            prefs = cls(path, connection.profile)
            prefs.notices.append(f"Settings not read: {error}")
            return prefs
        prefs = cls(config.path, connection.profile, theme=config.theme)
        chosen = config.profiles.get(connection.profile) if connection.profile else None
        if chosen is not None:
            prefs.columns, prefs.sort = chosen.columns, chosen.sort
        if config.keymap:
            try:
                prefs.keymap = check_at_start(config).keymap
            except ConfigError as error:
                prefs.notices.append(f"Your keys were not applied: {error}")
        return prefs

    # --- at start ---------------------------------------------------------------------------------

    def start(self, app: App) -> None:
        """Before the first frame: the theme and the keys."""
        if self.theme:
            if self.theme in app.available_themes:
                app.theme = self.theme
            else:
                self.notices.append(f"Theme {self.theme!r} in {self.path} is not one actui knows: using the "
                                    f"default. ctrl+p, \"Change theme\" picks one (and saves it).")
                self.theme = None   # the default is on screen; the file keeps its word until one is chosen
        if self.keymap:
            app.set_keymap(self.keymap)

    def attach(self, app: App) -> None:
        """Once mounted: say what went wrong at start, and save the theme whenever it changes."""
        for notice in self.notices:
            app.notify(notice, severity="warning", timeout=15)
        self.notices.clear()
        app.theme_changed_signal.subscribe(app, lambda theme: self.theme_chosen(app, theme.name))

    def use_profile(self, connection: Connection) -> None:
        """Another profile chosen inside the TUI: its columns and sort from now on (the theme and keys stay,
        they are not a profile's). The list applies them with its apply_view_prefs()."""
        other = UiPrefs.load(connection, self.path)
        self.profile, self.columns, self.sort = other.profile, other.columns, other.sort

    # --- saving -----------------------------------------------------------------------------------

    def theme_chosen(self, app: App, name: str) -> None:
        if name == (self.theme or DEFAULT_THEME):
            return   # the start's own theme, announced once it is applied
        self.theme = name
        problem = self.save(lambda config: config.set_theme(name))
        if problem:
            app.notify(f"Theme {name!r} applies until you quit, but was not saved: {problem}",
                       severity="warning", timeout=10)

    def view_changed(self, columns: tuple[str, ...] | None, sort: str | None) -> str | None:
        """The list's columns or sort changed: saved in the profile. A notice's text if it could not be."""
        if (columns, sort) == (self.columns, self.sort):
            return None
        self.columns, self.sort = columns, sort
        if self.profile is None:
            return None
        profile_name = self.profile

        def change(config: ConfigFile) -> None:
            if profile_name in config.profiles:
                profile = replace(config.profiles[profile_name], columns=columns, sort=sort)
                config.add_profile(profile, replace=True)

        problem = self.save(change)
        return f"The list's columns and sort apply until you quit, but were not saved: {problem}" \
            if problem else None

    def save(self, change) -> str | None:
        """Read the file again, change it, write it back. What went wrong, or None."""
        if _read_only(self.path):
            return f"{self.path} is read-only"
        try:
            config = ConfigFile.load(self.path)
            change(config)
            config.save()
        except ActuiError as error:
            return str(error)
        except OSError as error:
            return f"cannot write {self.path}: {error.strerror or error}"
        return None


def _read_only(path: Path) -> bool:
    """Made read-only by its owner (no write bit: even root, who may write anything, leaves it alone), or
    not writable by this user. The write itself replaces the file, which a read-only file would not stop."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & stat.S_IWUSR or not os.access(path, os.W_OK)
