"""`actui numbers list --all` as a user runs it (a subprocess, output to a pipe): seconds per format.

    python benchmarks/list_all_cli.py [--numbers 30000] [--rounds 5] [--formats table,csv,json,ndjson,tsv]

--csv and --json as flags (so that it runs on versions before --format too); other formats as --format.
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
    opts = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="list-all-bench-"))
    proc, base = start_sandbox(scratch / "sandbox.db", numbers=opts.numbers)
    env = {**os.environ, "ACTUI_PASSWORD": PASSWORD, "XDG_CONFIG_HOME": str(scratch / "config"),
           "XDG_DATA_HOME": str(scratch / "data"), "XDG_CACHE_HOME": str(scratch / "cache"), "COLUMNS": "120"}
    try:
        formats = opts.formats.split(",")
        times: dict[str, list[float]] = {fmt: [] for fmt in formats}
        for _ in range(opts.rounds):
            for fmt in formats:
                flag = [] if fmt == "table" else [f"--{fmt}"] if fmt in ("csv", "json") else ["--format", fmt]
                argv = [sys.executable, "-m", "actui.cli", "--base-url", base, "--user", USER, "numbers", "list",
                        "--all", *flag]
                start = time.perf_counter()
                done = subprocess.run(argv, env=env, capture_output=True)
                times[fmt].append(time.perf_counter() - start)
                if done.returncode:
                    raise SystemExit(done.stderr.decode())
        for fmt, spent in times.items():
            print(f"{fmt:6} median {statistics.median(spent):.2f} s  min {min(spent):.2f} s  "
                  f"({opts.numbers / statistics.median(spent):,.0f} numbers/s)")
    finally:
        stop_sandbox(proc)


if __name__ == "__main__":
    main()
