"""Planning a bulk change: read every number (bounded concurrency, through the adaptive rate) and keep,
per number, only the leaves that differ from the server's current values. Numbers already as asked are
skipped, never sent; a number whose change the client's own checks refuse is set aside (`refused`), never
sent nor journaled. Each number's reading time is kept (`read_at`): the engine reads a number again
before writing it when that reading is older than its re-read age.

`known`: documents already held (the local copy's fresh details) with their reading time on the engine's
clock; those numbers are planned without a GET (and read again before writing when older than the re-read
age, like any other reading)."""

from __future__ import annotations

import json
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.errors import ActuiError, AuthenticationError, FieldProblem, InvalidInput
from . import patch as patching
from .bulk_progress import Ticker, gather
from .edits import ABSENT, check_values, same
from .journal import (
    ORDER_KINDS,
    FieldChange,
    Journal,
    JournalError,
    JournalItem,
    PlannedItem,
    Run,
    changes_between,
)
from .rate import AdaptiveRate, RetryExcept429

if TYPE_CHECKING:
    from ..api.client import ApiClient


@dataclass
class BulkPlan:
    requested: dict                 # the nested change asked for (empty for an undo)
    items: list[PlannedItem]        # numbers that will change
    unchanged: list[str]            # already as asked: skipped, never sent
    unreadable: dict[str, str]      # number -> why its current values could not be read
    kind: str = "bulk"              # the journal run it makes: "bulk", "edit", "undo"
    undoes: int | None = None       # an undo: the run it reverts
    conflicts: dict[str, str] = field(default_factory=dict)  # an undo: number -> fields changed since
    refused: dict[str, str] = field(default_factory=dict)    # number -> why the client refuses its change
    read_at: dict[str, float] = field(default_factory=dict)  # number -> when its values were read (engine clock)
    overwrite: bool = False  # write even where a changed field moved on the server since the reading

    def field_counts(self) -> dict[str, int]:
        """Dotted path -> how many numbers it alters."""
        counts: Counter[str] = Counter()
        for item in self.items:
            counts.update(c.path for c in item.changes)
        return dict(counts)

    @property
    def total(self) -> int:
        numbers = ({i.number for i in self.items} | set(self.unchanged) | set(self.unreadable)
                   | set(self.conflicts) | set(self.refused))
        return len(numbers)

    def run_description(self) -> str:
        if self.kind == "undo":
            return f"undo run {self.undoes}"
        what = ", ".join(f"{path}={json.dumps(value, ensure_ascii=False)}"
                         for path, value in patching.leaves(self.requested))
        return f"set {what}" if what else self.kind


def check_requested(requested: Mapping[str, Any]) -> dict:
    """The change asked for, checked against the update model before any request (InvalidInput names
    the field)."""
    from ..api.number_models import PhoneNumberUpdate
    from ..api.outgoing import validate_outgoing

    if not requested:
        raise InvalidInput([FieldProblem("", "nothing to update: the change is empty")])
    validate_outgoing(PhoneNumberUpdate, dict(requested))
    return dict(requested)


async def plan_update(client: ApiClient, numbers: Sequence[str], requested: Mapping[str, Any], *,
                      concurrency: int = 8, on_progress: Callable[[int, int], None] | None = None,
                      limiter: AdaptiveRate | None = None, clock: Callable[[], float] = time.monotonic,
                      known: Mapping[str, tuple[dict[str, Any], float]] | None = None,
                      read: dict[str, dict[str, Any]] | None = None) -> BulkPlan:
    """Read every number (but those `known`) and keep what `requested` would change in each.
    `on_progress(done, total)` counts the numbers read; `read` gets each document read."""
    wanted = check_requested(requested)
    targets = dict.fromkeys(numbers, wanted)
    return await plan_targets(client, targets, wanted, concurrency=concurrency, on_progress=on_progress,
                              limiter=limiter, clock=clock, known=known, read=read)


async def plan_targets(client: ApiClient, targets: Mapping[str, Mapping[str, Any]], requested: dict, *,
                       concurrency: int, on_progress: Callable[[int, int], None] | None,
                       limiter: AdaptiveRate | None, kind: str = "bulk",
                       clock: Callable[[], float] = time.monotonic,
                       known: Mapping[str, tuple[dict[str, Any], float]] | None = None,
                       read: dict[str, dict[str, Any]] | None = None) -> BulkPlan:
    reader = Reader(client, limiter or AdaptiveRate(), concurrency, clock)
    known = known or {}
    read_at: dict[str, float] = {number: known[number][1] for number in targets if number in known}
    docs, unreadable = await reader.read_all([n for n in targets if n not in known], on_progress, read_at)
    if read is not None:
        read.update(docs)
    docs.update((number, known[number][0]) for number in targets if number in known)
    plan = BulkPlan(requested, [], [], unreadable, kind=kind, read_at=read_at)
    for number, target in targets.items():
        if number in unreadable:
            continue
        doc = docs[number]
        change = patching.update_patch(doc, patching.apply(doc, target))
        if change:
            add_item(plan, PlannedItem(number, change, changes_between(doc, change)))
        else:
            plan.unchanged.append(number)
    return plan


def undo_items(journal: Journal, run: Run, numbers: Iterable[str] | None = None) -> list[JournalItem]:
    """The journal's items an undo of `run` would revert; JournalError when the run is an order or did not
    change one of `numbers`."""
    if run.kind in ORDER_KINDS:
        raise JournalError(f"run {run.id} is a {run.kind} order: orders cannot be undone "
                           "(provision or unprovision the numbers again)")
    items = [i for i in journal.items(run.id, ("changed", "conflict")) if i.changes]
    if numbers is not None:
        wanted = list(dict.fromkeys(numbers))
        missing = sorted(set(wanted) - {i.number for i in items})
        if missing:
            raise JournalError(f"run {run.id} changed no {', '.join(missing)}")
        items = [i for i in items if i.number in set(wanted)]
    return items


def add_item(plan: BulkPlan, item: PlannedItem) -> None:
    """A number to change, unless the client's own checks refuse its change (then it is never sent)."""
    try:
        check_values(item.patch)
    except InvalidInput as exc:
        plan.refused[item.number] = f"refused before sending (nothing sent): {exc}"
        return
    plan.items.append(item)


def replan(item: PlannedItem, doc: dict[str, Any]) -> tuple[PlannedItem | None, list[tuple[FieldChange, Any]]]:
    """The item against the number as just read: what still differs from its targets (None: nothing), and
    the fields that moved since the planned reading to something else than the target (with their value)."""
    target: dict[str, Any] = {}
    moved: list[tuple[FieldChange, Any]] = []
    for change in item.changes:
        patching.set_path(target, change.path, change.new)
        now = patching.get_path(doc, change.path, ABSENT)
        if not same(now, change.old) and not same(now, change.new):
            moved.append((change, now))
    patch = patching.update_patch(doc, patching.apply(doc, target))
    if not patch:
        return None, moved
    return PlannedItem(item.number, patch, changes_between(doc, patch)), moved


def moved_text(moved: list[tuple[FieldChange, Any]]) -> str:
    said = "; ".join(f"{change.path}: was {_show(change.old)} when previewed, now "
                     f"{'absent' if now is ABSENT else _show(now)} (not replaced by {_show(change.new)})"
                     for change, now in moved)
    return f"changed on the server since the preview, not written: {said}"


class Reader:
    """GETs through the adaptive rate, retrying faults (the client) and 429s (the rate)."""

    def __init__(self, client: ApiClient, limiter: AdaptiveRate, concurrency: int,
                 clock: Callable[[], float] = time.monotonic):
        self.client = client
        self.clock = clock
        self.limiter = limiter
        self.concurrency = max(1, concurrency)
        self.retry = RetryExcept429.like(client.retry)

    async def read(self, number: str) -> dict[str, Any]:
        model = await self.limiter.call(lambda: self.client.get_number(number, retry=self.retry),
                                        max_retry_after=self.retry.max_retry_after)
        return model.to_wire()

    async def read_all(self, numbers: list[str], on_progress: Callable[[int, int], None] | None = None,
                       read_at: dict[str, float] | None = None) -> tuple[dict[str, dict], dict[str, str]]:
        """Every number's values (and why a number could not be read); `read_at` gets each reading's time."""
        docs: dict[str, dict] = {}
        errors: dict[str, str] = {}
        queue = deque(numbers)
        ticker = Ticker()
        total = len(numbers)

        async def worker() -> None:
            while queue:
                number = queue.popleft()
                started = self.clock()   # the values are at least as old as the request
                try:
                    docs[number] = await self.read(number)
                    if read_at is not None:
                        read_at[number] = started
                except AuthenticationError:
                    raise  # a 401: every other number would fail alike, so stop and say so (a 403 is below)
                except ActuiError as exc:
                    errors[number] = str(exc)
                if on_progress and ticker.due():
                    on_progress(len(docs) + len(errors), total)

        await gather(worker() for _ in range(min(self.concurrency, total)))
        if on_progress:
            on_progress(len(docs) + len(errors), total)
        return docs, errors


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
