"""`actui config list|add|remove|set-default|path|set-password`.

`config add` takes the global flags' names (--base-url, --user, --tenant-id); the older --url, --email and
--tenant still work, hidden from the help. `config set-password` stores a password without checking it
(for an API not reachable from here); `actui auth login` checks it first.
"""

from __future__ import annotations

import argparse

from ..api.errors import ConfigError
from ..config import Connection, ConnectionFlags, check_base_url, resolve_connection
from ..credentials import (
    forget_password,
    keyring_usable,
    keyring_username,
    read_new_password,
    require_usable_keyring,
    store_password,
)
from ..paths import config_file
from ..profiles import ConfigFile, Profile


def run(args: argparse.Namespace) -> int:
    action = args.config_action
    if action == "path":
        print(config_file())
        return 0
    config = ConfigFile.load()
    if action in (None, "list"):
        return _list(config, args)
    if action == "add":
        base_url = getattr(args, "base_url", None)
        if not base_url:
            from .interaction import UsageError

            raise UsageError("config add needs --base-url, e.g. --base-url https://api.approvedcontact.com/api/v1")
        check_base_url(base_url, args.insecure_url)
        profile = Profile(name=args.name, base_url=base_url.rstrip("/"), user=getattr(args, "user", None),
                          tenant_id=getattr(args, "tenant_id", None),
                          page_size=args.page_size, read_only=args.ro, country=args.country,
                          bulk_concurrency=args.bulk_concurrency, color=args.color)
        config.add_profile(profile, make_default=args.make_default or not config.profiles, replace=args.replace)
        config.save()
        print(f"profile {args.name!r} saved in {config_file()}" + (" (default)" if config.default == args.name else ""))
        return 0
    if action == "remove":
        removed = config.profiles.get(args.name)
        config.remove_profile(args.name)
        config.save()
        print(f"profile {args.name!r} removed" + _forget_removed_password(removed, config))
        return 0
    if action == "set-default":
        config.set_default(args.name)
        config.save()
        print(f"default profile: {args.name}")
        return 0
    if action == "set-password":
        connection: Connection = resolve_connection(ConnectionFlags(profile=args.name), config=config)
        require_usable_keyring()  # before asking: a password typed for nothing is a poor surprise
        secret = read_new_password(f"password for {connection.user} at {connection.host}: ")
        store_password(connection, secret)
        print(f"password stored in the system keyring for profile {args.name!r}")
        return 0
    raise AssertionError(action)


def _forget_removed_password(removed: Profile | None, config: ConfigFile) -> str:
    """Forget the removed profile's keyring entry, unless another profile uses the same user and host.
    Returns what to add to the message."""
    if removed is None or not removed.user or not removed.base_url or not keyring_usable():
        return ""   # (no keyring here: nothing can have been stored)
    entry = keyring_username(removed.user, removed.base_url)
    if any(p.user and p.base_url and keyring_username(p.user, p.base_url) == entry for p in config.profiles.values()):
        return f" (its password stays in the system keyring: another profile uses {entry})"
    try:
        forgotten = forget_password(removed)
    except ConfigError as exc:
        return f" (its password may remain in the system keyring: {exc})"
    return " and its password removed from the system keyring" if forgotten else ""


def _list(config: ConfigFile, args: argparse.Namespace) -> int:
    from . import output

    if getattr(args, "json", False):
        output.print_json({"default": config.default,
                           "profiles": {n: p.to_table() for n, p in config.profiles.items()}})
        return 0
    if not config.profiles:
        print(f"no profiles in {config_file()}: actui uses the embedded sandbox.")
        print("add one: actui config add NAME --base-url https://api.approvedcontact.com/api/v1 "
              "--user you@example.com")
        return 0
    rows = [[("* " if n == config.default else "  ") + n, p.base_url or "", p.user or "", p.tenant_id or "",
             str(p.page_size), "yes" if p.read_only else "no"] for n, p in config.profiles.items()]
    output.print_table(rows, ["  PROFILE", "BASE URL", "USER", "TENANT", "PAGE", "READ-ONLY"])
    return 0


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    cfg = sub.add_parser("config", parents=parents, help="manage profiles (config.toml)")
    actions = cfg.add_subparsers(dest="config_action", metavar="ACTION")
    lst = actions.add_parser("list", help="list profiles (* marks the default)")
    lst.add_argument("--json", action="store_true", help="print JSON")
    add = actions.add_parser("add", help="add a profile")
    add.add_argument("name")
    # SUPPRESS: a global --base-url/--user/--tenant-id before `config` is not overwritten by a default here
    add.add_argument("--base-url", default=argparse.SUPPRESS,
                     help="API base URL, e.g. https://api.approvedcontact.com/api/v1 (required)")
    add.add_argument("--user", default=argparse.SUPPRESS, help="the user (email) for HTTP Basic auth")
    add.add_argument("--tenant-id", default=argparse.SUPPRESS, help="tenant id (GUID), needed to provision")
    for old, dest in (("--url", "base_url"), ("--email", "user"), ("--tenant", "tenant_id")):  # the old names
        add.add_argument(old, dest=dest, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    add.add_argument("--page-size", type=int, default=100)
    add.add_argument("--country", default="US", help="region for national-format numbers (default US)")
    add.add_argument("--bulk-concurrency", type=int, default=8,
                     help="requests in flight during a bulk edit (default 8)")
    add.add_argument("--color", help="the TUI's header colour for this profile: a name (red) or #rrggbb")
    add.add_argument("--read-only", dest="ro", action="store_true", help="refuse every write with this profile")
    add.add_argument("--default", dest="make_default", action="store_true", help="make it the default")
    add.add_argument("--replace", action="store_true", help="overwrite a profile of the same name")
    add.add_argument("--insecure-url", action="store_true", help="allow an http:// URL to a non-loopback host")
    rm = actions.add_parser("remove", help="remove a profile")
    rm.add_argument("name")
    default = actions.add_parser("set-default", help="set the default profile")
    default.add_argument("name")
    actions.add_parser("path", help="print the config file's path")
    pw = actions.add_parser("set-password", help="store a profile's password in the system keyring without "
                            "checking it (asked for in a terminal; otherwise one line read from stdin); "
                            "`actui auth login` checks it against the API first")
    pw.add_argument("name")
