"""`actui completion bash|zsh|fish`: each script, loaded in its shell, completes actui's commands and options.

The scripts run `actui` (with `_ARGCOMPLETE` set) for the candidates: a wrapper on PATH runs this checkout's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from actui.cli import main

REPO = Path(__file__).resolve().parents[2]


def script(shell: str, capsys) -> str:
    assert main(["completion", shell]) == 0
    text, err = capsys.readouterr()
    assert err == ""
    return text


@pytest.fixture
def shell_env(tmp_path):
    """PATH with an `actui` that runs this checkout; the test's own config and data dirs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "actui"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m actui "$@"\n')
    wrapper.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO)}


def in_shell(argv: list[str], env: dict) -> list[str]:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n")


BASH = """source "$1"
fn=$(complete -p actui | sed -E 's/.* -F ([^ ]+) .*/\\1/')
COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
"$fn" actui "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
compgen -W "${COMPREPLY[*]}" -- "${COMP_WORDS[COMP_CWORD]}"
"""


def bash_completions(path: Path, line: str, env: dict) -> set[str]:
    return {word.strip() for word in in_shell(["bash", "-c", BASH, "bash", str(path), line], env) if word}


def test_bash_completes_commands_subcommands_options_and_choices(tmp_path, shell_env, capsys):
    path = tmp_path / "actui.bash"
    path.write_text(script("bash", capsys))
    assert bash_completions(path, "actui num", shell_env) == {"numbers"}
    assert {"list", "show", "update"} <= bash_completions(path, "actui numbers ", shell_env)
    assert {"list", "show", "watch"} <= bash_completions(path, "actui orders ", shell_env)
    assert bash_completions(path, "actui orders watch 12 --ti", shell_env) == {"--timeout"}
    assert {"bash", "zsh", "fish"} <= bash_completions(path, "actui completion ", shell_env)


ZSH = """compdef() { :; }                     # compsys itself needs a terminal: its two calls are stood in for
is-at-least() { return 0; }
_describe() { print -rl -- "${(@P)2}"; }
source "$1"
words=(${=2}); BUFFER="$2"; CURSOR=${#BUFFER}
_python_argcomplete
"""


def test_zsh_script_is_a_compdef_function():
    text = subprocess.run([sys.executable, "-m", "actui", "completion", "zsh"], capture_output=True, text=True,
                          timeout=60, cwd=REPO).stdout
    assert text.startswith("#compdef actui\n") and "_ARGCOMPLETE_SHELL=\"zsh\"" in text


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completes_through_the_script(tmp_path, shell_env, capsys):
    path = tmp_path / "_actui"
    path.write_text(script("zsh", capsys))
    found = in_shell(["zsh", "-f", "-c", ZSH, "zsh", str(path), "actui num"], shell_env)
    assert found[0] == "numbers:list, show and update numbers"
    found = in_shell(["zsh", "-f", "-c", ZSH, "zsh", str(path), "actui orders watch 12 --ti"], shell_env)
    assert found[0].startswith("--timeout:give up after DURATION")


def test_fish_script_asks_actui():
    text = subprocess.run([sys.executable, "-m", "actui", "completion", "fish"], capture_output=True, text=True,
                          timeout=60, cwd=REPO).stdout
    assert "complete --command actui" in text and "_ARGCOMPLETE_SHELL fish" in text


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_through_the_script(tmp_path, shell_env, capsys):
    path = tmp_path / "actui.fish"
    path.write_text(script("fish", capsys))
    found = in_shell(["fish", "--no-config", "-c", f"source {path}; complete -C'actui num'"], shell_env)
    assert found[0] == "numbers\tlist, show and update numbers"
    found = in_shell(["fish", "--no-config", "-c", f"source {path}; complete -C'actui completion '"], shell_env)
    assert {"bash", "zsh", "fish"} <= {line.split("\t")[0] for line in found}


def test_an_unknown_shell_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["completion", "tcsh"])
    assert stopped.value.code == 2 and "invalid choice: 'tcsh'" in capsys.readouterr().err


def test_argcomplete_is_not_imported_unless_a_shell_asks():
    code = ("import sys; from actui.cli import build_parser, _parser_for; build_parser(); _parser_for([]); "
            "print('argcomplete' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.stdout.strip() == "False", done.stderr
