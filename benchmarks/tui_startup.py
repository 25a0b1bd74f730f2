"""Start-up: spawn `actui` in an 80x24 pseudo-terminal until the first page of numbers is on screen.

    /work/venv/bin/python benchmarks/tui_startup.py [--numbers 100000] [--rounds 12]    # ~1-2 min

actui runs as a user runs it: the venv's `actui` console script, no profile configured (ACTUI_CONFIG_DIR
is an empty temp dir), so it starts its embedded sandbox on ACTUI_DATA_DIR/sandbox.sqlite3, which this
script seeds beforehand with N numbers (SandboxState). The clock runs from just before the spawn until the
first seeded number, "(312) 555-5622", shows in the terminal output (escape codes stripped).

Baseline in the same run: a bare Textual app (one `Static("READY")`) spawned the same way, until "READY"
shows. For context, a third contender: actui against the same db served by a standalone sandbox process
(`actui --base-url http://127.0.0.1:P/api/v1 --user sandbox@actui.dev`, ACTUI_PASSWORD=sandbox), i.e.
start-up without the embedded sandbox (--no-remote leaves it out). Rounds rotate which one goes first;
one untimed warm-up each. `--against DIR` adds one more contender: the same `actui` command with
PYTHONPATH=DIR, i.e. another checkout's code (e.g. a `git worktree` of an older commit), on its own copy of
the data dir, so a regression is measured side by side in one run; and, to compare like with like, this
checkout run the same way (PYTHONPATH set to it, its own data dir): a PYTHONPATH entry alone costs a start
5-8% (every import searches one more directory), so "actui / actui from DIR" compares those two. Each
child is stopped with ctrl+q (SIGTERM, then SIGKILL, only if that fails) and waited for. Then one extra
`python -X importtime` run of actui (not timed) lists the imports start-up pays for most.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pty import PtyChild, clean_env  # noqa: E402
from _sandbox import BARE_APP, FIRST_NUMBER, start_sandbox, stop_sandbox  # noqa: E402

AGAINST = "actui, --against"
SELF_AS_AGAINST = "actui, PYTHONPATH"
CHECKOUT = Path(__file__).resolve().parent.parent  # this checkout: its actui package is CHECKOUT/actui
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def actui_command() -> list[str]:
    script = Path(sys.executable).with_name("actui")
    if not script.exists():
        raise SystemExit(f"no {script}: install actui in this venv (pip install -e .)")
    return [str(script)]


def spawn_until(argv: list[str], env: dict[str, str], needle: str, size: tuple[int, int],
                first_frame: str | None = None) -> tuple[float, float | None, str]:
    child = PtyChild(argv, env=env, size=size)
    try:
        seconds = child.wait_for_text(needle, timeout=120)
        frame = child.wait_for_text(first_frame, timeout=5) if first_frame else None
    finally:
        how = child.stop()
    return seconds, frame, how


def import_costs(argv: list[str], env: dict[str, str], needle: str,
                 size: tuple[int, int]) -> list[tuple[int, int, str, int]]:
    """(self µs, cumulative µs, module, depth) of every import of one `python -X importtime` start-up."""
    child = PtyChild([sys.executable, "-X", "importtime", *argv], env=env, size=size)
    try:
        child.wait_for_text(needle, timeout=120)
        time.sleep(0.5)  # imports done after the first page (none expected) still count
    finally:
        child.stop()
    text = child.output().decode("utf-8", "replace")
    rows = []
    for m in IMPORT_LINE.finditer(text):
        rows.append((int(m.group(1)), int(m.group(2)), m.group(4), len(m.group(3)) // 2))
    return rows


def root_package_costs(rows: list[tuple[int, int, str, int]]) -> list[tuple[str, int]]:
    """Self time summed by top-level package (textual, rich, httpx, actui, ...), largest first."""
    totals: dict[str, int] = {}
    for self_us, _, name, _ in rows:
        root = name.split(".")[0]
        totals[root] = totals.get(root, 0) + self_us
    return sorted(totals.items(), key=lambda kv: -kv[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--no-importtime", action="store_true")
    parser.add_argument("--no-remote", action="store_true", help="leave out actui against a standalone sandbox")
    parser.add_argument("--no-cold", action="store_true", help="leave out the cold start")
    parser.add_argument("--against", metavar="DIR", type=Path,
                        help="also time the actui package found in DIR (a checkout of another commit)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    assert len(size) == 2

    tmp = Path(tempfile.mkdtemp(prefix="actui-startup-"))
    sandbox = None
    try:
        data, config = tmp / "data", tmp / "config"
        data.mkdir()
        config.mkdir()
        from actui.sandbox.state import SandboxState

        t0 = time.perf_counter()
        with SandboxState(data / "sandbox.sqlite3", numbers=args.numbers) as state:
            first = state.page(1, 1)[0][0]
        seed_s = time.perf_counter() - t0
        assert '"+13125555622"' in first, f"the first seeded number changed: {first[:80]}"
        bare = tmp / "bare_textual.py"
        bare.write_text(BARE_APP)

        env = clean_env(ACTUI_DATA_DIR=str(data), ACTUI_CONFIG_DIR=str(config))
        def forget_cached_page() -> None:
            """A cold start: no first page kept from an earlier run (the cache has its own file)."""
            cache = data / "actui-cache.sqlite3"
            if cache.exists():
                with sqlite3.connect(cache) as db:
                    db.execute("DELETE FROM list_cache")

        contenders = {
            "actui": (actui_command(), FIRST_NUMBER, "Number", env),
            "actui, cold": (actui_command(), FIRST_NUMBER, "Number", env),
            "bare Textual": ([sys.executable, str(bare)], "READY", None, env),
        }
        before = {"actui, cold": forget_cached_page}
        if args.no_cold:
            del contenders["actui, cold"]
        if args.against:
            for name, checkout in ((AGAINST, args.against.resolve()), (SELF_AS_AGAINST, CHECKOUT)):
                other_data = tmp / f"data-{len(contenders)}"
                other_data.mkdir()
                shutil.copyfile(data / "sandbox.sqlite3", other_data / "sandbox.sqlite3")
                other_env = clean_env(ACTUI_DATA_DIR=str(other_data), ACTUI_CONFIG_DIR=str(config),
                                      PYTHONPATH=str(checkout))
                contenders[name] = (actui_command(), FIRST_NUMBER, "Number", other_env)
        if not args.no_remote:
            sandbox, base = start_sandbox(data / "sandbox.sqlite3")
            remote_env = clean_env(ACTUI_DATA_DIR=str(tmp / "remote-data"), ACTUI_CONFIG_DIR=str(config),
                                   ACTUI_PASSWORD="sandbox")
            contenders["actui, remote API"] = ([*actui_command(), "--base-url", base, "--user", "sandbox@actui.dev"],
                                               FIRST_NUMBER, "Number", remote_env)
        print(f"seeded {args.numbers:,} numbers in {seed_s:.1f} s; terminal {size[0]}x{size[1]}; "
              f"{args.rounds} rounds (+1 warm-up each); Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")

        times: dict[str, list[float]] = {name: [] for name in contenders}
        frames: dict[str, list[float]] = {name: [] for name in contenders}
        endings: dict[str, int] = {}
        names = list(contenders)
        for round_index in range(args.rounds + 1):
            shift = round_index % len(names)
            for name in names[shift:] + names[:shift]:
                argv, needle, first_frame, child_env = contenders[name]
                time.sleep(1.0)  # let the previous run's processes (its sandbox child) finish exiting
                if name in before:
                    before[name]()
                seconds, frame, how = spawn_until(argv, child_env, needle, size, first_frame)
                endings[how] = endings.get(how, 0) + 1
                if round_index == 0:
                    continue  # warm-up: page cache, .pyc files
                times[name].append(seconds)
                if frame is not None:
                    frames[name].append(frame)

        costs = [] if args.no_importtime else import_costs(actui_command(), env, FIRST_NUMBER, size)
        bare_costs = [] if args.no_importtime else import_costs([str(bare)], env, "READY", size)
    finally:
        stop_sandbox(sandbox)
        shutil.rmtree(tmp, ignore_errors=True)

    med = {name: statistics.median(v) * 1000 for name, v in times.items()}
    ratio = med["actui"] / med["bare Textual"]
    print()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"date:    {datetime.date.today().isoformat()}")
    print(f"{args.numbers:,} numbers in the sandbox db; terminal {size[0]}x{size[1]}; {args.rounds} rounds, "
          f"rotating order")
    print()
    width = 46
    print(f"{'spawn -> visible (ms)':{width}}{'median':>8}{'min':>7}{'max':>7}{'/ bare':>8}")
    print("-" * (width + 30))
    labels = {"actui": "actui (embedded sandbox), first number row",
              "actui, cold": "actui, cold start (no cached first page)",
              "bare Textual": 'bare Textual, "READY"',
              "actui, remote API": "actui --base-url (standalone sandbox), 1st row",
              AGAINST: f"actui from {args.against}, 1st row",
              SELF_AS_AGAINST: "actui, PYTHONPATH=this checkout, 1st row"}
    for name in contenders:
        for label, values in ((labels[name], times[name]),
                              ("  its first frame (the table header)", frames[name])):
            if not values:
                continue
            v = [x * 1000 for x in values]
            print(f"{label:{width}}{statistics.median(v):8.0f}{min(v):7.0f}{max(v):7.0f}"
                  f"{statistics.median(v) / med['bare Textual']:7.2f}x")
    for name in ("actui", "actui, remote API"):  # issue 11's goal: a warm start <= 1.35x a bare app
        if name in med:
            ratio = med[name] / med["bare Textual"]
            print(f"ratio {name} / bare (medians): {ratio:.2f}x   (goal <= 1.35x)   "
                  f"{'MET' if ratio <= 1.35 else 'MISSED'}")
    if AGAINST in med:
        print(f"ratio actui / actui from {args.against}, both with PYTHONPATH (medians): "
              f"{med[SELF_AS_AGAINST] / med[AGAINST]:.2f}x")
    print(f"children stopped by: {', '.join(f'{k} x{v}' for k, v in endings.items())}")

    if costs:
        total = sum(r[0] for r in costs) / 1000
        bare_total = sum(r[0] for r in bare_costs) / 1000
        print()
        print(f"python -X importtime, actui start-up: {len(costs)} modules, {total:.0f} ms of import self time "
              f"(bare Textual: {len(bare_costs)} modules, {bare_total:.0f} ms; importtime itself inflates both)")
        print("  by top-level package (self time, ms): " + ", ".join(
            f"{name} {us / 1000:.0f}" for name, us in root_package_costs(costs)[:10]))
        bare_names = {r[2] for r in bare_costs}
        extra = [r for r in costs if r[2] not in bare_names]
        print(f"  beyond the bare app: {len(extra)} modules, {sum(r[0] for r in extra) / 1000:.0f} ms; by package: "
              + ", ".join(f"{name} {us / 1000:.0f}" for name, us in root_package_costs(extra)[:8]))
        print("  largest self times (ms): " + ", ".join(
            f"{name} {self_us / 1000:.1f}" for self_us, _, name, _ in sorted(costs, key=lambda r: -r[0])[:10]))
        print("  largest cumulative imports (ms), outermost first:")
        shown = 0
        for _self_us, cum_us, name, depth in sorted(costs, key=lambda r: -r[1]):
            if depth > 2 or name.split(".")[0] in ("encodings", "site"):
                continue
            print(f"    {cum_us / 1000:7.1f}  {'  ' * depth}{name}")
            shown += 1
            if shown == 12:
                break


if __name__ == "__main__":
    main()
