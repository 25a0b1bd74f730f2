"""`actui auth status|login|logout`: who actui talks to as whom, and the password kept for it.

`status` names the profile, URL, user, tenant, where the password comes from (never the password), and
checks the credentials with one cheap authenticated read (a list page of one number): exit 0 accepted,
4 refused (or no password to try), 1 unreachable or another failure. `login` checks a password against
the API before storing it in the system keyring; `logout` forgets it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from typing import Any

from ..api.errors import ApiError, AuthenticationError, NetworkError
from ..config import Connection, ConnectionFlags, resolve_connection
from ..core.safe_text import terminal_safe
from ..credentials import (
    ENV_PASSWORD,
    FROM_ENV,
    FROM_KEYRING,
    FROM_PROMPT,
    PasswordMissing,
    Secret,
    forget_password,
    get_password,
    keyring_username,
    password_source,
    read_new_password,
    require_usable_keyring,
    store_password,
)
from ..profiles import ConfigFile
from . import output
from .connect import flags_from_args, open_session
from .interaction import UsageError, can_ask

EXIT_OK, EXIT_ERROR, EXIT_AUTH = 0, 1, 4
SOURCE_TEXT = {FROM_ENV: f"from the environment ({ENV_PASSWORD})", FROM_KEYRING: "from the system keyring",
               FROM_PROMPT: "asked for at a prompt (none stored)",
               None: f"none ({ENV_PASSWORD} unset, no keyring entry, no terminal to ask on)"}


@dataclass
class CheckResult:
    """What the live check found: `state` is ok, refused, no-password, unreachable, error or skipped (the
    sandbox)."""

    state: str
    message: str

    @property
    def exit_code(self) -> int:
        codes = {"ok": EXIT_OK, "skipped": EXIT_OK, "refused": EXIT_AUTH, "no-password": EXIT_AUTH}
        return codes.get(self.state, EXIT_ERROR)


def run(args: argparse.Namespace) -> int:
    action = args.auth_action
    if action == "login":
        return login(args)
    if action == "logout":
        return logout(args)
    return status(args)


# --- status ---------------------------------------------------------------------------------------


def status(args: argparse.Namespace) -> int:
    connection = resolve_connection(flags_from_args(args))
    if connection.sandbox:
        return _sandbox_status(args)
    source = password_source(connection)
    check = asyncio.run(_check_with_password(connection, source))
    if getattr(args, "json", False):
        output.print_json({**_connection_json(connection), "passwordSource": source,
                           "check": {"state": check.state, "message": check.message}})
    else:
        _print_fields([("profile", connection.profile or "(none: flags and environment)"),
                       ("base URL", connection.base_url), ("user", connection.user),
                       ("tenant", connection.tenant_id or "(not set: needed to provision)"),
                       ("password", SOURCE_TEXT[source]),
                       ("read-only", "yes" if connection.read_only else "no"), ("sandbox", "no"),
                       ("credentials", check.message)])
    return check.exit_code


def _sandbox_status(args: argparse.Namespace) -> int:
    why = ("--sandbox given" if getattr(args, "sandbox", False)
           else "no profile configured; `actui config add` points actui at the real API")
    if getattr(args, "json", False):
        output.print_json({"profile": None, "baseUrl": None, "user": None,
                           "tenantId": getattr(args, "tenant_id", None), "passwordSource": None,
                           "readOnly": bool(getattr(args, "read_only", False)), "sandbox": True,
                           "check": {"state": "skipped", "message": "the embedded sandbox needs no password"}})
    else:
        output.say(f"actui uses the embedded sandbox ({why}): it needs no password")
    return EXIT_OK


async def _check_with_password(connection: Connection, source: str | None) -> CheckResult:
    if source is None:
        return CheckResult("no-password", f"not checked: no password (set {ENV_PASSWORD}, store one with "
                                      f"`actui auth login {connection.profile or 'PROFILE'}`, or run in a "
                                      "terminal to be asked)")
    try:
        secret = get_password(connection, interactive=source == FROM_PROMPT)
    except PasswordMissing as exc:
        return CheckResult("no-password", f"not checked: {exc}")
    return await check_credentials(connection.with_password(secret))


async def check_credentials(connection: Connection) -> CheckResult:
    """One authenticated read of a single number; what it says about the credentials, in words."""
    where = connection.base_url
    try:
        async with open_session(connection) as session:
            await session.client.list_page(1, 1)
    except AuthenticationError:
        return CheckResult("refused", f"refused by {where} (HTTP 401): the user or password is wrong; store "
                                      f"the right one with `actui auth login {connection.profile or 'PROFILE'}` "
                                      f"or set {ENV_PASSWORD}")
    except NetworkError as exc:
        return CheckResult("unreachable", f"not checked: the API is unreachable: {exc}")
    except ApiError as exc:
        return CheckResult("error", f"{where} answered with an error: {exc}")
    return CheckResult("ok", f"accepted by {where}")


def _connection_json(connection: Connection) -> dict[str, Any]:
    return {"profile": connection.profile, "baseUrl": connection.base_url, "user": connection.user,
            "tenantId": connection.tenant_id, "readOnly": connection.read_only, "sandbox": connection.sandbox}


def _print_fields(rows: list[tuple[str, Any]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        output.say(f"{label.ljust(width)}  {value}")


# --- login and logout -----------------------------------------------------------------------------


def login(args: argparse.Namespace) -> int:
    """Ask for (or read from stdin) the profile's password, check it against the API, then store it."""
    connection = _profile_connection(args.name)
    require_usable_keyring("auth login")   # before asking: a password typed for nothing is a poor surprise
    secret = _new_password(connection, from_stdin=args.password_stdin)
    check = asyncio.run(check_credentials(connection.with_password(secret)))
    if check.state != "ok":
        sys.stderr.write(f"actui: password not stored: {terminal_safe(check.message)}\n")
        return check.exit_code
    store_password(connection, secret)
    output.say(f"logged in to {connection.base_url} as {connection.user}: password stored in the system keyring "
               f"for profile {args.name!r}")
    return EXIT_OK


def _new_password(connection: Connection, *, from_stdin: bool) -> Secret:
    if not from_stdin and not can_ask():
        raise UsageError("no terminal to ask for the password on: pipe it in with --password-stdin "
                         "(printf '%s\\n' \"$PW\" | actui auth login NAME --password-stdin)")
    return read_new_password(f"password for {connection.user} at {connection.host}: ",
                             interactive=not from_stdin)


def logout(args: argparse.Namespace) -> int:
    connection = _profile_connection(args.name)
    if forget_password(connection):
        output.say(f"password for {connection.user} at {connection.host} removed from the system keyring")
    else:
        output.say(f"no password was stored in the system keyring for profile {args.name!r} "
                   f"({keyring_username(connection.user or '', connection.base_url or '')}): nothing to remove")
    return EXIT_OK


def _profile_connection(name: str) -> Connection:
    config = ConfigFile.load()
    if name not in config.profiles:
        raise config.unknown_profile(name, "the profile")
    return resolve_connection(ConnectionFlags(profile=name), env={}, config=config)


# --- the parser -----------------------------------------------------------------------------------


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    auth = sub.add_parser("auth", parents=parents, help="who actui talks to as whom; store or forget a password",
                          description="Without an action: `auth status`.")
    actions = auth.add_subparsers(dest="auth_action", metavar="ACTION")
    st = actions.add_parser("status", parents=parents,
                            help="the profile, URL, user, where the password comes from, and a live check "
                                 "(exit 0 accepted, 4 refused, 1 unreachable)")
    st.add_argument("--json", action="store_true", help="print JSON (never the password)")
    lin = actions.add_parser("login", help="check a profile's password against the API, then store it in the "
                                           "system keyring")
    lin.add_argument("name", metavar="PROFILE")
    lin.add_argument("--password-stdin", action="store_true",
                     help="read the password from stdin (one line) instead of asking in the terminal")
    lout = actions.add_parser("logout", help="forget a profile's password stored in the system keyring")
    lout.add_argument("name", metavar="PROFILE")

