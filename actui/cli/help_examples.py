"""The examples that end every subcommand's `--help` (and its section of docs/cli.md).

`EXAMPLES` is keyed by the command path as typed after `actui` ("numbers list", "orders watch", ...). Each
entry is two or three examples, each a `# what it does` line and then the command line starting `$ actui`.
`apply_examples(parser)` puts them into the parsers' epilogs once `build_parser()` has built them;
tests/cli/test_help_examples.py checks that every leaf command has some and that every example parses, so
they cannot drift from the options.
"""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Iterator

EXAMPLES: dict[str, str] = {
    "numbers list": """\
# the first page of the inventory, as a table
$ actui numbers list
# every number with its opt-out switch, streamed page by page into a spreadsheet
$ actui numbers list --all --fields number,status,settings.optOut.enabled --csv > opt-out.csv
# A2P numbers with opt-out off, answered from the local copy
$ actui numbers list --where 'class:a2p settings.optOut.enabled:false' --json
""",
    "numbers show": """\
# everything about one number, in any format
$ actui numbers show '(415) 555-1234'
# the exact document, for jq
$ actui numbers show +14155551234 --json
# only the fields you need
$ actui numbers show +14155551234 --fields status,settings.autoResponse
""",
    "numbers update": """\
# turn on one number's auto-response
$ actui numbers update +14155551234 --set settings.autoResponse.enabled=true
# only if nobody changed the description since you looked
$ actui numbers update +14155551234 --expect description='Main line' --set description='Front desk'
# preview a change to every matching number, sending nothing
$ actui numbers update --where 'class:a2p !inactive' --set settings.optOut.enabled=true --dry-run
""",
    "provision": """\
# order a person-to-person SMS number and follow it until it is final
$ actui provision +14155551234 --class P2P --type SMS --wait
# A2P numbers need the 10DLC campaign and brand
$ actui provision +14155551234 +14155551235 --class A2P --type SMSMMS --campaign-id C1234 --brand-id B5678
""",
    "unprovision": """\
# release one number (asks you to type yes)
$ actui unprovision +14155551234
# in a script: no question, the final order as JSON
$ actui unprovision +14155551234 +14155551235 --yes --wait --json
""",
    "orders show": """\
# one order with every number's status
$ actui orders show 1042
# the order as the API sent it
$ actui orders show 1042 --json
""",
    "orders watch": """\
# follow an order until it is final (exit 0 Completed, 3 otherwise)
$ actui orders watch 1042
# give up after five minutes (exit 1), print the final order as JSON
$ actui orders watch 1042 --timeout 5m --json
""",
    "orders list": """\
# the orders actui tracks, newest first (no connection needed)
$ actui orders list
# only those not final yet, as JSON
$ actui orders list --pending --json
""",
    "journal": """\
# the runs, newest first
$ actui journal
# one run: every number, its result and the fields it changed
$ actui journal --run 12
# field changes matching every word
$ actui journal optout 4155 --json
""",
    "undo": """\
# what undoing run 12 would write back, sending nothing
$ actui undo 12 --dry-run
# undo run 12 for one number only
$ actui undo 12 --number +14155551234
# in a script
$ actui undo 12 --yes --json
""",
    "resume": """\
# what finishing the run that was cut short would send
$ actui resume --dry-run
# finish run 12 without asking
$ actui resume 12 --yes
""",
    "open": """\
# start the TUI on one number (pasted from an alert)
$ actui open '(415) 555-1234'
# the same on the embedded sandbox
$ actui open +14155550100 --sandbox
""",
    "sync": """\
# read the list into the local copy
$ actui sync
# and every detail older than an hour
$ actui sync --max-age 1h
# what the copy holds, without a request
$ actui sync --status --json
""",
    "check": """\
# judge every number by every policy (exit 5 when one breaks)
$ actui check
# one policy, every breaking number, as JSON
$ actui check --policy a2p-stop --all --json
""",
    "fix": """\
# what fixing every policy would change, sending nothing
$ actui fix --dry-run
# fix one policy without asking
$ actui fix a2p-stop --yes
""",
    "config list": """\
# the profiles, the default marked
$ actui config list
# the same for a script
$ actui config list --json
""",
    "config add": """\
# a profile for the real API, made the default, its TUI header red
$ actui config add prod --base-url https://api.approvedcontact.com/api/v1 --user ops@example.com --default --color red
# a read-only one for looking around
$ actui config add prod-ro --base-url https://api.approvedcontact.com/api/v1 --user ops@example.com --read-only
""",
    "config remove": """\
# forget a profile (and its password in the keyring)
$ actui config remove staging
# a profile of another name
$ actui config remove old-prod
""",
    "config set-default": """\
# commands without --profile use this one
$ actui config set-default prod
# back to staging (one command on another profile: actui --profile NAME ...)
$ actui config set-default staging
""",
    "config path": """\
# where config.toml lives
$ actui config path
# edit it
$ ${EDITOR:-vi} "$(actui config path)"
""",
    "config set-password": """\
# asks for the password, stores it in the system keyring
$ actui config set-password prod
# from a secret store, without a prompt
$ printf '%s\\n' "$PW" | actui config set-password prod
""",
    "auth status": """\
# who am I, where does the password come from, and does the API accept it (exit 0, 4 refused, 1 unreachable)
$ actui auth status
# the same for another profile, for a script
$ actui --profile prod auth status --json
""",
    "auth login": """\
# asks for the password, checks it against the API, stores it in the keyring
$ actui auth login prod
# from a secret store, without a prompt
$ printf '%s\\n' "$PW" | actui auth login prod --password-stdin
""",
    "auth logout": """\
# forget the profile's password in the keyring
$ actui auth logout prod
# and the staging profile's
$ actui auth logout staging
""",
    "sandbox": """\
# serve the sandbox on port 8765 for curl
$ actui sandbox
# a slow, flaky sandbox with hostile text
$ actui sandbox --faults latency=50ms,error_every=5,hostile_every=1
# start again from a fresh inventory of 50 numbers
$ actui sandbox --numbers 50 --reset
""",
    "completion": """\
# bash: load it now, or add this line to ~/.bashrc
$ eval "$(actui completion bash)"
# zsh: a file in a directory of your $fpath
$ actui completion zsh > ~/.zfunc/_actui
# fish
$ actui completion fish > ~/.config/fish/completions/actui.fish
""",
}

HEADING = "examples:"


class ExamplesHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, except that a paragraph with indented lines (the examples) stays as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if any(line[:1].isspace() for line in paragraph.splitlines()):
                paragraphs.append("".join(indent + line for line in paragraph.splitlines(keepends=True)))
            else:
                paragraphs.append(super()._fill_text(paragraph, width, indent))
        return "\n\n".join(paragraphs)


def examples_text(path: str) -> str:
    """The epilog paragraph of one command: the heading, then each line of its examples indented."""
    lines = [f"  {line}" if line else "" for line in EXAMPLES[path].rstrip("\n").splitlines()]
    return HEADING + "\n" + "\n".join(lines)


def example_commands(path: str) -> list[list[str]]:
    """The command lines of one command's examples as argv lists, without `actui` and any redirection."""
    return [_actui_words(line[2:]) for line in EXAMPLES[path].splitlines() if line.startswith("$ ")]


def _actui_words(line: str) -> list[str]:
    inner = re.search(r"\$\(actui ([^)]*)\)", line)   # eval "$(actui completion bash)"
    text = inner.group(1) if inner else line.split("actui ", 1)[1]   # "actui ..." or "... | actui ..."
    words = shlex.split(text)
    return words[: words.index(">")] if ">" in words else words


def leaf_parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
                 ) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every command that takes no further subcommand, with its path ("config add")."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups and path:
        yield " ".join(path), parser
    for group in groups:
        for name, child in group.choices.items():
            yield from leaf_parsers(child, (*path, name))


def apply_examples(parser: argparse.ArgumentParser) -> None:
    """Each command with examples gets them at the end of its --help (after any epilog it has)."""
    for path, leaf in leaf_parsers(parser):
        if path not in EXAMPLES:
            continue
        leaf.epilog = (leaf.epilog.rstrip("\n") + "\n\n" if leaf.epilog else "") + examples_text(path)
        if leaf.formatter_class is argparse.HelpFormatter:
            leaf.formatter_class = ExamplesHelpFormatter
