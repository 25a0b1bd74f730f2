"""The password: from ACTUI_PASSWORD, the system keyring (the optional `keyring` extra), or a prompt.

It is never written to config.toml and never shown: it travels wrapped in a `Secret` whose repr and
str are '********', so a stray log line, traceback or f-string cannot leak it.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from actui.api.errors import ConfigError

if TYPE_CHECKING:
    from actui.config import Connection
    from actui.profiles import Profile

KEYRING_SERVICE = "actui"
ENV_PASSWORD = "ACTUI_PASSWORD"
_MASK = "********"

# where a connection's password comes from, as `auth status` names it
FROM_ENV, FROM_KEYRING, FROM_PROMPT = "env", "keyring", "prompt"


class PasswordMissing(ConfigError):
    """No password anywhere and nobody to ask (no ACTUI_PASSWORD, no keyring entry, no terminal)."""


class Secret:
    """A string that will not print itself. Call `.reveal()` at the one place the value is needed."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("Secret wraps a str")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return _MASK

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self):
        # pickling would write the value in clear; nothing in actui needs it
        raise TypeError("a Secret cannot be pickled")


def keyring_username(user: str, base_url: str) -> str:
    """The keyring entry's name: the user and the API's host (and port), so two APIs never collide."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{user}@{host}"


def get_password(conn: Connection, *, env: Mapping[str, str] = os.environ,
                 prompt: Callable[[str], str] | None = getpass.getpass,
                 interactive: bool | None = None) -> Secret:
    """The password for conn: ACTUI_PASSWORD, else the keyring, else a prompt if a person is there."""
    if conn.password is not None:
        return conn.password
    if env.get(ENV_PASSWORD):
        return Secret(env[ENV_PASSWORD])
    if not conn.user or not conn.base_url:
        raise ConfigError("the connection has no user and base URL yet, so no password can be looked up")

    stored = _keyring_lookup(conn.user, conn.base_url)
    if stored:
        return Secret(stored)

    if interactive is None:
        interactive = _stdin_is_tty()
    if interactive and prompt is not None:
        try:
            typed = prompt(f"Password for {conn.user} at {urlsplit(conn.base_url).hostname}: ")
        except EOFError:
            typed = ""
        if not typed:
            raise PasswordMissing("no password entered")
        return Secret(typed)

    raise PasswordMissing(
        "no password: set ACTUI_PASSWORD, store one with "
        f"`actui auth login {conn.profile or 'PROFILE'}` (needs the keyring extra), "
        "or run in a terminal to be asked")


def password_source(conn: Connection, *, env: Mapping[str, str] = os.environ,
                    interactive: bool | None = None) -> str | None:
    """Where get_password would find conn's password (FROM_ENV, FROM_KEYRING, FROM_PROMPT), without asking
    or revealing it; None when there is none and nobody to ask."""
    if env.get(ENV_PASSWORD):
        return FROM_ENV
    if conn.user and conn.base_url and _keyring_lookup(conn.user, conn.base_url):
        return FROM_KEYRING
    if interactive is None:
        interactive = _stdin_is_tty()
    return FROM_PROMPT if interactive else None


def store_password(target: Connection | Profile, secret: Secret | str) -> None:
    """Save the password for target's user and host in the system keyring."""
    secret = Secret(secret)
    if not secret:
        raise ConfigError("refusing to store an empty password")
    user, base_url = _keyring_target(target)
    keyring = _import_keyring("storing a password")
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_username(user, base_url), secret.reveal())
    except Exception as exc:  # any backend failure: no backend, locked, D-Bus gone, ...
        text = str(exc).replace(secret.reveal(), _MASK) if secret.reveal() else str(exc)
        raise ConfigError(f"the system keyring could not store the password: {text}") from None


def forget_password(target: Connection | Profile) -> bool:
    """Remove target's password from the keyring. False when there was none."""
    user, base_url = _keyring_target(target)
    keyring = _import_keyring("forgetting a password")
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, keyring_username(user, base_url))
    except PasswordDeleteError:
        return False
    except Exception as exc:
        raise ConfigError(f"the system keyring could not remove the password: {exc}") from None
    return True


def _keyring_lookup(user: str, base_url: str) -> str | None:
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_username(user, base_url))
    except Exception:
        # no backend, a locked or absent Secret Service, ...: the keyring is optional, move on
        return None


def _keyring_target(target: Connection | Profile) -> tuple[str, str]:
    if getattr(target, "sandbox", False):
        raise ConfigError("the sandbox needs no stored password")
    if not target.user or not target.base_url:
        raise ConfigError(f"profile {getattr(target, 'name', None) or getattr(target, 'profile', None)!r} "
                          "needs base_url and user before a password can be stored for it")
    return target.user, target.base_url


def require_usable_keyring(doing: str = "storing a password") -> None:
    """Refuse, saying why, when no password could be stored: no keyring package, or no backend (a server
    without a Secret Service, a container). Checked before the password is asked for."""
    keyring = _import_keyring(doing)
    try:
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring configuration
        raise ConfigError(f"{doing} needs the system keyring, which is not usable here: {exc}") from None
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        raise ConfigError(f"{doing} needs a system keyring, and none is available here (no Secret Service, "
                          f"macOS Keychain or Windows Credential Locker); use {ENV_PASSWORD} instead")


def keyring_usable() -> bool:
    """Whether a password can be stored here at all (the keyring package and a real backend)."""
    try:
        require_usable_keyring()
    except ConfigError:
        return False
    return True


def read_new_password(prompt_text: str, *, stdin=None, prompt: Callable[[str], str] | None = None,
                      interactive: bool | None = None) -> Secret:
    """The password to store: typed at a hidden prompt in a terminal, else one line read from stdin
    (`printf '%s\\n' "$PW" | actui config set-password NAME`)."""
    stdin = stdin if stdin is not None else sys.stdin
    if interactive is None:
        interactive = _stdin_is_tty()
    if interactive:
        try:
            typed = (prompt or getpass.getpass)(prompt_text)   # (looked up now: a test may stand in for it)
        except EOFError:
            typed = ""
    else:
        typed = (stdin.readline() if stdin is not None else "").rstrip("\r\n")
    if not typed:
        raise ConfigError("no password given" + ("" if interactive else
                          " on stdin: pipe it in (printf '%s\\n' \"$PW\" | actui config set-password NAME) "
                          "or run the command in a terminal to be asked"))
    return Secret(typed)


def _import_keyring(doing: str):
    try:
        import keyring
    except ImportError:
        raise ConfigError(f"{doing} needs the keyring package: pip install 'actui[keyring]' "
                          f"(or set {ENV_PASSWORD} instead)") from None
    return keyring


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed or detached stdin
        return False
