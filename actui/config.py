"""How flags, environment and profile combine into one Connection: which API to talk to, and how.

Precedence, field by field: command-line flags > ACTUI_* environment variables > the chosen profile
(--profile, else ACTUI_PROFILE, else the file's `default`; the profiles file is actui.profiles). With nothing
configured at all (no config file, or no profiles in it), or with --sandbox, the connection is the embedded
sandbox; with profiles but none chosen, resolution refuses, naming them (never a silent sandbox). The
password lives in actui.credentials.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from actui.api.body_errors import DEFAULT_MAX_BODY_MB
from actui.api.errors import ConfigError
from actui.credentials import Secret
from actui.profiles import (
    DEFAULT_BULK_CONCURRENCY,
    DEFAULT_BULK_REREAD_AFTER,
    DEFAULT_COUNTRY,
    DEFAULT_MAX_AGE,
    DEFAULT_PAGE_SIZE,
    ConfigFile,
    Profile,
    check_max_body_mb,
)

ENV_BASE_URL = "ACTUI_BASE_URL"
ENV_USER = "ACTUI_USER"
ENV_TENANT_ID = "ACTUI_TENANT_ID"
ENV_PROFILE = "ACTUI_PROFILE"
ENV_MAX_BODY_MB = "ACTUI_MAX_BODY_MB"


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
    max_age: float = DEFAULT_MAX_AGE   # the local copy's details older than this are read again (seconds)
    color: str | None = None   # the profile's header colour in the TUI (profiles.check_color's forms)

    @property
    def host(self) -> str:
        parts = urlsplit(self.base_url or "")
        return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "")

    @property
    def account_key(self) -> str:
        """Which API the local store's orders, journal and caches belong to: "sandbox", or user@host
        (stable across runs)."""
        if self.sandbox:
            return "sandbox"
        return f"{self.user}@{self.host}"

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
            return check_max_body_mb(env[ENV_MAX_BODY_MB], ENV_MAX_BODY_MB)
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
                raise config.unknown_profile(name, source)
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
        max_age=profile.max_age if profile else DEFAULT_MAX_AGE,
        color=profile.color if profile else None,
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
