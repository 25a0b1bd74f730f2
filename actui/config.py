"""Profiles in config.toml, and how flags, environment and profile combine into one Connection.

Precedence, field by field: command-line flags > ACTUI_* environment variables > the chosen profile
(--profile, else ACTUI_PROFILE, else the file's `default`). With nothing configured at all (no config
file, or no profiles in it), or with --sandbox, the connection is the embedded sandbox; with profiles but
none chosen, resolution refuses, naming them (never a silent sandbox). The password lives in actui.credentials.

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
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from actui import paths
from actui.api.body_errors import DEFAULT_MAX_BODY_MB
from actui.api.errors import ConfigError
# re-exported so callers need one import for everything about a connection
from actui.credentials import Secret, forget_password, get_password, store_password  # noqa: F401

ENV_BASE_URL = "ACTUI_BASE_URL"
ENV_USER = "ACTUI_USER"
ENV_TENANT_ID = "ACTUI_TENANT_ID"
ENV_PROFILE = "ACTUI_PROFILE"
ENV_MAX_BODY_MB = "ACTUI_MAX_BODY_MB"

DEFAULT_PAGE_SIZE = 100
DEFAULT_COUNTRY = "US"
DEFAULT_BULK_CONCURRENCY = 8
DEFAULT_BULK_REREAD_AFTER = 60.0
MAX_BULK_CONCURRENCY = 64

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
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

    def to_table(self) -> dict[str, Any]:
        """The keys as they go in the file (unset optional strings left out)."""
        out = dataclasses.asdict(self)
        del out["name"]
        return {k: v for k, v in out.items() if v is not None}


_PROFILE_KEYS = tuple(f.name for f in dataclasses.fields(Profile) if f.name != "name")
_TOP_LEVEL_KEYS = ("default", "profiles")


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
        values["max_body_mb"] = _max_body_mb(table["max_body_mb"], f"{where}: max_body_mb")
    if "bulk_reread_after" in table:
        value = table["bulk_reread_after"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
            raise ConfigError(f"{where}: bulk_reread_after must be a number of seconds, 0 or more")
        values["bulk_reread_after"] = float(value)
    return Profile(name=name, **values)


def _max_body_mb(value: Any, what: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{what} must be a whole number of megabytes, at least 1")
    return value


def _parse(data: dict[str, Any]) -> tuple[dict[str, Profile], str | None]:
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            raise ConfigError(f"unknown top-level key {key!r} (known keys: {', '.join(_TOP_LEVEL_KEYS)})")
    default = data.get("default")
    if default is not None and not isinstance(default, str):
        raise ConfigError("default must be a profile name in quotes")
    tables = data.get("profiles", {})
    if not isinstance(tables, dict):
        raise ConfigError("profiles must be a table ([profiles.NAME] sections)")
    return {name: _profile_from_table(name, table) for name, table in tables.items()}, default or None


class ConfigFile:
    """config.toml: its profiles and default, edited in memory and written back by save().

    save() re-reads the file and applies only what changed here, so a hand edit made in the meantime
    (to another profile, or to comments) is kept, and tomlkit keeps the user's comments and layout.
    """

    def __init__(self, path: Path, profiles: dict[str, Profile] | None = None, default: str | None = None):
        self.path = path
        self.profiles: dict[str, Profile] = dict(profiles or {})
        self.default = default
        self._changed: set[str] = set()  # profile names added, replaced or removed since load
        self._default_changed = False

    @classmethod
    def load(cls, path: Path | None = None) -> ConfigFile:
        path = Path(path) if path is not None else paths.config_file()
        text = _read(path)
        return cls(path) if text is None else cls._from_text(path, text)

    @classmethod
    def _from_text(cls, path: Path, text: str) -> ConfigFile:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:  # its message ends "(at line N, column M)"
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        try:
            profiles, default = _parse(data)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        return cls(path, profiles, default)

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
            raise self._unknown(name)
        del self.profiles[name]
        self._changed.add(name)
        if self.default == name:
            self.default = None
            self._default_changed = True

    def set_default(self, name: str) -> None:
        if name not in self.profiles:
            raise self._unknown(name)
        self.default = name
        self._default_changed = True

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

        out = tomlkit.dumps(doc)
        # check what we are about to write with the same rules as load(): never leave a bad file behind
        written = ConfigFile._from_text(self.path, out)
        paths.write_private_file(self.path, out)
        self.profiles, self.default = written.profiles, written.default
        self._changed.clear()
        self._default_changed = False

    def _unknown(self, name: str, source: str = "") -> ConfigError:
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


def _update_table(table, profile: Profile) -> None:
    """Set the profile's keys in place (comments on untouched lines survive); drop keys now unset.

    Optional keys still at their default are written only if the table already had them.
    """
    defaults = Profile(name=profile.name)
    for key in _PROFILE_KEYS:
        value = getattr(profile, key)
        if value is None:
            table.pop(key, None)
        elif key in table:
            if table[key] != value:
                table[key] = value
        elif value != getattr(defaults, key):
            table[key] = value


# --- resolution ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionFlags:
    """What the command line said; None / False means "not given"."""

    profile: str | None = None
    base_url: str | None = None
    user: str | None = None
    tenant_id: str | None = None
    sandbox: bool = False
    insecure: bool = False
    read_only: bool = False


@dataclass(frozen=True)
class Connection:
    """Everything needed to talk to one API. For the sandbox, base_url/user come from with_endpoint()."""

    profile: str | None
    base_url: str | None
    user: str | None
    tenant_id: str | None = None
    page_size: int = DEFAULT_PAGE_SIZE
    read_only: bool = False
    country: str = DEFAULT_COUNTRY
    sandbox: bool = False
    insecure: bool = False
    password: Secret | None = None
    bulk_concurrency: int = DEFAULT_BULK_CONCURRENCY
    max_body_mb: int = DEFAULT_MAX_BODY_MB
    bulk_reread_after: float = DEFAULT_BULK_REREAD_AFTER

    @property
    def host(self) -> str:
        parts = urlsplit(self.base_url or "")
        return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "")

    @property
    def label(self) -> str:
        """A short name for the header: "sandbox", the profile's name, or the API's host."""
        if self.sandbox:
            return "sandbox"
        return self.profile or self.host

    def with_endpoint(self, base_url: str, user: str, password: Secret | str) -> Connection:
        """A copy pointing at a started sandbox (or any endpoint known only at run time)."""
        return dataclasses.replace(self, base_url=base_url.rstrip("/"), user=user, password=Secret(password))

    def with_password(self, password: Secret | str) -> Connection:
        return dataclasses.replace(self, password=Secret(password))


def check_base_url(url: str, insecure: bool = False) -> str:
    """The base URL without a trailing slash, or ConfigError. Errors never echo the whole URL."""
    url = (url or "").strip()
    if "://" not in url:
        raise ConfigError("the base URL must start with https://")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ConfigError(f"the base URL must start with https:// (or http://), not {scheme}://")
    if "@" in parts.netloc:
        raise ConfigError("the base URL must not hold a user or password: use --user / ACTUI_USER "
                          "and ACTUI_PASSWORD or the keyring")
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        raise ConfigError("the base URL has an invalid port") from None
    if not host:
        raise ConfigError("the base URL has no host")
    if scheme == "http" and not insecure and not _is_loopback(host):
        raise ConfigError(f"refusing plain http:// to {host}; use https:// or pass --insecure")
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_connection(flags: ConnectionFlags, env: Mapping[str, str] = os.environ,
                       config: ConfigFile | None = None) -> Connection:
    """Combine flags > environment > profile into a Connection (the password is left to get_password)."""

    def pick(flag: str | None, env_name: str) -> str | None:
        return flag or env.get(env_name) or None  # an empty variable counts as unset

    def max_body_mb(chosen: Profile | None) -> int:
        if env.get(ENV_MAX_BODY_MB):
            return _max_body_mb(env[ENV_MAX_BODY_MB], ENV_MAX_BODY_MB)
        return chosen.max_body_mb if chosen else DEFAULT_MAX_BODY_MB

    if flags.sandbox:
        if flags.profile or flags.base_url:
            raise ConfigError("--sandbox cannot be combined with --profile or --base-url")
        return Connection(profile=None, base_url=None, user=None,
                          tenant_id=pick(flags.tenant_id, ENV_TENANT_ID),
                          read_only=flags.read_only, sandbox=True, insecure=flags.insecure,
                          max_body_mb=max_body_mb(None))

    if config is None:
        config = ConfigFile.load()
    profile: Profile | None = None
    for name, source in ((flags.profile, "--profile"), (env.get(ENV_PROFILE), ENV_PROFILE),
                         (config.default, "the default")):
        if name:
            if name not in config.profiles:
                raise config._unknown(name, source)
            profile = config.profiles[name]
            break

    base_url = pick(flags.base_url, ENV_BASE_URL) or (profile.base_url if profile else None)
    if base_url is None:
        if profile is not None:
            raise ConfigError(f"profile {profile.name!r} in {config.path} has no base_url; "
                              "add one or pass --base-url")
        if config.profiles:
            # An operator with profiles who forgot to choose one must not believe they changed production
            # while actui quietly used the sandbox.
            raise none_chosen(config)
        # nothing configured anywhere: the embedded sandbox
        return Connection(profile=None, base_url=None, user=None,
                          tenant_id=pick(flags.tenant_id, ENV_TENANT_ID),
                          read_only=flags.read_only, sandbox=True, insecure=flags.insecure,
                          max_body_mb=max_body_mb(None))

    user = pick(flags.user, ENV_USER) or (profile.user if profile else None)
    if not user:
        raise ConfigError("no user: pass --user, set ACTUI_USER, or add user to the profile")
    return Connection(
        profile=profile.name if profile else None,
        base_url=check_base_url(base_url, flags.insecure),
        user=user,
        tenant_id=pick(flags.tenant_id, ENV_TENANT_ID) or (profile.tenant_id if profile else None),
        page_size=profile.page_size if profile else DEFAULT_PAGE_SIZE,
        read_only=flags.read_only or bool(profile and profile.read_only),
        country=profile.country if profile else DEFAULT_COUNTRY,
        sandbox=False,
        insecure=flags.insecure,
        bulk_concurrency=profile.bulk_concurrency if profile else DEFAULT_BULK_CONCURRENCY,
        max_body_mb=max_body_mb(profile),
        bulk_reread_after=profile.bulk_reread_after if profile else DEFAULT_BULK_REREAD_AFTER,
    )


def none_chosen(config: ConfigFile) -> ConfigError:
    names = ", ".join(sorted(config.profiles))
    first = sorted(config.profiles)[0]
    return ConfigError(f"{config.path} has profiles ({names}) but none is the default and none was chosen: "
                       f"pass --profile NAME, set {ENV_PROFILE}, or make one the default with "
                       f"`actui config set-default {first}`; --sandbox uses the embedded sandbox")


def require_tenant_id(conn: Connection) -> str:
    if not conn.tenant_id:
        raise ConfigError("provisioning needs a tenant id: pass --tenant-id, set ACTUI_TENANT_ID, "
                          "or add tenant_id to the profile")
    return conn.tenant_id
