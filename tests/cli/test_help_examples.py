"""Every leaf command's --help ends with two or three examples, and every example parses (they cannot drift)."""

from __future__ import annotations

import argparse

import pytest

from actui.cli import build_parser
from actui.cli.help_examples import EXAMPLES, HEADING, example_commands, leaf_parsers

PARSER = build_parser()
LEAVES = dict(leaf_parsers(PARSER))
OPTIONS = {option for leaf in LEAVES.values() for action in leaf._actions for option in action.option_strings}


def test_every_leaf_command_has_two_or_three_examples():
    missing = sorted(set(LEAVES) - set(EXAMPLES))
    assert not missing, f"add examples for {missing} to actui/cli/help_examples.py EXAMPLES"
    for path in LEAVES:
        assert 2 <= len(example_commands(path)) <= 3, path


def test_no_examples_for_a_command_that_does_not_exist():
    assert not set(EXAMPLES) - set(LEAVES)


@pytest.mark.parametrize("path", sorted(EXAMPLES))
def test_every_example_parses_and_runs_its_own_command(path, capsys):
    for words in example_commands(path):
        try:
            build_parser().parse_args(words)
        except SystemExit:
            pytest.fail(f"the example `actui {' '.join(words)}` of {path!r} does not parse: "
                        f"{capsys.readouterr().err.strip()}")
        assert path in " ".join(words), f"the example `actui {' '.join(words)}` does not run {path!r}"
        options = {word.split("=", 1)[0] for word in words if word.startswith("--")}
        # argparse takes a prefix of an option too: an example must spell the option as it is now
        assert options <= OPTIONS, f"`actui {' '.join(words)}`: no option {sorted(options - OPTIONS)}"


def test_every_example_says_what_it_does():
    for path, text in EXAMPLES.items():
        lines = text.rstrip("\n").splitlines()
        assert lines[0].startswith("# ") and lines[-1].startswith("$ "), path
        assert all(line.startswith("# ") or line.startswith("$ ") and "actui " in line for line in lines), path


@pytest.mark.parametrize("path", ["numbers list", "orders watch", "config add", "sandbox", "completion"])
def test_help_ends_with_the_examples_as_written(path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")   # narrower than the examples: they are not wrapped
    with pytest.raises(SystemExit):
        build_parser().parse_args([*path.split(), "--help"])
    text = capsys.readouterr().out
    examples = text[text.rindex(HEADING):]
    expected = [line for line in EXAMPLES[path].splitlines() if line]
    assert [line.strip() for line in examples.splitlines()[1:]] == expected
    assert all(line.startswith("  ") for line in examples.splitlines()[1:])


def test_descriptions_still_wrap_to_the_terminal(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["numbers", "list", "--help"])
    text = capsys.readouterr().out
    description = text[: text.index(HEADING)]
    assert max(len(line) for line in description.splitlines()) <= 60


def test_the_sandbox_keeps_its_fault_keys_before_the_examples():
    from actui.sandbox.fault_help import FAULTS_HELP

    epilog = LEAVES["sandbox"].epilog
    assert epilog.startswith(FAULTS_HELP.rstrip("\n")) and epilog.index(HEADING) > len(FAULTS_HELP) - 2
    assert LEAVES["sandbox"].formatter_class is argparse.RawDescriptionHelpFormatter
