"""Tables that fit the terminal: columns sized once, from the headings and a sample of the rows, to the
width there is; a longer cell is cut with "…". Streamed output (`--all`) keeps the first page's columns.

Widths are terminal cells (rich.cells.cell_len: a wide character takes two). Cells reach this module
already made terminal-safe (one line, no control character).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from rich.cells import cell_len, set_cell_size

PIPED_WIDTH = 100   # a table written into a pipe or a file
MAX_COLUMN = 40     # no column wider than this, whatever the terminal
MIN_COLUMN = 6      # a column shrunk to fit keeps at least this much (or its natural width, if less)
GAP = "  "


def terminal_width(out: TextIO | None = None) -> int:
    """COLUMNS when set, else the terminal's width, else PIPED_WIDTH (not a terminal)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = out or sys.stdout
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        pass
    return PIPED_WIDTH


def fit_widths(headings: Sequence[str], sample: Iterable[Sequence[str]], width: int,
               whole: Iterable[int] = ()) -> list[int]:
    """Each column's width: as wide as its widest cell or heading (at most MAX_COLUMN); when the whole is
    wider than `width`, the widest columns give way first, down to MIN_COLUMN. The columns numbered in
    `whole` (the phone number) never give way."""
    natural = [cell_len(heading) for heading in headings]
    for row in sample:
        for index, cell in enumerate(row):
            size = cell_len(cell)
            if size > natural[index]:
                natural[index] = size
    natural = [min(size, MAX_COLUMN) for size in natural]
    room = width - len(GAP) * (len(natural) - 1)
    if sum(natural) <= room:
        return natural
    kept = set(whole)
    floors = [size if index in kept else min(size, MIN_COLUMN) for index, size in enumerate(natural)]
    low, high = 0, max(natural)   # the largest cap on every column that still fits
    while low < high:
        cap = (low + high + 1) // 2
        if sum(max(floor, min(size, cap)) for size, floor in zip(natural, floors, strict=True)) <= room:
            low = cap
        else:
            high = cap - 1
    return [max(floor, min(size, low)) for size, floor in zip(natural, floors, strict=True)]


def clip(cell: str, width: int) -> str:
    """`cell` padded to `width` cells, or cut to it with "…" at the end."""
    size = cell_len(cell)
    if size <= width:
        return cell + " " * (width - size)
    if width <= 1:
        return "…"[:width]
    return set_cell_size(cell, width - 1) + "…"


def clip_start(cell: str, width: int) -> str:
    """`cell` padded to `width` cells, or its end kept with "…" before it (a path's last parts say most:
    'settings.optOut.enabled' -> '…optOut.enabled')."""
    size = cell_len(cell)
    if size <= width:
        return cell + " " * (width - size)
    if width <= 1:
        return "…"[:width]
    kept: list[str] = []
    used = 0
    for char in reversed(cell):
        used += cell_len(char)
        if used > width - 1:
            used -= cell_len(char)
            break
        kept.append(char)
    return "…" + "".join(reversed(kept)) + " " * (width - 1 - used)


class FittedTable:
    """Writes rows under fixed columns: `heading()` once, then `rows(...)` as they come."""

    def __init__(self, headings: Sequence[str], widths: Sequence[int], out: TextIO):
        self.headings = list(headings)
        self.widths = list(widths)
        self.out = out

    def line(self, cells: Sequence[str]) -> str:
        return GAP.join([clip(cell, width) for cell, width in zip(cells, self.widths, strict=True)]).rstrip()

    def heading(self) -> None:
        """The headings; a path cut to fit keeps its end."""
        cells = [clip_start(heading, width) if "." in heading else clip(heading, width)
                 for heading, width in zip(self.headings, self.widths, strict=True)]
        self.out.write(GAP.join(cells).rstrip() + "\n")

    def rows(self, rows: Iterable[Sequence[str]]) -> None:
        line = self.line
        self.out.write("".join([line(row) + "\n" for row in rows]))
