"""The inventory overview (core/overview.py) over a local copy of 100,000 numbers.

    python benchmarks/overview.py [--numbers 100000] [--repeat 7]

The copy holds the sandbox's generated numbers (actui.sandbox.seed, the documents the API would send), in
two shapes: list items without settings (a sync of the list alone), and list items carrying their settings
(a sandbox started with --list-settings: every item is its detail, ~1 KB each). Prints the median and the
best of --repeat runs of `overview(copy)` in ms, and the process's CPU time for them (what a busy
machine's wall time hides). Goal: well under 500 ms at 100,000. Baseline in the same rounds: one field
(status) counted the plain way, a Counter over `list_item ->> '$.status'` of every row; the ratio is the
overview's (five fields and the weeks) over it.
"""

from __future__ import annotations

import argparse
import calendar
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from actui.core.cache_store import CacheStore  # noqa: E402
from actui.core.local_copy import LocalCopy  # noqa: E402
from actui.core.overview import overview  # noqa: E402
from actui.sandbox.seed import generate  # noqa: E402


def filled_copy(directory: Path, name: str, numbers: int, *, settings: bool) -> LocalCopy:
    copy = LocalCopy(CacheStore(directory / f"{name}.sqlite3"), "bench")
    page: list[dict] = []
    for doc in generate(numbers, seed=12):
        page.append(doc if settings else {key: value for key, value in doc.items() if key != "settings"})
        if len(page) == 1000:
            copy.put_list_items(page, seen_at=time.time())
            page = []
    if page:
        copy.put_list_items(page, seen_at=time.time())
    return copy


def plain_status_count(copy: LocalCopy) -> Counter:
    rows = copy.store.query("SELECT list_item ->> '$.status' FROM copy_numbers WHERE account = ?", (copy.account,))
    return Counter(row[0] for row in rows)


# the generated numbers were created from late 2023 to the end of 2024: a fixed `now` inside that span, so
# the 26 weeks counted hold numbers (with the real clock every number falls before the window)
NOW = calendar.timegm((2024, 12, 31, 23, 0, 0))


def timed(copy: LocalCopy, repeat: int) -> tuple[list[float], float, list[float]]:
    walls, plain = [], []
    cpu = 0.0
    for _ in range(repeat):   # alternating: the baseline and the overview in each round
        start = time.perf_counter()
        plain_status_count(copy)
        plain.append((time.perf_counter() - start) * 1000)
        cpu_start = time.process_time()
        start = time.perf_counter()
        overview(copy, now=NOW)
        walls.append((time.perf_counter() - start) * 1000)
        cpu += time.process_time() - cpu_start
    return walls, cpu * 1000 / repeat, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        for name, settings in (("list items", False), ("list items with settings", True)):
            copy = filled_copy(Path(directory), name.replace(" ", "-"), options.numbers, settings=settings)
            seen = overview(copy, now=NOW)
            walls, cpu, plain = timed(copy, options.repeat)
            print(f"{name:26} {options.numbers:,} numbers: median {statistics.median(walls):6.1f} ms,"
                  f" best {min(walls):6.1f} ms, CPU {cpu:6.1f} ms per run"
                  f" ({len(seen.by_status)} statuses, {sum(c for _, c in seen.per_week):,} in the last 26 weeks,"
                  f" {seen.undated:,} undated)")
            print(f"{'':26} baseline, status counted plain: median {statistics.median(plain):6.1f} ms;"
                  f" overview / baseline {statistics.median(walls) / statistics.median(plain):.2f}x")
            copy.store.close()


if __name__ == "__main__":
    main()
