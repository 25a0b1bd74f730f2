"""The profiles file, config.toml: read and checked into Profiles, edited, and written back keeping the
user's comments. Which profile a command uses, and what flags and environment change, is actui.config.

config.toml looks like:

    default = "prod"

    [profiles.prod]
    base_url = "https://api.example.com"
    user = "me@example.com"
    tenant_id = "3f2b...-..."
    page_size = 100        # optional, default 100
    read_only = false      # optional
    country = "US"         # optional: region for national-format numbers
    bulk_concurrency = 8   # optional: requests in flight during a bulk edit
    max_body_mb = 64       # optional: the largest answer read (ACTUI_MAX_BODY_MB overrides)
    bulk_reread_after = 60 # optional: seconds after which a bulk run reads a number again before writing it
    max_age = "15m"        # optional: a local copy's detail older than this is read again by a sync
                           # (seconds, or a duration: "90s", "15m", "1h", "1d")
    columns = ["number", "status", "user"]  # optional: the TUI list's columns (the TUI saves it)
    sort = "-status"       # optional: the TUI list's sort, "-" for descending (the TUI saves it)
    color = "red"          # optional: the TUI's header takes this colour (a colour name or "#rrggbb")

Top level, beside `default`, the TUI's own settings: `theme = "nord"` (saved when chosen in the palette)
and a `[keymap]` table of binding ids to keys (`"list.filter" = "f"`), checked by actui.tui.keymap.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actui import paths
from actui.api.body_errors import DEFAULT_MAX_BODY_MB
from actui.api.errors import ConfigError

DEFAULT_PAGE_SIZE = 100
DEFAULT_COUNTRY = "US"
DEFAULT_BULK_CONCURRENCY = 8
DEFAULT_BULK_REREAD_AFTER = 60.0
DEFAULT_MAX_AGE = 900.0
MAX_BULK_CONCURRENCY = 64

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)?\s*$",
                       re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_WORD = re.compile(r"^[a-z_]+$")   # a column key; which keys exist is the TUI's to say (actui.tui.ui_prefs)
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_SHORT_HEX = re.compile(r"^#[0-9a-f]{3}$")
_HEADER = ("actui configuration (profiles: `actui config --help`).",
           "Passwords are never stored here: use ACTUI_PASSWORD or `actui config set-password PROFILE`.")


@dataclass(frozen=True)
class Profile:
    name: str
    base_url: str | None = None
    user: str | None = None
    tenant_id: str | None = None
    page_size: int = DEFAULT_PAGE_SIZE
    read_only: bool = False
    country: str = DEFAULT_COUNTRY
    bulk_concurrency: int = DEFAULT_BULK_CONCURRENCY
    max_body_mb: int = DEFAULT_MAX_BODY_MB
    bulk_reread_after: float = DEFAULT_BULK_REREAD_AFTER
    max_age: float = DEFAULT_MAX_AGE
    columns: tuple[str, ...] | None = None   # the TUI list's column keys; None: all that fit
    sort: str | None = None                  # the TUI list's sort: "status", "-status" (descending)
    color: str | None = None   # the TUI's header colour (tui/header_color.py), so production stands out

    def to_table(self) -> dict[str, Any]:
        """The keys as they go in the file (unset optional strings left out)."""
        out = dataclasses.asdict(self)
        del out["name"]
        return {k: _toml_value(v) for k, v in out.items() if v is not None}


_PROFILE_KEYS = tuple(f.name for f in dataclasses.fields(Profile) if f.name != "name")
_TOP_LEVEL_KEYS = ("default", "profiles", "theme", "keymap")


def _toml_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def check_profile_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"profile name {name!r} may hold only letters, digits, '-' and '_'")
    return name


def _profile_from_table(name: str, table: Any) -> Profile:
    """Validate one [profiles.NAME] table. Messages never echo values (a pasted password could be one)."""
    check_profile_name(name)
    where = f"profile {name!r}"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table ([profiles.{name}])")
    for key in table:
        if key == "password":
            raise ConfigError(f"{where}: a password does not belong in config.toml; remove it and use "
                              f"ACTUI_PASSWORD or `actui config set-password {name}`")
        if key not in _PROFILE_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} (known keys: {', '.join(_PROFILE_KEYS)})")
    values: dict[str, Any] = {}
    for key in ("base_url", "user", "tenant_id"):
        if key in table:
            value = table[key]
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where}: {key} must be a non-empty string")
            values[key] = value.strip()
    if "page_size" in table:
        value = table["page_size"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{where}: page_size must be a positive integer")
        values["page_size"] = value
    if "read_only" in table:
        if not isinstance(table["read_only"], bool):
            raise ConfigError(f"{where}: read_only must be true or false")
        values["read_only"] = table["read_only"]
    if "country" in table:
        value = table["country"]
        if not isinstance(value, str) or not _COUNTRY.match(value):
            raise ConfigError(f"{where}: country must be a two-letter ISO region code such as \"US\"")
        values["country"] = value.upper()
    if "bulk_concurrency" in table:
        value = table["bulk_concurrency"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_BULK_CONCURRENCY:
            raise ConfigError(f"{where}: bulk_concurrency must be a whole number from 1 to {MAX_BULK_CONCURRENCY}")
        values["bulk_concurrency"] = value
    if "max_body_mb" in table:
        values["max_body_mb"] = check_max_body_mb(table["max_body_mb"], f"{where}: max_body_mb")
    if "bulk_reread_after" in table:
        value = table["bulk_reread_after"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
            raise ConfigError(f"{where}: bulk_reread_after must be a number of seconds, 0 or more")
        values["bulk_reread_after"] = float(value)
    if "max_age" in table:
        try:
            values["max_age"] = parse_duration(table["max_age"])
        except ValueError:
            raise ConfigError(f"{where}: max_age must be a number of seconds or a duration such as "
                              "\"15m\", \"1h\" or \"90s\"") from None
    if "columns" in table:
        value = table["columns"]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and _WORD.match(v)
                                                               for v in value):
            raise ConfigError(f"{where}: columns must be a list of column keys such as [\"number\", \"status\"]")
        values["columns"] = tuple(dict.fromkeys(value))
    if "sort" in table:
        value = table["sort"]
        if not isinstance(value, str) or not _WORD.match(value.removeprefix("-")):
            raise ConfigError(f"{where}: sort must be a column key such as \"status\", or \"-status\" "
                              "for descending")
        values["sort"] = value
    if "color" in table:
        values["color"] = check_color(table["color"], f"{where}: color")
    return Profile(name=name, **values)


def parse_duration(value: Any) -> float:
    """Seconds from a number of seconds (900, "900") or a duration ("90s", "15m", "1.5h", "1d"); ValueError
    for anything else, and for a negative or endless one."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = _DURATION.match(value) if isinstance(value, str) else None
        if match is None:
            raise ValueError(value)
        seconds = float(match.group(1)) * _UNIT_SECONDS[(match.group(2) or "s")[0].lower()]
    if not 0 <= seconds < float("inf"):
        raise ValueError(value)
    return seconds


def check_color(value: Any, what: str) -> str:
    """A colour name Rich knows ("red", "bright_red", "dark_orange", "grey50"), "#rrggbb", "#rgb" or
    "rgb(r, g, b)", lower-cased; ConfigError naming `what` (never the value) and the closest name else."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if _SHORT_HEX.match(text):
        return text
    from rich.color import ANSI_COLOR_NAMES, Color, ColorParseError  # only with a colour to check

    if text:
        try:
            if not Color.parse(text).is_default:
                return text
        except ColorParseError:
            pass
    import difflib

    close = difflib.get_close_matches(text, ANSI_COLOR_NAMES, n=1) if text else []
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    raise ConfigError(f'{what} must be a colour name such as "red", "bright_red" or "dark_orange", '
                      f'or "#rrggbb"{hint}')


def check_max_body_mb(value: Any, what: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{what} must be a whole number of megabytes, at least 1")
    return value


@dataclass(frozen=True)
class TopLevel:
    """What config.toml holds outside [profiles]: the default profile and the TUI's own settings."""

    default: str | None = None
    theme: str | None = None        # a Textual theme name; whether it exists is the TUI's to say
    keymap: dict[str, str] = dataclasses.field(default_factory=dict)   # binding id -> keys ("ctrl+j")


def _parse(data: dict[str, Any]) -> tuple[dict[str, Profile], TopLevel]:
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            raise ConfigError(f"unknown top-level key {key!r} (known keys: {', '.join(_TOP_LEVEL_KEYS)})")
    default = data.get("default")
    if default is not None and not isinstance(default, str):
        raise ConfigError("default must be a profile name in quotes")
    theme = data.get("theme")
    if theme is not None and (not isinstance(theme, str) or not theme.strip()):
        raise ConfigError("theme must be a theme name in quotes, such as \"nord\"")
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        raise ConfigError("keymap must be a table ([keymap] with lines such as \"list.filter\" = \"f\")")
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(f"keymap: {binding_id!r} must be a key in quotes, such as \"f\" or \"ctrl+j\"")
    tables = data.get("profiles", {})
    if not isinstance(tables, dict):
        raise ConfigError("profiles must be a table ([profiles.NAME] sections)")
    profiles = {name: _profile_from_table(name, table) for name, table in tables.items()}
    return profiles, TopLevel(default or None, theme.strip() if theme else None, dict(keymap))


class ConfigFile:
    """config.toml: its profiles and default, edited in memory and written back by save().

    save() re-reads the file and applies only what changed here, so a hand edit made in the meantime
    (to another profile, or to comments) is kept, and tomlkit keeps the user's comments and layout.
    """

    def __init__(self, path: Path, profiles: dict[str, Profile] | None = None, default: str | None = None,
                 top: TopLevel | None = None):
        self.path = path
        self.profiles: dict[str, Profile] = dict(profiles or {})
        self.default = default
        top = top or TopLevel()
        self.theme = top.theme
        self.keymap: dict[str, str] = dict(top.keymap)   # read only: the user's to write
        self._changed: set[str] = set()  # profile names added, replaced or removed since load
        self._default_changed = False
        self._theme_changed = False

    @classmethod
    def load(cls, path: Path | None = None) -> ConfigFile:
        path = Path(path) if path is not None else paths.config_file()
        text = _read(path)
        return cls(path) if text is None else cls._from_text(path, text)

    @classmethod
    def _from_text(cls, path: Path, text: str) -> ConfigFile:
        import tomllib  # only with a config file to read: not on the TUI's start without one (~1.5 ms)

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:  # its message ends "(at line N, column M)"
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        try:
            profiles, top = _parse(data)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        return cls(path, profiles, top.default, top)

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def add_profile(self, profile: Profile, make_default: bool = False, *, replace: bool = False) -> None:
        profile = _profile_from_table(profile.name, profile.to_table())  # same checks as the file gets
        if profile.name in self.profiles and not replace:
            raise ConfigError(f"profile {profile.name!r} already exists in {self.path}; "
                              "remove it first or replace it")
        self.profiles[profile.name] = profile
        self._changed.add(profile.name)
        if make_default:
            self.set_default(profile.name)

    def remove_profile(self, name: str) -> None:
        if name not in self.profiles:
            raise self.unknown_profile(name)
        del self.profiles[name]
        self._changed.add(name)
        if self.default == name:
            self.default = None
            self._default_changed = True

    def set_default(self, name: str) -> None:
        if name not in self.profiles:
            raise self.unknown_profile(name)
        self.default = name
        self._default_changed = True

    def set_theme(self, name: str) -> None:
        self.theme = name
        self._theme_changed = True

    def save(self) -> None:
        import tomlkit
        from tomlkit.exceptions import TOMLKitError

        text = _read(self.path)
        if text is not None:
            ConfigFile._from_text(self.path, text)  # refuse to write over a file broken since load()
        try:
            doc = tomlkit.parse(text) if text is not None else _new_document()
        except TOMLKitError as exc:
            raise ConfigError(f"{self.path}: not valid TOML: {exc}") from None
        if "profiles" not in doc:
            doc["profiles"] = tomlkit.table(is_super_table=True)
        tables = doc["profiles"]
        for name in sorted(self._changed):
            if name not in self.profiles:
                tables.pop(name, None)
            else:
                if name not in tables:
                    tables[name] = tomlkit.table()
                _update_table(tables[name], self.profiles[name])
        if self._default_changed:
            if self.default is None:
                doc.pop("default", None)
            else:
                doc["default"] = self.default
        if self._theme_changed:
            _set_top_level(doc, "theme", self.theme)

        out = tomlkit.dumps(doc)
        # check what we are about to write with the same rules as load(): never leave a bad file behind
        written = ConfigFile._from_text(self.path, out)
        paths.write_private_file(self.path, out)
        self.profiles, self.default = written.profiles, written.default
        self.theme, self.keymap = written.theme, written.keymap
        self._changed.clear()
        self._default_changed = self._theme_changed = False

    def unknown_profile(self, name: str, source: str = "") -> ConfigError:
        said = f"{source} names profile {name!r}" if source else f"no profile named {name!r}"
        if self.profiles:
            return ConfigError(f"{said}, which is not in {self.path}; known profiles: "
                               f"{', '.join(sorted(self.profiles))}")
        return ConfigError(f"{said}, but {self.path} defines no profiles; add one with `actui config add`")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):  # a file where a directory should be: no config there
        return None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _new_document():
    import tomlkit

    doc = tomlkit.document()
    for line in _HEADER:
        doc.add(tomlkit.comment(line))
    return doc


def _set_top_level(doc, key: str, value: str | None) -> None:
    """A top-level key set in place, or removed (tomlkit puts a new one before the first table)."""
    if value is None:
        doc.pop(key, None)
    else:
        doc[key] = value


def _update_table(table, profile: Profile) -> None:
    """Set the profile's keys in place (comments on untouched lines survive); drop keys now unset.

    Optional keys still at their default are written only if the table already had them.
    """
    defaults = Profile(name=profile.name)
    for key in _PROFILE_KEYS:
        value = _toml_value(getattr(profile, key))
        if value is None:
            table.pop(key, None)
        elif key in table:
            if table[key] != value:
                table[key] = value
        elif value != getattr(defaults, key):
            table[key] = value
