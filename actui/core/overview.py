"""The inventory at a glance: how many numbers of each class, type, status, platform and billing plan the
local copy holds, and how many were provisioned each week (from `createdAt`).

Counted from the copy's list items in one SQLite pass that hands Python one short string per number (the
fields' values and the week), counted in a Counter: ~0.3 s for 100,000 (benchmarks/overview.py). The list
item follows actui's own edits (core/local_copy.put_details), so the counts do too. Values are the server's,
kept exact: a key is the value as sent (a string as it is; any other JSON value as its compact JSON text,
e.g. `true`, `5`); a number without the field (or with null) counts under NONE_KEY.
Making them safe for a terminal is the view's job.

Weeks start on Monday (UTC). A `createdAt` that is missing, not text, or not an ISO 8601 date counts as
`undated`; a date outside the window (before it, or after the week holding `now`) counts in neither.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .copy_values import json_path
from .local_copy import LocalCopy

__all__ = ["BREAKDOWNS", "NONE_KEY", "InventoryOverview", "overview"]

NONE_KEY = ""   # the key of numbers whose item lacks the field (or holds null)

# (InventoryOverview attribute, list-item wire field, label): the breakdowns in the order a view shows them
BREAKDOWNS: tuple[tuple[str, str, str], ...] = (
    ("by_class", "provisionClass", "Class"),
    ("by_type", "provisionType", "Type"),
    ("by_status", "status", "Status"),
    ("by_platform", "platformType", "Platform"),
    ("by_plan", "billingPlanName", "Plan"),
)
CREATED = "createdAt"


@dataclass
class InventoryOverview:
    total: int
    by_class: dict[str, int]        # each: value as sent -> numbers, the biggest first (ties by value)
    by_type: dict[str, int]
    by_status: dict[str, int]
    by_platform: dict[str, int]
    by_plan: dict[str, int]
    orders_pending: int
    per_week: list[tuple[str, int]]  # Monday (YYYY-MM-DD) -> numbers provisioned that week, oldest first
    undated: int = 0                 # numbers whose createdAt is missing or not a date

    def breakdowns(self) -> list[tuple[str, dict[str, int]]]:
        """(label, counts) of every breakdown, in BREAKDOWNS' order."""
        return [(label, getattr(self, attribute)) for attribute, _, label in BREAKDOWNS]


def overview(copy: LocalCopy, orders_pending: int = 0, *, weeks: int = 26,
             now: float | None = None) -> InventoryOverview:
    """The overview of `copy` as it is now; `orders_pending` as the caller counts them (len(OrderBook.pending()));
    per_week holds the `weeks` weeks up to the one holding `now` (default: the copy's clock)."""
    moment = copy.clock() if now is None else now
    counters: list[Counter[str]] = [Counter() for _ in BREAKDOWNS]
    per_fields: Counter[str] = Counter()
    by_week: Counter[str] = Counter()
    total = undated = 0
    for row, count in _rows(copy).items():
        fields, _, week = row.rpartition("]")   # a week (YYYY-MM-DD) holds no "]"
        total += count
        per_fields[fields] += count
        if week:
            by_week[week] += count
        else:
            undated += count
    for fields, count in per_fields.items():   # a few hundred distinct arrays, each read once
        for counter, value in zip(counters, _values(fields + "]"), strict=True):
            counter[value] += count
    by_field = {attribute: _biggest_first(counter) for (attribute, _, _), counter in zip(BREAKDOWNS, counters,
                                                                                          strict=True)}
    return InventoryOverview(total=total, **by_field, orders_pending=orders_pending,
                             per_week=_weeks(by_week, weeks, moment), undated=undated)


# a date as ISO 8601 writes it (not "now" or a julian day number, which SQLite's date() also reads)
_ISO_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"


def _rows(copy: LocalCopy) -> Counter[str]:
    """How many numbers have each row: the JSON array of the breakdown fields' values (SQLite makes it from
    one parse of the item), then the Monday of createdAt's week (UTC) or nothing. Counted here, not by
    GROUP BY: SQLite's sorter costs more than hashing one string per number."""
    fields = ", ".join(f"?{i + 2}" for i in range(len(BREAKDOWNS)))
    created = f"?{len(BREAKDOWNS) + 2}"
    # a date SQLite cannot read gives NULL (an impossible day like 02-30 it reads by its own rule: such a
    # number still counts in a week)
    sql = (f"SELECT fields || coalesce(CASE WHEN created GLOB '{_ISO_DATE}'"
           "  THEN date(created, '-6 days', 'weekday 1') END, '')"
           f" FROM (SELECT json_extract(list_item, {fields}) AS fields, list_item ->> {created} AS created"
           " FROM copy_numbers WHERE account = ?1)")
    rows = copy.store.query(sql, (copy.account, *(json_path(wire) for _, wire, _ in BREAKDOWNS),
                                  json_path(CREATED)))
    return Counter(row[0] for row in rows)


def _values(fields: str) -> list[str]:
    """The breakdown keys of one JSON array of field values: a string as sent, null as NONE_KEY, another
    value as its compact JSON."""
    return [value if isinstance(value, str) else NONE_KEY if value is None else
            json.dumps(value, separators=(",", ":"), ensure_ascii=False) for value in json.loads(fields)]


def _biggest_first(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda pair: (-pair[1], pair[0])))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(by_week: Counter[str], weeks: int, now: float) -> list[tuple[str, int]]:
    """Every Monday of the `weeks` weeks up to now's, oldest first, with its count (0 for none)."""
    if weeks <= 0:
        return []
    last = week_start(datetime.fromtimestamp(now, UTC).date())
    mondays = [(last - timedelta(weeks=back)).isoformat() for back in range(weeks - 1, -1, -1)]
    return [(monday, by_week.get(monday, 0)) for monday in mondays]
