"""The local copy's sync (core/sync.py) against baselines run in the same process, side by side.

1. A list that carries settings (`actui sandbox --list-settings`): `sync(details=True)` into a new copy
   versus a plain httpx loop that fetches the same pages at the same concurrency and stores every item
   in SQLite (one row per number, its JSON). Rounds alternate so machine noise hits both alike; each round
   writes a new file. Goal: actui / plain >= 0.9 (in numbers per second).
2. Details read with GET at a server limit of R/s (token bucket, and sliding window): the details phase's
   time versus requests / R. Goal: <= 1.1x.
3. The copy's size on disk with N full details: as the list-with-settings sync leaves it, and with the
   list items plain and every detail read apart (filled straight from the sandbox's file). Goal: <= 300 MB
   at 100,000.
4. values(): building one settings path's column over N numbers, then a filter's pass over it.

   `--detail-rounds N` repeats it; `--compare-with FILE` runs each round also with the sync() of FILE (e.g.
   an older core/sync.py: `git show REV:actui/core/sync.py > FILE`), who goes first alternating by round.

    python benchmarks/sync.py [--numbers 100000] [--rounds 3] [--rate 200] [--detail-numbers 2000]
                              [--detail-rounds 1] [--compare-with FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sandbox import PASSWORD, USER, start_sandbox, stop_sandbox  # noqa: E402

from actui.api.client import ApiClient  # noqa: E402
from actui.core.cache_store import CacheStore  # noqa: E402
from actui.core.local_copy import LocalCopy  # noqa: E402
from actui.core.sync import LIST_CONCURRENCY, sync  # noqa: E402

LIMIT = 100


async def plain_loop(base: str, db_path: Path) -> int:
    """Every page with httpx, each item stored as one row (number, JSON) in a new SQLite file."""
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE numbers (number TEXT PRIMARY KEY, doc TEXT NOT NULL, seen_at REAL)")

    def store(items: list[dict]) -> int:
        now = time.time()
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO numbers VALUES (?, ?, ?)",
                       [(item["phoneNumber"], json.dumps(item, ensure_ascii=False, separators=(",", ":")), now)
                        for item in items])
        db.execute("COMMIT")
        return len(items)

    async with httpx.AsyncClient(auth=(USER, PASSWORD), timeout=60,
                                 limits=httpx.Limits(max_connections=LIST_CONCURRENCY)) as http:
        url = f"{base}/phone-numbers/active"
        first = (await http.get(url, params={"page": 1, "limit": LIMIT})).json()
        count = store(first["phoneNumbers"])
        gate = asyncio.Semaphore(LIST_CONCURRENCY)

        async def one(page: int) -> list[dict]:
            async with gate:
                r = await http.get(url, params={"page": page, "limit": LIMIT})
                r.raise_for_status()
                return r.json()["phoneNumbers"]

        # stored in page order; fetching runs at most 4 x concurrency pages ahead (as iter_pages does), so
        # parsed pages never pile up in memory
        pages = iter(range(2, first["totalPages"] + 1))
        ahead: deque[asyncio.Future[list[dict]]] = deque()
        for page in pages:
            ahead.append(asyncio.ensure_future(one(page)))
            if len(ahead) >= 4 * LIST_CONCURRENCY:
                count += store(await ahead.popleft())
        while ahead:
            count += store(await ahead.popleft())
    db.close()
    return count


async def actui_sync(base: str, db_path: Path) -> int:
    cache = CacheStore(db_path)
    try:
        async with ApiClient(base, USER, PASSWORD, timeout=60) as api:
            result = await sync(api, LocalCopy(cache, "bench"), details=True, page_size=LIMIT)
        assert result.details_read == 0 and result.details_in_list == result.listed, result
        return result.listed
    finally:
        cache.close()


def list_with_settings(numbers: int, rounds: int, tmp: Path) -> Path:
    proc = None
    sizes: list[int] = []
    try:
        proc, base = _start(tmp / "list.sqlite3", numbers, list_settings=True)
        rates: dict[str, list[float]] = {"plain httpx + SQLite": [], "actui sync": []}
        contenders = [("plain httpx + SQLite", plain_loop), ("actui sync", actui_sync)]
        asyncio.run(plain_loop(base, tmp / "warm-up.sqlite3"))   # the sandbox's pages read once, untimed
        for round_ in range(rounds):
            for name, fn in contenders if round_ % 2 == 0 else contenders[::-1]:   # who goes first alternates
                path = tmp / f"{name.split()[0]}-{round_}.sqlite3"
                start = time.perf_counter()
                got = asyncio.run(fn(base, path))
                elapsed = time.perf_counter() - start
                assert got == numbers, (name, got)
                rates[name].append(got / elapsed)
                if name == "actui sync":
                    sizes.append(_size(path))
    finally:
        stop_sandbox(proc)
    print(f"1. {numbers} numbers whose list carries settings, limit {LIMIT}, {LIST_CONCURRENCY} pages in flight, "
          f"{rounds} rounds on {os.cpu_count()} cores")
    for name, values in rates.items():
        print(f"   {name:22s} median {statistics.median(values):8.0f} numbers/s  "
              f"(min {min(values):.0f}, max {max(values):.0f})")
    ratio = statistics.median(rates["actui sync"]) / statistics.median(rates["plain httpx + SQLite"])
    print(f"   ratio actui sync / plain: {ratio:.2f}  (goal >= 0.90)")
    print(f"3. size of the copy, list with settings (each detail stored once): {sizes[-1] / 1e6:.0f} MB")
    return tmp / "list.sqlite3"


def details_rounds(numbers: int, rate: float, rounds: int, compare_with: Path | None, tmp: Path) -> None:
    contenders = [("this sync", sync)]
    if compare_with is not None:
        spec = importlib.util.spec_from_file_location("actui.core.sync_compared", compare_with)
        assert spec is not None and spec.loader is not None
        other = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = other     # its dataclasses look their module up
        spec.loader.exec_module(other)
        contenders.append((compare_with.name, other.sync))
    for round_ in range(rounds):
        for name, fn in contenders if round_ % 2 == 0 else contenders[::-1]:
            print(f"   round {round_ + 1}, {name}:")
            details_at_a_limit(numbers, rate, tmp / f"{round_}-{len(name)}", fn)


def details_at_a_limit(numbers: int, rate: float, tmp: Path, sync=sync) -> None:
    tmp.mkdir(exist_ok=True)
    print(f"2. details of {numbers} numbers read with GET at a server limit of {rate:g}/s (concurrency 8)")
    for spec in (f"rate_limit={rate:g}", f"sliding_limit={int(rate)}"):
        proc = None
        try:
            proc, base = _start(tmp / f"details-{spec[:4]}.sqlite3", numbers, faults=spec)
            cache = CacheStore(tmp / f"copy-{spec[:4]}.sqlite3")
            phases: dict[str, float] = {}

            def note(progress, phases=phases) -> None:
                phases.setdefault(progress.phase, time.perf_counter())

            async def run(base=base, cache=cache, note=note):
                async with ApiClient(base, USER, PASSWORD, timeout=60) as api:
                    return await sync(api, LocalCopy(cache, "bench"), details=True, on_progress=note)

            result = asyncio.run(run())
            ended = time.perf_counter()
            cache.close()
        finally:
            stop_sandbox(proc)
        spent = ended - phases["details"]
        ideal = result.details_read / rate
        print(f"   {spec:18s} {result.details_read} read ({result.details_failed} failed) in {spent:.2f} s; "
              f"requests/R = {ideal:.2f} s; ratio {spent / ideal:.2f}  (goal <= 1.10)")


def size_with_details_apart(sandbox_db: Path, tmp: Path) -> None:
    """Plain list items, and every detail as read apart: filled from the sandbox's own file."""
    source = sqlite3.connect(sandbox_db)
    rows = source.execute("SELECT summary_json, settings_json FROM numbers ORDER BY seq").fetchall()
    source.close()
    path = tmp / "apart.sqlite3"
    cache = CacheStore(path)
    copy = LocalCopy(cache, "bench")
    items = [json.loads(summary) for summary, _ in rows]
    for start in range(0, len(items), 1000):
        copy.put_list_items(items[start:start + 1000], seen_at=time.time())
    details = [(item["phoneNumber"], {**item, "settings": json.loads(settings)}, time.time())
               for item, (_, settings) in zip(items, rows, strict=True)]
    for start in range(0, len(details), 1000):
        copy.put_details(details[start:start + 1000])
    cache.close()
    print(f"3. size of the copy, plain list items and {len(items)} details read apart: {_size(path) / 1e6:.0f} MB "
          "(goal <= 300 MB at 100,000)")
    values_figures(path, len(items))


def values_figures(path: Path, numbers: int) -> None:
    cache = CacheStore(path)
    copy = LocalCopy(cache, "bench")
    held = copy.numbers()
    start = time.perf_counter()
    values = copy.values()
    column = values.column("settings.optOut.enabled")
    built = time.perf_counter() - start
    start = time.perf_counter()
    values.prepare(["settings.rateLimit", "settings.autoForward.emailAddresses", "description"])
    three = time.perf_counter() - start
    start = time.perf_counter()
    matched = sum(1 for number in held if values.get(number, "settings.rateLimit") == 0)
    scanned = time.perf_counter() - start
    start = time.perf_counter()
    same = copy.values() is values
    again = time.perf_counter() - start
    cache.close()
    print(f"4. values() over {numbers}: one path's column built in {built * 1000:.0f} ms ({len(column)} values), "
          f"three more in one pass {three * 1000:.0f} ms; a pass of {len(held)} lookups {scanned * 1000:.0f} ms "
          f"({matched} match); values() again {again * 1000:.2f} ms (the same object: {same})")


def _start(db: Path, numbers: int, faults: str | None = None, list_settings: bool = False):
    if not list_settings:
        return start_sandbox(db, numbers, faults)
    # start_sandbox has no switch for it: the same command with --list-settings
    import _sandbox

    original = _sandbox.subprocess.Popen

    def popen(argv, *args, **kwargs):
        return original([*argv, "--list-settings"], *args, **kwargs)

    _sandbox.subprocess.Popen = popen
    try:
        return start_sandbox(db, numbers, faults)
    finally:
        _sandbox.subprocess.Popen = original


def _size(path: Path) -> int:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=200.0, help="the server's limit for part 2 (requests/s)")
    parser.add_argument("--detail-numbers", type=int, default=2000, help="numbers whose details part 2 reads")
    parser.add_argument("--detail-rounds", type=int, default=1, help="rounds of part 2")
    parser.add_argument("--compare-with", type=Path, help="a core/sync.py to run part 2 with as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sandbox_db = list_with_settings(args.numbers, args.rounds, Path(tmp))
        size_with_details_apart(sandbox_db, Path(tmp))
        details_rounds(args.detail_numbers, args.rate, args.detail_rounds, args.compare_with, Path(tmp))


if __name__ == "__main__":
    main()
