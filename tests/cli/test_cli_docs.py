"""docs/cli.md is what `python -m actui.cli.docgen` writes from the parser now: it cannot drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from actui.cli import build_parser
from actui.cli.docgen import EXIT_CODES, REGENERATE, reference
from actui.cli.help_examples import leaf_parsers

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "cli.md"


def test_the_committed_reference_is_what_the_parser_gives():
    assert DOC.read_text(encoding="utf-8") == reference(), f"docs/cli.md is out of date: run `{REGENERATE}`"


def test_every_command_option_and_exit_code_is_in_it():
    text = reference()
    for path, leaf in leaf_parsers(build_parser()):
        assert f"\n### actui {path}\n" in text and f"(#actui-{path.replace(' ', '-')})" in text
        for action in leaf._actions:
            for option in action.option_strings:
                assert f"`{option}" in text or f", {option}" in text, (path, option)
    for code, _ in EXIT_CODES:
        assert f"\n| {code} | " in text


def test_it_does_not_depend_on_the_terminal_width():
    """The script as run from a shell, in a narrow terminal, writes the same file."""
    import os

    done = subprocess.run([sys.executable, "-m", "actui.cli.docgen"], capture_output=True, text=True, timeout=60,
                          cwd=REPO, env={**os.environ, "COLUMNS": "40"})
    assert done.returncode == 0 and done.stdout == reference(), done.stderr
