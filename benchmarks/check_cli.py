"""`actui check` end to end: the command as cron runs it, a new process over a local copy of 100,000
numbers with details and the ten policies of benchmarks/policy_check.py (built-in checks on), against the
cheapest command reading the same copy in the same run.

    python benchmarks/check_cli.py [--numbers 100000] [--rounds 5] [--against OTHER_CHECKOUT]

Two copies are filled as a sync with a list carrying settings fills them (every item its number's detail,
the list read whole just now), so the command needs nothing from the API: the base URL points at a port
where nothing listens, and a run that asked it would say so on stderr (checked):

- "dense": the sandbox's generated documents as they are, which break a lot (~1.6 breaches per number);
- "kept": the same made to comply, one number in a hundred then breaking a policy (a well-kept inventory).

Contenders, rounds alternating: baseline "sync --status" (a process start, the copy opened and its status
read); "check" (the text report, 20 numbers shown per policy) and "check --json" (every breaking number) on
each copy, the copy unchanged since the last check (what cron meets most days: the columns kept in the
cache file, core/copy_column_cache); and "check, first after a change" (CHANGED = 100 numbers' documents
changed before each run, a new rate limit each time: the kept columns patched from those documents, or
read from every document again by a tree without the log of changes).

--against: the same contenders with another checkout's code (e.g. a worktree of main), on copies of
their own filled alike, in the same rounds. Each tree's modules are compiled first (as an installed
package has them), so no run pays for compiling them. Prints the median wall time of each, in ms, and
its ratio to the baseline of its tree. Goal (issue 12): `actui check` over 100,000 numbers with details
and ten policies within 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from policy_check import TEN, documents  # noqa: E402

from actui.core.cache_store import CacheStore  # noqa: E402
from actui.core.local_copy import LocalCopy  # noqa: E402

BASE_URL = "http://127.0.0.1:9/api/v1"   # the discard port: nothing answers
USER = "bench@example.com"
ACCOUNT = f"{USER}@127.0.0.1:9"


def fill(data_dir: Path, numbers: int, kept: bool) -> None:
    os.environ["ACTUI_DATA_DIR"] = str(data_dir)
    from actui import paths

    paths.ensure_private_dir(paths.cache_db().parent)
    cache = CacheStore(paths.cache_db())
    copy = LocalCopy(cache, ACCOUNT)
    seen: list[str] = []
    batch: list[dict] = []
    for doc in documents(numbers, kept):
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


def timed(argv: list[str], env: dict[str, str], cwd: Path, codes: tuple[int, ...],
          before: Callable[[], None] | None = None) -> float:
    if before is not None:
        before()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode not in codes or done.stderr:
        raise SystemExit(f"{' '.join(argv[2:4])}: exit {done.returncode}: {done.stderr.decode()[:500]}")
    return elapsed


CHANGED = 100   # documents changed before each "first after a change" run


def change_marker(data_dir: Path) -> Callable[[], None]:
    """Changes CHANGED numbers' documents (another rate limit, as an edit or a re-read detail would): in
    the cache file itself, so the triggers of whichever tree made it move its generation."""
    rounds = iter(range(1, 1_000_000))

    def move() -> None:
        db = sqlite3.connect(data_dir / "actui-cache.sqlite3")
        rate = 1000 + next(rounds)
        db.execute("UPDATE copy_numbers SET"
                   " list_item = CASE WHEN detail IS NULL THEN json_set(list_item, '$.settings.rateLimit', ?1)"
                   "                  ELSE list_item END,"
                   " detail = CASE WHEN detail IS NULL THEN NULL ELSE json_set(detail, '$.settings.rateLimit', ?1) END"
                   " WHERE account = ?2 AND number IN"
                   " (SELECT number FROM copy_numbers WHERE account = ?2 ORDER BY random() LIMIT ?3)",
                   (rate, ACCOUNT, CHANGED))
        db.commit()
        db.close()
    return move


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout to run the same contenders with")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp())
    try:
        measure(args, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)   # the copies: ~0.6 GB


def measure(args: argparse.Namespace, home: Path) -> None:
    started = time.perf_counter()
    for kind in ("dense", "kept"):
        fill(home / kind / "data", args.numbers, kind == "kept")
        (home / kind / "config").mkdir()
        (home / kind / "config" / "policies.toml").write_text(TEN, encoding="utf-8")
    print(f"two copies of {args.numbers:,} numbers with details filled in {time.perf_counter() - started:.1f} s")
    trees = [("this", REPO)] + ([("against", args.against.resolve())] if args.against else [])
    contenders = []
    for name, tree in trees:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "actui")], check=True)
        if name != "this":
            shutil.copytree(home / "dense", home / f"{name}-dense")
            shutil.copytree(home / "kept", home / f"{name}-kept")
        for kind in ("dense", "kept"):
            where = home / (kind if name == "this" else f"{name}-{kind}")
            env = {**os.environ, "ACTUI_DATA_DIR": str(where / "data"), "ACTUI_CONFIG_DIR": str(where / "config"),
                   "ACTUI_PASSWORD": "not-used", "PYTHONPATH": str(tree)}
            if kind == "dense":
                contenders.append((f"{name}: baseline sync --status", command("sync", "--status"), env, tree, (0,),
                                   None))
            contenders.append((f"{name}: check, {kind}", command("check"), env, tree, (0, 5), None))
            contenders.append((f"{name}: check --json, {kind}", command("check", "--json"), env, tree, (0, 5), None))
            if kind == "dense":
                contenders.append((f"{name}: check, dense, first after a change", command("check"), env, tree,
                                   (0, 5), change_marker(where / "data")))
    for _, argv, env, tree, codes, before in contenders:   # each copy's first check (the columns kept)
        if argv[3] == "check":
            timed(argv, env, tree, codes, before)
    wall: list[list[float]] = [[] for _ in contenders]
    for round_ in range(args.rounds):
        for offset in range(len(contenders)):
            at = (round_ + offset) % len(contenders)
            _, argv, env, tree, codes, before = contenders[at]
            wall[at].append(timed(argv, env, tree, codes, before))
    medians = [statistics.median(times) for times in wall]
    load = os.getloadavg()
    print(f"median of {args.rounds} rounds, ms (a new process each); load average {load[0]:.2f} {load[1]:.2f}")
    print(f"{'contender':<46} {'wall':>8} {'ratio':>6}")
    base = 0.0
    for (name, *_), median in zip(contenders, medians, strict=True):
        if name.endswith("baseline sync --status"):
            base = median
        print(f"{name:<46} {median:8.0f} {median / base:6.2f}")


if __name__ == "__main__":
    main()
