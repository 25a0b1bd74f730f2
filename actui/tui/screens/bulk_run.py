"""A bulk run on screen: its progress while the engine sends, then a result per number.

`BulkRunScreen(title, start, retry=...)`: `start(on_progress, cancel)` is the engine call to run
(BulkEngine.apply, .undo, .resume, .order …) and returns its BulkResult. The screen shows done, failed,
remaining, rate and time left as the engine reports them; escape asks the engine to stop (requests in
flight finish and are recorded). Then a table lists every number with what happened to it, problems
first, the server's message beside each failure; `f` re-runs only the failures (`retry(run_id, ...)`).
Dismissed with the last BulkResult (None when the run could not start).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, ProgressBar, Static

from ...api.phone import friendly
from ...core.bulk import BulkResult, Progress
from ..app_services import app_services
from ..safe import error_text, plain
from .tcss import css_beside

Start = Callable[[Callable[[Progress], None], asyncio.Event], Awaitable[BulkResult]]
Retry = Callable[[int, Callable[[Progress], None], asyncio.Event], Awaitable[BulkResult]]

STATE_STYLE = {"changed": "green", "ordered": "green", "unchanged": "dim", "failed": "bold red",
               "unknown": "bold yellow", "conflict": "bold yellow", "cancelled": "yellow", "pending": "yellow"}
STATE_ORDER = ("failed", "unknown", "conflict", "cancelled", "pending", "changed", "ordered", "unchanged")


def progress_text(progress: Progress) -> Text:
    eta = progress.eta
    left = "" if eta is None else (f" · ~{eta:.0f} s left" if eta >= 1 else " · finishing")
    text = Text.assemble((f"{progress.done:,}/{progress.total:,} done", "bold"),
                         f" · {progress.changed:,} changed")
    if progress.unchanged:
        text.append(f" · {progress.unchanged:,} already so")
    if progress.failed:
        text.append(f" · {progress.failed:,} failed", style="bold red")
    text.append(f" · {progress.remaining:,} to go · {progress.rate:,.0f}/s{left}")
    return text


def summary_text(result: BulkResult) -> Text:
    counts = result.counts()
    parts = [f"{counts[state]:,} {state}" for state in STATE_ORDER if counts.get(state)]
    head = "Cancelled" if result.cancelled else "Done"
    text = Text.assemble((f"{head}: ", "bold"), " · ".join(parts) or "nothing to do",
                         f"   (journal run {result.run.id})")
    return text


class BulkRunScreen(Screen[BulkResult | None]):
    DEFAULT_CSS = css_beside(__file__, "bulk_run.tcss")

    BINDINGS = [
        Binding("escape", "stop", "Cancel", id="bulk_run.cancel"),
        Binding("escape", "close", "Close", id="bulk_run.close"),
        Binding("f", "retry_failed", "Retry failed", id="bulk_run.retry"),
    ]

    def __init__(self, title: str, start: Start, *, retry: Retry | None = None):
        super().__init__()
        self.title_text = title
        self.start = start
        self.retry = retry
        self.cancel = asyncio.Event()
        self.result: BulkResult | None = None
        self.running = False
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(plain(self.title_text), id="run-title")
        yield Static("Starting…", id="run-progress")
        yield ProgressBar(id="run-bar", show_eta=False)
        table: DataTable = DataTable(id="run-results", cursor_type="row", zebra_stripes=True)
        table.display = False
        yield table
        yield Static("escape cancels: numbers being sent finish and are recorded", id="run-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.run_engine(self.start)

    # --- running ------------------------------------------------------------------------------------

    @work(exclusive=True, group="bulk-run", exit_on_error=False)
    async def run_engine(self, start: Start) -> None:
        self.running = True
        self.cancel = asyncio.Event()
        self.refresh_bindings()
        try:
            result = await start(self.show_progress, self.cancel)
        except Exception as error:  # noqa: BLE001 - said on screen, never a crash
            connection = app_services(self).connection
            self.error = error_text(error, connection.user if connection is not None else None)
            self.query_one("#run-progress", Static).update(Text.assemble(("Not run: ", "bold red"), self.error))
            self.query_one("#run-hint", Static).update("escape goes back")
            return
        finally:
            self.running = False
            self.refresh_bindings()
        self.result = result
        self.show_result(result)

    def show_progress(self, progress: Progress) -> None:
        self.query_one("#run-progress", Static).update(progress_text(progress))
        self.query_one("#run-bar", ProgressBar).update(total=max(1, progress.total), progress=progress.done)

    def show_result(self, result: BulkResult) -> None:
        self.query_one("#run-progress", Static).update(summary_text(result))
        bar = self.query_one("#run-bar", ProgressBar)
        bar.update(total=max(1, len(result.outcomes)),
                   progress=sum(o.state not in ("pending", "cancelled") for o in result.outcomes))
        table = self.query_one("#run-results", DataTable)
        table.clear(columns=True)
        table.add_columns("Number", "Result", "Fields / message")
        rank = {state: index for index, state in enumerate(STATE_ORDER)}
        for outcome in sorted(result.outcomes, key=lambda o: rank.get(o.state, len(rank))):
            detail = outcome.error or ", ".join(
                f"{c.path.removeprefix('settings.')}={_short(c.new)}" for c in outcome.changes)
            table.add_row(plain(friendly(outcome.number)), plain(outcome.state, STATE_STYLE.get(outcome.state, "")),
                          plain(detail), key=outcome.number)
        table.display = True
        table.focus()
        failed = len(result.failed)
        hint = "escape closes"
        if failed and self.retry is not None:
            hint = f"f retries the {failed:,} failed · " + hint
        self.query_one("#run-hint", Static).update(hint)

    # --- keys ---------------------------------------------------------------------------------------

    def action_stop(self) -> None:
        if self.running and not self.cancel.is_set():
            self.cancel.set()
            self.query_one("#run-hint", Static).update(
                Text("Cancelling: numbers being sent finish and are recorded; the rest are not sent.",
                     style="bold"))

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.result)

    def action_retry_failed(self) -> None:
        result, retry = self.result, self.retry
        if self.running or result is None or retry is None or not result.failed:
            return
        run_id = result.run.id
        self.query_one("#run-title", Static).update(plain(f"{self.title_text} · retrying the failed numbers"))
        self.query_one("#run-results", DataTable).display = False
        self.query_one("#run-hint", Static).update("escape cancels: numbers being sent finish and are recorded")
        self.run_engine(lambda on_progress, cancel: retry(run_id, on_progress, cancel))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_failed":
            return bool(not self.running and self.retry and self.result and self.result.failed)
        if action == "stop":
            return self.running
        if action == "close":
            return not self.running
        return True


def _short(value: object, width: int = 24) -> str:
    text = "null" if value is None else str(value)
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[: width - 1] + "…"
