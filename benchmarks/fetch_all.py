"""Fetch every active number: actui's client versus a plain httpx loop, side by side in one run.

The sandbox runs in its own process (`actui sandbox`) holding N numbers; both contenders fetch the same
pages at the same concurrency; the contenders' order rotates each round so that machine noise (and
whoever runs first) hits each alike. Prints numbers per second for each and the ratios (goal: at least 0.9).

Contenders: a plain httpx loop, actui's client (models), actui rows (the TUI's parse without a copy),
and the TUI's real `L` path with the local copy in place (core.loading.fetch_all with a LocalCopy in a
fresh cache file), which is compared with a plain httpx loop that also stores every page's items as
JSON in SQLite (one executemany and commit per page, WAL and synchronous=NORMAL as actui's stores): the
fair baseline for a fetch that keeps a copy.

    python benchmarks/fetch_all.py [--numbers 100000] [--limit 100] [--concurrency 8] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sandbox import PASSWORD, USER, start_sandbox, stop_sandbox  # noqa: E402

from actui.api.client import ApiClient  # noqa: E402
from actui.core.cache_store import CacheStore  # noqa: E402
from actui.core.inventory import Inventory, rows_from_wire  # noqa: E402
from actui.core.loading import fetch_all  # noqa: E402
from actui.core.local_copy import LocalCopy  # noqa: E402

SCRATCH = Path(tempfile.mkdtemp(prefix="fetch-bench-"))
_runs = iter(range(1_000_000))


async def plain_loop(base: str, limit: int, concurrency: int,
                     keep: Callable[[list[Any]], None] | None = None) -> int:
    async with httpx.AsyncClient(auth=(USER, PASSWORD), timeout=60,
                                 limits=httpx.Limits(max_connections=concurrency)) as http:
        first = (await http.get(f"{base}/phone-numbers/active", params={"page": 1, "limit": limit})).json()
        pages = first["totalPages"]
        count = len(first["phoneNumbers"])
        if keep:
            keep(first["phoneNumbers"])
        gate = asyncio.Semaphore(concurrency)

        async def one(page: int) -> int:
            async with gate:
                r = await http.get(f"{base}/phone-numbers/active", params={"page": page, "limit": limit})
                r.raise_for_status()
                items = r.json()["phoneNumbers"]
                if keep:
                    keep(items)
                return len(items)

        counts = await asyncio.gather(*(one(p) for p in range(2, pages + 1)))
        return count + sum(counts)


async def actui_client(base: str, limit: int, concurrency: int) -> int:
    async with ApiClient(base, USER, PASSWORD, timeout=60, max_connections=concurrency) as api:
        count = 0
        async for page in api.iter_pages(limit=limit, concurrency=concurrency):
            count += len(page.items)
        return count


async def actui_rows(base: str, limit: int, concurrency: int) -> int:
    """The TUI's load-all path: raw items straight to compact rows, no pydantic model in between."""
    async with ApiClient(base, USER, PASSWORD, timeout=60, max_connections=concurrency) as api:
        count = 0
        async for page in api.iter_pages(limit=limit, concurrency=concurrency, parse=rows_from_wire):
            count += len(page.items)
        return count


async def plain_sqlite(base: str, limit: int, concurrency: int) -> int:
    """The plain loop, keeping each page's items in SQLite as it arrives (as the copy does)."""
    db = sqlite3.connect(SCRATCH / f"plain-{next(_runs)}.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")  # the same settings as actui's stores
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE item (number TEXT PRIMARY KEY, doc TEXT NOT NULL)")

    def keep(items: list[Any]) -> None:
        db.executemany("INSERT OR REPLACE INTO item VALUES (?, ?)",
                       [(item.get("phoneNumber"), json.dumps(item)) for item in items])
        db.commit()

    try:
        return await plain_loop(base, limit, concurrency, keep)
    finally:
        db.close()


async def actui_copy(base: str, limit: int, concurrency: int) -> int:
    """The TUI's `L` with the local copy in place: rows into the inventory and items into a fresh copy."""
    store = CacheStore(SCRATCH / f"actui-{next(_runs)}.sqlite3")
    copy = LocalCopy(store, "bench")
    inventory = Inventory(page_size=limit)
    try:
        async with ApiClient(base, USER, PASSWORD, timeout=60, max_connections=concurrency) as api:
            return await fetch_all(api, inventory, copy=copy)
    finally:
        store.close()


CONTENDERS = (("plain httpx", plain_loop), ("actui client", actui_client), ("actui rows", actui_rows),
              ("plain+sqlite", plain_sqlite), ("actui + copy", actui_copy))
RATIOS = (("actui client", "plain httpx"), ("actui rows", "plain httpx"), ("actui + copy", "plain+sqlite"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_sandbox(Path(tmp) / "bench.sqlite3", args.numbers)
        try:
            rates: dict[str, list[float]] = {name: [] for name, _ in CONTENDERS}
            cpu: dict[str, list[float]] = {name: [] for name, _ in CONTENDERS}
            for round_no in range(args.rounds):
                shift = round_no % len(CONTENDERS)
                for name, fn in CONTENDERS[shift:] + CONTENDERS[:shift]:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    got = asyncio.run(fn(base, args.limit, args.concurrency))
                    elapsed = time.perf_counter() - start
                    cpu[name].append(time.process_time() - start_cpu)
                    assert got == args.numbers, (name, got)
                    rates[name].append(got / elapsed)
        finally:
            stop_sandbox(proc)
            shutil.rmtree(SCRATCH, ignore_errors=True)
    print(f"{args.numbers} numbers, limit {args.limit}, concurrency {args.concurrency}, {args.rounds} rounds "
          f"on {os.cpu_count()} cores")
    for name, values in rates.items():
        print(f"  {name:13s} median {statistics.median(values):9.0f} numbers/s  "
              f"(min {min(values):.0f}, max {max(values):.0f})  "
              f"client CPU {statistics.median(cpu[name]):.2f} s")
    for name, baseline in RATIOS:
        ratio = statistics.median(rates[name]) / statistics.median(rates[baseline])
        print(f"  ratio {name} / {baseline}: {ratio:.2f}  (goal >= 0.90)")


if __name__ == "__main__":
    main()
