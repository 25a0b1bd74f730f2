"""Bulk edit of 1,000 numbers: the bulk engine against a 429 limit, and against a plain httpx PUT loop.

The sandbox runs in its own process (`actui sandbox`), one per configuration, holding N numbers.

(a) With `--faults rate_limit=R` (R = 50 and 100 by default): the engine plans (1,000 GETs, through its
    adaptive rate), waits 1.5 s as a person confirming would, then applies (1,000 PUTs). The apply phase
    is timed against the goal 1.15 x N/R seconds. "warm": planned by the same engine (as the CLI does, so
    the rate learnt while reading carries over); "cold": a fresh engine that knows no rate.
(b) No limit: the engine's apply phase against a plain loop (one httpx.AsyncClient, asyncio + semaphore,
    the same PUT bodies, the same concurrency), rounds alternating; the plan phase (GETs) is reported
    on its own. Goal: engine / plain >= 0.9.

    python benchmarks/bulk_edit.py [--numbers 1000] [--concurrency 8] [--rounds 5] [--limited-rounds 2]
                                   [--rates 50,100]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
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
from actui.core.bulk import BulkEngine  # noqa: E402
from actui.core.journal import Journal  # noqa: E402
from actui.core.store import Store  # noqa: E402


def all_numbers(base: str) -> list[str]:
    with httpx.Client(auth=(USER, PASSWORD), timeout=30) as http:
        body = http.get(base + "/phone-numbers/active", params={"page": 1, "limit": 100000}).json()
    return [n["phoneNumber"] for n in body["phoneNumbers"]]


async def engine_round(base: str, numbers: list[str], value: str, concurrency: int, store: Store,
                       pause: float = 0.0, cold: bool = False) -> tuple[float, float, dict]:
    """(plan seconds, apply seconds, counts)."""
    async with ApiClient(base, USER, PASSWORD, timeout=60, max_connections=concurrency) as api:
        engine = BulkEngine(api, Journal(store, "bench"), concurrency=concurrency)
        start = time.perf_counter()
        plan = await engine.plan(numbers, {"description": value})
        planned = time.perf_counter()
        assert len(plan.items) == len(numbers), (len(plan.items), plan.unreadable)
        if pause:
            await asyncio.sleep(pause)
        if cold:
            engine = BulkEngine(api, Journal(store, "bench"), concurrency=concurrency)
        begun = time.perf_counter()
        result = await engine.apply(plan)
        applied = time.perf_counter()
        counts = result.counts()
        assert counts.get("changed") == len(numbers), counts
        return planned - start, applied - begun, counts


async def plain_round(base: str, numbers: list[str], value: str, concurrency: int) -> float:
    async with httpx.AsyncClient(auth=(USER, PASSWORD), timeout=60,
                                 limits=httpx.Limits(max_connections=concurrency)) as http:
        gate = asyncio.Semaphore(concurrency)

        async def one(number: str) -> None:
            async with gate:
                r = await http.put(f"{base}/phone-numbers/{number.replace('+', '%2B')}",
                                   json={"description": value})
                r.raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(one(n) for n in numbers))
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limited-rounds", type=int, default=2)
    parser.add_argument("--rates", default="50,100")
    parser.add_argument("--skip-unlimited", action="store_true")
    args = parser.parse_args()
    n, conc = args.numbers, args.concurrency
    print(f"# {datetime.date.today()}: {n} numbers, concurrency {conc}, on {os.cpu_count()} cores")
    print(f"# {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "journal.sqlite3")
        for rate in [int(r) for r in args.rates.split(",") if r]:
            proc, base = start_sandbox(Path(tmp) / f"limited{rate}.sqlite3", n, f"rate_limit={rate}")
            try:
                numbers = all_numbers(base)
                time.sleep(1.2)  # our probes took tokens from the bucket: let it refill
                ideal = n / rate
                print(f"\n(a) rate_limit={rate}/s: ideal {ideal:.1f} s, goal <= {1.15 * ideal:.1f} s (1.15x)")
                for r in range(args.limited_rounds):
                    for cold in (False, True):
                        label = "cold" if cold else "warm"
                        plan_s, apply_s, _ = asyncio.run(engine_round(
                            base, numbers, f"limited {rate} {r} {label}", conc, store, pause=1.5, cold=cold))
                        print(f"  round {r + 1} {label}: apply {apply_s:6.2f} s = {apply_s / ideal:.3f}x ideal "
                              f"({'met' if apply_s <= 1.15 * ideal else 'MISSED'}); plan {plan_s:.2f} s")
                        time.sleep(1.2)
            finally:
                stop_sandbox(proc)
        if args.skip_unlimited:
            return
        proc, base = start_sandbox(Path(tmp) / "free.sqlite3", n)
        try:
            numbers = all_numbers(base)
            engine_rates, plain_rates, plan_rates = [], [], []
            for r in range(args.rounds):
                for contender in (("engine", "plain") if r % 2 == 0 else ("plain", "engine")):
                    value = f"{contender} {r}"
                    if contender == "engine":
                        plan_s, apply_s, _ = asyncio.run(engine_round(base, numbers, value, conc, store))
                        engine_rates.append(n / apply_s)
                        plan_rates.append(n / plan_s)
                    else:
                        plain_rates.append(n / asyncio.run(plain_round(base, numbers, value, conc)))
        finally:
            stop_sandbox(proc)
        e, p = statistics.median(engine_rates), statistics.median(plain_rates)
        print(f"\n(b) no limit, {args.rounds} rounds alternating:")
        print(f"  engine apply   median {e:7.0f} PUTs/s (min {min(engine_rates):.0f}, max {max(engine_rates):.0f})")
        print(f"  plain httpx    median {p:7.0f} PUTs/s (min {min(plain_rates):.0f}, max {max(plain_rates):.0f})")
        print(f"  ratio engine / plain: {e / p:.2f}  (goal >= 0.90)")
        print(f"  engine plan    median {statistics.median(plan_rates):7.0f} GETs/s")


if __name__ == "__main__":
    main()
