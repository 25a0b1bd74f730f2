"""`actui numbers list --where` answering from a fresh local copy, side by side with `numbers list --all --json`
asking the same sandbox, in one run.

A standalone sandbox (`actui sandbox --list-settings`: list items carry settings, so one `actui sync` fills
every detail) holds N numbers; `actui sync` fills the copy once. Then each command runs as a user runs it,
a new process each time (start-up, imports, the store, the answer), rounds alternating so that machine
noise hits every contender alike. Prints the median wall time of each, its ratio to the baseline, and the
process's CPU time (user + system: what a busy machine's wall time hides).
Goal: `--where` on a settings path over a fresh copy of 100,000 in at most 1 s.

    python benchmarks/list_where.py [--numbers 100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pty import clean_env  # noqa: E402
from _sandbox import PASSWORD, USER, start_sandbox, stop_sandbox  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CONTENDERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("list --all --json (the API)", ("numbers", "list", "--all", "--json")),
    ("--where settings path --all --json", ("numbers", "list", "--where", "settings.optOut.enabled:true",
                                           "--all", "--json")),
    ("--where settings path, first page", ("numbers", "list", "--where", "settings.optOut.enabled:true")),
    ("--where class:a2p --all --csv", ("numbers", "list", "--where", "class:a2p", "--all", "--csv")),
    ("--where rateLimit>500 or !optIn --all --json",
     ("numbers", "list", "--where", "settings.rateLimit>500 or !settings.optIn.enabled:true", "--all", "--json")),
)


def start_listing_settings(db: Path, numbers: int):
    """start_sandbox, with --list-settings added to its command."""
    import _sandbox

    original = _sandbox.subprocess.Popen

    def popen(argv, *args, **kwargs):
        return original([*argv, "--list-settings"], *args, **kwargs)

    _sandbox.subprocess.Popen = popen
    try:
        return start_sandbox(db, numbers)
    finally:
        _sandbox.subprocess.Popen = original


def actui(env: dict[str, str], *args: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `actui ARGS` process, its output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "actui", *args], env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"actui {' '.join(args)} failed: {done.stderr.decode()}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_text:
        tmp = Path(tmp_text)
        proc = None
        try:
            started = time.perf_counter()
            proc, base = start_listing_settings(tmp / "sandbox.sqlite3", args.numbers)
            print(f"sandbox of {args.numbers} numbers up in {time.perf_counter() - started:.0f} s")
            env = clean_env(ACTUI_BASE_URL=base, ACTUI_USER=USER, ACTUI_PASSWORD=PASSWORD,
                            ACTUI_CONFIG_DIR=str(tmp / "config"), ACTUI_DATA_DIR=str(tmp / "data"),
                            PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
            print(f"actui sync (list with settings): {actui(env, 'sync')[0]:.1f} s")
            for _, command in CONTENDERS:   # warm the OS's caches and check each works
                actui(env, *command)
            times: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in CONTENDERS}
            for _ in range(args.rounds):
                for name, command in CONTENDERS:
                    times[name].append(actui(env, *command))
        finally:
            stop_sandbox(proc)
    baseline = statistics.median(wall for wall, _ in times[CONTENDERS[0][0]])
    print(f"\n{args.numbers} numbers, {args.rounds} rounds, a new process each: median wall time, its ratio "
          "to the API listing's, median CPU time (user + system) of the process")
    for name, measured in times.items():
        wall = statistics.median(w for w, _ in measured)
        cpu = statistics.median(c for _, c in measured)
        print(f"  {name:<48} {wall:6.2f} s  {wall / baseline:5.2f}x   CPU {cpu:5.2f} s")


if __name__ == "__main__":
    main()
