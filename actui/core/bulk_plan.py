"""Planning a bulk change: read every number (bounded concurrency, through the adaptive rate) and keep,
per number, only the leaves that differ from the server's current values. Numbers already as asked are
skipped, never sent."""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.errors import ActuiError, AuthenticationError, FieldProblem, InvalidInput, PermissionDenied
from . import patch as patching
from .bulk_progress import Ticker, gather
from .journal import PlannedItem, changes_between
from .rate import AdaptiveRate, RetryExcept429

if TYPE_CHECKING:
    from ..api.client import ApiClient


@dataclass
class Plan:
    requested: dict                 # the nested change asked for (empty for an undo)
    items: list[PlannedItem]        # numbers that will change
    unchanged: list[str]            # already as asked: skipped, never sent
    unreadable: dict[str, str]      # number -> why its current values could not be read
    kind: str = "bulk"              # the journal run it makes: "bulk", "edit", "undo"
    undoes: int | None = None       # an undo: the run it reverts
    conflicts: dict[str, str] = field(default_factory=dict)  # an undo: number -> fields changed since

    def field_counts(self) -> dict[str, int]:
        """Dotted path -> how many numbers it alters."""
        counts: Counter[str] = Counter()
        for item in self.items:
            counts.update(c.path for c in item.changes)
        return dict(counts)

    @property
    def total(self) -> int:
        numbers = {i.number for i in self.items} | set(self.unchanged) | set(self.unreadable) | set(self.conflicts)
        return len(numbers)

    def describe(self) -> str:
        if self.kind == "undo":
            return f"undo run {self.undoes}"
        what = ", ".join(f"{path}={json.dumps(value, ensure_ascii=False)}"
                         for path, value in patching.leaves(self.requested))
        return f"set {what}" if what else self.kind


def check_requested(requested: Mapping[str, Any]) -> dict:
    """The change asked for, checked against the update model before any request (InvalidInput names
    the field)."""
    from ..api.models import PhoneNumberUpdate, validate_outgoing

    if not requested:
        raise InvalidInput([FieldProblem("", "nothing to update: the change is empty")])
    validate_outgoing(PhoneNumberUpdate, dict(requested))
    return dict(requested)


async def plan_update(client: ApiClient, numbers: Sequence[str], requested: Mapping[str, Any], *,
                      concurrency: int = 8, on_progress: Callable[[int, int], None] | None = None,
                      limiter: AdaptiveRate | None = None) -> Plan:
    """Read every number and keep what `requested` would change in each. `on_progress(done, total)`."""
    wanted = check_requested(requested)
    targets = dict.fromkeys(numbers, wanted)
    return await plan_targets(client, targets, wanted, concurrency=concurrency, on_progress=on_progress,
                       limiter=limiter)


async def plan_targets(client: ApiClient, targets: Mapping[str, Mapping[str, Any]], requested: dict, *,
                concurrency: int, on_progress: Callable[[int, int], None] | None,
                limiter: AdaptiveRate | None, kind: str = "bulk") -> Plan:
    reader = Reader(client, limiter or AdaptiveRate(), concurrency)
    docs, unreadable = await reader.read_all(list(targets), on_progress)
    items: list[PlannedItem] = []
    unchanged: list[str] = []
    for number, target in targets.items():
        if number in unreadable:
            continue
        doc = docs[number]
        change = patching.update_patch(doc, patching.apply(doc, target))
        if change:
            items.append(PlannedItem(number, change, changes_between(doc, change)))
        else:
            unchanged.append(number)
    return Plan(requested, items, unchanged, unreadable, kind=kind)


class Reader:
    """GETs through the adaptive rate, retrying faults (the client) and 429s (the rate)."""

    def __init__(self, client: ApiClient, limiter: AdaptiveRate, concurrency: int):
        self.client = client
        self.limiter = limiter
        self.concurrency = max(1, concurrency)
        self.retry = RetryExcept429.like(client.retry)

    async def read(self, number: str) -> dict[str, Any]:
        model = await self.limiter.call(lambda: self.client.get_number(number, retry=self.retry),
                                        max_retry_after=self.retry.max_retry_after)
        return model.to_wire()

    async def read_all(self, numbers: list[str], on_progress: Callable[[int, int], None] | None = None
                       ) -> tuple[dict[str, dict], dict[str, str]]:
        docs: dict[str, dict] = {}
        errors: dict[str, str] = {}
        queue = deque(numbers)
        ticker = Ticker()
        total = len(numbers)

        async def worker() -> None:
            while queue:
                number = queue.popleft()
                try:
                    docs[number] = await self.read(number)
                except AuthenticationError as exc:
                    if not isinstance(exc, PermissionDenied):
                        raise  # every other number would fail alike: stop and say so
                    errors[number] = str(exc)
                except ActuiError as exc:
                    errors[number] = str(exc)
                if on_progress and ticker.due():
                    on_progress(len(docs) + len(errors), total)

        await gather(worker() for _ in range(min(self.concurrency, total)))
        if on_progress:
            on_progress(len(docs) + len(errors), total)
        return docs, errors
