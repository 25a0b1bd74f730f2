"""The one sanitizer: nothing that drives a terminal gets through, nothing is hidden."""

import csv
import io

from actui.core.safe_text import csv_safe, is_terminal_safe, terminal_safe
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe


def test_escape_sequences_are_drawn_not_sent():
    shown = terminal_safe("\x1b[2J\x1b[Hwiped")
    assert shown == "␛[2J␛[Hwiped"
    assert_terminal_safe(shown)


def test_osc52_clipboard_write_and_title_are_visible():
    shown = terminal_safe("a\x1b]52;c;aGk=\x07b\x1b]0;t\x07")
    assert shown == "a␛]52;c;aGk=␇b␛]0;t␇"


def test_c1_del_bidi_and_separators_are_spelled_out():
    assert terminal_safe("\x9b31m") == "\\x9b31m"
    assert terminal_safe("x\x7fy") == "x␡y"
    assert terminal_safe("\u202egnp.exe") == "<U+202E>gnp.exe"
    assert terminal_safe("a\u2066b\u2069") == "a<U+2066>b<U+2069>"
    assert terminal_safe("a\u2028b") == "a<U+2028>b"


def test_newline_and_tab_kept_only_where_the_field_may_hold_them():
    assert terminal_safe("a\nb\tc") == "a␊b␉c"
    assert terminal_safe("a\nb\tc", multiline=True) == "a\nb\tc"
    assert terminal_safe("a\r\nb", multiline=True) == "a␍\nb"


def test_lone_surrogates_cannot_break_output_encoding():
    shown = terminal_safe("a\ud800b")
    assert shown == "a\ufffdb"
    shown.encode("utf-8")


def test_clean_text_is_returned_as_is():
    text = "Customer Support — José Núñez 日本 🙂 [VIP]"
    assert terminal_safe(text) is text
    assert is_terminal_safe(text)
    assert terminal_safe(None) == ""
    assert terminal_safe(5) == "5"


def test_the_hostile_fixture_is_made_safe():
    assert_terminal_safe(terminal_safe(HOSTILE))
    assert_terminal_safe(terminal_safe(HOSTILE, multiline=True))
    assert not is_terminal_safe(HOSTILE)


def test_csv_cells_never_start_a_formula():
    assert csv_safe('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert csv_safe("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0"
    assert csv_safe("+cmd|x") == "'+cmd|x"
    assert csv_safe("\t=1+1") == "'\t=1+1"
    # plain numbers stay numbers: an export can be read back as input
    assert csv_safe("+14155550123") == "+14155550123"
    assert csv_safe("-5") == "-5"
    assert csv_safe("Sales") == "Sales"
    assert csv_safe(None) == ""


def test_csv_cells_are_terminal_safe_and_keep_newlines_quoted():
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_safe(HOSTILE), csv_safe("line 1\nline 2")])
    assert_terminal_safe(buffer.getvalue())
    assert '"line 1\nline 2"' in buffer.getvalue()
