"""The bulk engine, shared by the TUI and the CLI: plan a change over many numbers, then send it.

Planning (core/bulk_plan.py) reads every number and keeps, per number, only the leaves that differ from
the server's current values: numbers already as asked are skipped, never sent. Applying sends
each number's partial PUT with bounded concurrency, at a rate that adapts to 429s (core/rate.py), and
journals every item before and after it is sent (core/journal.py), so a run can be cancelled, resumed
after a crash (without writing a number twice), retried for its failures, and undone.

Lost updates: a number whose reading is older than `reread_after` seconds (the profile's
bulk_reread_after) is read again right before its PUT. If it already holds the target it is "unchanged";
if a field the run changes moved since the reading (a colleague's edit), it is a "conflict" and not
written, unless the plan says `overwrite`; otherwise only what still differs is sent, and the journal's
"old" becomes the value just read, so an undo restores what was really there.

GET and PUT are retried on network faults and 5xx (by the client, with back-off); a PUT that failed that
way is read back before it is called failed, since it may have been applied. Provision and unprovision
orders (POST) are never retried: a network fault leaves their numbers "unknown".
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.errors import (
    ActuiError,
    AuthenticationError,
    NetworkError,
    OrderStateUnknown,
    ServerError,
)
from . import copy_writes
from . import patch as patching
from .bulk_plan import Plan, Reader, add_item, check_requested, moved_text, plan_targets, plan_update, replan
from .bulk_progress import Progress, Tracker, gather
from .journal import (
    OPEN_STATES,
    ORDER_KINDS,
    FieldChange,
    Journal,
    JournalError,
    JournalItem,
    PlannedItem,
    Run,
)
from .rate import AdaptiveRate

if TYPE_CHECKING:
    from ..api.client import ApiClient
    from ..api.order_models import OrderAck

__all__ = ["PlannedItem", "FieldChange", "Plan", "Progress", "Outcome", "BulkResult", "BulkEngine",
           "plan_update", "check_requested"]

_MISSING = object()
DEFAULT_REREAD_AFTER = 60.0
"""Seconds a reading stays fresh enough to write from without reading the number again."""


# --- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    number: str
    state: str          # changed, unchanged, failed, cancelled, conflict, ordered, unknown (pending if halted)
    error: str | None
    changes: tuple[FieldChange, ...]


@dataclass
class BulkResult:
    run: Run
    outcomes: list[Outcome]
    cancelled: bool
    orders: list[Any] = field(default_factory=list)   # order runs: the OrderAck of every batch placed
    refused: dict[str, str] = field(default_factory=dict)  # refused by the client's checks: never sent

    def counts(self) -> dict[str, int]:
        return dict(Counter(o.state for o in self.outcomes))

    @property
    def failed(self) -> list[Outcome]:
        """Numbers that did not end as asked: failed, or (orders) unknown."""
        return [o for o in self.outcomes if o.state in ("failed", "unknown")]

    @property
    def conflicts(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "conflict"]


# --- the engine -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    item: PlannedItem
    verify: bool = False         # resumed while "sending": read back before sending again
    conflict: str | None = None  # an undo: fields left alone (the item ends "conflict")
    read_at: float | None = None  # when the planned values were read (None: unknown, read again)
    overwrite: bool = False      # write even where a changed field moved since the reading


class _Halt(Exception):
    """Stop starting items (authentication failed: every other number would fail alike)."""

    def __init__(self, error: ActuiError):
        self.error = error


class BulkEngine:
    def __init__(self, client: ApiClient, journal: Journal, *, concurrency: int = 8,
                 clock: Callable[[], float] = time.monotonic, limiter: AdaptiveRate | None = None,
                 reread_after: float = DEFAULT_REREAD_AFTER):
        self.client = client
        self.journal = journal
        self.concurrency = max(1, concurrency)
        self.clock = clock
        self.reread_after = reread_after
        self.limiter = limiter or AdaptiveRate(clock=clock)
        self.reader = Reader(client, self.limiter, self.concurrency, clock)

    # --- plans ------------------------------------------------------------------------------------

    async def plan(self, numbers: Sequence[str], requested: Mapping[str, Any], *,
                   on_progress: Callable[[int, int], None] | None = None) -> Plan:
        """plan_update() through this engine's rate (what it learns about 429s carries over to apply)."""
        return await plan_update(self.client, numbers, requested, concurrency=self.concurrency,
                                 on_progress=on_progress, limiter=self.limiter, clock=self.clock)

    async def plan_undo(self, run_id: int, numbers: Iterable[str] | None = None, *,
                        on_progress: Callable[[int, int], None] | None = None) -> Plan:
        """What undoing a run would write back: per number, each field the server still holds as the run
        left it goes back to its old value; a field changed since is a conflict (left alone)."""
        run = self._run(run_id)
        if run.kind in ORDER_KINDS:
            raise JournalError(f"run {run_id} is a {run.kind} order: orders cannot be undone "
                               "(provision or unprovision the numbers again)")
        items = [i for i in self.journal.items(run_id, ("changed", "conflict")) if i.changes]
        if numbers is not None:
            wanted = list(dict.fromkeys(numbers))
            missing = sorted(set(wanted) - {i.number for i in items})
            if missing:
                raise JournalError(f"run {run_id} changed no {', '.join(missing)}")
            items = [i for i in items if i.number in set(wanted)]
        read_at: dict[str, float] = {}
        docs, unreadable = await self.reader.read_all([i.number for i in items], on_progress, read_at)
        plan = Plan({}, [], [], unreadable, kind="undo", undoes=run_id, read_at=read_at)
        for item in items:
            if item.number not in unreadable:
                self._plan_revert(plan, run_id, item, docs[item.number])
        return plan

    @staticmethod
    def _plan_revert(plan: Plan, run_id: int, item: JournalItem, doc: dict[str, Any]) -> None:
        revert: dict[str, Any] = {}
        reverted: list[FieldChange] = []
        conflicts: list[str] = []
        for change in item.changes:
            found = patching.get_path(doc, change.path, _MISSING)
            if _same(found, change.new):
                patching.set_path(revert, change.path, change.old)
                reverted.append(FieldChange(change.path, change.new, change.old))
            elif not _same(found, change.old):
                shown = "nothing" if found is _MISSING else _show(found)
                conflicts.append(f"{change.path}: expected {_show(change.new)} (written by run {run_id}), "
                                 f"found {shown}")
        if conflicts:
            plan.conflicts[item.number] = "changed since, left alone: " + "; ".join(conflicts)
        if revert:
            add_item(plan, PlannedItem(item.number, revert, tuple(reverted)))
        elif not conflicts:
            plan.unchanged.append(item.number)

    # --- running ----------------------------------------------------------------------------------

    async def apply(self, plan: Plan, *, description: str = "",
                    on_progress: Callable[[Progress], None] | None = None,
                    cancel: asyncio.Event | None = None) -> BulkResult:
        planned = {i.number for i in plan.items}
        settled: list[tuple[PlannedItem, str, str | None]] = [
            (PlannedItem(n, {}, ()), "unchanged", None) for n in plan.unchanged]
        settled += [(PlannedItem(n, {}, ()), "failed", f"could not read its current values: {error}")
                    for n, error in plan.unreadable.items()]
        settled += [(PlannedItem(n, {}, ()), "conflict", text) for n, text in plan.conflicts.items()
                    if n not in planned]
        run = self.journal.begin(plan.kind, plan.items, description or plan.describe(), plan.undoes,
                                 requested=plan.requested, settled=settled)
        jobs = [_Job(item, conflict=plan.conflicts.get(item.number), read_at=plan.read_at.get(item.number),
                     overwrite=plan.overwrite) for item in plan.items]
        result = await self._execute(run, jobs, on_progress, cancel)
        result.refused = dict(plan.refused)
        return result

    async def resume(self, run_id: int, *, on_progress: Callable[[Progress], None] | None = None,
                     cancel: asyncio.Event | None = None,
                     make_request: Callable[[list[str]], Awaitable[OrderAck]] | None = None,
                     batch_size: int = 100) -> BulkResult:
        """Finish a run cut short: "pending" items are sent; "sending" ones are read back first and sent
        only if the server does not hold their new values yet. Orders: "sending" items become "unknown"
        (never sent twice); "pending" ones need `make_request` to be sent."""
        run = self._run(run_id)
        if run.kind in ORDER_KINDS and run.counts.get("pending") and make_request is None:
            raise JournalError(f"run {run_id} has {run.counts['pending']} numbers left to order: resuming it "
                               "needs the order's details (resume it from where it was started)")
        run = self.journal.claim(run_id)
        if run.kind in ORDER_KINDS:
            sending = [i.number for i in self.journal.items(run_id, ("sending",))]
            self.journal.finish_items(run_id, sending, "unknown", _unknown_order_message(
                "actui stopped while this number's order was being sent"))
            pending = [i.number for i in self.journal.items(run_id, ("pending",))]
            return await self._execute_orders(self._run(run_id), pending, make_request, batch_size,
                                              on_progress, cancel)
        jobs = [_Job(PlannedItem(i.number, i.patch, i.changes), verify=i.state == "sending")
                for i in self.journal.items(run_id, OPEN_STATES)]
        return await self._execute(run, jobs, on_progress, cancel)

    async def retry_failed(self, run_id: int, *, on_progress: Callable[[Progress], None] | None = None,
                           cancel: asyncio.Event | None = None,
                           make_request: Callable[[list[str]], Awaitable[OrderAck]] | None = None
                           ) -> BulkResult:
        """A new run of only the run's failed numbers, planned again against their current values."""
        run = self._run(run_id)
        failed = self.journal.items(run_id, ("failed",))
        if not failed:
            raise JournalError(f"run {run_id} has no failed numbers")
        description = f"retry of run {run_id}"
        if run.kind in ORDER_KINDS:
            if make_request is None:
                raise JournalError(f"retrying run {run_id} ({run.kind}) needs the order's details")
            return await self.order(run.kind, [i.number for i in failed], make_request,
                                    description=description, on_progress=on_progress, cancel=cancel)
        if run.kind == "undo":
            if run.undoes is None:
                raise JournalError(f"run {run_id} is an undo that names no run it undoes")
            plan = await self.plan_undo(run.undoes, [i.number for i in failed])
        else:
            targets = {i.number: _target(i, run.requested) for i in failed}
            plan = await plan_targets(self.client, targets, run.requested or {}, concurrency=self.concurrency,
                                      on_progress=None, limiter=self.limiter, kind=run.kind, clock=self.clock)
        return await self.apply(plan, description=description, on_progress=on_progress, cancel=cancel)

    async def undo(self, run_id: int, numbers: Iterable[str] | None = None, *,
                   on_progress: Callable[[Progress], None] | None = None,
                   cancel: asyncio.Event | None = None) -> BulkResult:
        """Write back the old values of what a run changed, where the server still holds what it wrote."""
        plan = await self.plan_undo(run_id, numbers)
        return await self.apply(plan, on_progress=on_progress, cancel=cancel)

    async def order(self, kind: str, numbers: Sequence[str],
                    make_request: Callable[[list[str]], Awaitable[OrderAck]], *, batch_size: int = 100,
                    description: str = "", on_progress: Callable[[Progress], None] | None = None,
                    cancel: asyncio.Event | None = None) -> BulkResult:
        """Provision or unprovision many numbers, `batch_size` to an order, one order at a time. A POST is
        never retried: a network fault marks its numbers "unknown" (the order may exist)."""
        if kind not in ORDER_KINDS:
            raise ValueError(f"kind must be one of {', '.join(ORDER_KINDS)}")
        numbers = list(dict.fromkeys(numbers))
        action = _action(kind)
        items = [PlannedItem(n, {"number": n}, (FieldChange("action", None, action),)) for n in numbers]
        run = self.journal.begin(kind, items, description or f"{kind} {len(numbers)} numbers")
        return await self._execute_orders(run, numbers, make_request, batch_size, on_progress, cancel)

    # --- internals --------------------------------------------------------------------------------

    async def _execute(self, run: Run, jobs: list[_Job], on_progress: Callable[[Progress], None] | None,
                       cancel: asyncio.Event | None) -> BulkResult:
        tracker = Tracker(run, self.clock, on_progress)
        queue = deque(jobs)
        halted: list[ActuiError] = []

        async def worker() -> None:
            while queue and not halted and not (cancel is not None and cancel.is_set()):
                job = queue.popleft()
                tracker.started()
                try:
                    state = await self._send_one(run.id, job)
                except _Halt as halt:
                    halted.append(halt.error)
                    tracker.finished(None)
                    return
                tracker.finished(state)

        try:
            await gather(worker() for _ in range(min(self.concurrency, len(jobs))))
        finally:
            self.journal.release(run.id)
        if halted:  # the rest stays "pending": resumable once the password is right
            tracker.emit(force=True)
            raise halted[0]
        return self._finish(run, [j.item.number for j in queue], cancel, tracker)

    async def _send_one(self, run_id: int, job: _Job) -> str:
        item, number = job.item, job.item.number
        try:
            replanned = None
            if job.verify or self._stale(job):
                try:
                    doc = await self.reader.read(number)
                except AuthenticationError:
                    raise
                except ActuiError as exc:
                    return self._settle(run_id, job, "failed", "could not read its current values before "
                                                               f"writing (nothing sent): {exc}")
                copy_writes.saved(self.journal, number, doc)
                if job.verify and not patching.diff(doc, item.patch):
                    return self._settle(run_id, job, "changed")   # the PUT before the stop had landed
                replanned, moved = replan(item, doc)
                if replanned is None:   # someone else already made this change
                    return self._settle(run_id, job, "unchanged", changes=())
                if moved and not job.overwrite:
                    return self._settle(run_id, job, "conflict", moved_text(moved), changes=())
                item = replanned
            self.journal.sending(run_id, number, replanned)
            try:
                answer = await self.limiter.call(
                    lambda: self.client.update_number(number, item.patch, retry=self.reader.retry),
                    max_retry_after=self.reader.retry.max_retry_after)
                copy_writes.saved(self.journal, number, answer.to_wire())
            except (NetworkError, ServerError) as exc:  # it may have been applied all the same
                copy_writes.unsure(self.journal, number)
                landed = await self._holds(number, item.patch)
                if landed is None:
                    return self._settle(run_id, job, "failed", f"{exc} It may have been applied: "
                                                              f"`actui numbers show {number}` shows its values.")
                if not landed:
                    raise
        except AuthenticationError as exc:   # a 401 (a 403 is PermissionDenied, an ApiError: failed below)
            self.journal.finish_item(run_id, number, "pending")
            raise _Halt(exc) from None
        except ActuiError as exc:
            copy_writes.failed(self.journal, number, exc)
            return self._settle(run_id, job, "failed", str(exc))
        return self._settle(run_id, job, "changed")

    async def _holds(self, number: str, change: Mapping[str, Any]) -> bool | None:
        """Whether the server holds every value of `change` (None: it could not be read)."""
        try:
            doc = await self.reader.read(number)
        except ActuiError:
            return None
        return not patching.diff(doc, change)

    def _stale(self, job: _Job) -> bool:
        return job.read_at is None or self.clock() - job.read_at > self.reread_after

    def _settle(self, run_id: int, job: _Job, state: str, error: str | None = None,
                changes: Sequence[FieldChange] | None = None) -> str:
        if state == "changed" and job.conflict:
            state, error = "conflict", job.conflict
        self.journal.finish_item(run_id, job.item.number, state, error, changes=changes)
        return state

    async def _execute_orders(self, run: Run, numbers: list[str],
                              make_request: Callable[[list[str]], Awaitable[OrderAck]] | None, batch_size: int,
                              on_progress: Callable[[Progress], None] | None,
                              cancel: asyncio.Event | None) -> BulkResult:
        tracker = Tracker(run, self.clock, on_progress)
        queue = deque(numbers[i:i + max(1, batch_size)] for i in range(0, len(numbers), max(1, batch_size)))
        acks: list[Any] = []
        action = _action(run.kind)
        error: str | None
        try:
            while queue and not (cancel is not None and cancel.is_set()):
                batch = queue.popleft()
                self.journal.sending_many(run.id, batch)
                tracker.started(len(batch))
                try:
                    assert make_request is not None
                    ack = await make_request(batch)
                except OrderStateUnknown as exc:
                    state, error, changes = "unknown", _unknown_order_message(str(exc)), None
                except AuthenticationError:   # a 401; a 403 fails its batch below
                    self.journal.finish_items(run.id, batch, "pending")
                    raise
                except ActuiError as exc:
                    state, error, changes = "failed", str(exc), None
                else:
                    acks.append(ack)
                    state, error = "ordered", None
                    if run.kind == "unprovision":   # gone from the local copy at once (provisioned: once listed)
                        copy_writes.gone(self.journal, batch)
                    changes = (FieldChange("action", None, action), FieldChange("orderId", None, ack.order_id))
                self.journal.finish_items(run.id, batch, state, error, changes=changes)
                for _ in batch:
                    tracker.finished(state)
        finally:
            self.journal.release(run.id)
        result = self._finish(run, [n for batch in queue for n in batch], cancel, tracker)
        result.orders = acks
        return result

    def _finish(self, run: Run, left: list[str], cancel: asyncio.Event | None, tracker: Tracker) -> BulkResult:
        cancelled = cancel is not None and cancel.is_set()
        if left:
            self.journal.finish_items(run.id, left, "cancelled", "cancelled before it was sent")
            for _ in left:
                tracker.settled("cancelled")
        final = self.journal.finish_run(run.id, "cancelled" if cancelled else "done")
        tracker.emit(force=True)
        outcomes = [Outcome(i.number, i.state, i.error, i.changes) for i in self.journal.items(run.id)]
        return BulkResult(final, outcomes, cancelled)

    def _run(self, run_id: int) -> Run:
        run = self.journal.run(run_id)
        if run is None:
            raise JournalError(f"there is no run {run_id} in the journal of {self.journal.account}")
        return run


def _target(item: JournalItem, requested: dict | None) -> dict[str, Any]:
    """What a failed item was to become: its planned new values, or the run's request."""
    if not item.changes:
        return dict(requested or {})
    target: dict[str, Any] = {}
    for change in item.changes:
        patching.set_path(target, change.path, change.new)
    return target


def _same(a: Any, b: Any) -> bool:
    return a == b and type(a) is type(b) or (a is _MISSING and b is None)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _action(kind: str) -> str:
    return "Provision" if kind == "provision" else "Unprovision"


def _unknown_order_message(what: str) -> str:
    return (f"{what} The order may have been placed, so actui will not send it again (resume skips it). "
            "Check the order tracker or `actui orders show ORDER_ID`, and `actui numbers show NUMBER`, "
            "before ordering this number again.")
