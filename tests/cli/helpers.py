"""Helpers of the CLI tests: which sandbox numbers a filter matches, the journal the CLI writes, a profile."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from actui import paths
from actui.core.filtering import compile_filter
from actui.core.inventory import NumberRow
from actui.core.journal import Journal
from actui.core.store import Store


def matching(server, query: str) -> list[str]:
    keep = compile_filter(query)
    return [n for n in server.state.numbers() if keep(NumberRow.from_wire(server.state.detail(n)))]


def journal_for(server) -> Journal:
    host = server.base_url.split("//")[1].split("/")[0]
    return Journal(Store(), f"{server.user}@{host}")


def profile(**settings) -> None:
    """config.toml with one profile "t" (the default) holding these settings."""
    path = paths.config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
    path.write_text(f'default = "t"\n\n[profiles.t]\n{lines}')


def write_policies(text: str, *, builtins: bool = False) -> None:
    """policies.toml beside config.toml holding `text`; the built-in checks switched off unless `builtins`."""
    from actui.core.policies import BUILTIN_NAMES

    path = paths.policies_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    off = "" if builtins else "\n[builtin]\n" + "".join(f"{name} = false\n" for name in BUILTIN_NAMES)
    path.write_text(text + off, encoding="utf-8")


class MemoryKeyring(KeyringBackend):
    """A system keyring held in memory (tests never touch the real one); `stored` maps
    (service, username) to the password."""

    priority = 1

    def __init__(self):
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.stored:
            raise PasswordDeleteError("no such password")
        del self.stored[(service, username)]


@contextmanager
def keyring_backend(backend) -> Iterator:
    """The keyring package uses `backend` (a MemoryKeyring, keyring.backends.fail.Keyring()) inside."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
