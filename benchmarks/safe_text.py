"""The sanitizer on the list's hot path: `fit_cell` with `terminal_safe` vs the same function without it.

    python benchmarks/safe_text.py [--rounds 7]

Every visible cell of the number table goes through `fit_cell` on each repaint (80x24: ~200 cells). The
baseline is the same function with the sanitizer left out, timed in the same run, round by round
alternating, on the sandbox's realistic cells (plus a few with controls, as the hostile fixture holds).
"""

from __future__ import annotations

import argparse
import statistics
import time

from rich.cells import cell_len, set_cell_size

from actui.sandbox.seed import generate
from actui.tui.widgets.table_lines import ELLIPSIS, fit_cell


def fit_cell_unsanitized(text: str, width: int) -> str:
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length) if length < width else text
    return set_cell_size(text, width - 1) + ELLIPSIS


def cells() -> list[tuple[str, int]]:
    out = []
    for doc in generate(2000, 1):
        for key, width in (("phoneNumber", 15), ("status", 10), ("provisionClass", 5),
                           ("provisionType", 6), ("description", 36), ("email", 30)):
            out.append((str(doc.get(key) or ""), width))
    out += [("\x1b[2Jwiped\x1b]52;c;aGk=\x07", 20), ("\u202egnp.exe", 12)] * 20
    return out


def timed(fn, work) -> float:
    started = time.perf_counter()
    for text, width in work:
        fn(text, width)
    return (time.perf_counter() - started) / len(work) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    work = cells()
    with_safe, without = [], []
    for _ in range(args.rounds):
        without.append(timed(fit_cell_unsanitized, work))
        with_safe.append(timed(fit_cell, work))
    a, b = statistics.median(with_safe), statistics.median(without)
    print(f"{len(work)} cells, {args.rounds} rounds")
    print(f"  fit_cell without the sanitizer  median {b:.3f} µs/cell")
    print(f"  fit_cell with terminal_safe     median {a:.3f} µs/cell")
    print(f"  ratio with / without: {a / b:.2f}   (an 80x24 repaint: ~200 cells, +{(a - b) * 200:.0f} µs)")


if __name__ == "__main__":
    main()
