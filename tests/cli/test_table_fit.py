"""Fitting a table to the terminal: widths from the data within the width there is, cells cut with "…"
by terminal cells (a wide character takes two)."""

from __future__ import annotations

import io

from rich.cells import cell_len

from actui.cli.table_fit import MAX_COLUMN, FittedTable, clip, clip_start, fit_widths, terminal_width


def test_natural_widths_when_they_fit():
    assert fit_widths(["A", "BB"], [["xxx", "y"], ["x", "yyyy"]], 100) == [3, 4]
    assert fit_widths(["A"], [["x" * 100]], 500) == [MAX_COLUMN]


def test_the_widest_columns_give_way_first_and_a_kept_column_never():
    widths = fit_widths(["NUMBER", "A", "B", "C"], [["(415) 555-0100", "a" * 30, "b" * 10, "c" * 4]], 50, whole=[0])
    assert widths == [14, 16, 10, 4]   # 50 cells: only the 30-cell column gave way
    assert fit_widths(["NUMBER", "A", "B"], [["(415) 555-0100", "a" * 30, "b" * 30]], 30, whole=[0]) == [14, 6, 6]


def test_clip_by_cells_with_wide_characters():
    assert clip("abcdef", 4) == "abc…"
    assert clip("ab", 4) == "ab  "
    cut = clip("日本語テキスト", 6)
    assert cut.endswith("…") and cell_len(cut) == 6
    assert clip_start("settings.optOut.enabled", 10) == "…t.enabled"


def test_terminal_width_from_columns_else_100_when_piped(monkeypatch):
    monkeypatch.setenv("COLUMNS", "77")
    assert terminal_width(io.StringIO()) == 77
    monkeypatch.delenv("COLUMNS")
    assert terminal_width(io.StringIO()) == 100


def test_rows_under_fixed_columns():
    out = io.StringIO()
    table = FittedTable(["NAME", "settings.optOut.enabled"], [5, 8], out)
    table.heading()
    table.rows([["Alexander", "yes"], ["Bo", "no"]])
    assert out.getvalue().splitlines() == ["NAME   …enabled", "Alex…  yes", "Bo     no"]


def test_every_cli_table_fits_the_width_keeping_the_columns_that_name_a_row_whole():
    from actui.cli.output import print_table

    out = io.StringIO()
    rows = [["2026-12-01 04:12:33 UTC", "12", "edit", "+14155550100", "description", "x" * 50, "y" * 50]]
    print_table(rows, ["WHEN", "RUN", "KIND", "NUMBER", "FIELD", "OLD", "NEW"], out, width=80, whole=(0, 1, 3))
    lines = out.getvalue().splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[1].startswith("2026-12-01 04:12:33 UTC  12   edit  +14155550100")
    assert "…" in lines[1] and "x" * 20 not in lines[1]
