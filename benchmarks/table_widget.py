"""NumberTable (virtual, Line API) against Textual's DataTable, with 100,000 rows.

    /work/venv/bin/python benchmarks/table_widget.py            # ~30 s on 2 cores
    /work/venv/bin/python benchmarks/table_widget.py --rows 1000000 --skip-datatable

Runs each widget in a headless app and measures *inside the app*:

- load: the time of the call that hands the rows over (`NumberTable.set_rows` / `DataTable.add_rows`),
  and the time from the start of that call until the screen update that shows them;
- keys (cursor down, page down, jump to end): from the moment the App dispatches the Key event to
  the end of the screen update it caused, including turning that update into terminal output
  (`CompositorUpdate.render_segments`), which a real terminal would also pay. The bytes of that
  output are reported too (what an SSH link would carry).

The keys are sent with the pilot, but its built-in waiting (~60-80 ms a press) is NOT what is timed.
Textual paces screen updates at TEXTUAL_FPS (60 by default: up to 16.7 ms of waiting for the next
frame); this script sets TEXTUAL_FPS=1000 (unless already set) so the numbers show the work, not
the frame clock. Run with TEXTUAL_FPS=60 to see what a user would feel including pacing.

The end-of-update hook overrides `App._display`, a private method of Textual (pinned 8.2.8).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TEXTUAL_FPS", "1000")  # read by textual.constants at import time

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from actui.core.inventory import COLUMNS, NumberRow  # noqa: E402
from actui.tui.widgets.number_table import NumberTable  # noqa: E402

STATUSES = ("Active", "Active", "Active", "Inactive")


def make_rows(n: int) -> list[NumberRow]:
    rows = []
    for i in range(n):
        cells = (
            f"({200 + i // 10_000_000 % 800}) {i // 10_000 % 1000:03d}-{i % 10_000:04d}",
            STATUSES[i % 4],
            "P2P" if i % 3 else "A2P",
            "Voice",
            "Teams" if i % 2 else "Webex",
            f"user{i}",
            f"user{i}@example.com",
            f"desk phone on floor {i % 40}, room {i % 997}",
            "Basic",
        )
        rows.append(NumberRow(f"+1{200 + i // 10_000_000 % 800}{i % 10_000_000:07d}", cells))
    return rows


class BenchApp(App):
    """Hosts one table; times a probed key from dispatch to the end of the screen update."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind
        self.probe_key: str | None = None
        self._started: float | None = None
        self._waiter: asyncio.Future[tuple[float, int]] | None = None

    def compose(self) -> ComposeResult:
        if self.kind == "NumberTable":
            yield NumberTable(id="table")
        else:
            yield DataTable(id="table", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#table").focus()

    def expect_update(self) -> asyncio.Future[tuple[float, int]]:
        self._waiter = asyncio.get_running_loop().create_future()
        return self._waiter

    def start_clock(self) -> None:
        self._started = time.perf_counter()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.key == self.probe_key and not event.is_forwarded:
            self.start_clock()
        await super().on_event(event)

    def _display(self, screen, renderable) -> None:  # noqa: ANN001 (private Textual hook)
        super()._display(screen, renderable)
        waiter, started = self._waiter, self._started
        if renderable is None or waiter is None or started is None or waiter.done():
            return
        output = renderable.render_segments(self.console)  # what a real terminal would be sent
        elapsed = time.perf_counter() - started
        self._started = None
        waiter.set_result((elapsed * 1000, len(output.encode())))


async def time_key(app: BenchApp, pilot, key: str, reset: str | None, repeat: int) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for _ in range(repeat):
        if reset:
            app.probe_key = None
            await pilot.press(reset)
            await pilot.pause()
        app.probe_key = key
        waiter = app.expect_update()
        await pilot.press(key)
        ms, size = await asyncio.wait_for(waiter, 30)
        times.append(ms)
        sizes.append(size)
        app.probe_key = None
        await pilot.pause()
    return times, sizes


async def bench(kind: str, rows: list[NumberRow], size: tuple[int, int], repeat: int) -> dict[str, tuple]:
    app = BenchApp(kind)
    results: dict[str, tuple] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.query_one("#table")
        waiter = app.expect_update()
        app.start_clock()
        started = time.perf_counter()
        if kind == "NumberTable":
            table.set_rows(rows)
        else:
            for column in COLUMNS:
                table.add_column(column.title, key=column.key)
            table.add_rows(row.cells for row in rows)
        call_ms = (time.perf_counter() - started) * 1000
        painted_ms, _ = await asyncio.wait_for(waiter, 120)
        results["load (call)"] = (call_ms,)
        results["load (to screen)"] = (painted_ms,)
        await pilot.pause()

        first, last = ("home", "end") if kind == "NumberTable" else ("ctrl+home", "ctrl+end")
        results["cursor down"] = await time_key(app, pilot, "down", None, repeat)
        await pilot.press(first)
        await pilot.pause()
        results["page down"] = await time_key(app, pilot, "pagedown", None, repeat)
        results["jump to end"] = await time_key(app, pilot, last, first, max(5, repeat // 2))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--size", default="80x24", help="terminal WIDTHxHEIGHT (default 80x24)")
    parser.add_argument("--repeat", type=int, default=25, help="samples per key (default 25)")
    parser.add_argument("--skip-datatable", action="store_true", help="only the NumberTable")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))

    t0 = time.perf_counter()
    rows = make_rows(args.rows)
    print(f"{args.rows:,} rows built in {(time.perf_counter() - t0) * 1000:.0f} ms; "
          f"terminal {width}x{height}; TEXTUAL_FPS={os.environ['TEXTUAL_FPS']}; "
          f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")

    kinds = ["NumberTable"] + ([] if args.skip_datatable else ["DataTable"])
    results = {}
    for kind in kinds:
        t0 = time.perf_counter()
        results[kind] = asyncio.run(bench(kind, rows, (width, height), args.repeat))
        print(f"  {kind}: measured in {time.perf_counter() - t0:.1f} s")

    def ms(values: tuple) -> float:
        return values[0] if len(values) == 1 else statistics.median(values[0])

    def size(values: tuple) -> str:
        return f"{statistics.median(values[1]):.0f}" if len(values) == 2 else "-"

    both = len(kinds) == 2
    header = f"{'operation':20}" + "".join(f"{k + ' ms':>15}" for k in kinds)
    header += f"{'ratio':>8}" if both else ""
    header += "".join(f"{short + ' bytes':>10}" for short in ("NT", "DT")[:len(kinds)])
    print()
    print(header)
    print("-" * len(header))
    for operation in results["NumberTable"]:
        line = f"{operation:20}" + "".join(f"{ms(results[k][operation]):15.2f}" for k in kinds)
        if both:
            ours, theirs = ms(results["NumberTable"][operation]), ms(results["DataTable"][operation])
            line += f"{theirs / ours:7.0f}x" if ours else f"{'-':>8}"
        line += "".join(f"{size(results[k][operation]):>10}" for k in kinds)
        print(line)
    print("(keys: median of the samples; ratio = DataTable / NumberTable; bytes = terminal output of the update)")
    nt = results["NumberTable"]
    print()
    print("NumberTable key timings (ms): " + ", ".join(
        f"{op} min {min(v[0]):.2f} / median {statistics.median(v[0]):.2f} / max {max(v[0]):.2f}"
        for op, v in nt.items() if len(v) == 2))


if __name__ == "__main__":
    main()
