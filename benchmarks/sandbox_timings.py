"""The embedded sandbox's own speed: seeding 100,000 numbers, a page of them, reopening a database, and a
keep-alive request. Moved out of tests/sandbox (wall-clock limits there failed on a loaded machine);
the figures in brackets are the limits those tests used to hold on an idle one.

    python benchmarks/sandbox_timings.py            # --numbers 100000 --rounds 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actui.sandbox import SandboxServer  # noqa: E402


def seed_and_pages(folder: Path, numbers: int) -> None:
    started = time.perf_counter()
    with SandboxServer(folder / "big.sqlite3", numbers=numbers) as server:
        seeded = time.perf_counter() - started
        with httpx.Client(base_url=server.base_url, auth=(server.user, server.password)) as http:
            http.get("/phone-numbers/active", params={"limit": 1})
            timings = {}
            for page, limit in ((1, 100), (numbers // 100, 100), (1, 1000), (numbers // 1000, 1000)):
                started = time.perf_counter()
                http.get("/phone-numbers/active", params={"page": page, "limit": limit}).raise_for_status()
                timings[page, limit] = time.perf_counter() - started
    print(f"seed {numbers:,}: {seeded:.2f} s [< 15 s]")
    print("pages: " + ", ".join(f"page {p} x{size}: {t * 1000:.1f} ms" for (p, size), t in timings.items())
          + " [each < 500 ms]")


def reopen(folder: Path) -> None:
    db = folder / "reopen.sqlite3"
    with SandboxServer(db):
        pass
    started = time.perf_counter()
    with SandboxServer(db):
        took = time.perf_counter() - started
    print(f"reopen a seeded database: {took * 1000:.0f} ms [< 1 s]")


def keep_alive(folder: Path, rounds: int) -> None:
    with SandboxServer(folder / "keepalive.sqlite3", numbers=20) as server:
        with httpx.Client(base_url=server.base_url, auth=(server.user, server.password)) as http:
            http.get("/phone-numbers/active?limit=1")
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                http.get("/phone-numbers/active?limit=1")
                times.append(time.perf_counter() - started)
    # Nagle's algorithm against delayed ACKs once cost ~40 ms per keep-alive answer
    print(f"keep-alive request: median {statistics.median(times) * 1000:.1f} ms over {rounds} [< 20 ms]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        seed_and_pages(Path(folder), args.numbers)
        reopen(Path(folder))
        keep_alive(Path(folder), args.rounds)


if __name__ == "__main__":
    main()
