"""The `actui` command: the TUI by default, subcommands for the shell and scripts.

Exit codes: 0 success, 1 error (or a bulk run with failures or conflicts; a 403 "not allowed" too; the API
unreachable; `orders watch --timeout` giving up), 2 usage (a bad --set path or value, a malformed number, any
value refused before sending; a confirmation refused because there is no terminal to ask on and no --yes, the
TUI started without a terminal, an error in the policy file), 3 an order ended other than Completed, 4
authentication (401, or no password where none can be asked for), 5 `actui check` found a number breaking a
policy, 130 interrupted.
Errors are one terminal-safe line on stderr; --json output is JSON only, and nothing when the command fails.

One `*_cmd.py` module per command (numbers, orders: provision/unprovision/orders, bulk: update --where/undo/
resume, journal, config, auth: status/login/logout, sync, policy: check and fix); common.py holds what several
share; connect.py goes from flags to a connection and a session; held_paths.py judges --where's unknown
paths; output.py, json_out.py, interaction.py and local_store.py are the commands' helpers; copy_access.py,
copy_listing.py and offline.py answer from the local copy (--where, an unreachable API).
orders_list.py (`orders list`) and run_preview.py (`undo`/`resume --dry-run`) answer without writing; the
`*_args.py` modules build their commands' parsers; help_examples.py ends every --help with examples,
docgen.py writes docs/cli.md from the parser, completion.py prints and answers the shell completion scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from .. import __version__
from .arg_types import positive_int

EXIT_ERROR = 1
EXIT_AUTH = 4


def _global_options() -> argparse.ArgumentParser:
    # SUPPRESS lets each option stand before or after the subcommand without one overwriting the other.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    g = common.add_argument_group("connection")
    g.add_argument("--profile", help="profile from config.toml (env ACTUI_PROFILE)")
    g.add_argument("--base-url", help="API base URL (env ACTUI_BASE_URL)")
    g.add_argument("--user", help="user email for Basic auth (env ACTUI_USER)")
    g.add_argument("--tenant-id", help="tenant GUID, needed to provision (env ACTUI_TENANT_ID)")
    g.add_argument("--sandbox", action="store_true", help="use the embedded sandbox, whatever is configured")
    g.add_argument("--insecure", action="store_true", help="allow plain http:// to a non-loopback host")
    g.add_argument("--read-only", action="store_true", help="refuse every write")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _global_options()
    parser = argparse.ArgumentParser(
        prog="actui", parents=[common],
        description="Manage Approved Contact phone numbers: a TUI (run with no command) and scripting commands.",
        epilog="With no profile configured, every command runs against the embedded sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"actui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parents = [common]

    from .numbers_args import add_parser as add_numbers_parser

    add_numbers_parser(sub, parents)

    from .orders_args import add_parsers as add_orders_parsers

    add_orders_parsers(sub, parents)

    journal = sub.add_parser("journal", parents=parents,
                             help="what actui changed: runs, one run's numbers, or field changes matching QUERY")
    journal.add_argument("query", nargs="*", metavar="QUERY",
                         help="words to match (number in any format, field, value, result; run:12)")
    journal.add_argument("--run", type=positive_int, metavar="ID", help="one run: every number and its result")
    journal.add_argument("--limit", type=positive_int, metavar="N", help="at most N rows")
    journal.add_argument("--json", action="store_true", help="print JSON")

    from .bulk_args import add_parsers as add_bulk_parsers

    add_bulk_parsers(sub, parents)

    opener = sub.add_parser("open", parents=parents, help="start the TUI on one number's detail screen")
    opener.add_argument("number", help="any format, e.g. a number pasted from an alert")

    from .sync_args import add_parser as add_sync_parser

    add_sync_parser(sub, parents)

    from .policy_cmd import add_parser as add_policy_parser

    add_policy_parser(sub, parents)

    from .config_cmd import add_parser as add_config_parser

    add_config_parser(sub, parents)

    from .auth_cmd import add_parser as add_auth_parser

    add_auth_parser(sub, parents)

    from ..sandbox.fault_help import FAULTS_HELP

    sbx = sub.add_parser("sandbox", help="serve the sandbox API standalone (for curl and demos)",
                         epilog=FAULTS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sbx.add_argument("--host", default="127.0.0.1")
    sbx.add_argument("--port", type=int, default=8765)
    sbx.add_argument("--numbers", type=positive_int, default=500, help="inventory size when seeding (default 500)")
    sbx.add_argument("--seed", type=int, default=1)
    sbx.add_argument("--faults", default=None, metavar="SPEC",
                     help="faults to inject, e.g. latency=50ms,error_every=5,hostile_every=1 (keys below)")
    sbx.add_argument("--odd", action="store_true",
                     help="store odd-but-real values over a few numbers (positions below)")
    sbx.add_argument("--list-settings", action="store_true",
                     help="list items carry each number's settings (the guide does not say whether they do)")
    sbx.add_argument("--db", default=None, help="SQLite file (default: the embedded sandbox's)")
    sbx.add_argument("--reset", action="store_true", help="drop the sandbox's state and reseed")

    from .completion import add_parser as add_completion_parser

    add_completion_parser(sub, parents)

    from .help_examples import apply_examples

    apply_examples(parser)
    return parser


def build_tui_parser() -> argparse.ArgumentParser:
    """Only what `actui` with no command accepts: the start-up path does not build every subcommand."""
    parser = argparse.ArgumentParser(prog="actui", parents=[_global_options()], exit_on_error=False)
    parser.set_defaults(command=None)
    return parser


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The TUI's small parser when every word is one of its options (or an option's value); anything else,
    --help and --version included, gets the whole parser, so its answers and errors are the usual ones."""
    tui = build_tui_parser()
    if not any(word.startswith("-h") or word in ("--help", "--version") for word in argv):
        try:
            _, extra = tui.parse_known_args(list(argv))
        except argparse.ArgumentError:
            extra = ["let the whole parser say what is wrong"]
        if not extra:
            return tui
    return build_parser()


def main(argv: Sequence[str] | None = None) -> int:
    if "_ARGCOMPLETE" in os.environ:   # the shell's completion script asks for candidates: answered, exits
        from .completion import answer_completion

        answer_completion(build_parser())
    words = list(sys.argv[1:] if argv is None else argv)
    parser = _parser_for(words)
    args = parser.parse_args(words)
    try:
        if getattr(args, "json", False):
            from .json_out import json_only_on_success

            with json_only_on_success():
                return _dispatch(parser, args)
        return _dispatch(parser, args)
    except KeyboardInterrupt:
        print("actui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `actui numbers list --all | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0
    except Exception as exc:  # every failure is one line, never a traceback (ACTUI_DEBUG=1 shows it)
        return _report_failure(exc)


def _report_failure(exc: Exception) -> int:
    """One line on stderr, made terminal-safe (it may quote the server); with ACTUI_DEBUG=1 first the
    traceback and the server's whole answer, sanitized too. Returns the exit code."""
    from ..api.errors import ActuiError, AuthenticationError, InvalidInput
    from ..core.safe_text import terminal_safe
    from ..credentials import PasswordMissing
    from .interaction import EXIT_USAGE, UsageError

    def error_line(text: object) -> None:
        sys.stderr.write("actui: " + terminal_safe(text) + "\n")

    if os.environ.get("ACTUI_DEBUG"):
        import traceback

        sys.stderr.write(terminal_safe("".join(traceback.format_exception(exc)), multiline=True))
        body = getattr(exc, "body", None)
        if body:
            sys.stderr.write("the server's answer:\n" + terminal_safe(body, multiline=True).rstrip("\n") + "\n")
    if isinstance(exc, (UsageError, InvalidInput)):   # InvalidInput: a value given was refused, nothing sent
        error_line(exc)
        return EXIT_USAGE
    if isinstance(exc, ActuiError):
        error_line(exc)
        return EXIT_AUTH if isinstance(exc, (AuthenticationError, PasswordMissing)) else EXIT_ERROR
    error_line(f"unexpected {type(exc).__name__}: {exc} (ACTUI_DEBUG=1 shows details)")
    return EXIT_ERROR


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    command = args.command
    if command in (None, "open"):
        _require_terminal()
        from ..tui import run
        from ..tui.ui_prefs import SettingError, check_at_start
        from .connect import connection_from_args
        from .interaction import UsageError

        try:   # the list's columns and sort, the [keymap]: before any prompt, exit 2 naming the line
            check_at_start()
        except SettingError as error:
            raise UsageError(str(error)) from None

        connection = connection_from_args(args)  # a password prompt, if any, happens before the screen opens
        return run(connection, open_number=args.number if command == "open" else None)
    if command == "config":
        from .config_cmd import run

        return run(args)
    if command == "auth":
        from .auth_cmd import run

        return run(args)
    if command == "journal":
        from .journal_cmd import run

        return run(args)
    if command == "orders" and args.orders_action == "list":
        from .orders_list import run

        return run(args)   # the local store answers: no connection
    if command == "resume" and args.dry_run:
        from .run_preview import preview_resume

        return preview_resume(args)   # from the journal: no connection
    if command == "completion":
        from .completion import print_script

        return print_script(args.shell)
    if command == "sync" and args.status:
        from .sync_cmd import show_status

        return show_status(args)
    if command == "sandbox":
        from ..sandbox.server import serve_forever

        serve_forever(host=args.host, port=args.port, numbers=args.numbers, seed=args.seed,
                      faults=args.faults, db_path=args.db, reset=args.reset, odd=args.odd,
                      list_settings=args.list_settings)
        return 0
    if command == "numbers" and args.numbers_action == "list" and (args.where is not None or args.fields):
        from .copy_listing import answer_if_fresh

        answered = answer_if_fresh(args)   # a fresh local copy answers without connecting
        if answered is not None:
            return answered
    return asyncio.run(_run_api_command(args))


def _require_terminal() -> None:
    """The TUI draws on a terminal and reads keys from one: with a pipe or a file on either side it
    would write escape codes into it and wait for keys forever. Checked before Textual is imported."""
    from .interaction import UsageError

    def is_terminal(stream) -> bool:
        try:
            return stream is not None and stream.isatty()
        except (ValueError, OSError):  # closed or detached
            return False

    if not (is_terminal(sys.stdin) and is_terminal(sys.stdout)):
        raise UsageError("the TUI needs a terminal on stdin and stdout; in scripts and pipes use the "
                         "subcommands (actui --help), e.g. actui numbers list --json")


async def _run_api_command(args: argparse.Namespace) -> int:
    from . import bulk_cmd, numbers_cmd, orders_cmd, policy_cmd, sync_cmd
    from .connect import connection_from_args, open_session

    handlers = {
        ("numbers", "list"): numbers_cmd.list_numbers,
        ("numbers", "show"): numbers_cmd.show_number,
        ("numbers", "update"): numbers_cmd.update_number,
        ("provision", None): orders_cmd.provision,
        ("unprovision", None): orders_cmd.unprovision,
        ("orders", "show"): orders_cmd.show,
        ("orders", "watch"): orders_cmd.watch,
        ("undo", None): bulk_cmd.undo,
        ("resume", None): bulk_cmd.resume,
        ("sync", None): sync_cmd.run_sync,
        ("check", None): policy_cmd.check,
        ("fix", None): policy_cmd.fix,
    }
    writes = {numbers_cmd.update_number: "numbers update", orders_cmd.provision: "provision",
              orders_cmd.unprovision: "unprovision", bulk_cmd.undo: "undo", bulk_cmd.resume: "resume",
              policy_cmd.fix: "fix"}
    action = getattr(args, "numbers_action", None) or getattr(args, "orders_action", None)
    handler = handlers[(args.command, action)]
    if handler is bulk_cmd.undo and args.dry_run:
        from .run_preview import preview_undo

        handler = preview_undo   # reads only, so a read-only profile may preview too
    if handler is numbers_cmd.update_number:
        bulk_cmd.check_update_args(args)  # usage errors before connecting
    if handler in (numbers_cmd.list_numbers, numbers_cmd.show_number):
        numbers_cmd.check_list_args(args)   # --where, --fields
    if handler in (policy_cmd.check, policy_cmd.fix):
        policy_cmd.check_args(args)
    connection = connection_from_args(args)
    if connection.sandbox:
        why = "--sandbox" if getattr(args, "sandbox", False) else \
            "no profile configured; `actui config add` points actui at the real API"
        print(f"actui: using the embedded sandbox ({why})", file=sys.stderr)
    async with open_session(connection) as session:
        if handler in writes:   # an unreachable API refuses them, nothing sent (reads answer from the copy)
            from .offline import refusing_when_unreachable

            return await refusing_when_unreachable(session.client, handler(session, args), writes[handler])
        return await handler(session, args)
