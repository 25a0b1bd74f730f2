"""`actui numbers list --all` as a user runs it (a subprocess, output to a pipe): seconds per format.

    python benchmarks/list_all_cli.py [--numbers 30000] [--rounds 5] [--formats table,csv,json,ndjson,tsv]
                                      [--against OTHER_CHECKOUT]

--csv and --json as flags (so that it runs on versions before --format too); other formats as --format.
With --against, the other checkout's actui (PYTHONPATH set to it, as this one's is) runs each format in the
same rounds, alternating, against the same sandbox, and the figures are given as ratios this / other.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sandbox import PASSWORD, USER, start_sandbox, stop_sandbox  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=30000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--formats", default="table,csv,json")
    parser.add_argument("--against", metavar="DIR", type=Path, help="another checkout to run side by side")
    opts = parser.parse_args()
    here = Path(__file__).resolve().parents[1]
    checkouts = {"this": here} | ({"other": opts.against.resolve()} if opts.against else {})
    scratch = Path(tempfile.mkdtemp(prefix="list-all-bench-"))
    proc, base = start_sandbox(scratch / "sandbox.db", numbers=opts.numbers)
    env = {**os.environ, "ACTUI_PASSWORD": PASSWORD, "XDG_CONFIG_HOME": str(scratch / "config"),
           "XDG_DATA_HOME": str(scratch / "data"), "XDG_CACHE_HOME": str(scratch / "cache"), "COLUMNS": "120"}
    try:
        formats = opts.formats.split(",")
        times: dict[tuple[str, str], list[float]] = {(name, fmt): [] for name in checkouts for fmt in formats}
        for _ in range(opts.rounds):
            for fmt in formats:
                for name, checkout in checkouts.items():
                    flag = [] if fmt == "table" else [f"--{fmt}"] if fmt in ("csv", "json") else ["--format", fmt]
                    argv = [sys.executable, "-m", "actui.cli", "--base-url", base, "--user", USER, "numbers",
                            "list", "--all", *flag]
                    start = time.perf_counter()
                    done = subprocess.run(argv, env={**env, "PYTHONPATH": str(checkout)}, capture_output=True)
                    times[(name, fmt)].append(time.perf_counter() - start)
                    if done.returncode:
                        raise SystemExit(done.stderr.decode())
        print(f"{opts.numbers:,} numbers, median of {opts.rounds} rounds; load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg()[:2])}")
        for fmt in formats:
            mine = statistics.median(times[("this", fmt)])
            line = f"{fmt:6} this {mine:.2f} s (min {min(times[('this', fmt)]):.2f})"
            if opts.against:
                other = statistics.median(times[("other", fmt)])
                line += f"  other {other:.2f} s  ratio this/other {mine / other:.2f}"
            print(line)
    finally:
        stop_sandbox(proc)


if __name__ == "__main__":
    main()
