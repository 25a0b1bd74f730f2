"""The filter language over 100,000 rows: today's terms against the filter before issue 11, and path terms.

    python benchmarks/filter_terms.py [--numbers 100000] [--repeat 15] [--baseline-ref main]

The rows are the sandbox's generated numbers (actui.sandbox.seed, the documents the API would send) as
the list holds them (core.inventory.Row). The baseline is `compile_filter` of `git show REF:actui/core/
filtering.py`, loaded as a module in this process and run as core/inventory.py ran it before
(`[row for row in rows if keep(row)]`); the new filter runs as the list runs it now (`Filter.select`)
and, for comparison, one call per row (`flt(row, values)`), as the palette and the marks do.

Path terms read their values from a dict (number -> value per path) in two shapes: `get(number, path)`
only (the least a PathValues offers), and with `column(path)` (the same object until the values change:
the filter indexes the column once per list and path, filter_index); "1st key" is the keystroke that
indexes it. The figure per query is the median of --repeat evaluations (compile included: the list
compiles on every keystroke), in ms, the contenders alternating round by round; the ratio is
new/baseline in this run (< 1: faster).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from actui.core import filter_index  # noqa: E402
from actui.core.filter_values import ABSENT, value_at  # noqa: E402
from actui.core.filtering import RowList, compile_filter  # noqa: E402
from actui.core.inventory import Row  # noqa: E402
from actui.sandbox.seed import generate  # noqa: E402

PLAIN = ("4155", "acme", "acme support", "class:a2p", "!inactive", "status:active desc:line")
PATHS = ("settings.optOut.enabled:false", "settings.rateLimit>500", "settings.outOfOffice.endDate<2026-01-01",
         "settings.autoForward.emailAddresses:oncall", "campaignId:*",
         "class:a2p !settings.optOut.enabled:true", "acme or settings.rateLimit>500")


class GetOnly:
    """PathValues with `get` only: one dict lookup per number and path."""

    def __init__(self, columns: dict[str, dict[str, Any]]):
        self.columns = columns

    def get(self, number: str, path: str) -> Any:
        return self.columns[path].get(number, ABSENT)


class WithColumns(GetOnly):
    def column(self, path: str) -> dict[str, Any]:
        return self.columns[path]


def baseline_module(ref: str):
    source = subprocess.run(["git", "show", f"{ref}:actui/core/filtering.py"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "filtering_baseline.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("filtering_baseline", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def race(contenders: list, repeat: int) -> list[tuple[float, int]]:
    """Each contender `repeat` times, in rounds whose order rotates (the machine's load falls on all
    alike); (median ms, matches) for each."""
    times: list[list[float]] = [[] for _ in contenders]
    found = [0] * len(contenders)
    for round_ in range(repeat):
        for offset in range(len(contenders)):
            at = (round_ + offset) % len(contenders)
            start = time.perf_counter()
            found[at] = len(contenders[at]())
            times[at].append((time.perf_counter() - start) * 1000)
    return [(statistics.median(t), n) for t, n in zip(times, found, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline-ref", default="main")
    args = parser.parse_args()

    docs = list(generate(args.numbers, 1))
    rows = RowList(Row.from_wire(doc) for doc in docs)  # as the list's sorted view is
    columns = {}
    for query in PATHS:
        for path in compile_filter(query).paths:
            parts = path.split(".")
            columns[path] = {doc["phoneNumber"]: v for doc in docs if (v := value_at(doc, parts)) is not ABSENT}
    del docs
    gc.collect()
    old = baseline_module(args.baseline_ref)
    get_only, with_columns = GetOnly(columns), WithColumns(columns)
    print(f"{len(rows):,} rows, median of {args.repeat} in rotating rounds, ms per evaluation (compile "
          f"included); baseline: compile_filter of {args.baseline_ref}")
    print(f"{'query':<44} {'baseline':>9} {'select':>9} {'ratio':>6} {'per row':>9} {'ratio':>6}  matches")
    for query in PLAIN:
        (base, expected), (new, found), (per_row, again) = race([
            lambda q=query: _old_run(old, q, rows),
            lambda q=query: compile_filter(q).select(rows),
            lambda q=query: _per_row(q, rows, None)], args.repeat)
        assert found == expected == again, (query, found, expected)
        print(f"{query:<44} {base:9.1f} {new:9.1f} {new / base:6.2f} {per_row:9.1f} {per_row / base:6.2f}  "
              f"{found:,}")
    print("\npath terms (no baseline: the filter before could not ask them); ratio against the baseline's "
          "word term 'acme' in the same rounds")
    print(f"{'query':<44} {'acme':>6} {'get only':>9} {'ratio':>6} {'column':>9} {'ratio':>6} {'1st key':>9} "
          f"{'ratio':>6}  matches")

    def first_key(query: str) -> list:
        filter_index._KEPT.clear()  # the first keystroke on a path indexes its column
        return compile_filter(query).select(rows, with_columns)

    for query in PATHS:
        (word, _), (slow, found), (fast, again), (first, third) = race([
            lambda: _old_run(old, "acme", rows),
            lambda q=query: compile_filter(q).select(rows, get_only),
            lambda q=query: compile_filter(q).select(rows, with_columns),
            lambda q=query: first_key(q)], args.repeat)
        assert found == again == third, query
        print(f"{query:<44} {word:6.1f} {slow:9.1f} {slow / word:6.2f} {fast:9.1f} {fast / word:6.2f} "
              f"{first:9.1f} {first / word:6.2f}  {found:,}")


def _old_run(old, query: str, rows: list[Row]) -> list[Row]:
    keep = old.compile_filter(query)
    return [row for row in rows if keep(row)]


def _per_row(query: str, rows: list[Row], values) -> list[Row]:
    keep = compile_filter(query)
    return [row for row in rows if keep(row, values)]


if __name__ == "__main__":
    main()
