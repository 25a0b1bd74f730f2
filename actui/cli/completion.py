"""`actui completion bash|zsh|fish`: the shell's completion script, and the answers it asks `actui` for.

argcomplete rather than shtab: shtab writes a static script for bash, zsh and tcsh but not fish; argcomplete
serves all three from the parser itself, so a new option completes without a new script. Its scripts run
`actui` with `_ARGCOMPLETE` set and read the candidates from it: cli.main checks that variable before
anything else and calls `answer_completion`, which answers and exits, so a normal start never imports
argcomplete.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

SHELLS = ("bash", "zsh", "fish")


def add_parser(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "completion", help="print the shell completion script (bash, zsh, fish)",
        description="Print a script that makes the shell complete actui's commands, options and choices. "
                    "Load it from the shell's start-up file (examples below); it asks actui itself for the "
                    "candidates, so it stays right when actui is upgraded.")
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


def print_script(shell: str) -> int:
    import argcomplete

    sys.stdout.write(argcomplete.shellcode(["actui"], shell=shell))
    return 0


def answer_completion(parser: argparse.ArgumentParser) -> None:
    """Write the candidates for the command line the shell passed, and exit (argcomplete's protocol)."""
    import argcomplete

    argcomplete.autocomplete(parser)
