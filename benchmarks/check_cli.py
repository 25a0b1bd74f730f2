"""`actui check` end to end: the command as cron runs it, a new process over a fresh local copy of 100,000
numbers with details and the ten policies of benchmarks/policy_check.py (built-in checks on), against the
cheapest command reading the same copy in the same run.

    python benchmarks/check_cli.py [--numbers 100000] [--rounds 5]

The copy is filled as a sync with a list carrying settings fills it (every item its number's detail, the
list read whole just now), so the command needs nothing from the API: the base URL points at a port where
nothing listens, and a run that asked it would say so on stderr (checked). Contenders, rounds alternating:

- baseline "sync --status": a process start, the copy opened and its status read;
- "check" (the text report, 20 numbers shown per policy) and "check --json" (every breaking number).

Prints the median wall time of each, in ms, and how much more than the baseline it takes.
Goal (issue 12): `actui check` over 100,000 numbers with details and ten policies within 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from policy_check import TEN  # noqa: E402

from actui.core.cache_store import CacheStore  # noqa: E402
from actui.core.local_copy import LocalCopy  # noqa: E402
from actui.sandbox.seed import generate  # noqa: E402

BASE_URL = "http://127.0.0.1:9/api/v1"   # the discard port: nothing answers
USER = "bench@example.com"
ACCOUNT = f"{USER}@127.0.0.1:9"


def fill(data_dir: Path, numbers: int) -> None:
    os.environ["ACTUI_DATA_DIR"] = str(data_dir)
    from actui import paths

    paths.ensure_private_dir(paths.cache_db().parent)
    cache = CacheStore(paths.cache_db())
    copy = LocalCopy(cache, ACCOUNT)
    seen: list[str] = []
    batch: list[dict] = []
    for doc in generate(numbers, 1):
        batch.append(doc)
        seen.append(doc["phoneNumber"])
        if len(batch) == 1000:
            copy.put_list_items(batch, seen_at=time.time())
            batch = []
    if batch:
        copy.put_list_items(batch, seen_at=time.time())
    copy.keep_only(seen, synced_at=time.time())   # the list read whole: not read again within max_age
    cache.close()


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "actui", *args, "--base-url", BASE_URL, "--user", USER]


def timed(argv: list[str], env: dict[str, str], codes: tuple[int, ...]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode not in codes or done.stderr:
        raise SystemExit(f"{' '.join(argv[2:4])}: exit {done.returncode}: {done.stderr.decode()[:500]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    fill(home / "data", args.numbers)
    (home / "config").mkdir()
    (home / "config" / "policies.toml").write_text(TEN, encoding="utf-8")
    print(f"copy of {args.numbers:,} numbers with details filled in {time.perf_counter() - started:.1f} s")
    env = {**os.environ, "ACTUI_DATA_DIR": str(home / "data"), "ACTUI_CONFIG_DIR": str(home / "config"),
           "ACTUI_PASSWORD": "not-used", "PYTHONPATH": str(REPO)}
    contenders = [("baseline: sync --status", command("sync", "--status"), (0,)),
                  ("check", command("check"), (0, 5)),
                  ("check --json", command("check", "--json"), (0, 5))]
    wall: list[list[float]] = [[] for _ in contenders]
    for round_ in range(args.rounds):
        for offset in range(len(contenders)):
            at = (round_ + offset) % len(contenders)
            _, argv, codes = contenders[at]
            wall[at].append(timed(argv, env, codes))
    medians = [statistics.median(times) for times in wall]
    print(f"median of {args.rounds} rounds, ms (a new process each)")
    print(f"{'contender':<28} {'wall':>8} {'over baseline':>14}")
    for (name, _, _), median in zip(contenders, medians, strict=True):
        print(f"{name:<28} {median:8.0f} {median - medians[0]:14.0f}")


if __name__ == "__main__":
    main()
