"""Bulk edit of 1,000 numbers: the bulk engine against a 429 limit of each shape, and against a plain
httpx PUT loop without one.

(a) Against a limit of R requests/s (R = 50 and 100 by default) in each shape: a token bucket holding one
    second's worth (`bucket`), a sliding one-second window (`sliding`) and a fixed clock-second window
    (`fixed`), each answering 429 with Retry-After in whole seconds. By default the limit is enforced by
    benchmarks/standin_limiter.py, a server written apart from the sandbox (its own HTTP and limiters);
    `--against sandbox` uses `actui sandbox --faults rate_limit=R,window=SHAPE`, `both` runs the two.
    The engine plans (1,000 GETs, through its adaptive rate), waits 1.5 s as a person confirming would,
    then applies (1,000 PUTs). The apply phase is timed against the ideal N/R (goal <= 1.15x). "warm":
    planned by the same engine (as the CLI does, so the rate learnt while reading carries over); "cold":
    a fresh engine that knows no rate. `--compare-with FILE` runs the same rounds, side by side, with the
    AdaptiveRate class of FILE (e.g. an older core/rate.py: `git show REV:actui/core/rate.py > FILE`).
(b) No limit (the sandbox): the engine's apply phase against a plain loop (one httpx.AsyncClient,
    asyncio + semaphore, the same PUT bodies, the same concurrency), rounds alternating; the plan phase
    (GETs) is reported on its own. Goal: engine / plain >= 0.9.

    python benchmarks/bulk_edit.py [--numbers 1000] [--concurrency 8] [--rounds 5] [--limited-rounds 1]
                                   [--rates 50,100] [--windows bucket,sliding,fixed]
                                   [--against standin|sandbox|both] [--compare-with FILE] [--skip-unlimited]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sandbox import PASSWORD, USER, start_sandbox, stop_sandbox  # noqa: E402

from actui.api.client import ApiClient  # noqa: E402
from actui.core.bulk import BulkEngine  # noqa: E402
from actui.core.journal import Journal  # noqa: E402
from actui.core.store import Store  # noqa: E402

STANDIN = Path(__file__).resolve().parent / "standin_limiter.py"


def start_standin(numbers: int, rate: float, window: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, str(STANDIN), "--numbers", str(numbers), "--rate", str(rate),
                             "--window", window], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"the stand-in did not start: {line!r}")
    return proc, line.removeprefix("listening on ").strip()


def load_rate_class(path: str) -> type:
    spec = importlib.util.spec_from_file_location("actui.core._compared_rate", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.AdaptiveRate


def all_numbers(base: str) -> list[str]:
    with httpx.Client(auth=(USER, PASSWORD), timeout=30) as http:
        body = http.get(base + "/phone-numbers/active", params={"page": 1, "limit": 100000}).json()
    return [n["phoneNumber"] for n in body["phoneNumbers"]]


async def engine_round(base: str, numbers: list[str], value: str, concurrency: int, store: Store,
                       pause: float = 0.0, cold: bool = False,
                       limiter: Callable[[], object] | None = None) -> tuple[float, float, dict]:
    """(plan seconds, apply seconds, counts). `limiter`: makes the engine's rate (default: its own)."""
    async with ApiClient(base, USER, PASSWORD, timeout=60, max_connections=concurrency) as api:
        def new_engine() -> BulkEngine:
            return BulkEngine(api, Journal(store, "bench"), concurrency=concurrency,
                              limiter=limiter() if limiter else None)  # type: ignore[arg-type]
        engine = new_engine()
        start = time.perf_counter()
        plan = await engine.plan(numbers, {"description": value})
        planned = time.perf_counter()
        assert len(plan.items) == len(numbers), (len(plan.items), plan.unreadable)
        if pause:
            await asyncio.sleep(pause)
        if cold:
            engine = new_engine()
        planned_429s = engine.limiter.throttled_count
        begun = time.perf_counter()
        result = await engine.apply(plan)
        applied = time.perf_counter()
        counts = result.counts()
        assert counts.get("changed") == len(numbers), counts
        counts["429s in plan"] = planned_429s
        counts["429s in apply"] = engine.limiter.throttled_count - (0 if cold else planned_429s)
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


def limited(args: argparse.Namespace, tmp: str, store: Store) -> None:
    n, conc = args.numbers, args.concurrency
    engines: dict[str, Callable[[], object] | None] = {"engine": None}
    if args.compare_with:
        engines[Path(args.compare_with).name] = load_rate_class(args.compare_with)
    targets = ["standin", "sandbox"] if args.against == "both" else [args.against]
    table = []
    for target in targets:
        for window in [w for w in args.windows.split(",") if w]:
            for rate in [int(r) for r in args.rates.split(",") if r]:
                if target == "standin":
                    proc, base = start_standin(n, rate, window)
                else:
                    proc, base = start_sandbox(Path(tmp) / f"{window}{rate}.sqlite3", n,
                                               f"rate_limit={rate},window={window}")
                try:
                    numbers = all_numbers(base)
                    time.sleep(1.2)  # our probes took from the limit: let it recover
                    ideal = n / rate
                    print(f"\n(a) {target}, {window}, R={rate}/s: ideal {ideal:.1f} s, goal <= {1.15 * ideal:.1f} s")
                    for r in range(args.limited_rounds):
                        for name, make in engines.items():
                            for cold in (False, True):
                                label = "cold" if cold else "warm"
                                plan_s, apply_s, counts = asyncio.run(engine_round(
                                    base, numbers, f"{name} {rate} {r} {label}", conc, store, pause=1.5,
                                    cold=cold, limiter=make))
                                ratio = apply_s / ideal
                                table.append((target, window, rate, name, label, ratio))
                                print(f"  round {r + 1} {name:10} {label}: apply {apply_s:6.2f} s = {ratio:.3f}x "
                                      f"ideal ({'met' if ratio <= 1.15 else 'MISSED'}); plan {plan_s:.2f} s "
                                      f"= {plan_s / ideal:.3f}x; 429s {counts['429s in apply']} in apply, "
                                      f"{counts['429s in plan']} in plan", flush=True)
                                time.sleep(1.2)
                finally:
                    stop_sandbox(proc)
    print("\n| limiter | shape | R | engine | warm | cold |\n| --- | --- | --- | --- | --- | --- |")
    for target, window, rate, name in dict.fromkeys((t, w, r, e) for t, w, r, e, _, _ in table):
        cells = ["/".join(f"{x:.3f}x" for t, w, r, e, lab, x in table if (t, w, r, e, lab) == (target, window,
                 rate, name, label)) for label in ("warm", "cold")]
        print(f"| {target} | {window} | {rate} | {name} | {cells[0]} | {cells[1]} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limited-rounds", type=int, default=1)
    parser.add_argument("--rates", default="50,100")
    parser.add_argument("--windows", default="bucket,sliding,fixed")
    parser.add_argument("--against", choices=("standin", "sandbox", "both"), default="standin")
    parser.add_argument("--compare-with", metavar="FILE", help="a file defining another AdaptiveRate")
    parser.add_argument("--skip-unlimited", action="store_true")
    args = parser.parse_args()
    n, conc = args.numbers, args.concurrency
    print(f"# {datetime.date.today()}: {n} numbers, concurrency {conc}, on {os.cpu_count()} cores")
    print(f"# {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "journal.sqlite3")
        if args.rates:
            limited(args, tmp, store)
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
