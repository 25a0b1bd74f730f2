"""docs/cli.md, the man-style reference, written from the parser itself so that it cannot drift:

    python -m actui.cli.docgen > docs/cli.md

Every command with its synopsis, description, options (help texts as `--help` gives them), notes and
examples (cli/help_examples.py), then the exit codes and the environment. tests/cli/test_cli_docs.py
regenerates it and fails, naming the command above, when the committed file differs. Nothing here depends on
the terminal's width or on the Python version's argparse layout: the text is built from the actions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from . import _global_options, build_parser
from .help_examples import EXAMPLES, HEADING, leaf_parsers

REGENERATE = "python -m actui.cli.docgen > docs/cli.md"

EXIT_CODES: tuple[tuple[str, str], ...] = (
    ("0", "success"),
    ("1", "an error: the API refused or could not be reached, a 403 (not allowed), a bulk run with failures "
          "or conflicts, `orders watch --timeout` passed before the order was final"),
    ("2", "usage: a bad option or value, a confirmation needed with no terminal to ask on and no `--yes`, "
          "the TUI started without a terminal, an error in the policy file"),
    ("3", "an order ended other than Completed (`--wait`, `orders watch`)"),
    ("4", "authentication failed (401)"),
    ("5", "`actui check` found a number breaking a policy"),
    ("130", "interrupted (ctrl+c); a bulk run cut short is finished by `actui resume`"),
)

ENVIRONMENT: tuple[tuple[str, str], ...] = (
    ("ACTUI_PROFILE", "the profile to use (as `--profile`)"),
    ("ACTUI_BASE_URL", "the API base URL (as `--base-url`)"),
    ("ACTUI_USER", "the user email for Basic auth (as `--user`)"),
    ("ACTUI_TENANT_ID", "the tenant GUID, needed to provision (as `--tenant-id`)"),
    ("ACTUI_PASSWORD", "the password; else the system keyring, else a prompt on a terminal"),
    ("ACTUI_MAX_BODY_MB", "the largest answer read, in MB (the profile's `max_body_mb`)"),
    ("ACTUI_CONFIG_DIR", "where config.toml and policies.toml live (default: the user config dir)"),
    ("ACTUI_DATA_DIR", "where the local store, journal and cache live (default: the user data dir)"),
    ("ACTUI_DEBUG", "`1`: a failure prints the traceback and the server's whole answer before its line"),
    ("NO_COLOR", "no colour in the TUI"),
)


def reference() -> str:
    parser = build_parser()
    lines = [
        "# actui command reference",
        "",
        f"<!-- generated from the parser: {REGENERATE} (tests/cli/test_cli_docs.py checks it) -->",
        "",
        "## Synopsis",
        "",
        "```text",
        "actui [GLOBAL OPTIONS]                      the TUI",
        "actui [GLOBAL OPTIONS] COMMAND [OPTIONS]    a command, for the shell and scripts",
        "```",
        "",
        _sentence(parser.description),
        _sentence(parser.epilog),
        "",
        "## Global options",
        "",
        "Every command that talks to the API takes them, before or after the command's name.",
        "",
        *_options(_global_options(), skip=set()),
        "- `--version`: print actui's version and exit",
        "- `-h, --help`: every command's help, ending with its examples (as below), and exit",
        "",
        "## Commands",
        "",
        *[f"- [`actui {path}`](#{_anchor(path)}): {_help_of(parser, path)}" for path, _ in leaf_parsers(parser)],
    ]
    global_options = {o for a in _global_options()._actions for o in a.option_strings}
    for path, leaf in leaf_parsers(parser):
        lines += ["", *_command(path, leaf, _help_of(parser, path), global_options)]
    lines += ["", "## Exit status", "", "| code | meaning |", "| --- | --- |"]
    lines += [f"| {code} | {meaning} |" for code, meaning in EXIT_CODES]
    lines += ["", "Errors are one line on stderr. With `--json`, stdout holds one whole JSON document when the "
                  "command finished, and nothing when it failed.", "", "## Environment", ""]
    lines += [f"- `{name}`: {meaning}" for name, meaning in ENVIRONMENT]
    return "\n".join(lines) + "\n"


def _command(path: str, leaf: argparse.ArgumentParser, help_text: str, global_options: set[str]) -> list[str]:
    takes_globals = any(o in global_options for a in leaf._actions for o in a.option_strings)
    lines = [f"### actui {path}", "", "```text", _synopsis(path, leaf, global_options), "```", ""]
    description = _sentence(leaf.description) or _capitalized(help_text)
    if description:
        lines += [description, ""]
    positionals = [a for a in leaf._actions if not a.option_strings]
    if positionals:
        lines += ["Arguments:", ""]
        lines += [f"- `{_metavar(a)}`" + (f": {_help(a)}" if a.help else "") for a in positionals]
        lines.append("")
    options = list(_options(leaf, skip=global_options | {"-h", "--help"}))
    if options:
        lines += ["Options:", "", *options, ""]
    if takes_globals:
        lines += ["Takes the [global options](#global-options).", ""]
    notes, examples = _epilog(leaf.epilog)
    if notes:
        lines += ["```text", notes, "```", ""]
    if path in EXAMPLES:
        lines += ["Examples:", "", "```console", examples, "```", ""]
    return lines[:-1]


def _synopsis(path: str, leaf: argparse.ArgumentParser, global_options: set[str]) -> str:
    own = [a for a in leaf._actions if a.option_strings and a.dest != "help"
           and not set(a.option_strings) & global_options]
    words = [f"actui {path}"]
    if len(own) < len([a for a in leaf._actions if a.option_strings and a.dest != "help"]):
        words.append("[GLOBAL OPTIONS]")
    words += [f"{a.option_strings[0]} {_metavar(a)}" for a in own if a.required]
    if any(not a.required for a in own):
        words.append("[OPTIONS]")
    words += [_positional(a) for a in leaf._actions if not a.option_strings]
    return " ".join(words)


def _positional(action: argparse.Action) -> str:
    name = _metavar(action)
    if action.nargs == "?":
        return f"[{name}]"
    if action.nargs == "+":
        return f"{name}..."
    if action.nargs == "*":
        return f"[{name}...]"
    return name


def _options(parser: argparse.ArgumentParser, skip: set[str]) -> Iterator[str]:
    for action in parser._actions:
        if not action.option_strings or set(action.option_strings) & skip:
            continue
        flags = ", ".join(action.option_strings)
        if action.nargs != 0:
            flags += f" {_metavar(action)}"
        notes = []
        if action.required:
            notes.append("required")
        if isinstance(action, argparse._AppendAction) and "repeatable" not in (action.help or ""):
            notes.append("repeatable")
        text = _help(action) or ""
        suffix = f" ({', '.join(notes)})" if notes else ""
        yield f"- `{flags}`" + (f": {text}" if text else "") + suffix


def _metavar(action: argparse.Action) -> str:
    if action.choices is not None and action.metavar is None:
        return "{" + ",".join(str(c) for c in action.choices) + "}"
    if isinstance(action.metavar, str):
        return action.metavar
    return action.dest.upper()


def _help(action: argparse.Action) -> str:
    text = action.help or ""
    return text % {**vars(action), "prog": ""} if "%(" in text else text


def _help_of(parser: argparse.ArgumentParser, path: str) -> str:
    """The one-line help the command has in its parent's list of commands."""
    node = parser
    help_text = ""
    for word in path.split():
        group = next(a for a in node._actions if isinstance(a, argparse._SubParsersAction))
        help_text = next((c.help for c in group._choices_actions if c.dest == word), "") or ""
        node = group.choices[word]
    return help_text


def _epilog(epilog: str | None) -> tuple[str, str]:
    """The notes a command's epilog holds before its examples, and the examples as written."""
    if not epilog:
        return "", ""
    notes, _, examples = epilog.partition(HEADING)
    lines = [line[2:] if line.startswith("  ") else line for line in examples.strip("\n").splitlines()]
    return notes.strip("\n"), "\n".join(lines)


def _sentence(text: str | None) -> str:
    return " ".join((text or "").split())


def _capitalized(text: str) -> str:
    """A command's one-line help as the paragraph of a command that has no description."""
    text = _sentence(text)
    return text[:1].upper() + text[1:] + ("" if not text or text.endswith(".") else ".")


def _anchor(path: str) -> str:
    return "actui-" + path.replace(" ", "-")


def main() -> int:
    sys.stdout.write(reference())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
