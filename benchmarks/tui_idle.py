"""Idle: what `actui` costs while nobody touches it and the order poller keeps polling a pending order.

    /work/venv/bin/python benchmarks/tui_idle.py [--window 30] [--settle 3]       # ~45 s

Set-up (all in a temp dir, removed at the end):
- a sandbox db with 500 numbers and one A2P provision order that stays "Pending" for an hour: it is
  placed with `SandboxState(db, a2p_seconds=3600).submit(...)` (the standalone `actui sandbox` command
  has no duration option, and its 40 s A2P orders would turn InProgress and Completed within the window);
- the sandbox served standalone from that db (`python -m actui.cli sandbox --db ... --port P`);
- the order tracked in actui's state db (`OrderBook(Store(...), connection.account_key).track(id)`),
  so the poller polls it from start-up on: every 2 s while the order is young, then age / 15 s.

Three children, each in its own 80x24 pseudo-terminal (TERM=xterm-256color), measured over the SAME
window, side by side:
- **actui, order pending**: `actui --base-url http://127.0.0.1:P/api/v1 --user sandbox@actui.dev`
  (ACTUI_PASSWORD=sandbox), with the tracked order;
- **actui, nothing tracked**: the same command with an empty state db (the poller idles);
- **bare Textual**: an App with one `Static("READY")`.
Once each shows its first screen (actui: the first number row), wait `--settle` s, then for `--window` s
record each child's CPU time (/proc/PID/stat utime+stime) and every byte it writes to its terminal.
Polls in the window are counted by sampling the tracked order's `polled_at` in the state db every 0.25 s.
Every burst of output in the window is printed with its time and roughly decoded; the order tracker's age
column ("pending 35s") is redrawn by a 30 s timer, which is expected and shown separately.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pty import PtyChild, clean_env, describe_escapes, proc_cpu_seconds, strip_escapes  # noqa: E402
from _sandbox import BARE_APP, FIRST_NUMBER, PASSWORD, USER, start_sandbox, stop_sandbox  # noqa: E402

ORDER_SECONDS = 3600.0
TENANT = "00000000-0000-0000-0000-000000000000"


def place_pending_order(db: Path, numbers: int) -> tuple[int, str]:
    """Seed the sandbox db and place one A2P order that stays Pending for ORDER_SECONDS * 0.2."""
    from actui.sandbox.state import SandboxState

    with SandboxState(db, numbers=numbers, a2p_seconds=ORDER_SECONDS) as state:
        taken = set(state.numbers())
        number = next(f"+1415555{n:04d}" for n in range(9999, 0, -1) if f"+1415555{n:04d}" not in taken)
        entry = {"number": number, "email": "alerts@example.com", "description": "Idle benchmark",
                 "platformType": "TeamsIndividual", "campaignId": "C1A2B3C", "brandId": "B9X8Y7Z",
                 "messagingFeature": {"provisionType": "SMS", "provisionClass": "A2P"}, "billingPlan": "A2P250"}
        request = {"action": "Provision", "tenantId": TENANT, "phoneNumbers": [entry]}
        order_id = state.submit(request, owner=USER)
        assert state.order(order_id)["status"] == "Pending"
    return order_id, number


def polled_at(state_db: Path, account: str, order_id: int) -> tuple[float | None, str | None]:
    db = sqlite3.connect(f"file:{state_db}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute("SELECT polled_at, status FROM tracked_orders WHERE account = ? AND order_id = ?",
                         (account, str(order_id))).fetchone()
    finally:
        db.close()
    return (row[0], row[1]) if row else (None, None)


def bursts(chunks: list[tuple[float, bytes]], gap: float = 0.1) -> list[tuple[float, bytes]]:
    """Chunks closer than `gap` s joined: one burst per screen update (or group of them)."""
    out: list[list] = []
    for stamp, data in chunks:
        if out and stamp - out[-1][2] < gap:
            out[-1][1] += data
            out[-1][2] = stamp
        else:
            out.append([stamp, data, stamp])
    return [(start, data) for start, data, _ in out]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=500)
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=3.0)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))

    from actui.config import Connection
    from actui.core.orders import OrderBook
    from actui.core.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="actui-idle-"))
    sandbox = None
    children: dict[str, PtyChild] = {}
    try:
        sandbox_db = tmp / "sandbox.sqlite3"
        order_id, number = place_pending_order(sandbox_db, args.numbers)
        sandbox, base = start_sandbox(sandbox_db)
        account = Connection(profile=None, base_url=base, user=USER).account_key
        dirs = {name: (tmp / name / "data", tmp / name / "config") for name in ("tracked", "untracked")}
        for data, config in dirs.values():
            data.mkdir(parents=True)
            config.mkdir(parents=True)
        state_db = dirs["tracked"][0] / "actui.sqlite3"
        store = Store(state_db)
        OrderBook(store, account).track(order_id, "Provision", "A2P")
        store.close()
        bare = tmp / "bare_textual.py"
        bare.write_text(BARE_APP)

        actui = [str(Path(sys.executable).with_name("actui")), "--base-url", base, "--user", USER]
        specs = {
            "actui, order pending": (actui, dirs["tracked"], FIRST_NUMBER),
            "actui, nothing tracked": (actui, dirs["untracked"], FIRST_NUMBER),
            "bare Textual": ([sys.executable, str(bare)], dirs["untracked"], "READY"),
        }
        for name, (argv, (data, config), _) in specs.items():
            env = clean_env(ACTUI_DATA_DIR=str(data), ACTUI_CONFIG_DIR=str(config), ACTUI_PASSWORD=PASSWORD)
            children[name] = PtyChild(argv, env=env, size=size)
        shown = {name: children[name].wait_for_text(needle, 60) for name, (_, _, needle) in specs.items()}
        children["actui, order pending"].wait_for_text(str(order_id), 30)  # the tracker shows the order

        time.sleep(args.settle)
        before = polled_at(state_db, account, order_id)
        wall_offset = time.time() - time.perf_counter()
        cpu0 = {name: proc_cpu_seconds(child.pid) for name, child in children.items()}
        sandbox_cpu0 = proc_cpu_seconds(sandbox.pid)
        t0 = time.perf_counter()
        polls: set[float] = set()
        while time.perf_counter() - t0 < args.window:
            value, status = polled_at(state_db, account, order_id)
            if value is not None and value > before[0]:
                polls.add(value)
            time.sleep(0.25)
        t1 = time.perf_counter()
        cpu1 = {name: proc_cpu_seconds(child.pid) for name, child in children.items()}
        sandbox_cpu1 = proc_cpu_seconds(sandbox.pid)
        after = polled_at(state_db, account, order_id)
        if after[0] is not None and after[0] > before[0]:
            polls.add(after[0])
        window = t1 - t0
        written = {name: child.bytes_between(t0, t1) for name, child in children.items()}
        endings = {name: child.stop() for name, child in children.items()}
        children.clear()
    finally:
        for child in children.values():
            child.stop()
        stop_sandbox(sandbox)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"date:    {datetime.date.today().isoformat()}")
    print(f"{args.numbers} numbers; order {order_id} (A2P, provisioning {number}) Pending for "
          f"{ORDER_SECONDS * 0.2:.0f} s; terminal {size[0]}x{size[1]}; window {window:.1f} s after "
          f"{args.settle:.0f} s of settling; {os.cpu_count()} CPUs")
    print()
    header = f"{'idle window':26}{'first screen s':>15}{'CPU s':>8}{'CPU %':>8}{'bytes':>8}{'bytes/s':>9}{'updates':>9}"
    print(header)
    print("-" * len(header))
    for name in specs:
        cpu = cpu1[name] - cpu0[name]
        total = sum(len(c) for _, c in written[name])
        print(f"{name:26}{shown[name]:15.2f}{cpu:8.2f}{100 * cpu / window:8.2f}{total:8d}{total / window:9.1f}"
              f"{len(bursts(written[name])):9d}")
    sandbox_cpu = sandbox_cpu1 - sandbox_cpu0
    print(f"{'(the sandbox process)':26}{'':15}{sandbox_cpu:8.2f}{100 * sandbox_cpu / window:8.2f}")
    pending_cpu = 100 * (cpu1["actui, order pending"] - cpu0["actui, order pending"]) / window
    print(f"goal: actui with a pending order under 1% CPU: {'MET' if pending_cpu < 1 else 'MISSED'} "
          f"({pending_cpu:.2f}%); children stopped by: {', '.join(sorted(set(endings.values())))}")
    poll_times = sorted(polls)
    print(f"polls in the window: {len(poll_times)} (polled_at {before[0] and before[0] - wall_offset - t0:+.1f} s "
          f"before the window -> {after[0] and after[0] - wall_offset - t0:+.1f} s; status {after[1]!r}); at "
          + ", ".join(f"{p - wall_offset - t0:.1f}" for p in poll_times) + " s")
    print()
    for name in specs:
        found = bursts(written[name])
        if not found:
            print(f"{name}: wrote nothing in the window")
            continue
        print(f"{name}: {len(found)} burst(s) of output in the window:")
        for start, data in found:
            text = " ".join(strip_escapes(data.decode("utf-8", "replace")).split())
            near = [p for p in poll_times if -0.05 < start - (p - wall_offset) < 0.15]
            kind = ("age redraw" if "pending " in text else "") + (" (right after a poll)" if near else "")
            print(f"  at {start - t0:5.1f} s: {len(data)} bytes {kind}; text {text[:100]!r}")
            print(f"    {describe_escapes(data, 400)}")


if __name__ == "__main__":
    main()
