"""The app's bulk work, from a key to the results: bulk edit → preview → run, undo from the journal,
resume after a crash. Every write goes through core.bulk.BulkEngine, which journals each number.

`BulkFlows(app)` is made once by the App; its methods push the screens and, when a run ends, refresh
the list so it shows what the server now holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..core.bulk import BulkEngine, BulkPlan, BulkResult
from ..core.journal import Journal

if TYPE_CHECKING:
    from .app import ActuiApp


class BulkFlows:
    def __init__(self, app: ActuiApp):
        self.app = app
        self._journal: Journal | None = None

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            connection = self.app.connection
            self._journal = Journal(self.app.store, connection.account_key, connection.label,
                                    clock=self.app.clock)
        return self._journal

    def engine(self) -> BulkEngine:
        # the client of the moment: a new password makes a new one
        connection = self.app.connection
        return BulkEngine(self.app.client, self.journal, concurrency=connection.bulk_concurrency,
                          reread_after=connection.bulk_reread_after)

    # --- bulk edit --------------------------------------------------------------------------------

    def edit(self, numbers: Sequence[str]) -> None:
        from .screens.bulk_edit import BulkEditScreen

        if not numbers or not self._can_write():
            return
        engine = self.engine()

        async def plan(numbers, requested, on_progress) -> BulkPlan:
            return await engine.plan(numbers, requested, on_progress=on_progress)

        def confirmed(result: BulkPlan | None) -> None:
            if result is not None:
                self.run_plan(result, engine, f"Bulk edit · {result.run_description()}")

        self.app.push_screen(BulkEditScreen(numbers, plan, clock=self.app.clock), confirmed)

    def run_plan(self, plan: BulkPlan, engine: BulkEngine, title: str, *, description: str = "") -> None:
        """`description`: the journal run's (default: the plan's own, e.g. "set settings.rateLimit=250")."""
        from .screens.bulk_run import BulkRunScreen

        async def start(on_progress, cancel) -> BulkResult:
            return await engine.apply(plan, description=description, on_progress=on_progress, cancel=cancel)

        async def retry(run_id, on_progress, cancel) -> BulkResult:
            return await engine.retry_failed(run_id, on_progress=on_progress, cancel=cancel)

        self.app.push_screen(BulkRunScreen(title, start, retry=retry), self.finished)

    # --- undo and resume --------------------------------------------------------------------------

    def _can_write(self) -> bool:
        if self.app.read_only:
            return False
        if not self.app.session.connected:
            self.app.notify("Not connected yet: try again in a moment.", severity="warning")
            return False
        return True

    def undo(self, run_id: int, numbers: list[str] | None = None) -> None:
        """Preview what undoing writes back (conflicts listed), confirm, then run it."""
        if not self._can_write():
            return
        self.app.run_worker(self._undo(run_id, numbers), group="bulk-undo", exclusive=True, exit_on_error=False)

    async def _undo(self, run_id: int, numbers: list[str] | None) -> None:
        from .screens.bulk_preview import BulkPreviewScreen

        engine = self.engine()
        try:
            plan = await engine.plan_undo(run_id, numbers)
        except Exception as error:  # noqa: BLE001 - said, never a crash
            await self.app.report_error(error)
            return
        title = f"Undo run {run_id}" + (f" for {len(numbers)} number{'s' if len(numbers) != 1 else ''}"
                                        if numbers else "")
        if not plan.items:
            reasons = list(plan.conflicts.values()) + list(plan.refused.values())
            why = "; ".join(reasons[:2]) or "the numbers already hold the old values"
            self.app.notify(f"{title}: nothing to write back ({why})", severity="warning", timeout=10)
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.run_plan(plan, engine, title)

        self.app.push_screen(BulkPreviewScreen(plan, title), confirmed)

    def resume(self, run_id: int) -> None:
        from .screens.bulk_run import BulkRunScreen

        if not self._can_write():
            return
        engine = self.engine()
        client, tenant = self.app.client, self.app.connection.tenant_id
        # an unprovision run can be rebuilt from the tenant; a provision run needs its form (not kept)
        unprovision = (lambda batch: client.unprovision(tenant, batch)) if tenant else None

        async def start(on_progress, cancel) -> BulkResult:
            run = self.journal.run(run_id)
            make_request = unprovision if run is not None and run.kind == "unprovision" else None
            return await engine.resume(run_id, on_progress=on_progress, cancel=cancel, make_request=make_request)

        async def retry(failed_run, on_progress, cancel) -> BulkResult:
            return await engine.retry_failed(failed_run, on_progress=on_progress, cancel=cancel)

        self.app.push_screen(BulkRunScreen(f"Resume run {run_id}", start, retry=retry), self.finished)

    def open_journal(self) -> None:
        from .screens.journal import JournalScreen

        if isinstance(self.app.screen, JournalScreen):
            return
        self.app.push_screen(JournalScreen(self.journal, clock=self.app.clock, read_only=self.app.read_only,
                                           on_undo=self.undo))

    def offer_resume(self) -> None:
        """At start: a run cut short (actui was killed) is offered for resuming."""
        from .screens.resume import resumable_offer

        offer = resumable_offer(self.journal, clock=self.app.clock)
        if offer is not None:
            self.app.push_screen(offer, lambda run_id: self.resume(run_id) if run_id else None)

    def finished(self, result: BulkResult | None) -> None:
        if result is None:
            return
        inventory = self.app.inventory_screen()
        if inventory is not None:
            inventory.action_refresh()
