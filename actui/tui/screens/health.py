"""The health screen (key H, palette "Health: policies and overview"): the inventory at a glance, then one
row per policy of policies.toml and per built-in check, judged over the local copy.

`HealthScreen(policies_path=None)`: the overview (widgets/overview.py) at the top, a coverage line (how
many numbers the copy holds, how many with details, the oldest detail's age), then the table: name
(built-in checks marked), where it comes from, numbers matched, numbers breaking, description.
Loading the file and evaluating run in a worker thread; a file that cannot be read is shown with its file
and line, never raised. enter shows the row's breaking numbers in the list, marked (`b` edits them);
`f` fixes the row's breaking numbers, `F` those of every row, through the bulk preview, its typed count,
the journal and undo, like a bulk edit; `d` reads the details the copy lacks; `r` evaluates again.
Every text from the file or the server is shown as Text made terminal-safe (tui/safe.py).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from ...core.timefmt import age
from ..copy_sync import progress_text
from ..safe import error_text, plain
from ..widgets.overview import OverviewPanel
from .tcss import css_beside

if TYPE_CHECKING:
    from ...core.local_copy import CopyStatus
    from ...core.overview import InventoryOverview
    from ...core.policies import PolicyResult

PROGRESS_EVERY = 0.1   # seconds between two coverage line updates of a background read
NAME_WIDTH = 22
SOURCE_WIDTH = 8
MATCHED_WIDTH = 7
BREAKING_WIDTH = 8


@dataclass
class Evaluation:
    """What one evaluation found (made in the worker thread, shown on the UI thread)."""

    results: list[PolicyResult] = field(default_factory=list)
    overview: InventoryOverview | None = None
    status: CopyStatus | None = None
    file_error: str | None = None        # the policy file could not be read: its error, file and line
    problem: str | None = None           # the copy could not be read at all
    policies_path: Path | None = None
    journal_mark: tuple | None = None    # HealthScreen.journal_mark() as it was judged


def home_short(path: Path) -> str:
    """`path` with the home folder as ~ (shorter, and the same on every machine)."""
    try:
        return f"~/{Path(path).relative_to(Path.home())}"
    except ValueError:
        return str(path)


def count_text(count: int, width: int, style: str = "") -> Text:
    return Text(f"{count:>{width},}", style=style)   # DataTable cells ignore Text.justify


def result_cells(result: PolicyResult, width: int) -> list[Text]:
    policy = result.policy
    name = plain(policy.name, "italic" if policy.builtin else "bold")
    source = Text("built-in", "dim") if policy.builtin else Text(f"line {policy.line}", "dim")
    breaking = len(result.breaking)
    description = plain(policy.description or policy.where or "every number")
    for cell, room in ((name, NAME_WIDTH), (description, width)):
        cell.no_wrap, cell.overflow = True, "ellipsis"
        cell.truncate(room, overflow="ellipsis")
    return [name, source, count_text(len(result.checked), MATCHED_WIDTH),
            count_text(breaking, BREAKING_WIDTH, "bold red" if breaking else "green"), description]


def coverage_text(status: CopyStatus | None, now: float, progress: str | None = None) -> Text:
    """'Coverage: 118/120 with details, oldest 3m · 2 not judged: d reads them' (fits 80 columns)."""
    text = Text("Coverage: ", style="bold")
    if status is None or not status.numbers:
        text.append(progress or "the local copy holds no numbers yet: d reads the list and the details")
        return text
    text.append(f"{status.with_details:,}/{status.numbers:,} with details")
    if status.oldest_detail_at is not None:
        text.append(f", oldest {age(max(0.0, now - status.oldest_detail_at))}")
    missing = status.numbers - status.with_details
    if progress:
        text.append(f" · {progress}", style="bold")
    elif missing:
        text.append(f" · {missing:,} not judged: d reads them", style="bold yellow")
    return text


class PolicyTable(DataTable):
    """The policies, one a row; enter shows the row's breaking numbers in the list."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Breaking", id="health.show_breaking",
                tooltip="Back to the list with only this policy's breaking numbers, marked (b edits them)"),
    ]


class HealthScreen(Screen[None]):
    DEFAULT_CSS = css_beside(__file__, "health.tcss")

    BINDINGS = [
        Binding("escape", "back", "Back", id="health.back"),
        Binding("f", "fix", "Fix", id="health.fix",
                tooltip="Set the breaking numbers of the policy under the cursor as it requires (preview first)"),
        Binding("F", "fix_all", "Fix all", show=False, id="health.fix_all",
                tooltip="Set the breaking numbers of every policy as they require (preview first)"),
        Binding("r", "reevaluate", "Re-evaluate", id="health.reevaluate",
                tooltip="Read policies.toml and judge the local copy again"),
        Binding("d", "read_details", "Read details", id="health.read_details",
                tooltip="Read the details the local copy lacks or holds older than max_age"),
    ]
    WRITE_ACTIONS = frozenset({"fix", "fix_all"})

    def __init__(self, policies_path: Path | None = None) -> None:
        """`policies_path`: the policy file (None: policies.toml beside config.toml)."""
        super().__init__(id="health")
        self.policies_path = policies_path
        self.evaluation: Evaluation | None = None
        self._reading = False

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="☎")
        yield OverviewPanel(id="health-overview")
        yield Static(id="health-coverage")
        yield Static(Text("Judging the local copy…"), id="health-message", classes="-shown")
        yield PolicyTable(id="health-table", cursor_type="row", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Policy", key="name", width=NAME_WIDTH)
        table.add_column("From", key="source", width=SOURCE_WIDTH)
        table.add_column("Matched", key="matched", width=MATCHED_WIDTH)
        table.add_column("Breaking", key="breaking", width=BREAKING_WIDTH)
        table.add_column("Description", key="description")
        table.focus()
        self.evaluate()

    def on_screen_resume(self) -> None:
        """Back on the screen (from a fix's run, help, the palette): judged again only when actui changed
        numbers meanwhile (judging 100,000 numbers reads their columns again: seconds of CPU)."""
        if self.evaluation is not None and self.journal_mark() != self.evaluation.journal_mark:
            self.evaluate()

    def journal_mark(self) -> tuple | None:
        """The journal's latest run and its state: it moves whenever actui writes (a fix, an edit)."""
        from ...core.store import StoreError

        try:
            runs = self.app.bulk.journal.runs(limit=1)
        except StoreError:
            return None
        return (runs[0].id, runs[0].state, runs[0].counts) if runs else None

    @property
    def keeper(self):
        return self.app.copy_keeper

    # --- evaluating (a worker thread: never the UI thread) -------------------------------------------

    def action_reevaluate(self) -> None:
        message = self.query_one("#health-message", Static)
        message.update(Text("Judging the local copy…"))
        message.add_class("-shown")
        self.evaluate()

    @work(exclusive=True, group="health-evaluate", thread=True, exit_on_error=False)
    def evaluate(self) -> None:
        try:
            found = self._evaluate()
        except Exception as error:  # noqa: BLE001 - a bug in a check: said on the screen, never a crash
            found = Evaluation(problem=f"The policies could not be judged: {error_text(error)}")
        if not get_current_worker().is_cancelled:   # a newer judging started meanwhile (r, a read): its turn
            self.app.call_from_thread(self._show, found)

    def _evaluate(self) -> Evaluation:
        from ...core.overview import overview
        from ...core.policies import PolicyFileError, evaluate, load_policies
        from ...core.store import StoreError
        from ...paths import policies_file

        found = Evaluation(policies_path=self.policies_path or policies_file(), journal_mark=self.journal_mark())
        keeper = self.keeper
        copy = keeper.copy
        if copy is None:
            found.problem = "The local copy cannot be opened: nothing to judge (the list works without it)."
            return found
        now = self.app.clock()
        try:
            found.status = keeper.read_status()
            found.overview = overview(copy, len(self.app.book.pending()), now=now)
        except StoreError as error:
            found.problem = f"The local copy cannot be read: {error}"
            return found
        try:
            policies = load_policies(self.policies_path)
        except PolicyFileError as error:
            found.file_error = f"{error}\nThe file: {home_short(error.path)} — fix it, then r reads it again"
            return found
        except OSError as error:
            found.file_error = f"{home_short(found.policies_path)}: cannot be read ({error})"
            return found
        try:
            found.results = evaluate(policies, copy, now=now)
        except StoreError as error:
            found.problem = f"The local copy cannot be read: {error}"
        return found

    def _show(self, found: Evaluation) -> None:
        if not self.is_attached:
            return   # left (enter, escape) while it was judged
        self.evaluation = found
        if found.overview is not None:
            self.query_one(OverviewPanel).show(found.overview)
        self.show_coverage()
        message = self.query_one("#health-message", Static)
        said = found.file_error or found.problem
        message.update(plain(said, multiline=True) if said else "")
        message.set_class(bool(said), "-shown")
        self.set_class(bool(found.file_error), "-file-error")
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        width = max(12, self.size.width - NAME_WIDTH - SOURCE_WIDTH - MATCHED_WIDTH - BREAKING_WIDTH - 1 - 2 * 5)
        for index, result in enumerate(found.results):
            table.add_row(*result_cells(result, width), key=str(index))
        if found.results:
            table.move_cursor(row=min(max(at, 0), len(found.results) - 1))

    def show_coverage(self) -> None:
        if not self.is_attached:
            return
        status = self.evaluation.status if self.evaluation else self.keeper.status
        progress = self.keeper.progress
        self.query_one("#health-coverage", Static).update(
            coverage_text(status, self.app.clock(), progress_text(progress) if progress else None))

    def selected(self) -> PolicyResult | None:
        results = self.evaluation.results if self.evaluation else []
        row = self.query_one(DataTable).cursor_row
        return results[row] if 0 <= row < len(results) else None

    # --- enter: the breaking numbers in the list --------------------------------------------------------

    @on(DataTable.RowSelected, "#health-table")
    def show_breaking(self, event: DataTable.RowSelected) -> None:
        result = self.selected()
        if result is None:
            return
        numbers = list(result.breaking)
        if not numbers:
            self.notify(f"No number breaks {result.policy.name}", timeout=4)
            return
        inventory = self.app.inventory_screen()
        if inventory is None:
            return
        label = f"{len(numbers):,} breaking {result.policy.name}"
        while self.app.screen is not inventory:
            self.app.pop_screen()
        inventory.show_numbers(numbers, label)

    # --- f: fix through the bulk preview ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITE_ACTIONS and self.app.read_only:
            return False
        return True

    def action_fix(self) -> None:
        result = self.selected()
        if result is not None:
            self.fix([result])

    def action_fix_all(self) -> None:
        if self.evaluation is not None:
            self.fix(self.evaluation.results)

    def fix(self, results: Sequence[PolicyResult]) -> None:
        app = self.app
        if app.read_only or app.refused_offline("fixing"):
            return
        if not app.session.connected:
            self.notify("Not connected yet: try again in a moment.", severity="warning")
            return
        breaking = [r for r in results if r.breaking]
        if not breaking:
            what = results[0].policy.name if len(results) == 1 else "any policy"
            self.notify(f"No number breaks {what}: nothing to fix", timeout=4)
            return
        self.plan_fix(breaking)

    @work(exclusive=True, group="health-fix", exit_on_error=False)
    async def plan_fix(self, results: list[PolicyResult]) -> None:
        from ...core.policy_fix import fix_description, plan_fix
        from .bulk_preview import BulkPreviewScreen

        app = self.app
        copy = self.keeper.copy
        if copy is None:
            return
        engine = app.bulk.engine()
        names = [r.policy.name for r in results]
        message = self.query_one("#health-message", Static)

        def progress(done: int, total: int) -> None:
            message.update(Text(f"Reading {total:,} numbers before the preview… {done:,}"))

        message.add_class("-shown")
        message.update(Text("Planning the fix…"))
        try:
            plan, left_out = await plan_fix(engine, copy, results, max_age=app.connection.max_age,
                                            on_progress=progress)
        except Exception as error:  # noqa: BLE001 - said, never a crash
            message.remove_class("-shown")
            await app.report_error(error)
            return
        message.remove_class("-shown")
        message.update("")
        if left_out:
            shown = "; ".join(f"{number}: {why}" for number, why in list(left_out.items())[:3])
            more = f" (and {len(left_out) - 3:,} more)" if len(left_out) > 3 else ""
            app.notify(f"{len(left_out):,} number{'s' if len(left_out) != 1 else ''} left out of the fix: "
                       f"{shown}{more}", severity="warning", timeout=12)
        description = fix_description(names)
        title = description[:1].upper() + description[1:]   # "Fix a2p-stop, ooo-ended"
        if not plan.items:
            self.notify(f"{title}: nothing to write (the numbers already hold what is required, or none "
                        "has a single value to set)", severity="warning", timeout=8)
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                app.bulk.run_plan(plan, engine, title, description=description)

        app.push_screen(BulkPreviewScreen(plan, title), confirmed)

    # --- d: the details the copy lacks ---------------------------------------------------------------

    def action_read_details(self) -> None:
        app = self.app
        if self._reading:
            return
        if not app.session.connected or app.offline:
            self.notify("The API is not answering: the details cannot be read now.", severity="warning")
            return
        if not self.keeper.writable:
            self.notify("The local copy cannot be written: the details cannot be kept.", severity="warning")
            return
        self._reading = True
        self.read_details()

    @work(exclusive=True, group="health-read", exit_on_error=False)
    async def read_details(self) -> None:
        """The list (unless read whole within max_age) and the details missing or older than max_age, as
        `actui sync --details` reads them; evaluated again when they are in."""
        from ...api.errors import AuthenticationError, NetworkError
        from ...core.sync import sync

        app, keeper = self.app, self.keeper
        connection = app.connection
        shown = [0.0]

        def progress(now) -> None:
            keeper.progress = now
            if time.monotonic() - shown[0] >= PROGRESS_EVERY or now.phase == "done":
                shown[0] = time.monotonic()
                self.show_coverage()

        status = keeper.status
        listed_at = status.list_synced_at if status is not None else None
        read_list = listed_at is None or app.clock() - listed_at > connection.max_age
        result = None
        try:
            result = await sync(app.client, keeper.copy, details=True, max_age=connection.max_age,
                                concurrency=connection.bulk_concurrency, on_progress=progress,
                                page_size=connection.page_size, clock=app.clock, read_list=read_list)
        except NetworkError as error:
            app.set_offline(True)
            self.notify(f"Reading the details stopped: {error_text(error)}. What was read is kept.",
                        severity="warning", timeout=8)
        except AuthenticationError as error:
            await app.report_error(error, self.action_read_details)
        except Exception as error:  # noqa: BLE001 - a store that failed, a bug: said, never a crash
            await app.report_error(error)
        finally:
            keeper.read_ended(result)
            self._reading = False
        if result is not None and result.details_failed:
            self.notify(f"{result.details_failed:,} details could not be read (the server's faults): those "
                        "numbers are not judged until they are read again", severity="warning", timeout=8)
        inventory = app.inventory_screen()
        if inventory is not None:
            inventory.copy_changed()
        self.evaluate()

    # --- leaving -------------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

