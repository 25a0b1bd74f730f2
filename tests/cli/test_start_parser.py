"""`actui` with no command parses with a small parser (start-up does not build every subcommand's); it must
read the same words the same way as the whole parser, and hand everything else to the whole parser."""

import pytest

from actui.cli import _parser_for, build_parser, build_tui_parser

TUI_WORDS = [
    [],
    ["--sandbox"],
    ["--profile", "numbers"],  # a value that happens to be a command's name
    ["--prof", "work", "--read-only"],  # an abbreviation
    ["--base-url", "http://127.0.0.1:9/api/v1", "--user", "a@b.c", "--insecure", "--tenant-id", "t"],
]


@pytest.mark.parametrize("words", TUI_WORDS, ids=lambda w: " ".join(w) or "(none)")
def test_the_tui_words_read_the_same_with_the_small_parser(words):
    parser = _parser_for(words)
    assert parser.format_usage() == build_tui_parser().format_usage()
    assert parser.parse_args(words) == build_parser().parse_args(words)


@pytest.mark.parametrize("words", [
    ["numbers", "list"], ["open", "+14155550100"], ["--help"], ["-h"], ["--version"], ["bogus"], ["--profile"],
    ["--sandbox", "journal"],
], ids=" ".join)
def test_anything_else_gets_the_whole_parser(words):
    assert _parser_for(words).format_usage() == build_parser().format_usage()


def test_a_missing_value_is_reported_by_the_whole_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _parser_for(["--profile"]).parse_args(["--profile"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --profile: expected one argument" in err
    assert "COMMAND" in err  # the whole parser's usage, not the small one's
