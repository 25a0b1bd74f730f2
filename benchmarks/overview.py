"""The inventory overview (core/overview.py) over a local copy of 100,000 numbers.

    python benchmarks/overview.py [--numbers 100000] [--repeat 7]

The copy holds the sandbox's generated numbers (actui.sandbox.seed, the documents the API would send), in
two shapes: list items without settings (a sync of the list alone), and list items carrying their settings
(a sandbox started with --list-settings: every item is its detail, ~1 KB each). Prints the median and the
best of --repeat runs of `overview(copy)` in ms, and the process's CPU time for them (what a busy
machine's wall time hides). Goal: well under 500 ms at 100,000.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
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


def timed(copy: LocalCopy, repeat: int) -> tuple[list[float], float]:
    walls = []
    cpu_start = time.process_time()
    for _ in range(repeat):
        start = time.perf_counter()
        overview(copy)
        walls.append((time.perf_counter() - start) * 1000)
    return walls, (time.process_time() - cpu_start) * 1000 / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        for name, settings in (("list items", False), ("list items with settings", True)):
            copy = filled_copy(Path(directory), name.replace(" ", "-"), options.numbers, settings=settings)
            seen = overview(copy)
            walls, cpu = timed(copy, options.repeat)
            print(f"{name:26} {options.numbers:,} numbers: median {statistics.median(walls):6.1f} ms,"
                  f" best {min(walls):6.1f} ms, CPU {cpu:6.1f} ms per run"
                  f" ({len(seen.by_status)} statuses, {sum(c for _, c in seen.per_week):,} in the last 26 weeks,"
                  f" {seen.undated:,} undated)")
            copy.store.close()


if __name__ == "__main__":
    main()
