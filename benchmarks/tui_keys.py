"""Key to frame in the real ActuiApp with 100,000 numbers loaded, and its memory.

    /work/venv/bin/python benchmarks/tui_keys.py [--numbers 100000] [--repeat 30]     # ~1.5 min on 2 cores

The sandbox runs standalone in its own process (`python -m actui.cli sandbox --numbers N`), so this
process is only the app: `ActuiApp` headless (`run_test`, 80x24) against it over loopback.

Measured inside the app (the technique of benchmarks/table_widget.py): from the moment the App dispatches
the Key event to the end of the screen update, including turning the update into terminal output
(`CompositorUpdate.render_segments`), which a real terminal would also pay. A key can cause more than one
screen update (the filter box repaints its text before the table shows the matches; a status line
follows the table); **settled** is the end of the last update before the app goes idle again, the
number the goals are checked against; **first** is the end of the first one. The pilot's own waiting is
not timed. TEXTUAL_FPS is set to 1000 (unless already set) so the numbers show the work, not Textual's
frame clock (at 60 fps up to 16.7 ms more).

Operations: cursor down, page down, end (from home), one filter keystroke (`/` opens the filter, then
the digits of "4155" one at a time: the first on the full list, the next ones narrowing; escape clears),
and `screen.sort_by(key, descending)` called from a key binding (description and status, both
directions, round robin so no sort comes from the cache).

Baseline in the same run and the same app: the same keys while only the first page is loaded (before
`L`), and the resident memory (VmRSS, after gc.collect()) with the first page versus all N numbers.

Then settings-path keystrokes over the local copy: `L` has put every list item in the copy; every detail
is then put in it straight from the sandbox's file (as `actui sync --details` would leave it), and the
filter box types `settings.rateLimit>` and `settings.autoForward.emailAddresses:` untimed, then the digits of "500"
and the letters of "oncall" one at a time, timed (each a whole pass of a path term over N rows: path
terms never narrow). The very first path keystroke builds the path's column from SQLite and its index
(once per path and list): reported apart. Baseline: the plain filter keystroke of the same run.

The end-of-update hook overrides `App._display`, a private method of Textual (pinned 8.2.8).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TEXTUAL_FPS", "1000")  # read by textual.constants at import time

from textual import events  # noqa: E402
from textual.binding import Binding  # noqa: E402

import actui.tui.app as app_module  # noqa: E402
from actui.config import Connection  # noqa: E402
from actui.core.store import Store  # noqa: E402
from actui.credentials import Secret  # noqa: E402
from actui.tui.app import ActuiApp, UiSettings  # noqa: E402
from actui.tui.widgets.number_table import NumberTable  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sandbox import PASSWORD, USER, start_sandbox, stop_sandbox  # noqa: E402

FILTER_DIGITS = "4155"
PATH_TERMS = (("settings.rateLimit>", "500"), ("settings.autoForward.emailAddresses:", "oncall"))
SORTS = (("description", False), ("description", True), ("status", False), ("status", True))
GOALS = {"cursor down": 16, "page down": 16, "end": 16, "filter keystroke": 50, "filter, 1st key": 50,
         "filter, next keys": 50, "sort": 150, "settings-path keystroke": 50}


class GcPauses:
    """Collections of the oldest generation (they walk every object: 100,000 rows are ~1.5M objects)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start: float | None = None
        self.active = False

    def __call__(self, phase: str, info: dict) -> None:
        if not self.active or info.get("generation") != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        elif self._start is not None:
            self.pauses.append((time.perf_counter() - self._start) * 1000)
            self._start = None


GC_PAUSES = GcPauses()


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class BenchApp(ActuiApp):
    """ActuiApp with a clock on one probed key and a binding that sorts (the real screen.sort_by)."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # relative paths resolve from this file
    BINDINGS = [Binding("f9", "bench_sort", "bench sort", show=False, priority=True)]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.probe_key: str | None = None
        self.started: float | None = None
        self.frames: list[tuple[float, int]] = []
        self.sort_request: tuple[str, bool] = SORTS[0]

    async def on_event(self, event: events.Event) -> None:
        if (isinstance(event, events.Key) and event.key == self.probe_key and not event.is_forwarded
                and self.started is None):
            self.started = time.perf_counter()
        await super().on_event(event)

    def _display(self, screen, renderable) -> None:  # noqa: ANN001 (private Textual hook)
        super()._display(screen, renderable)
        if renderable is None or self.started is None:
            return
        output = renderable.render_segments(self.console)  # what a real terminal would be sent
        self.frames.append((time.perf_counter(), len(output.encode())))

    def action_bench_sort(self) -> None:
        key, descending = self.sort_request
        self.screen.sort_by(key, descending)


async def settle(app: BenchApp, quiet: float = 0.03) -> None:
    """Until no screen update came for `quiet` seconds."""
    while True:
        count = len(app.frames)
        await asyncio.sleep(quiet)
        if len(app.frames) == count:
            return


async def timed(app: BenchApp, pilot, key: str) -> tuple[float, float, int, int]:
    """(first ms, settled ms, screen updates, bytes) of one key press."""
    app.frames = []
    app.started = None
    app.probe_key = key
    await pilot.press(key)
    await settle(app)
    app.probe_key = None
    started, frames = app.started, app.frames
    app.started = None
    if started is None or not frames:
        raise RuntimeError(f"key {key!r}: {'not dispatched' if started is None else 'no screen update'}")
    return ((frames[0][0] - started) * 1000, (frames[-1][0] - started) * 1000, len(frames),
            sum(size for _, size in frames))


async def untimed(app: BenchApp, pilot, *keys: str) -> None:
    app.probe_key = None
    await pilot.press(*keys)
    await pilot.pause()
    await settle(app)


async def measure(app: BenchApp, pilot, repeat: int, sorts: bool) -> dict[str, list[tuple]]:
    table = app.screen.query_one(NumberTable)
    out: dict[str, list[tuple]] = {}
    await untimed(app, pilot, "home")
    out["cursor down"] = [await timed(app, pilot, "down") for _ in range(repeat)]
    await untimed(app, pilot, "home")
    page_downs = []
    for _ in range(repeat):
        if table.cursor >= table.row_count - 1:
            await untimed(app, pilot, "home")  # the first page alone is 100 rows
        page_downs.append(await timed(app, pilot, "pagedown"))
    out["page down"] = page_downs
    ends = []
    for _ in range(repeat):
        await untimed(app, pilot, "home")
        ends.append(await timed(app, pilot, "end"))
    out["end"] = ends
    await untimed(app, pilot, "home")

    first_keys, next_keys, counts = [], [], []
    for _ in range(repeat):
        await untimed(app, pilot, "slash")
        for position, digit in enumerate(FILTER_DIGITS):
            (first_keys if position == 0 else next_keys).append(await timed(app, pilot, digit))
            counts.append(len(table.rows))
        await untimed(app, pilot, "escape")
    out["filter, 1st key"] = first_keys
    out["filter, next keys"] = next_keys
    out["filter keystroke"] = first_keys + next_keys
    out["_filter_counts"] = counts[:len(FILTER_DIGITS)]
    if sorts:
        results = []
        for index in range(repeat * len(SORTS)):
            app.sort_request = SORTS[index % len(SORTS)]
            results.append(await timed(app, pilot, "f9"))
        out["sort"] = results
        for position, (key, descending) in enumerate(SORTS):
            out[f"  sort {key} {'desc' if descending else 'asc'}"] = results[position::len(SORTS)]
        app.screen.sort_by(None, False)
        await untimed(app, pilot, "home")
    return out


async def measure_paths(app: BenchApp, pilot, repeat: int) -> dict[str, list[tuple]]:
    """Path-term keystrokes over the copy; the first of each path (its column built) apart."""
    table = app.screen.query_one(NumberTable)
    out: dict[str, list] = {"settings-path keystroke": [], "_path first ever": [], "_path counts": [], "_rss": []}
    for prefix, typed in PATH_TERMS:
        for index in range(repeat):
            await untimed(app, pilot, "slash")
            box = app.screen.query_one("#filter")
            box.value = prefix            # as if pasted: one change, not a keystroke per character
            box.cursor_position = len(prefix)
            await pilot.pause()
            await settle(app)
            for position, key in enumerate(typed):
                sample = await timed(app, pilot, key)
                first = index == 0 and position == 0
                out["_path first ever" if first else "settings-path keystroke"].append(sample)
                if index == 0:
                    out["_path counts"].append((prefix + typed[:position + 1], len(table.rows)))
            await untimed(app, pilot, "escape")
        gc.collect()
        out["_rss"].append((prefix, rss_mb()))   # after each path: its column (and index) held
    return out


FILL = """
import json, sqlite3, sys, time
from actui.core.cache_store import CacheStore
from actui.core.local_copy import LocalCopy

cache_path, account, sandbox_db = sys.argv[1:4]
source = sqlite3.connect(sandbox_db)
rows = source.execute("SELECT summary_json, settings_json FROM numbers ORDER BY seq").fetchall()
source.close()
copy = LocalCopy(CacheStore(cache_path), account)
now = time.time()
details = []
for summary, settings in rows:
    item = json.loads(summary)
    details.append((item["phoneNumber"], {**item, "settings": json.loads(settings)}, now))
for start in range(0, len(details), 1000):
    copy.put_details(details[start:start + 1000])
"""


def fill_details(app: BenchApp, sandbox_db: Path) -> int:
    """Every number's detail into the app's local copy, straight from the sandbox's file, by another
    process (as `actui sync --details` would; parsing 100,000 documents here would swell this process's
    memory, which is measured)."""
    import subprocess

    copy = app.copy_keeper.copy
    subprocess.run([sys.executable, "-c", FILL, str(copy.store.path), copy.account, str(sandbox_db)], check=True)
    return copy.status().with_details


async def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def bench(base: str, store_path: Path, numbers: int, repeat: int, size: tuple[int, int],
                sandbox_db: Path) -> dict:
    connection = Connection(profile=None, base_url=base, user=USER, password=Secret(PASSWORD))
    store = Store(store_path)
    app = BenchApp(connection, store=store, settings=UiSettings())
    result: dict = {}
    async with app.run_test(size=size) as pilot:
        await wait_until(lambda: app.screen.id == "inventory" and app.screen.query_one(NumberTable).row_count,
                         60, "the first page")
        await pilot.pause(0.5)  # the prefetch of page 2 too
        await settle(app)
        screen = app.screen
        app.clear_notifications()
        await pilot.pause()
        gc.collect()
        result["rss first page"] = rss_mb()
        result["loaded first page"] = screen.inventory.loaded_count
        result["page 1"] = await measure(app, pilot, repeat, sorts=False)

        started = time.perf_counter()
        await pilot.press("L")
        await wait_until(lambda: screen.inventory.all_loaded and not screen.loading_all, 300, "load all")
        await settle(app)
        result["load all s"] = time.perf_counter() - started
        assert screen.query_one(NumberTable).row_count == numbers, screen.query_one(NumberTable).row_count
        app.clear_notifications()
        await pilot.pause()
        await settle(app)
        gc.collect()
        result["rss all"] = rss_mb()
        result["objects"] = len(gc.get_objects())
        GC_PAUSES.active = True
        result["all"] = await measure(app, pilot, repeat, sorts=True)
        GC_PAUSES.active = False
        gc.collect()
        result["rss end"] = rss_mb()
        started = time.perf_counter()
        result["details held"] = fill_details(app, sandbox_db)
        result["fill details s"] = time.perf_counter() - started
        await settle(app)
        result["paths"] = await measure_paths(app, pilot, repeat)
        gc.collect()
        result["rss with paths"] = rss_mb()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="presses per operation (default 30)")
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))

    tmp = Path(tempfile.mkdtemp(prefix="actui-keys-"))
    proc = None
    try:
        t0 = time.perf_counter()
        proc, base = start_sandbox(tmp / "sandbox.sqlite3", args.numbers)
        print(f"sandbox with {args.numbers:,} numbers up in {time.perf_counter() - t0:.1f} s (pid {proc.pid}); "
              f"terminal {size[0]}x{size[1]}; TEXTUAL_FPS={os.environ['TEXTUAL_FPS']}; "
              f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs", flush=True)
        t0 = time.perf_counter()
        gc.callbacks.append(GC_PAUSES)
        result = asyncio.run(bench(base, tmp / "actui.sqlite3", args.numbers, args.repeat, size,
                                   tmp / "sandbox.sqlite3"))
        print(f"measured in {time.perf_counter() - t0:.0f} s")
    finally:
        stop_sandbox(proc)
        shutil.rmtree(tmp, ignore_errors=True)

    page1, full = result["page 1"], result["all"]
    print()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"date:    {datetime.date.today().isoformat()}")
    print(f"load all ({args.numbers:,} from the standalone sandbox, L to all loaded): {result['load all s']:.1f} s")
    print()
    n = args.repeat
    header = (f"{'key -> frame (ms)':24}{'n':>5}{'settled':>9}{'first':>8}{'p90':>8}{'max':>8}"
              f"{'upd':>5}{'bytes':>7}{'page 1':>8}{'ratio':>7}{'goal':>7}")
    print(header)
    print("-" * len(header))
    for op, samples in full.items():
        if op.startswith("_"):
            continue
        settled = [s[1] for s in samples]
        first = [s[0] for s in samples]
        med = statistics.median(settled)
        p90 = sorted(settled)[int(0.9 * (len(settled) - 1))]
        base_samples = page1.get(op)
        base_med = statistics.median(s[1] for s in base_samples) if base_samples else None
        goal = GOALS.get(op)
        line = (f"{op:24}{len(samples):5d}{med:9.1f}{statistics.median(first):8.1f}{p90:8.1f}{max(settled):8.1f}"
                f"{statistics.median(s[2] for s in samples):5.0f}{statistics.median(s[3] for s in samples):7.0f}")
        line += f"{base_med:8.1f}{med / base_med:6.1f}x" if base_med else f"{'-':>8}{'-':>7}"
        line += f"{'<= ' + str(goal):>7} {'MET' if med <= goal else 'MISSED'}" if goal else ""
        print(line)
    print(f"(medians of {n}+ presses; settled = key dispatch to the end of the last screen update it caused; "
          f"upd = screen updates per key; bytes = terminal output; page 1 = the same key with only the first "
          f"page loaded, ratio = all / page 1)")
    counts = full["_filter_counts"]
    pauses = GC_PAUSES.pauses
    print(f"full (generation 2) GC collections while measuring with all loaded: {len(pauses)}"
          + (f", {statistics.median(pauses):.0f} ms median, {max(pauses):.0f} ms max "
             f"({result['objects']:,} objects tracked by the GC after load-all); a key that meets one waits that long "
             f"(the max column)"
             if pauses else ""))
    print(f"filter matches after each digit of {FILTER_DIGITS!r} (all loaded): "
          + " -> ".join(f"{c:,}" for c in counts))
    paths = result["paths"]
    print()
    print(f"settings-path keystrokes over the local copy ({result['details held']:,} details, put in "
          f"{result['fill details s']:.1f} s):")
    plain = statistics.median(s[1] for s in full["filter keystroke"])
    samples = paths["settings-path keystroke"]
    settled = sorted(s[1] for s in samples)
    med = statistics.median(settled)
    print(f"{'settings-path keystroke':24}{len(samples):5d}{med:9.1f}{statistics.median(s[0] for s in samples):8.1f}"
          f"{settled[int(0.9 * (len(settled) - 1))]:8.1f}{settled[-1]:8.1f}"
          f"{statistics.median(s[2] for s in samples):5.0f}{statistics.median(s[3] for s in samples):7.0f}"
          f"{plain:8.1f}{med / plain:6.1f}x{'<= 50':>7} {'MET' if med <= 50 else 'MISSED'}")
    print("(baseline column = the plain filter keystroke with all loaded, same run)")
    firsts = [paths["_path counts"][0], paths["_path counts"][len(PATH_TERMS[0][1])]]
    for (term, count), sample in zip(firsts, paths["_path first ever"], strict=True):
        print(f"first keystroke of a path ever ({term!r}: column read from SQLite off the UI thread, then "
              f"indexed): first screen update {sample[0]:.0f} ms, the matches shown {sample[1]:.0f} ms; "
              f"{count:,} match")
    print("matches: " + ", ".join(f"{term} {count:,}" for term, count in paths["_path counts"]))
    print()
    print(f"{'memory (VmRSS after gc.collect())':40}{'MB':>8}")
    print("-" * 48)
    label = f"first page only ({result['loaded first page']} rows loaded)"
    print(f"{label:40}{result['rss first page']:8.0f}")
    print(f"{f'all {args.numbers:,} loaded':40}{result['rss all']:8.0f}   goal <= 250 "
          f"{'MET' if result['rss all'] <= 250 else 'MISSED'}")
    print(f"{'  difference':40}{result['rss all'] - result['rss first page']:8.0f}")
    print(f"{'after all the keys above':40}{result['rss end']:8.0f}")
    for number, (prefix, rss) in enumerate(paths["_rss"], 1):
        print(f"{f'after path {number}':40}{rss:8.0f}   {prefix.rstrip(':>')}")
    print(f"{f'after the {len(PATH_TERMS)} settings-path terms':40}{result['rss with paths']:8.0f}   goal <= 250 "
          f"{'MET' if result['rss with paths'] <= 250 else 'MISSED'}")


if __name__ == "__main__":
    main()
