"""Fetch every active number: actui's client versus a plain httpx loop, side by side in one run.

The sandbox runs in its own process (`actui sandbox`) holding N numbers; both contenders fetch the same
pages at the same concurrency, alternating rounds so machine noise hits both alike. Prints numbers per
second for each and the ratio actui / plain (goal: at least 0.9).

    python benchmarks/fetch_all.py [--numbers 100000] [--limit 100] [--concurrency 8] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sandbox import PASSWORD, USER, start_sandbox, stop_sandbox  # noqa: E402

from actui.api.client import ApiClient  # noqa: E402
from actui.core.inventory import rows_from_wire  # noqa: E402


async def plain_loop(base: str, limit: int, concurrency: int) -> int:
    async with httpx.AsyncClient(auth=(USER, PASSWORD), timeout=60,
                                 limits=httpx.Limits(max_connections=concurrency)) as http:
        first = (await http.get(f"{base}/phone-numbers/active", params={"page": 1, "limit": limit})).json()
        pages = first["totalPages"]
        count = len(first["phoneNumbers"])
        gate = asyncio.Semaphore(concurrency)

        async def one(page: int) -> int:
            async with gate:
                r = await http.get(f"{base}/phone-numbers/active", params={"page": page, "limit": limit})
                r.raise_for_status()
                return len(r.json()["phoneNumbers"])

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


CONTENDERS = (("plain httpx", plain_loop), ("actui client", actui_client), ("actui rows", actui_rows))


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
            for _ in range(args.rounds):
                for name, fn in CONTENDERS:
                    start = time.perf_counter()
                    got = asyncio.run(fn(base, args.limit, args.concurrency))
                    elapsed = time.perf_counter() - start
                    assert got == args.numbers, (name, got)
                    rates[name].append(got / elapsed)
        finally:
            stop_sandbox(proc)
    print(f"{args.numbers} numbers, limit {args.limit}, concurrency {args.concurrency}, {args.rounds} rounds "
          f"on {os.cpu_count()} cores")
    for name, values in rates.items():
        print(f"  {name:13s} median {statistics.median(values):9.0f} numbers/s  "
              f"(min {min(values):.0f}, max {max(values):.0f})")
    plain = statistics.median(rates["plain httpx"])
    for name in ("actui client", "actui rows"):
        print(f"  ratio {name} / plain httpx: {statistics.median(rates[name]) / plain:.2f}  (goal >= 0.90)")


if __name__ == "__main__":
    main()
